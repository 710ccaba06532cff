"""SHACL validation: the engines behind one interface, the compiled SPARQL engine and its literal
guard, reports.
"""
