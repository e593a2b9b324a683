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
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import math
import os
import pickle
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rule_overhead import corpus_sources  # noqa: E402  (the corpus of the rule benchmark)
from synth import relabel, synthetic_documents  # noqa: E402  (distinct synthetic documents)

EVENTS_PIPE = "kgbuild_events"
TARGET_EXTRACT_RATIO = 0.90
TARGET_SPEEDUP = 1.8
TARGET_RSS_SPREAD = 0.10
TARGET_P50_MS = 50.0
from queries import QUERY_BINDINGS  # noqa: E402  (bench/queries.py: required parameters too)
#: Not a saved query: `dyads` with its UNION replaced by a VALUES over the two properties,
#: timed on the store to show what the UNION costs in Oxigraph.
DYADS_UNION = """{ ?event kg:recipient/rdfs:label ?other } UNION
  { ?event kg:target ?t . ?t a kg:Actor ; rdfs:label ?other }"""
DYADS_VALUES = ("VALUES ?role { kg:recipient kg:target }\n"
                "  ?event ?role ?t . ?t a kg:Actor ; rdfs:label ?other")
FULL = {"docs": 600, "store_docs": "10000,100000", "triples": 1_000_000, "rounds": 2,
        "e2e_docs": 200, "format_triples": 150_000, "query_reps": 20, "rdflib_reps": 5,
        "rdflib_budget": 30.0}
