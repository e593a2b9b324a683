"""Ontology, JSON-LD context and SHACL shapes of kgbuild, shipped as package data (kgbuild.ontology)."""
