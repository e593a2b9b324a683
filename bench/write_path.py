"""Store-write path, within one run: `GraphStore.add(build_graph(...))` (an rdflib Graph
per batch, "old") against `GraphStore.add_events` (build_store's path since issue 12,
"new"), alternating, 2 rounds, on N synthetic documents (bench/synth.py `relabel` of the
events `bench.py` pickled), then checks the two stores are isomorphic.

    .venv/bin/python bench/write_path.py N EVENTS.pickle WORKDIR
"""
import sys, time, pickle, shutil, json, os
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import relabel

from kgbuild.graph import build_graph
from kgbuild.store import GraphStore
base = pickle.loads(Path(sys.argv[2]).read_bytes())
N = int(sys.argv[1]); B = 64
batches = []
for first in range(0, N, B):
    docs, evs = [], []
    for i in range(first, min(first + B, N)):
        d, e = relabel(*base[i % len(base)], i); docs.append(d); evs += e
    batches.append((docs, evs))
out = {"docs": N, "load_start": os.getloadavg()[0], "runs": []}
for rnd in range(2):
    for kind in ("old", "new"):
        path = Path(sys.argv[3]) / f"w-{kind}"
        shutil.rmtree(path, ignore_errors=True)
        t = time.perf_counter(); added = 0
        with GraphStore(path) as st:
            for docs, evs in batches:
                added += st.add(build_graph(evs, documents=docs)) if kind == "old" else st.add_events(evs, docs)
            tw = time.perf_counter()
            st.finalize()
            size = len(st)
        tf = time.perf_counter()
        out["runs"].append({"kind": kind, "round": rnd, "write_s": tw - t, "finalize_s": tf - tw,
                            "docs_per_s": N / (tf - t), "quads_added": added, "store_triples": size,
                            "load": os.getloadavg()[0]})
        print(json.dumps(out["runs"][-1]), flush=True)
from rdflib.compare import isomorphic
with GraphStore(Path(sys.argv[3]) / "w-old", read_only=True) as a, \
        GraphStore(Path(sys.argv[3]) / "w-new", read_only=True) as b:
    out["isomorphic"] = isomorphic(a.to_graph(), b.to_graph())
out["load_end"] = os.getloadavg()[0]
print(json.dumps(out))