QUICK = {"docs": 40, "store_docs": "300,1500", "triples": 30_000, "rounds": 2,
         "e2e_docs": 30, "format_triples": 20_000, "query_reps": 5, "rdflib_reps": 2,
         "rdflib_budget": 10.0}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {message}",
          file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_hwm_mb() -> float | None:
    """Peak RSS of this process image only (/proc VmHWM). A cross-check of `peak_rss_mb`:
    on Linux, ru_maxrss after fork+exec is at least the parent's peak at the fork."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# -- corpus -------------------------------------------------------------------------------
def base_documents():
    """The distinct documents of the example and shared corpora, ids made unique."""
    from kgbuild import read_documents

    docs, seen = [], set()
    for doc in read_documents(corpus_sources()):
        if not doc.text.strip():
            continue
        new_id, n = doc.id, 1
        while new_id in seen:
            n += 1
            new_id = f"{doc.id}-{n}"
        seen.add(new_id)
        docs.append(dataclasses.replace(doc, id=new_id))
    if not docs:
        sys.exit("bench: no documents found under examples/corpus or ../shared/corpus")
    return docs


def copy_id(doc_id: str, k: int) -> str:
    return doc_id if k == 0 else f"{doc_id}~{k}"


def replicate(base: list, n: int) -> list:
    """`n` documents: the base documents in order, again and again, with distinct ids."""
    return [dataclasses.replace(base[i % len(base)], id=copy_id(base[i % len(base)].id,
                                                                i // len(base)))
            for i in range(n)]


# -- 1-3: parse and extraction ------------------------------------------------------------
def bench_extract(nlp, docs: list, batch_size: int, rounds: int) -> dict:
    from kgbuild.extract import extract_events

    texts = [d.text for d in docs]
    words = sum(1 for t in texts for tok in nlp.make_doc(t) if not tok.is_space)

    def raw(n_process: int) -> float:
        gc.collect()
        with nlp.select_pipes(disable=[EVENTS_PIPE]):
            started = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
                pass
            return time.perf_counter() - started

    def extract(n_process: int) -> tuple[float, int]:
        gc.collect()
        started = time.perf_counter()
        found = sum(1 for _ in extract_events(docs, nlp=nlp, batch_size=batch_size,
                                              n_process=n_process))
        return time.perf_counter() - started, found

    # warm-up, untimed: weights, lexicon tables, rule data
    list(extract_events(docs[:8], nlp=nlp, batch_size=batch_size))
    times: dict[str, list[float]] = {"raw_1": [], "extract_1": [], "raw_2": [], "extract_2": []}
    events: dict[int, int] = {}
    error = None
    for r in range(rounds):
        for n in (1, 2):
            times[f"raw_{n}"].append(raw(n))
            if n == 2 and error is not None:
                continue
            try:
                seconds, events[n] = extract(n)
            except Exception as err:  # noqa: BLE001 - a library failure is a result here
                error = f"{type(err).__name__}: {err}"
                log(f"extract_events(n_process={n}) failed: {error}")
                continue
            times[f"extract_{n}"].append(seconds)
        log(f"extract round {r + 1}/{rounds}: " + ", ".join(
            f"{k} {v[-1]:.1f}s" for k, v in times.items() if v))
    med = {k: statistics.median(v) if v else None for k, v in times.items()}
    ratio = med["raw_1"] / med["extract_1"]
    speedup = med["extract_1"] / med["extract_2"] if med["extract_2"] else None
    return {
        "docs": len(docs), "words": words, "batch_size": batch_size, "rounds": rounds,
        "seconds": times, "median_seconds": med,
        "raw_words_per_s": words / med["raw_1"],
        "raw2_words_per_s": words / med["raw_2"],
        "raw_speedup": med["raw_1"] / med["raw_2"],
        "extract_words_per_s": words / med["extract_1"],
        "extract2_words_per_s": words / med["extract_2"] if med["extract_2"] else None,
        "events_1": events.get(1), "events_2": events.get(2), "extract2_error": error,
        "ratio": ratio, "ratio_pass": ratio >= TARGET_EXTRACT_RATIO,
        "speedup": speedup, "speedup_pass": speedup is not None and speedup >= TARGET_SPEEDUP,
    }


# -- 4: store writes ----------------------------------------------------------------------
def bench_build_store(nlp, docs: list, workdir: Path, batch_size: int) -> dict:
    """End-to-end `build_store` (parse, extract, write, finalize) into a fresh store."""
    from kgbuild.store import GraphStore, build_store

    path = workdir / "e2e-store"
    gc.collect()
    started = time.perf_counter()
    summary = build_store(path, docs, nlp=nlp, batch_size=batch_size)
    seconds = time.perf_counter() - started
    with GraphStore(path, read_only=True) as store:
        size = len(store)
    shutil.rmtree(path, ignore_errors=True)
    return {"docs": summary.documents, "events": summary.events, "triples_added": summary.triples,
            "store_triples": size, "seconds": seconds, "docs_per_s": summary.documents / seconds,
            "triples_per_s": summary.triples / seconds}


def pickle_base_events(nlp, base: list, path: Path, batch_size: int) -> int:
    """Parse the distinct documents once; pickle [(Document without text, events)]."""
    from kgbuild.extract import extract_by_document
    from kgbuild.model import Document

    per_doc = [(Document(d.id, "", d.date, d.url, d.title, d.source, d.content_hash()), events)
               for d, events in extract_by_document(base, nlp=nlp, batch_size=batch_size)]
    path.write_bytes(pickle.dumps(per_doc, protocol=pickle.HIGHEST_PROTOCOL))
    return sum(len(e) for _, e in per_doc)


def store_child(spec: dict) -> dict:
    """In a fresh process: stream `spec['docs']` relabelled documents into a new store."""
    from kgbuild.store import GraphStore

    base = pickle.loads(Path(spec["events"]).read_bytes())
    n, batch_size = spec["docs"], spec["batch_size"]
    rss_start = peak_rss_mb()
    added, events, marks = 0, 0, []
    started = time.perf_counter()
    with GraphStore(spec["store"]) as store:
        for first in range(0, n, batch_size):
            marks.append((first, time.perf_counter()))
            batch_docs, batch_events = [], []
            for i in range(first, min(first + batch_size, n)):
                doc, doc_events = relabel(*base[i % len(base)], i)  # distinct events grow with n
                batch_docs.append(doc)
                batch_events += doc_events
            events += len(batch_events)
            added += store.add_events(batch_events, batch_docs)  # build_store's write path
        written = time.perf_counter()
        marks.append((n, written))
        rss_written = peak_rss_mb()
        store.finalize()
        finalized = time.perf_counter()
        size = len(store)
    total = finalized - started
    tenth = max(1, (len(marks) - 1) // 10)
    (d0, t0), (d1, t1) = marks[0], marks[tenth]
    (d2, t2), (d3, t3) = marks[-1 - tenth], marks[-1]
    return {"docs": n, "events": events, "triples_added": added, "store_triples": size,
            "write_seconds": written - started, "finalize_seconds": finalized - written,
            "seconds": total, "docs_per_s": n / total, "triples_per_s": added / total,
            "write_docs_per_s_first_tenth": (d1 - d0) / (t1 - t0),
            "write_docs_per_s_last_tenth": (d3 - d2) / (t3 - t2),
            "peak_rss_mb_start": rss_start, "peak_rss_mb_before_finalize": rss_written,
            "peak_rss_mb": peak_rss_mb(), "vm_hwm_mb": vm_hwm_mb()}


def run_store_child(events_path: Path, store_path: Path, n: int, batch_size: int) -> dict:
    spec = {"events": str(events_path), "store": str(store_path), "docs": n,
            "batch_size": batch_size}
    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--store-child",
                           json.dumps(spec)], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench: the store-write child for {n} documents failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"], result["load_after"] = load, os.getloadavg()[0]
    return result


# -- 5: SPARQL latency --------------------------------------------------------------------
class Timeout(BaseException):
    """Raised by SIGALRM; a BaseException, so `run_query`'s error handling lets it through."""


