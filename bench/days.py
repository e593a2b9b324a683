"""`bench.py --days N --per-day K`: N daily batches of K synthetic documents (event records,
`synth.day_documents`: nothing is parsed) added to one store, each day in a fresh child
process as a daily `kgbuild build --from-events` would run, with what each day costs:
write and finalize seconds, the child's peak RSS (VmHWM, and its anonymous part), the
store's size on disk (bytes per stored document and per triple) and in triples, and the
saved queries' p50 on the grown store; with `--optimize`, the same after compacting it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import log
from kgbuild.stores.building import store_bytes
from queries import QUERY_BINDINGS
from sparql import time_query

BENCH = Path(__file__).resolve().parent / "bench.py"
QUERY_REPS, QUERY_BUDGET = 7, 3.0  # runs per saved query, seconds per query at most


def _status(field: str) -> float | None:
    """A /proc/self/status field in MiB (VmHWM: the peak RSS; RssAnon: native heap)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def day_child(spec: dict) -> dict:
    """In a fresh process: add day `spec['day']` to the store, then time the saved queries."""
    from kgbuild.stores.oxigraph import GraphStore
    from synth import day_batches

    docs = events = 0
    write = write_cpu = 0.0
    with GraphStore(spec["store"]) as store:
        for batch_docs, batch_events in day_batches(spec["day"], spec["per_day"], spec["batch_size"]):
            started, cpu = time.perf_counter(), time.process_time()
            store.add_events(batch_events, batch_docs)  # build_store's write path
            write += time.perf_counter() - started
            write_cpu += time.process_time() - cpu
            docs, events = docs + len(batch_docs), events + len(batch_events)
        started, cpu = time.perf_counter(), time.process_time()
        store.write_pending()
        write += time.perf_counter() - started
        write_cpu += time.process_time() - cpu
        rss_written = _status("VmHWM")
        started, cpu = time.perf_counter(), time.process_time()  # CPU: all threads, less load-bound
        store.finalize()
        finalize, finalize_cpu = time.perf_counter() - started, time.process_time() - cpu
        rss_anon = _status("RssAnon")
    peak = _status("VmHWM")
    out = {"day": spec["day"] + 1, "documents": docs, "events": events, "write_s": write,
           "finalize_s": finalize, "write_cpu_s": write_cpu, "finalize_cpu_s": finalize_cpu, "peak_rss_mib": peak, "peak_rss_before_finalize_mib": rss_written,
           "rss_anon_after_finalize_mib": rss_anon, "store_bytes": store_bytes(Path(spec["store"]))}
    with GraphStore(spec["store"], read_only=True) as store:
        out["triples"] = len(store)
    out["query_p50_ms"] = query_p50s(spec["store"], spec["query_reps"])
    if spec.get("optimize"):  # compact, then measure size and queries again
        with GraphStore(spec["store"]) as store:
            started, cpu = time.perf_counter(), time.process_time()
            store.compact()
            out["optimize_s"], out["optimize_cpu_s"] = time.perf_counter() - started, time.process_time() - cpu
        out["store_bytes_optimized"] = store_bytes(Path(spec["store"]))
        out["query_p50_ms_optimized"] = query_p50s(spec["store"], spec["query_reps"])
    return out


def query_p50s(path: str, reps: int) -> dict[str, float | None]:
    """The p50 in ms of every saved query on the store at `path`, default page."""
    from kgbuild.cli import DEFAULT_LIMIT
    from kgbuild.query import run_query, saved_queries
    from kgbuild.stores.oxigraph import GraphStore

    out = {}
    with GraphStore(path, read_only=True) as store:
        for name in saved_queries():
            bindings = QUERY_BINDINGS.get(name)
            timed = time_query(lambda: len(run_query(store, name, bindings=bindings,
                                                     limit=DEFAULT_LIMIT).rows),
                               reps, QUERY_BUDGET)
            out[name] = timed.get("p50_ms")
    return out


