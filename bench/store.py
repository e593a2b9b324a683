"""Step 4 of the benchmark: end-to-end `build_store`, and the store-write path per size."""
from __future__ import annotations

import contextlib
import gc
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import peak_rss_mb, vm_hwm_mb
from synth import relabel

BENCH = Path(__file__).resolve().parent / "bench.py"


#: GraphStore methods that write; the time in the outermost call of any of them is writing
WRITE_METHODS = ("add_events", "write_pending", "remove_documents", "finalize")


@contextlib.contextmanager
def write_timer(cls, names=WRITE_METHODS):
    """Patch `cls`'s methods `names` to add the time spent in their outermost calls to
    the yielded dict's "seconds" (calls from one of them into another count once)."""
    spent, depth, originals = {"seconds": 0.0}, [0], {n: getattr(cls, n) for n in names}

    def wrap(method):
        def timed(*args, **kwargs):
            depth[0] += 1
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent["seconds"] += time.perf_counter() - started
        return timed
    for name, method in originals.items():
        setattr(cls, name, wrap(method))
    try:
        yield spent
    finally:
        for name, method in originals.items():
            setattr(cls, name, method)


def bench_build_store(nlp, docs: list, workdir: Path, batch_size: int) -> dict:
    """End-to-end `build_store` (parse, extract, write, finalize) into a fresh store, and
    the share of its time spent in the store's write methods (`write_timer`)."""
    from kgbuild.jobs.workflow import build_store
    from kgbuild.stores.oxigraph import GraphStore

    path = workdir / "e2e-store"
    shutil.rmtree(path, ignore_errors=True)
    gc.collect()
    with write_timer(GraphStore) as writing:
        started = time.perf_counter()
        summary = build_store(path, docs, nlp=nlp, batch_size=batch_size)
        seconds = time.perf_counter() - started
    with GraphStore(path, read_only=True) as store:
        size = len(store)
    shutil.rmtree(path, ignore_errors=True)
    return {"docs": summary.documents, "events": summary.events, "triples_added": summary.triples,
            "store_triples": size, "seconds": seconds, "docs_per_s": summary.documents / seconds,
            "triples_per_s": summary.triples / seconds, "write_seconds": writing["seconds"],
            "write_share": writing["seconds"] / seconds}


def pickle_base_events(nlp, base: list, path: Path, batch_size: int) -> int:
    """Parse the distinct documents once; pickle [(Document without text, events)]."""
    from kgbuild.extract import extract_by_document

    per_doc = [(d.stripped(), events)
               for d, events in extract_by_document(base, nlp=nlp, batch_size=batch_size)]
    path.write_bytes(pickle.dumps(per_doc, protocol=pickle.HIGHEST_PROTOCOL))
    return sum(len(e) for _, e in per_doc)


def store_child(spec: dict) -> dict:
    """In a fresh process: stream `spec['docs']` relabelled documents into a new store."""
    from kgbuild.stores.oxigraph import GraphStore

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
        store.write_pending()
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
    proc = subprocess.run([sys.executable, str(BENCH), "--store-child",
                           json.dumps(spec)], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench: the store-write child for {n} documents failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"], result["load_after"] = load, os.getloadavg()[0]
    return result