def _alarm(signum, frame):
    raise Timeout()


def time_query(run, reps: int, budget: float, hard: bool = False) -> dict:
    """Latencies in ms of `run()`, at most `reps` runs, stopping once `budget` seconds are
    spent (after at least 3 runs). `hard`: no warm-up, and a run that alone exceeds the
    budget is abandoned (SIGALRM; fine for rdflib's pure-Python engine)."""
    times, rows, timed_out = [], None, False
    if not hard:
        rows = run()  # warm-up, untimed
    spent = 0.0
    for _ in range(reps):
        if hard:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, max(budget - spent, 1.0))
        started = time.perf_counter()
        try:
            rows = run()
        except Timeout:
            timed_out = True
            break
        finally:
            if hard:
                signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        spent += elapsed
        if spent >= budget and (hard or len(times) >= 3):
            break
    out = {"reps": len(times), "rows": rows, "timed_out": timed_out}
    if times:
        out.update(p50_ms=percentile(times, 0.50), p95_ms=percentile(times, 0.95),
                   max_ms=max(times))
    return out


def bench_queries(store_path: Path, reps: int, rdflib_reps: int, budget: float) -> dict:
    """p50/p95 of each saved query on the store (read-only) and on `store.to_graph()`."""
    from kgbuild.cli import DEFAULT_LIMIT
    from kgbuild.query import run_query, saved_queries
    from kgbuild.store import GraphStore

    results: dict = {"queries": {}}
    with GraphStore(store_path, read_only=True) as store:
        results["store_triples"] = len(store)
        for name, text in saved_queries().items():
            bindings = QUERY_BINDINGS.get(name)
            results["queries"][name] = {
                "bindings": bindings,
                # as `kgbuild query` runs it: the first DEFAULT_LIMIT rows
                "store": time_query(lambda: len(run_query(store, name, bindings=bindings,
                                                          limit=DEFAULT_LIMIT).rows),
                                    reps, budget),
                # Oxigraph alone, without kgbuild's query check and term conversion
                "oxigraph_only": time_query(lambda: len(list(store.query(text, bindings))),
                                            reps, budget),
            }
            log(f"store {name}: p50 {results['queries'][name]['store']['p50_ms']:.1f} ms")
        dyads = saved_queries().get("dyads", "")
        if DYADS_UNION in dyads:
            rewrite = dyads.replace(DYADS_UNION, DYADS_VALUES)
            results["dyads_values_rewrite"] = time_query(
                lambda: len(run_query(store, rewrite).rows), reps, budget)
        gc.collect()
        started = time.perf_counter()
        graph = store.to_graph()
        results["to_graph_seconds"] = time.perf_counter() - started
    results["rdflib_triples"] = len(graph)
    results["rdflib_budget_s"] = budget
    for name in saved_queries():
        bindings = QUERY_BINDINGS.get(name)
        results["queries"][name]["rdflib"] = time_query(
            lambda: len(run_query(graph, name, bindings=bindings, limit=DEFAULT_LIMIT).rows),
            rdflib_reps, budget,
            hard=True)
        log(f"rdflib {name}: {results['queries'][name]['rdflib']}")
    del graph
    gc.collect()
    p50s = [q["store"]["p50_ms"] for q in results["queries"].values()]
    results["worst_store_p50_ms"] = max(p50s)
    results["pass"] = max(p50s) <= TARGET_P50_MS
    return results


