"""The ontology: its graph and name look-ups, the SSSOM mappings, reasoning, the allowed-values
page.
"""
