"""Events to RDF under the kgbuild ontology: the one mapping of events to triples
(`mapping`), the rdflib graph with merging (`build`), the named graph of each document
(`datasets`), the vocabulary (`namespace`), term conversion for Oxigraph (`quads`) and the
SHACL check (`validate`). Never imports spaCy."""