# -- 6: formats ---------------------------------------------------------------------------
def bench_formats(events_path: Path, target: int) -> dict:
    import pyoxigraph as ox
    from rdflib import Graph

    from kgbuild.graph import build_graph

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
        load_s, loaded = timed(lambda: Graph().parse(data=data, format=rd_fmt))
        store = ox.Store()
        ox_load_s, _ = timed(lambda: store.load(data, ox_fmt))
        ox_dump_s, _ = timed(lambda: store.dump(format=ox_fmt, from_graph=ox.DefaultGraph()))
        ox_parse_s, parsed = timed(lambda: sum(1 for _ in ox.parse(data, ox_fmt)))
        out[name] = {
            "bytes": len(data),
            "rdflib_dump_per_s": n / dump_s, "rdflib_load_per_s": len(loaded) / load_s,
            "oxigraph_dump_per_s": len(store) / ox_dump_s,
            "oxigraph_load_per_s": len(store) / ox_load_s,
            "oxigraph_parse_per_s": parsed / ox_parse_s,
            "seconds": {"rdflib_dump": dump_s, "rdflib_load": load_s, "oxigraph_load": ox_load_s,
                        "oxigraph_dump": ox_dump_s, "oxigraph_parse": ox_parse_s},
            "roundtrip_triples": {"rdflib": len(loaded), "oxigraph": len(store)},
        }
        del loaded, store
    return out


