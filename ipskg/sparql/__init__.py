"""SPARQL questions: the catalogue of .rq files, the stores (embedded, rdflib, remote), result
formats, the build cache.
"""
