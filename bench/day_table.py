#!/usr/bin/env python3
"""Issue 29, item 3 on a grown store: every saved query's p50 on the default page, and the
event table of one day as `kgbuild export STORE --date DAY -o day.csv` writes it
(`kgbuild.tables.write.write_table` with `date_range(date=DAY)`), against the targets
(p50 <= 50 ms; a day's table <= 10 s).

    .venv/bin/python bench/bench.py --days 10 --per-day 3000 --keep --workdir W
    .venv/bin/python bench/day_table.py W/days-store --date 2025-01-05 --json
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import TARGET_P50_MS, log  # noqa: E402
from days import query_p50s  # noqa: E402

TARGET_DAY_TABLE_S = 10.0


def day_table(store: Path, day: str, reps: int) -> dict:
    """Seconds (wall and CPU) to write the CSV table of `day`, `reps` times; rows written."""
    from kgbuild.tables.dates import date_range
    from kgbuild.tables.write import write_table

    runs, cpu, rows = [], [], 0
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(reps):
            started, used = time.perf_counter(), time.process_time()
            rows = write_table(store, Path(folder) / "day.csv", "csv", "events",
                               dates=date_range(date=day))
            runs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    return {"day": day, "rows": rows, "seconds": sorted(runs)[len(runs) // 2], "runs": runs,
            "cpu_seconds": sorted(cpu)[len(cpu) // 2]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--date", required=True, help="the day of the table (YYYY-MM-DD)")
    parser.add_argument("--reps", type=int, default=3, help="tables written (median)")
    parser.add_argument("--query-reps", type=int, default=7, help="runs per saved query")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    opts = parser.parse_args(argv)
    from kgbuild.stores.oxigraph import GraphStore

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent).stdout.strip()
    out: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "commit": commit, "cores": os.cpu_count(),
                 "load_start": os.getloadavg()[0]}
    with GraphStore(opts.store, read_only=True) as store:
        out["triples"] = len(store)
    log(f"{out['triples']:,} triples: saved queries")
    out["query_p50_ms"] = query_p50s(str(opts.store), opts.query_reps)
    log(f"the table of {opts.date}")
    out["day_table"] = day_table(opts.store, opts.date, opts.reps)
    out["load_end"] = os.getloadavg()[0]
    worst = max(v for v in out["query_p50_ms"].values() if v is not None)
    out["pass"] = {"query_p50": worst <= TARGET_P50_MS,
                   "day_table": out["day_table"]["seconds"] <= TARGET_DAY_TABLE_S}
    if opts.json:
        print(json.dumps(out))
        return 0
    print(f"{out['date']} commit {commit}, {out['cores']} cores, load {out['load_start']:.2f} -> "
          f"{out['load_end']:.2f}; {out['triples']:,} triples")
    for name, p50 in sorted(out["query_p50_ms"].items()):
        print(f"  {name:18} p50 {p50:8.1f} ms")
    t = out["day_table"]
    print(f"  table of {t['day']}: {t['rows']:,} rows in {t['seconds']:.1f} s (CPU {t['cpu_seconds']:.1f} s)")
    print(f"worst p50 {worst:.1f} ms (target <= {TARGET_P50_MS:g}): "
          f"{'PASS' if out['pass']['query_p50'] else 'FAIL'}; day table target <= "
          f"{TARGET_DAY_TABLE_S:g} s: {'PASS' if out['pass']['day_table'] else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
