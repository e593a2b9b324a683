"""Jobs: the one loop that drives documents through the stages to a sink.

A build is a *source* of (document, events) run into a *sink* by one loop
(`loop.run_job`: skip known documents, replace changed ones, add, finish):

- sources: texts through the extractor (`texts`), event records (`records`), texts
  extracted on a Dask cluster (`cluster`);
- sinks: an rdflib graph and an Oxigraph store (`sinks`);
- `workflow`: `kgbuild.build` and `build_store`, as the commands run them.

This room imports from every stage to its left (reading, extraction, graph, stores); no
room imports it but the command line.
"""
