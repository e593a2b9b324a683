#!/usr/bin/env python3
"""Saved-query latency on a large Oxigraph store: build the store once, then time queries.

`build` streams N synthetic documents (`synth.relabel` of the events of parsed base
documents, pickled by `bench.py` or `pickle`) into a fresh store through build_store's
write path (`GraphStore.add_events`, then `finalize`). `measure` times every saved query
as `kgbuild query` runs it (`run_query(store, name, bindings, limit=1000)`), optionally
alternating with other query texts (e.g. the saved queries of another commit, from
`--old DIR` of .rq files), so that "before" and "after" come from one run.

    .venv/bin/python bench/queries.py pickle /tmp/qperf-store/base-events.pickle
    .venv/bin/python bench/queries.py build /tmp/qperf-store/base-events.pickle 6000 /tmp/qperf-store/s6000
    .venv/bin/python bench/queries.py measure /tmp/qperf-store/s6000 --old /tmp/old-queries
"""
from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import relabelled_batches  # noqa: E402

#: Bindings the benchmark gives the saved queries that take parameters.
QUERY_BINDINGS = {"timeline": {"actor": "RUS"}, "at-place": {"place": "Kaliningrad"},
                  "events-in-country": {"country": "RUS"},
                  "events-near": {"lat": "54.71", "lon": "20.51", "km": "300"}}
from kgbuild.cli import DEFAULT_LIMIT as PAGE  # noqa: E402  (kgbuild query's default --limit)

TARGET_P50_MS = 50.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def make_pickle(path: Path) -> int:
    """Parse the benchmark's base corpus once; pickle [(Document without text, events)]."""
    from bench import base_documents, pickle_base_events
    from kgbuild.nlp import load_pipeline

    return pickle_base_events(load_pipeline(None), base_documents(), path, 64)


def build(events: Path, n: int, store_path: Path, batch_size: int = 64) -> dict:
    """A fresh store of `n` relabelled documents; returns its size and the time taken."""
    from kgbuild.stores.oxigraph import GraphStore

    base = pickle.loads(events.read_bytes())
    started = time.perf_counter()
    with GraphStore(store_path) as store:
        for docs, evs in relabelled_batches(base, n, batch_size):
            store.add_events(evs, docs)
        store.finalize()
        size = len(store)
        events_n = len(list(store.query("SELECT ?e WHERE { ?e a kg:Event }")))
    return {"docs": n, "store_triples": size, "events": events_n,
            "seconds": time.perf_counter() - started}


def time_run(run, reps: int, budget: float) -> dict:
    """ms per run of `run()` after one untimed warm-up: at most `reps` runs, at least 3, and
    no more once `budget` seconds are spent."""
    rows = run()
    times: list[float] = []
    while len(times) < reps:
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
        if sum(times) / 1000 >= budget and len(times) >= 3:
            break
    return {"rows": rows, "reps": len(times), "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95)}


def measure(store_path: Path, old: Path | None, reps: int, budget: float) -> dict:
    """p50/p95 of every saved query on the store (and of the `old` texts, alternating)."""
    from kgbuild.query import run_query, saved_queries
    from kgbuild.stores.oxigraph import GraphStore

    texts = saved_queries()
    olds = {p.stem: p.read_text("utf-8") for p in sorted(old.glob("*.rq"))} if old else {}
    out: dict = {"load_start": os.getloadavg(), "cores": os.cpu_count(), "queries": {}}
    with GraphStore(store_path, read_only=True) as store:
        out["store_triples"] = len(store)
        for name in texts:
            bindings = QUERY_BINDINGS.get(name)
            entry = out["queries"][name] = {"bindings": bindings}
            runs = {"new": name}
            if name in olds:
                runs = {"old": olds[name], "new": name}
            for kind, query in runs.items():
                def run(query=query):
                    result = run_query(store, query, bindings=bindings, limit=PAGE)
                    return len(result.rows)
                entry[kind] = time_run(run, reps, budget)
                entry[kind]["load"] = os.getloadavg()[0]
                print(f"{name:18} {kind}: {json.dumps(entry[kind])}", file=sys.stderr, flush=True)
    out["load_end"] = os.getloadavg()
    p50s = [q["new"]["p50_ms"] for q in out["queries"].values()]
    out["worst_p50_ms"], out["pass"] = max(p50s), max(p50s) <= TARGET_P50_MS
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pickle", help="parse the base corpus once and pickle its events")
    p.add_argument("events", type=Path)
    b = sub.add_parser("build", help="build a store of N relabelled documents")
    b.add_argument("events", type=Path)
    b.add_argument("docs", type=int)
    b.add_argument("store", type=Path)
    m = sub.add_parser("measure", help="time every saved query on a store")
    m.add_argument("store", type=Path)
    m.add_argument("--old", type=Path, help="folder of .rq texts to time alternately")
    m.add_argument("--reps", type=int, default=20)
    m.add_argument("--budget", type=float, default=20.0, help="seconds per query text")
    m.add_argument("--save", type=Path, help="also write the JSON result here")
    opts = parser.parse_args(argv)
    if opts.command == "pickle":
        print(make_pickle(opts.events), "events")
        return 0
    if opts.command == "build":
        if opts.store.exists():
            sys.exit(f"{opts.store} exists; give a new folder")
        result = build(opts.events, opts.docs, opts.store)
    else:
        result = measure(opts.store, opts.old, opts.reps, opts.budget)
    text = json.dumps(result, indent=1)
    print(text)
    if getattr(opts, "save", None):
        opts.save.write_text(text)
    return 0 if result.get("pass", True) else 1


if __name__ == "__main__":
    sys.exit(main())
