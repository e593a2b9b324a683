#!/usr/bin/env python3
"""Share of matched source actors that carry a CAMEO actor code, by actor type (issue 25).

A source actor is *matched* as `score_pairs.py` matches it: an event's actor names a gold
source span of its sentence (their character ranges overlap, or the span's head word is a
word of the actor's text or label; the scorer's own `names` function decides). Each
distinct actor (by key) of a sentence counts once; it carries a code when its `cameo` is
not empty. The figure of the issue is the share for Person and Organization actors (goal:
0.95 and 0.85).

Example:
    .venv/bin/python -m kgbuild -q extract ../shared/gold/confli/dev.jsonl --format jsonl > ev.jsonl
    .venv/bin/python bench/actor_codes.py ev.jsonl
    .venv/bin/python bench/actor_codes.py ev.jsonl --misses Organization
"""
from __future__ import annotations

import argparse
import importlib.util
import json
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
GOLD = SHARED / "gold" / "confli" / "dev.jsonl"
TYPES = ("Person", "Organization")


def _scorer(gold: Path):
    """The `score_pairs` module beside the gold file."""
    spec = importlib.util.spec_from_file_location("score_pairs", gold.parent.parent / "score_pairs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def matched_actors(gold: Path, events: Path) -> list[dict]:
    """The distinct actors (one per sentence and key) that name a gold source span."""
    names = _scorer(gold).names
    by_doc: dict[str, list[dict]] = {}
    for ev in _jsonl(events):
        by_doc.setdefault(str(ev.get("doc")), []).append(ev)
    out = []
    for g in _jsonl(gold):
        seen = set()
        for ev in by_doc.get(g["id"], []):
            actor = ev.get("actor") or {}
            if actor.get("id") in seen or not any(names(actor, s) for s in g.get("source") or []):
                continue
            seen.add(actor.get("id"))
            out.append(actor)
    return out


def shares(actors: list[dict]) -> dict[str, tuple[int, int]]:
    """(coded, all) by actor type."""
    coded, total = Counter(), Counter()
    for a in actors:
        total[a.get("type")] += 1
        coded[a.get("type")] += bool(a.get("cameo"))
    return {t: (coded[t], total[t]) for t in total}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("events", type=Path, help="kgbuild extract output (JSON Lines)")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--misses", metavar="TYPE", help="list the uncoded actors of this type")
    opts = ap.parse_args(argv)
    actors = matched_actors(opts.gold, opts.events)
    for kind, (coded, total) in sorted(shares(actors).items(), key=lambda kv: -kv[1][1]):
        print(f"{kind or '-':26} {coded:4}/{total:<4} {coded / total:.2f}")
    if opts.misses:
        for label, n in Counter(a.get("label") for a in actors
                                if a.get("type") == opts.misses and not a.get("cameo")).most_common():
            print(f"  {n:3}  {label}")
    figures = {t: shares(actors).get(t, (0, 0)) for t in TYPES}
    print("actor codes " + " ".join(f"{t}={c / n if n else 0:.2f} ({c}/{n})"
                                    for t, (c, n) in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
