"""Study data: the loader, the records-to-RDF mapping, new input for validation, and the build."""
