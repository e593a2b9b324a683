"""Event-table rows (`kgbuild.tables.rows.graph_rows`) from an rdflib Graph and from an Oxigraph
store holding the same N synthetic events (bench/synth.py `relabel` of the events of an
`extract` run), and a check that both give the same rows.

    .venv/bin/kgbuild extract examples/corpus -o /tmp/events.jsonl
    .venv/bin/python bench/table_rows.py 1000 /tmp/events.jsonl WORKDIR
"""
import collections
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kgbuild import Document, Event, build_graph  # noqa: E402
from kgbuild.stores.oxigraph import GraphStore  # noqa: E402
from kgbuild.tables.rows import graph_rows  # noqa: E402
from synth import relabel  # noqa: E402

n, events_file, work = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
by_doc = collections.defaultdict(list)
for line in events_file.read_text("utf-8").splitlines():
    event = Event.from_dict(json.loads(line))
    by_doc[event.doc].append(event)
events, i = [], 0
while len(events) < n:
    for doc_id, evs in by_doc.items():
        _, new = relabel(Document(doc_id, "", evs[0].doc_date), evs, i)
        events += new
        i += 1
graph = build_graph(events)
out = {"mentions": len(events), "load_start": os.getloadavg()[0]}
t = time.perf_counter()
from_graph = graph_rows(graph)
out["rdflib_s"] = round(time.perf_counter() - t, 2)
path = work / "table-bench.store"
shutil.rmtree(path, ignore_errors=True)
with GraphStore(path) as store:
    store.add(graph)
    store.finalize()
with GraphStore(path, read_only=True) as store:
    t = time.perf_counter()
    from_store = graph_rows(store)
    out["store_s"] = round(time.perf_counter() - t, 2)
out["events"] = len(from_graph)
out["same_rows"] = from_graph == from_store
out["load_end"] = os.getloadavg()[0]
print(json.dumps(out))
