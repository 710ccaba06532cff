"""Definitions with no I/O: errors and exit codes, namespaces and ontology terms, the record kinds
of the data format, where the artifacts are.
"""
