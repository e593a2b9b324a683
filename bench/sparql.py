"""Step 5 of the benchmark: SPARQL latency of every saved query, store and rdflib."""
from __future__ import annotations

import gc
import signal
import time
from pathlib import Path

from common import TARGET_P50_MS, log, percentile
from queries import QUERY_BINDINGS  # bench/queries.py: required parameters too

#: Not a saved query: `dyads` with its UNION replaced by a VALUES over the two properties,
#: timed on the store to show what the UNION costs in Oxigraph.
DYADS_UNION = """{ ?event kg:recipient/rdfs:label ?other } UNION
  { ?event kg:target ?t . ?t a kg:Actor ; rdfs:label ?other }"""
DYADS_VALUES = ("VALUES ?role { kg:recipient kg:target }\n"
                "  ?event ?role ?t . ?t a kg:Actor ; rdfs:label ?other")


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
    from kgbuild.query.params import bind_values
    from kgbuild.query.store import store_answer
    from kgbuild.stores.oxigraph import GraphStore

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
                "oxigraph_only": time_query(lambda: len(list(store_answer(store, bind_values(text, bindings or {})))),
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
    graph = None  # freed (the closures above are done)
    gc.collect()
    p50s = [q["store"]["p50_ms"] for q in results["queries"].values()]
    results["worst_store_p50_ms"] = max(p50s)
    results["pass"] = max(p50s) <= TARGET_P50_MS
    return results
