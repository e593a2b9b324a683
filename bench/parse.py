"""Steps 1-3 of the benchmark: raw parse, extraction overhead, two-process speed-up."""
from __future__ import annotations

import gc
import statistics
import time

from common import EVENTS_PIPE, TARGET_EXTRACT_RATIO, TARGET_SPEEDUP, log


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
