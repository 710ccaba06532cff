"""Input and output at the edges: YAML data files, RDF files (one reader), atomic writes, SPARQL
over HTTP (one client).
"""
