#!/usr/bin/env python3
"""Does compacting a store after a large batch help? Side by side on copies of one store.

`STORE` (e.g. the store `bench.py --days N --per-day K --keep` leaves) is copied twice;
one copy is compacted with pyoxigraph's `Store.optimize()` (timed). Then, alternating
between the copies: the size on disk, the saved queries' p50 (`--rounds` rounds, medians),
and the next day of `--per-day` synthetic documents added to each (write and finalize
seconds, in a fresh child process each, as `bench.py --days` adds a day), in
`--next-rounds` rounds on fresh copies, the order of the two copies swapped every round.

Example:
    .venv/bin/python bench/bench.py --days 4 --per-day 2000 --keep --workdir W
    .venv/bin/python bench/compact.py W/days-store W/compact --next-day 5 --per-day 2000
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import log  # noqa: E402
from days import query_p50s, run_day  # noqa: E402
from kgbuild.stores.building import store_bytes  # noqa: E402


def compacted_copies(store: Path, workdir: Path) -> tuple[dict[str, Path], float]:
    """Two copies of `store` in `workdir`, "plain" and "compacted"; seconds to compact."""
    from kgbuild.stores.oxigraph import GraphStore

    copies = {kind: workdir / kind for kind in ("plain", "compacted")}
    for copy in copies.values():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(store, copy)
    with GraphStore(copies["compacted"]) as opened:
        started = time.perf_counter()
        opened.compact()
        seconds = time.perf_counter() - started
    return copies, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--rounds", type=int, default=3, help="query rounds per copy")
    parser.add_argument("--reps", type=int, default=7, help="runs per query and round")
    parser.add_argument("--next-day", type=int, help="also add this day (1-based) to both")
    parser.add_argument("--per-day", type=int, default=2000, help="documents of that day")
    parser.add_argument("--next-rounds", type=int, default=2, help="rounds of the next day")
    opts = parser.parse_args(argv)
    opts.workdir.mkdir(parents=True, exist_ok=True)
    r: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(),
               "load_start": os.getloadavg()[0], "store": str(opts.store)}
    copies, r["optimize_s"] = compacted_copies(opts.store, opts.workdir)
    r["bytes"] = {kind: store_bytes(path) for kind, path in copies.items()}
    log(f"compacted in {r['optimize_s']:.1f} s: {r['bytes']['plain'] / 2**20:.0f} -> "
        f"{r['bytes']['compacted'] / 2**20:.0f} MiB")
    rounds: dict[str, list[dict]] = {kind: [] for kind in copies}
    for n in range(opts.rounds):
        for kind, path in copies.items():
            rounds[kind].append(query_p50s(str(path), opts.reps))
        log(f"query round {n + 1} done")
    r["query_p50_ms"] = {kind: {name: statistics.median(one[name] for one in runs)
                                for name in runs[0]} for kind, runs in rounds.items()}
    if opts.next_day:
        r["next_day"] = {kind: [] for kind in copies}
        for n in range(opts.next_rounds):
            if n:
                copies, _ = compacted_copies(opts.store, opts.workdir)
            for kind in (list(copies) if n % 2 == 0 else list(copies)[::-1]):
                spec = {"store": str(copies[kind]), "day": opts.next_day - 1,
                        "per_day": opts.per_day, "batch_size": 64, "query_reps": opts.reps}
                day = run_day(spec)
                r["next_day"][kind].append(day)
                log(f"round {n + 1}, {kind}: next day write {day['write_s']:.1f} s "
                    f"(cpu {day['write_cpu_s']:.1f}), finalize {day['finalize_s']:.1f} s "
                    f"(cpu {day['finalize_cpu_s']:.1f})")
    r["load_end"] = os.getloadavg()[0]
    print(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