# -- report -------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_report(r: dict) -> None:
    m, x = r["machine"], r["extract"]
    print(f"kgbuild benchmark {r['date']}: {m['cores']} cores, {m['ram_gb']:.1f} GB RAM, "
          f"Python {m['python']}, spaCy {m['spacy']}, model {m['model']} {m['model_version']}, "
          f"rdflib {m['rdflib']}, pyoxigraph {m['pyoxigraph']}")
    print(f"load average at start {m['load_start']:.2f}, at end {m['load_end']:.2f} "
          f"(other processes share the machine); total {r['total_seconds'] / 60:.1f} min")
    print(f"corpus: {r['corpus']['distinct_docs']} distinct documents ({r['corpus']['words']} "
          f"words) replicated with distinct ids; batch size {x['batch_size']}; "
          f"{x['rounds']} alternating rounds, medians")
    cores = f"[{m['cores']} cores]"
    print(f"\n1. raw nlp.pipe (kgbuild_events disabled) {cores}: "
          f"{x['raw_words_per_s']:,.0f} words/s over {x['docs']} docs, {x['words']:,} words")
    print(f"2. extract_events {cores}: {x['extract_words_per_s']:,.0f} words/s, "
          f"{x['ratio']:.3f} of raw (target >= {TARGET_EXTRACT_RATIO:.2f}): "
          f"{verdict(x['ratio_pass'])}")
    if x["extract2_error"]:
        print(f"3. extract_events n_process=2 {cores}: FAILS TO RUN ({x['extract2_error']}): "
              f"FAIL (target >= {TARGET_SPEEDUP}x)")
    else:
        print(f"3. extract_events n_process=2 {cores}: {x['extract2_words_per_s']:,.0f} words/s, "
              f"speed-up {x['speedup']:.2f}x over n_process=1 (target >= {TARGET_SPEEDUP}x): "
              f"{verdict(x['speedup_pass'])}; events {x['events_1']} (x1) vs {x['events_2']} (x2)")
    print(f"   for reference, raw nlp.pipe n_process=2: {x['raw2_words_per_s']:,.0f} words/s, "
          f"speed-up {x['raw_speedup']:.2f}x over n_process=1 (what the parse alone gets here)")
    e = r["build_store"]
    print(f"4a. build_store END TO END (parse + extract + write + finalize) {cores}: "
          f"{e['docs']} docs in {e['seconds']:.1f} s = {e['docs_per_s']:.1f} docs/s, "
          f"{e['triples_per_s']:,.0f} triples/s")
    print(f"4b. STORE-WRITE PATH ONLY (events parsed once, relabelled; add_events + "
          f"GraphStore.add + finalize; one child process per size) {cores}:")
    for w in r["store_write"]:
        print(f"    {w['docs']:>7,} docs: {w['store_triples']:>10,} triples, "
              f"{w['seconds']:7.1f} s (finalize {w['finalize_seconds']:.1f} s), "
              f"{w['docs_per_s']:6.1f} docs/s, {w['triples_per_s']:8,.0f} triples/s, "
              f"peak RSS {w['peak_rss_mb']:.0f} MiB "
              f"(before finalize {w['peak_rss_mb_before_finalize']:.0f} MiB"
              + (f", VmHWM {w['vm_hwm_mb']:.0f} MiB" if w.get("vm_hwm_mb") else "")
              + f"); write docs/s "
              f"first tenth {w['write_docs_per_s_first_tenth']:.1f}, last tenth "
              f"{w['write_docs_per_s_last_tenth']:.1f}; load {w['load_before']:.1f}->"
              f"{w['load_after']:.1f}")
    s = r["rss"]
    print(f"    peak RSS {s['sizes'][0]:,} vs {s['sizes'][1]:,} docs: {s['peak_rss_mb'][0]:.0f} vs "
          f"{s['peak_rss_mb'][1]:.0f} MiB, {s['spread']:+.1%} "
          f"(target within {TARGET_RSS_SPREAD:.0%}): {verdict(s['pass'])}")
    q = r["queries"]
    print(f"5. SPARQL on {q['store_triples']:,} triples ({q['store_docs']:,} docs) {cores}; "
          f"rdflib Graph loaded in {q['to_graph_seconds']:.1f} s, "
          f"budget {q['rdflib_budget_s']:.0f} s per query and engine")
    print(f"    {'query':<15} {'store p50':>10} {'p95':>8} {'oxigraph-only p50':>18} "
          f"{'rdflib p50':>11} {'p95':>9}  rows")
    for name, v in q["queries"].items():
        st, ox, rd = v["store"], v["oxigraph_only"], v["rdflib"]
        rd_p50 = f"{rd['p50_ms']:9.0f}ms" if rd["reps"] else f">{q['rdflib_budget_s']:.0f}s"
        rd_p95 = f"{rd['p95_ms']:7.0f}ms" if rd["reps"] else "-"
        print(f"    {name:<15} {st['p50_ms']:8.1f}ms {st['p95_ms']:6.1f}ms {ox['p50_ms']:16.1f}ms "
              f"{rd_p50:>11} {rd_p95:>9}  {st['rows']} (rdflib {rd['rows']}; reps store "
              f"{st['reps']}, rdflib {rd['reps']}{', timed out' if rd['timed_out'] else ''})")
    if "dyads_values_rewrite" in q:
        d = q["dyads_values_rewrite"]
        print(f"    (not a saved query) dyads with VALUES instead of UNION: store p50 "
              f"{d['p50_ms']:.1f} ms, p95 {d['p95_ms']:.1f} ms, {d['rows']} rows")
    print(f"    worst store p50 {q['worst_store_p50_ms']:.1f} ms (target <= {TARGET_P50_MS:.0f} ms)"
          f": {verdict(q['pass'])}")
    f = r["formats"]
    print(f"6. RDF formats on {f['triples']:,} triples (triples/s) {cores}:")
    for name in ("turtle", "ntriples"):
        v = f[name]
        print(f"    {name:<9} rdflib load {v['rdflib_load_per_s']:>9,.0f} dump "
              f"{v['rdflib_dump_per_s']:>9,.0f} | pyoxigraph load "
              f"{v['oxigraph_load_per_s']:>10,.0f} dump {v['oxigraph_dump_per_s']:>10,.0f} "
              f"parse {v['oxigraph_parse_per_s']:>10,.0f}")


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
    checkpoint()

    log(f"step 6: formats on ~{opts.format_triples:,} triples")
    r["formats"] = bench_formats(events_path, opts.format_triples)


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
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--save", help="also write the JSON object to this file")
    parser.add_argument("--store-child", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.store_child:
        print(json.dumps(store_child(json.loads(opts.store_child))))
        return 0
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
    r["pass"] = {"extract_ratio": r["extract"]["ratio_pass"],
                 "speedup": r["extract"]["speedup_pass"], "rss": r["rss"]["pass"],
                 "store_p50": r["queries"]["pass"]}
    checkpoint()
    if opts.json:
        print(json.dumps(r, default=str))
    else:
        print_report(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
