"""Store-write path, old code against new, side by side: N synthetic documents
(`synth.relabel` of the events `bench.py` pickles) through `GraphStore.add_events` +
`finalize()`, each run in a child process; "old" imports kgbuild from another checkout
(`--old-code`, e.g. the main branch's source), "new" the installed one. Kinds alternate
for `--rounds` rounds; then the two stores are checked to be isomorphic.

    .venv/bin/python bench/write_path.py N EVENTS.pickle WORKDIR --old-code /work/main
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_child(n: int, events: str, store_path: str, batch_size: int = 64) -> dict:
    """In this process: write `n` relabelled documents into a fresh store, finalize."""
    sys.path.insert(0, str(HERE))
    import kgbuild
    from kgbuild.stores.oxigraph import GraphStore
    from synth import relabelled_batches

    base = pickle.loads(Path(events).read_bytes())
    batches = list(relabelled_batches(base, n, batch_size))
    shutil.rmtree(store_path, ignore_errors=True)
    started, added = time.perf_counter(), 0
    with GraphStore(store_path) as store:
        for docs, evs in batches:
            added += store.add_events(evs, docs)
        if hasattr(store, "write_pending"):  # the new code buffers its bulk loads
            store.write_pending()
        written = time.perf_counter()
        store.finalize()
        finalized = time.perf_counter()
        size = len(store)
    return {"code": str(Path(kgbuild.__file__).parent), "docs": n, "quads_added": added,
            "store_triples": size, "write_s": written - started,
            "finalize_s": finalized - written, "docs_per_s": n / (finalized - started),
            "triples_per_s": added / (finalized - started),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(kind: str, n: int, events: Path, store: Path, old_code: str | None) -> dict:
    env = dict(os.environ)
    if kind == "old":
        env["PYTHONPATH"] = old_code or ""
    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child",
                           json.dumps([n, str(events), str(store)])],
                          capture_output=True, text=True, env=env, cwd="/")
    if proc.returncode != 0:
        sys.exit(f"write_path: the {kind} child failed:\n{proc.stderr}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out.update(kind=kind, load_before=load, load_after=os.getloadavg()[0])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", type=int, nargs="?")
    parser.add_argument("events", nargs="?")
    parser.add_argument("workdir", nargs="?")
    parser.add_argument("--old-code", help="checkout whose kgbuild is 'old' (PYTHONPATH)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.child:
        print(json.dumps(write_child(*json.loads(opts.child))))
        return 0
    workdir = Path(opts.workdir)
    kinds = ("old", "new") if opts.old_code else ("new",)
    runs = []
    for rnd in range(opts.rounds):
        for kind in kinds:
            runs.append(run(kind, opts.docs, Path(opts.events), workdir / f"w-{kind}", opts.old_code))
            print(json.dumps({"round": rnd, **runs[-1]}), flush=True)
    out: dict = {"docs": opts.docs, "runs": runs}
    if opts.old_code:
        from rdflib.compare import isomorphic

        from kgbuild.stores.oxigraph import GraphStore

        with GraphStore(workdir / "w-old", read_only=True) as a, \
                GraphStore(workdir / "w-new", read_only=True) as b:
            out["isomorphic"] = isomorphic(a.to_graph(), b.to_graph())
        out["ratios"] = [new["docs_per_s"] / old["docs_per_s"]
                         for old, new in zip(runs[0::2], runs[1::2])]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
