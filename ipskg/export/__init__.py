"""What leaves ipskg: exports, the DCAT/VoID description, merging external RDF, publishing to a
server.
"""