def bench_days(store: Path, days: int, per_day: int, batch_size: int,
               query_reps: int = QUERY_REPS, optimize: bool = False) -> list[dict]:
    """Days 1..`days` into the store at `store` (made anew), one child process a day;
    with `optimize`, the store compacted (`pyoxigraph.Store.optimize`) after each day and
    measured before and after."""
    results = []
    stored = 0
    for day in range(days):
        spec = {"store": str(store), "day": day, "per_day": per_day, "batch_size": batch_size,
                "query_reps": query_reps, "optimize": optimize}
        log(f"day {day + 1}: {per_day} documents (child process)")
        result = run_day(spec)
        stored += result["documents"]
        result["stored_documents"] = stored
        result["bytes_per_document"] = result["store_bytes"] / stored
        result["bytes_per_triple"] = result["store_bytes"] / result["triples"]
        results.append(result)
        log(f"day {day + 1}: write {result['write_s']:.1f} s, finalize {result['finalize_s']:.1f} s, "
            f"peak {result['peak_rss_mib']:.0f} MiB, {result['triples']:,} triples")
    return results


def run_day(spec: dict) -> dict:
    """`day_child(spec)` in a fresh process, with the load average before and after."""
    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, str(BENCH), "--day-child", json.dumps(spec)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench: day {spec['day'] + 1} failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"], result["load_after"] = load, os.getloadavg()[0]
    return result


def print_days(r: dict) -> None:
    """The per-day table and the day-N against day-1 ratios."""
    days = r["days"]
    names = sorted(days[0]["query_p50_ms"])
    print(f"kgbuild daily-batch benchmark {r['date']}: {r['machine']['cores']} cores, load "
          f"{r['machine']['load_start']:.2f} -> {r['machine']['load_end']:.2f}; {len(days)} days of "
          f"{days[0]['documents']:,} synthetic documents (event records), batch {r['options']['batch_size']}")
    print("day  documents     triples  write s (cpu)  finalize s (cpu)  peak RSS MiB  store MiB  "
          "B/doc  B/triple  " + "  ".join(f"{n[:12]:>12}" for n in names) + "  (saved-query p50 ms)")
    for d in days:
        print(f"{d['day']:>3}  {d['documents']:>9,}  {d['triples']:>10,}  {d['write_s']:7.1f} "
              f"({d['write_cpu_s']:5.1f})  {d['finalize_s']:10.1f} ({d['finalize_cpu_s']:5.1f})  "
              f"{d['peak_rss_mib']:12.0f}  {d['store_bytes'] / 2**20:9.0f}  "
              f"{d['bytes_per_document']:5.0f}  {d['bytes_per_triple']:8.0f}  {_p50s(d['query_p50_ms'], names)}")
        if "optimize_s" in d:
            size = d["store_bytes_optimized"]
            print(f"     optimized in {d['optimize_s']:.1f} s (cpu {d['optimize_cpu_s']:.1f}): store "
                  f"{size / 2**20:.0f} MiB, {size / d['stored_documents']:.0f} B/doc, "
                  f"{size / d['triples']:.0f} B/triple;{' ' * 17}{_p50s(d['query_p50_ms_optimized'], names)}")
    first, last = days[0], days[-1]
    print(f"day {last['day']} vs day 1: finalize {last['finalize_s'] / first['finalize_s']:.2f}x "
          f"(CPU {last['finalize_cpu_s'] / first['finalize_cpu_s']:.2f}x) "
          f"(target <= 1.2x), peak RSS {last['peak_rss_mib'] / first['peak_rss_mib'] - 1:+.1%} "
          f"(target within 10%), write {last['write_s'] / first['write_s']:.2f}x")


def _p50s(p50s: dict, names: list[str]) -> str:
    return "  ".join(f"{p50s[n]:12.1f}" if p50s[n] is not None else f"{'-':>12}" for n in names)
