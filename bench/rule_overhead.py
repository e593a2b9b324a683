#!/usr/bin/env python3
"""Measure the cost of kgbuild's rule pass against the spaCy parse, in one run.

Requirement: the extra rule pass costs at most 10% of the spaCy parse time.

Each round (a) parses the corpus with ``nlp.pipe`` while ``kgbuild_events`` is disabled
(the parse time) and then (b) runs only the rule pass, ``events_from_doc``, over the Docs
just parsed (the rule time).  Rounds alternate the two so that drifts in machine load hit
both; the figures reported are the medians over the rounds.

Example:
    .venv/bin/python bench/rule_overhead.py                 # 300 documents, 3 rounds
    .venv/bin/python bench/rule_overhead.py --json
    .venv/bin/python bench/rule_overhead.py --profile       # + cProfile of the rule pass
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

from kgbuild import read_documents
from kgbuild.extract.events import DocMeta, events_from_doc
from kgbuild.nlp import load_pipeline

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
LIMIT = 0.10
EVENTS_PIPE = "kgbuild_events"


def corpus_sources() -> list[Path]:
    """The example corpus plus the shared real documents, when present."""
    sources = sorted((REPO / "examples" / "corpus").glob("*.txt"))
    sources.append(REPO / "examples" / "corpus" / "wire.jsonl")
    sources += [SHARED / "corpus" / "re3d" / "documents.jsonl",
                SHARED / "corpus" / "kaliningrad-2016.txt"]
    return [p for p in sources if p.is_file()]


def build_corpus(n: int) -> tuple[list[str], int, list[str]]:
    """`n` texts (the distinct documents repeated in order), the number of distinct
    documents, and the source files read."""
    sources = corpus_sources()
    distinct = [doc.text for doc in read_documents(sources) if doc.text.strip()]
    if not distinct:
        sys.exit("rule_overhead: no documents found under examples/corpus or ../shared/corpus")
    return list(itertools.islice(itertools.cycle(distinct), n)), len(distinct), [
        str(p.relative_to(REPO.parent)) for p in sources]


def parse(nlp, texts: list[str], batch_size: int) -> tuple[float, list]:
    """Seconds to parse `texts` without the rule component, and the Docs."""
    gc.collect()
    with nlp.select_pipes(disable=[EVENTS_PIPE]):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=batch_size))
        elapsed = time.perf_counter() - started
    return elapsed, docs


def rule_pass(docs: list, open_ie: bool) -> int:
    """Run the event rules over every Doc; the number of events found."""
    found = 0
    for i, doc in enumerate(docs):
        found += len(events_from_doc(doc, DocMeta(id=f"d{i}"), open_ie=open_ie))
    return found


def timed_rule_pass(docs: list, open_ie: bool) -> tuple[float, int]:
    gc.collect()
    started = time.perf_counter()
    found = rule_pass(docs, open_ie)
    return time.perf_counter() - started, found


def profile_rule_pass(docs: list, open_ie: bool, top: int) -> list[dict]:
    """cProfile one rule pass; the `top` kgbuild functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    rule_pass(docs, open_ie)
    profiler.disable()
    stats = pstats.Stats(profiler)
    marker = os.sep + "kgbuild" + os.sep
    rows = []
    for (filename, line, func), (_, ncalls, tottime, cumtime, _) in stats.stats.items():
        if marker not in filename:
            continue
        where = filename.split(marker, 1)[1]
        rows.append({"function": f"{where}:{line}({func})", "calls": ncalls,
                     "tottime": round(tottime, 4), "cumtime": round(cumtime, 4)})
    rows.sort(key=lambda r: -r["cumtime"])
    return rows[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rule-pass time against spaCy parse time (requirement: at most 10%).")
    parser.add_argument("-n", "--docs", type=int, default=300,
                        help="documents in the corpus (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating parse/rule rounds (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=64,
                        help="nlp.pipe batch size (default: %(default)s)")
    parser.add_argument("--open-ie", action="store_true",
                        help="time the rules in open-IE mode (default: actor-only mode)")
    parser.add_argument("--model", default=None, help="spaCy pipeline to load")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile one extra rule pass (after the timed rounds) and "
                             "list the hottest kgbuild functions by cumulative time")
    parser.add_argument("--top", type=int, default=25,
                        help="kgbuild functions listed by --profile (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    opts = parser.parse_args(argv)
    if opts.docs < 1 or opts.rounds < 1:
        parser.error("--docs and --rounds must be at least 1")

    texts, distinct, sources = build_corpus(opts.docs)
    nlp = load_pipeline(opts.model)
    if EVENTS_PIPE not in nlp.pipe_names:
        sys.exit(f"rule_overhead: the pipeline has no {EVENTS_PIPE} component")

    # warm-up, untimed: model weights, lexicon tables and caches loaded once
    _, warm = parse(nlp, texts[:8], opts.batch_size)
    rule_pass(warm, opts.open_ie)

    parse_times, rule_times, docs, events = [], [], [], 0
    for _ in range(opts.rounds):
        seconds, docs = parse(nlp, texts, opts.batch_size)
        parse_times.append(seconds)
        seconds, events = timed_rule_pass(docs, opts.open_ie)
        rule_times.append(seconds)

    words = sum(1 for doc in docs for tok in doc if not tok.is_space)
    parse_s, rule_s = statistics.median(parse_times), statistics.median(rule_times)
    ratio = rule_s / parse_s
    result = {
        "docs": len(texts), "distinct_docs": distinct, "sources": sources,
        "words": words, "events": events, "rounds": opts.rounds,
        "batch_size": opts.batch_size, "open_ie": opts.open_ie,
        "model": nlp.meta.get("name", "?"), "pipes": nlp.pipe_names,
        "cpu_count": os.cpu_count(),
        "parse_seconds": parse_times, "rule_seconds": rule_times,
        "parse_median": parse_s, "rule_median": rule_s,
        "parse_words_per_second": words / parse_s,
        "rule_words_per_second": words / rule_s if rule_s else None,
        "ratio": ratio, "limit": LIMIT, "pass": ratio <= LIMIT,
    }
    if opts.profile:
        result["profile"] = profile_rule_pass(docs, opts.open_ie, opts.top)

    if opts.json:
        print(json.dumps(result))
        return 0

    print(f"corpus: {len(texts)} documents ({distinct} distinct, repeated), {words} words, "
          f"{events} events; model {result['model']}; batch size {opts.batch_size}; "
          f"{'open-IE' if opts.open_ie else 'actor-only'} rules; cores: {os.cpu_count()}")
    print("rounds (parse s / rule s): " + ", ".join(
        f"{p:.2f}/{r:.3f}" for p, r in zip(parse_times, rule_times)))
    print(f"parse: {parse_s:.2f} s median, {words / parse_s:,.0f} words/s")
    print(f"rules: {rule_s:.3f} s median")
    verdict = "PASS" if result["pass"] else "FAIL"
    print(f"rule/parse = {ratio:.1%} (limit {LIMIT:.0%}): {verdict}")
    if opts.profile:
        print(f"\nprofile of one rule pass, top {opts.top} kgbuild functions by cumulative time")
        print(f"{'cumtime':>8} {'tottime':>8} {'calls':>8}  function")
        for row in result["profile"]:
            print(f"{row['cumtime']:8.3f} {row['tottime']:8.3f} {row['calls']:8d}  "
                  f"{row['function']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
