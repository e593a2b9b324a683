#!/usr/bin/env python3
"""kgbuild's throughput, memory and latency benchmark: every figure in one run.

1. raw ``nlp.pipe`` words/s (``kgbuild_events`` disabled): the limit;
2. ``extract_events`` words/s and its ratio to (1)             target >= 0.90;
3. ``extract_events`` speed-up with ``n_process=2`` over 1     target >= 1.8x;
4. store writes: end-to-end ``build_store`` (parse + write) on a small real corpus, and
   the store-write path alone at large sizes (10k and 100k documents by default), each
   size in a fresh child process for its own peak RSS          target: peaks within 10%
   (VmHWM where Linux has it: ru_maxrss of an exec'd child never drops below the peak of
   its parent at the fork, ~0.5 GB here with spaCy loaded; both are reported);
5. SPARQL p50/p95 of every saved query at >= 1M triples, Oxigraph store vs rdflib's
   in-memory Graph                                             target: store p50 <= 50 ms;
6. Turtle and N-Triples load/dump rates, rdflib vs pyoxigraph.

Steps 1-3 alternate raw parse, extraction with one process and extraction with two
processes in each round (so drifts in machine load hit all three) and report medians.

The store-write path of step 4: the distinct documents of the corpus are parsed once in
this process and their events pickled; a child process then streams N documents into a
fresh store by relabelling those events (`synth.relabel`: a new document id and date, the
country actors swapped, so distinct events grow with N), in batches through the
code path of ``build_store`` (``GraphStore.add_events(events, docs)``, then
``finalize()``). Parsing 100k documents would take about an hour on two cores; the write
path is what a large build adds on top of the parse, and its memory is what must not grow.

Example:
    .venv/bin/python bench/bench.py --quick              # small sizes, a smoke check
    .venv/bin/python bench/bench.py                      # full sizes (over an hour on 2 cores)
    .venv/bin/python bench/bench.py --store-docs 10000,50000 --save bench.json  # ~30 min
    .venv/bin/python bench/bench.py --days 10 --per-day 10000 --json  # daily batches only

With ``--days N --per-day K`` only the daily-batch benchmark runs (`days.py`): N days of K
synthetic event records each into one store, one child process a day; per day it prints
documents, triples, write and finalize seconds, peak RSS, store size (and bytes per
document and per triple) and the saved queries' p50; ``--optimize`` also compacts the store
after each day and gives its size and the queries' p50 after.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import TARGET_RSS_SPREAD, base_documents, log, replicate  # noqa: E402
from days import bench_days, day_child, print_days  # noqa: E402
from formats import bench_formats  # noqa: E402
from parse import bench_extract  # noqa: E402
from report import print_report  # noqa: E402
from rule_overhead import corpus_sources  # noqa: E402  (the corpus of the rule benchmark)
from sparql import bench_queries  # noqa: E402
from store import bench_build_store, pickle_base_events, run_store_child, store_child  # noqa: E402
from synth import synthetic_documents  # noqa: E402  (distinct synthetic documents)

FULL = {"docs": 600, "store_docs": "10000,100000", "triples": 1_000_000, "rounds": 2,
        "e2e_docs": 200, "format_triples": 150_000, "query_reps": 20, "rdflib_reps": 5,
        "rdflib_budget": 30.0}
QUICK = {"docs": 40, "store_docs": "300,1500", "triples": 30_000, "rounds": 2,
         "e2e_docs": 30, "format_triples": 20_000, "query_reps": 5, "rdflib_reps": 2,
         "rdflib_budget": 10.0}


def machine_info(nlp) -> dict:
    import pyoxigraph
    import rdflib
    import spacy

    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    return {"cores": os.cpu_count(), "ram_gb": ram, "python": platform.python_version(),
            "platform": platform.platform(), "spacy": spacy.__version__,
            "model": nlp.meta.get("name", "?"), "model_version": nlp.meta.get("version", "?"),
            "rdflib": rdflib.__version__, "pyoxigraph": pyoxigraph.__version__,
            "load_start": os.getloadavg()[0]}


def run_steps(opts, sizes: list[int], workdir: Path, nlp, base: list, r: dict,
              checkpoint) -> None:
    """Steps 1-6 into `r`, calling `checkpoint()` between them."""
    if "parse" not in opts.skip:
        log(f"steps 1-3: {opts.docs} documents, {opts.rounds} rounds")
        r["extract"] = bench_extract(nlp, replicate(base, opts.docs), opts.batch_size, opts.rounds)
        checkpoint()

    log(f"step 4a: build_store end to end on {opts.e2e_docs} documents")
    r["build_store"] = bench_build_store(nlp, list(synthetic_documents(base, opts.e2e_docs)), workdir,
                                         opts.batch_size)
    events_path = workdir / "base-events.pickle"
    r["corpus"]["events"] = pickle_base_events(nlp, base, events_path, opts.batch_size)
    checkpoint()

    r["store_write"], query_store = [], None
    for n in sizes:
        log(f"step 4b: store-write path, {n} documents (child process)")
        path = workdir / f"store-{n}"
        r["store_write"].append(run_store_child(events_path, path, n, opts.batch_size))
        triples = r["store_write"][-1]["store_triples"]
        if query_store is None and opts.triples <= triples <= 2 * opts.triples:
            query_store = (path, n)
        elif not opts.keep:
            shutil.rmtree(path, ignore_errors=True)
    # VmHWM where Linux gives it (the child's own peak); ru_maxrss carries the parent's floor
    peaks = [w.get("vm_hwm_mb") or w["peak_rss_mb"] for w in r["store_write"]]
    spread = (peaks[-1] - peaks[0]) / peaks[0]
    r["rss"] = {"sizes": [sizes[0], sizes[-1]], "peak_rss_mb": [peaks[0], peaks[-1]],
                "spread": spread, "pass": abs(spread) <= TARGET_RSS_SPREAD}
    checkpoint()

    if "queries" not in opts.skip:
        run_queries(opts, sizes, workdir, events_path, r, query_store)
        checkpoint()

    log(f"step 6: formats on ~{opts.format_triples:,} triples")
    r["formats"] = bench_formats(events_path, opts.format_triples)


def run_queries(opts, sizes: list[int], workdir: Path, events_path: Path, r: dict,
                query_store) -> None:
    """Step 5 into `r`: on the store of 4b that has about `opts.triples`, else a new one."""
    if query_store is None:
        first = r["store_write"][0]
        per_doc = (r["store_write"][1]["store_triples"] - first["store_triples"]) / (
            sizes[1] - sizes[0])
        n = max(1, math.ceil((opts.triples * 1.03 - first["store_triples"]) / per_doc + sizes[0]))
        for _ in range(3):
            log(f"step 5: store-write of {n} documents for >= {opts.triples:,} triples")
            path = workdir / f"store-{n}"
            shutil.rmtree(path, ignore_errors=True)
            written = run_store_child(events_path, path, n, opts.batch_size)
            if written["store_triples"] >= opts.triples:
                break
            n = math.ceil(n * opts.triples * 1.03 / written["store_triples"])
        query_store = (path, n)
    log(f"step 5: SPARQL on the store of {query_store[1]} documents")
    r["queries"] = bench_queries(query_store[0], opts.query_reps, opts.rdflib_reps,
                                 opts.rdflib_budget)
    r["queries"]["store_docs"] = query_store[1]
    r["queries"]["triples_target"] = opts.triples
    r["queries"]["pass"] = r["queries"]["pass"] and r["queries"]["store_triples"] >= opts.triples


def run_days(opts) -> int:
    """The daily-batch benchmark (`days.py`) alone: printed, or one JSON object."""
    import subprocess

    if opts.days < 1 or opts.per_day < 1:
        sys.exit("bench: --days and --per-day need at least 1")
    import pyoxigraph

    workdir = Path(opts.workdir or tempfile.mkdtemp(prefix="kgbuild-days-"))
    workdir.mkdir(parents=True, exist_ok=True)
    store = workdir / "days-store"
    shutil.rmtree(store, ignore_errors=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent).stdout.strip()
    r: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "commit": commit,
               "command": " ".join([Path(sys.executable).name, *sys.argv]),
               "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                           "pyoxigraph": pyoxigraph.__version__, "load_start": os.getloadavg()[0]},
               "options": {"days": opts.days, "per_day": opts.per_day, "batch_size": opts.batch_size,
                           "optimize": opts.optimize}}
    try:
        r["days"] = bench_days(store, opts.days, opts.per_day, opts.batch_size,
                               optimize=opts.optimize)
    finally:
        if not opts.keep:
            shutil.rmtree(store, ignore_errors=True)
            if not opts.workdir:
                shutil.rmtree(workdir, ignore_errors=True)
    r["machine"]["load_end"] = os.getloadavg()[0]
    if opts.save:
        Path(opts.save).write_text(json.dumps(r, indent=1) + "\n")
    if opts.json:
        print(json.dumps(r))
    else:
        print_days(r)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, help="documents for steps 1-3 (default 600)")
    parser.add_argument("--store-docs", help="store-write sizes, comma-separated "
                        "(default 10000,100000)")
    parser.add_argument("--triples", type=int, help="triples for the SPARQL step (default 1M)")
    parser.add_argument("--rounds", type=int, help="alternating rounds of steps 1-3 (default 2)")
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe and store batch")
    parser.add_argument("--e2e-docs", type=int, help="documents for end-to-end build_store")
    parser.add_argument("--format-triples", type=int, help="graph size for step 6")
    parser.add_argument("--query-reps", type=int, help="repetitions per query on the store")
    parser.add_argument("--rdflib-reps", type=int, help="repetitions per query on rdflib")
    parser.add_argument("--rdflib-budget", type=float, help="seconds per query and engine "
                        "(default 30; rdflib runs beyond it are abandoned)")
    parser.add_argument("--model", default=None, help="spaCy pipeline to load")
    parser.add_argument("--workdir", help="folder for the stores (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the stores afterwards")
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke check")
    parser.add_argument("--skip", default="", help="steps to leave out, comma-separated: "
                        "parse (1-3), queries (5)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--save", help="also write the JSON object to this file")
    parser.add_argument("--days", type=int, help="daily-batch mode: this many days into one store")
    parser.add_argument("--per-day", type=int, default=10_000, help="documents a day (--days)")
    parser.add_argument("--optimize", action="store_true", help="--days: compact the store "
                        "(pyoxigraph's Store.optimize) after each day, measured before and after")
    parser.add_argument("--store-child", help=argparse.SUPPRESS)
    parser.add_argument("--day-child", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.store_child:
        print(json.dumps(store_child(json.loads(opts.store_child))))
        return 0
    if opts.day_child:
        print(json.dumps(day_child(json.loads(opts.day_child))))
        return 0
    if opts.days:
        return run_days(opts)
    defaults = QUICK if opts.quick else FULL
    for key, value in defaults.items():
        if getattr(opts, key) is None:
            setattr(opts, key, value)
    sizes = sorted(int(s) for s in opts.store_docs.split(","))
    if len(sizes) < 2 or min(sizes) < 1 or opts.docs < 2:
        parser.error("--store-docs needs two sizes or more and --docs at least 2")

    from kgbuild.nlp import load_pipeline

    begun = time.perf_counter()
    workdir = Path(opts.workdir or tempfile.mkdtemp(prefix="kgbuild-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    nlp = load_pipeline(opts.model)
    base = base_documents()
    r: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine_info(nlp),
               "command": " ".join([Path(sys.executable).name, *sys.argv]),
               "options": {k: v for k, v in vars(opts).items() if k != "store_child"}}
    base_words = sum(1 for d in base for t in nlp.make_doc(d.text) if not t.is_space)
    r["corpus"] = {"distinct_docs": len(base), "words": base_words,
                   "sources": [str(p) for p in corpus_sources()]}

    def checkpoint() -> None:
        if opts.save:  # after every step, so a failure late in the run keeps the figures
            Path(opts.save).write_text(json.dumps(r, default=str, indent=1) + "\n")

    try:
        run_steps(opts, sizes, workdir, nlp, base, r, checkpoint)
    finally:
        if not opts.keep and not opts.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    r["machine"]["load_end"] = os.getloadavg()[0]
    r["total_seconds"] = time.perf_counter() - begun
    r["pass"] = {"extract_ratio": r.get("extract", {}).get("ratio_pass"),
                 "speedup": r.get("extract", {}).get("speedup_pass"), "rss": r["rss"]["pass"],
                 "store_p50": r.get("queries", {}).get("pass")}
    checkpoint()
    if opts.json:
        print(json.dumps(r, default=str))
    else:
        print_report(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
