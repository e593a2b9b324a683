"""Step 6 of the benchmark: Turtle and N-Triples load and dump rates."""
from __future__ import annotations

import dataclasses
import gc
import pickle
import time
from pathlib import Path

from common import copy_id


def bench_formats(events_path: Path, target: int) -> dict:
    """rdflib, kgbuild's writer (`serialize_graph`, Oxigraph since issue 12) and pyoxigraph
    on one graph of about `target` triples."""
    import pyoxigraph as ox
    from rdflib import Graph

    from kgbuild.graph.build import build_graph
    from kgbuild.stores.files import serialize_graph

    base = pickle.loads(events_path.read_bytes())
    graph, i = None, 0
    while graph is None or len(graph) < target:
        docs, events = [], []
        for _ in range(64):
            doc, doc_events = base[i % len(base)]
            new_id = copy_id(doc.id, i // len(base))
            docs.append(dataclasses.replace(doc, id=new_id))
            events += [dataclasses.replace(e, doc=new_id) for e in doc_events]
            i += 1
        graph = build_graph(events, documents=docs, graph=graph)
    n = len(graph)
    out: dict = {"triples": n, "docs": i}

    def timed(fn):
        gc.collect()
        started = time.perf_counter()
        value = fn()
        return time.perf_counter() - started, value

    for name, rd_fmt, ox_fmt in (("turtle", "turtle", ox.RdfFormat.TURTLE),
                                 ("ntriples", "nt", ox.RdfFormat.N_TRIPLES)):
        dump_s, data = timed(lambda: graph.serialize(format=rd_fmt, encoding="utf-8"))
        kg_dump_s, _ = timed(lambda: serialize_graph(graph, rd_fmt))  # what `build -o` writes with
        load_s, loaded = timed(lambda: Graph().parse(data=data, format=rd_fmt))
        store = ox.Store()
        ox_load_s, _ = timed(lambda: store.load(data, ox_fmt))
        ox_dump_s, _ = timed(lambda: store.dump(format=ox_fmt, from_graph=ox.DefaultGraph()))
        ox_parse_s, parsed = timed(lambda: sum(1 for _ in ox.parse(data, ox_fmt)))
        out[name] = {
            "bytes": len(data),
            "rdflib_dump_per_s": n / dump_s, "kgbuild_dump_per_s": n / kg_dump_s, "rdflib_load_per_s": len(loaded) / load_s,
            "oxigraph_dump_per_s": len(store) / ox_dump_s,
            "oxigraph_load_per_s": len(store) / ox_load_s,
            "oxigraph_parse_per_s": parsed / ox_parse_s,
            "seconds": {"rdflib_dump": dump_s, "kgbuild_dump": kg_dump_s, "rdflib_load": load_s, "oxigraph_load": ox_load_s,
                        "oxigraph_dump": ox_dump_s, "oxigraph_parse": ox_parse_s},
            "roundtrip_triples": {"rdflib": len(loaded), "oxigraph": len(store)},
        }
        loaded = store = None  # freed before the next format (the closures above are done)
    return out
