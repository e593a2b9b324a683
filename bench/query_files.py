#!/usr/bin/env python3
"""Saved queries on a graph FILE (issue 23): seconds per query as `kgbuild query FILE NAME` runs it.

`make` writes a Turtle file of about `--triples` triples: the events of the benchmark's base
documents (parsed once, or read from a pickle of `queries.py pickle`), relabelled into new
documents by `synth.relabel` until the graph is that large; every fifth document loses its
date, so `timeline` has undated rows to sort. `measure` times every saved query (with the
bindings of `queries.QUERY_BINDINGS` plus a few of the new parameters) the way the CLI
answers a file: load it into a temporary Oxigraph store (`kgbuild.stores.open_store`) and
run the query there, the load and the query timed apart; `--cli` also times one run of the
installed `kgbuild query FILE NAME --limit 0` as a process (start, imports, load, query,
output); `--rdflib` also times the old way (`load_graph`, rdflib's engine) with a hard
limit per query.

    .venv/bin/python bench/query_files.py make /tmp/qfile/g100k.ttl --events /tmp/qperf-store/base-events.pickle
    .venv/bin/python bench/query_files.py measure /tmp/qfile/g100k.ttl --cli --rdflib 60
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from queries import QUERY_BINDINGS  # noqa: E402
from sparql import time_query  # noqa: E402
from synth import relabel  # noqa: E402

TARGET_SECONDS = 2.0
#: Runs beyond QUERY_BINDINGS: the parameters issue 23 added.
EXTRA_RUNS = {"dyads quad 4": ("dyads", {"quad": "material conflict"}),
              "dyads root 19 any": ("dyads", {"root": "19", "modality": "any"}),
              "timeline RUSGOV any": ("timeline", {"actor": "RUSGOV", "role": "any"}),
              "timeline RUS target": ("timeline", {"actor": "RUS", "role": "target"})}


def base_events(pickled: Path | None) -> list:
    """[(Document, events)] of the base corpus: from `pickled`, else parsed now."""
    if pickled is not None and pickled.is_file():
        return pickle.loads(pickled.read_bytes())
    from common import base_documents
    from kgbuild.extract import extract_by_document
    from kgbuild.nlp import load_pipeline

    return list(extract_by_document(base_documents(), nlp=load_pipeline(None), batch_size=64))


def make(out: Path, triples: int, pickled: Path | None) -> dict:
    """Write a Turtle graph of at least `triples` triples made of relabelled documents."""
    from kgbuild import build_graph
    from kgbuild.stores import save_graph

    base = base_events(pickled)
    n, graph = 50, None
    while graph is None or len(graph) < triples:
        if graph is not None:  # grow by the triples per document seen so far
            n = int(n * triples / max(len(graph), 1) * 1.03) + 1
        docs, events = [], []
        for i in range(n):
            doc, evs = relabel(*base[i % len(base)], i)
            if i % 5 == 4:  # an undated document: its events have no kg:time unless the text has one
                doc = dataclasses.replace(doc, date=None)
                evs = [dataclasses.replace(e, doc_date=None) for e in evs]
            docs.append(doc)
            events += evs
        graph = build_graph(events, documents=docs)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_graph(graph, out)
    return {"file": str(out), "triples": len(graph), "documents": len(docs), "events_in": len(events)}


def runs() -> dict[str, tuple[str, dict | None]]:
    from kgbuild.query import saved_queries

    found = {name: (name, QUERY_BINDINGS.get(name)) for name in saved_queries()}
    return found | {label: run for label, run in EXTRA_RUNS.items()
                    if run[0] in saved_queries()}


def cli_seconds(path: Path, name: str, bindings: dict | None) -> float:
    """Wall-clock seconds of one `kgbuild query PATH NAME -p … --limit 0` process."""
    import shutil
    import subprocess

    exe = shutil.which("kgbuild", path=str(Path(sys.executable).parent)) or "kgbuild"
    params = [arg for key, value in (bindings or {}).items() for arg in ("-p", key, value)]
    started = time.perf_counter()
    subprocess.run([exe, "query", str(path), name, *params, "--limit", "0", "--format", "csv"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(path: Path, reps: int, rdflib_budget: float, cli: bool = False) -> dict:
    """Seconds to load `path` into Oxigraph, and per saved query on it (all rows)."""
    from kgbuild.query import run_query
    from kgbuild.query.params import parameters
    from kgbuild.query.sparql import saved_queries
    from kgbuild.stores import load_graph, open_store

    def takes(name: str, bindings: dict | None) -> bool:
        return set(bindings or {}) <= set(parameters(saved_queries()[name]).names)

    out: dict = {"file": str(path), "queries": {}}
    started = time.perf_counter()
    with open_store(path) as store:
        out["load_s"] = time.perf_counter() - started
        out["triples"] = len(store)
        for label, (name, bindings) in runs().items():
            if not takes(name, bindings):
                continue
            timed = time_query(lambda: len(run_query(store, name, bindings=bindings).rows), reps, 30.0)
            out["queries"][label] = {"rows": timed["rows"], "query_s": timed["p50_ms"] / 1000,
                                     "with_load_s": out["load_s"] + timed["p50_ms"] / 1000}
            if cli:
                out["queries"][label]["cli_s"] = cli_seconds(path, name, bindings)
            print(f"{label:22} {out['queries'][label]}", file=sys.stderr, flush=True)
    if rdflib_budget:
        started = time.perf_counter()
        graph = load_graph(path)
        out["rdflib_load_s"] = time.perf_counter() - started
        for label, (name, bindings) in runs().items():
            if not takes(name, bindings):
                continue
            timed = time_query(lambda: len(run_query(graph, name, bindings=bindings).rows), 1,
                               rdflib_budget, hard=True)
            entry = out["queries"].setdefault(label, {})
            entry["rdflib_s"] = None if timed["timed_out"] else timed["p50_ms"] / 1000
            print(f"{label:22} rdflib {entry['rdflib_s']}", file=sys.stderr, flush=True)
    worst = max(q["with_load_s"] for q in out["queries"].values())
    out["worst_with_load_s"], out["pass"] = worst, worst <= TARGET_SECONDS
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make", help="write a graph file of about --triples triples")
    m.add_argument("out", type=Path)
    m.add_argument("--triples", type=int, default=100_000)
    m.add_argument("--events", type=Path, help="pickle of `queries.py pickle` (else parse now)")
    t = sub.add_parser("measure", help="time every saved query on a graph file")
    t.add_argument("file", type=Path)
    t.add_argument("--reps", type=int, default=3)
    t.add_argument("--cli", action="store_true", help="also time one `kgbuild query` process a query")
    t.add_argument("--rdflib", type=float, default=0.0, metavar="SECONDS",
                   help="also time rdflib's engine on the parsed file, at most SECONDS a query")
    opts = parser.parse_args(argv)
    if opts.command == "make":
        result = make(opts.out, opts.triples, opts.events)
    else:
        result = measure(opts.file, opts.reps, opts.rdflib, opts.cli)
    print(json.dumps(result, indent=1))
    return 0 if result.get("pass", True) else 1


if __name__ == "__main__":
    sys.exit(main())
