"""Shared parts of the benchmark: targets, logging, memory readings and the base corpus."""
from __future__ import annotations

import dataclasses
import math
import os
import resource
import sys
import time

from rule_overhead import corpus_sources  # the corpus of the rule benchmark

EVENTS_PIPE = "kgbuild_events"
TARGET_EXTRACT_RATIO = 0.90
TARGET_SPEEDUP = 1.8
TARGET_RSS_SPREAD = 0.10
TARGET_P50_MS = 50.0


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
