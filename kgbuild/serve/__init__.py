"""`kgbuild serve`: a read-only SPARQL 1.1 endpoint on 127.0.0.1 (`server`), who may ask it
(`access`), what one client may take of it (`limits`), its answers in the negotiated format
(`answer`) and its HTML pages (`page`)."""
