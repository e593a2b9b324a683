#!/usr/bin/env python3
"""Fit the confidence model (kgbuild/extract/confidence.py) on hand-judged events.

Usage:
    kgbuild -q extract ../shared/gold/confli/dev.jsonl --format jsonl -o ev.jsonl
    python scripts/fit_confidence.py ev.jsonl [--write] [--judged FILE] [--rejudged FILE]

An extracted event takes the judgement of the judged event with the same document, action
lemma and actor label (several such events: the one with the judged target) when its
target and recipient are still those that were judged; otherwise it needs a judgement of
its own in the rejudged table (`scripts/data/rejudged.tsv`: doc, lemma, actor label,
right 0/1, note, and the target and recipient labels it was judged with, so that a
judgement goes stale when the parties change), and events with neither are listed and
left out. "Right" is the judged
set's full precision: actor, action, parties and modality right, not a duplicate.

The model is an L2-regularized logistic regression. The calibration table is measured
out of fold (5 folds by document), so it says what the fitted model does on events it was
not fitted on. `--write` rewrites kgbuild/extract/data/confidence.tsv with weights fitted
on all labelled events.
"""
from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kgbuild.extract.confidence import FEATURES, features  # noqa: E402
from kgbuild.model import Event  # noqa: E402

SHARED = ROOT.parent / "shared" / "gold" / "precision"
WEIGHTS = ROOT / "kgbuild" / "extract" / "data" / "confidence.tsv"
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
L2 = 1.0


def key(doc, lemma, actor) -> tuple[str, str, str]:
    return str(doc), str(lemma or "").casefold(), str(actor or "").casefold()


def label_of(x) -> str | None:
    return None if x is None else x.label


def labelled(events_path: Path, judged_path: Path, rejudged_path: Path):
    """(features, right) pairs for every extracted event that has a judgement."""
    events = [Event.from_dict(json.loads(line)) for line in open(events_path, encoding="utf-8") if line.strip()]
    by_sentence: dict[tuple, list[Event]] = defaultdict(list)
    by_key: dict[tuple, list[Event]] = defaultdict(list)
    for e in events:
        by_sentence[(e.doc, e.sentence.start)].append(e)
        by_key[key(e.doc, e.action.lemma, e.actor.label)].append(e)
    rejudged = {}
    if rejudged_path.exists():
        for line in open(rejudged_path, encoding="utf-8"):
            if line.strip() and not line.startswith(("#", "doc\t")):
                doc, lemma, actor, right, _note, target, recipient = line.rstrip("\n").split("\t")
                rejudged[key(doc, lemma, actor)] = (right == "1", target or None, recipient or None)
    rows, unjudged = [], []
    for line in open(judged_path, encoding="utf-8"):
        j = json.loads(line)
        k = key(j["doc"], j["action"], j["actor"])
        found = by_key.get(k)
        if not found:
            continue
        e = next((x for x in found if label_of(x.target) == j.get("target")), found[0])
        same = label_of(e.target) == j.get("target") and label_of(e.recipient) == j.get("recipient")
        again = rejudged.get(k)
        if again is not None and again[1:] == (label_of(e.target), label_of(e.recipient)):
            right = again[0]  # judged again with the parties it has now
        elif again is None and same:
            right = (j["actor_ok"] and j["action_ok"] and j["party"] in ("ok", "empty")
                     and j.get("modality_ok", True) and j.get("flag") != "D")
        else:
            unjudged.append(e)
            continue
        rows.append((e, features(e, by_sentence[(e.doc, e.sentence.start)]), bool(right)))
    return rows, unjudged


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Newton's method for L2-regularized logistic regression (the bias is not penalized)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def calibration(p: np.ndarray, y: np.ndarray) -> list[str]:
    lines = ["| confidence | events | judged right | share right |", "|---|---:|---:|---:|"]
    for lo, hi in zip(BINS, BINS[1:]):
        sel = (p >= lo) & (p < hi)
        if sel.any():
            lines.append(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {sel.sum()} | {int(y[sel].sum())} | {y[sel].mean():.2f} |")
    for cut in (0.7, 0.8):
        sel = p >= cut
        lines.append(f"| **≥ {cut:.1f}** | {sel.sum()} | {int(y[sel].sum())} | {y[sel].mean():.2f} "
                     f"(keeps {y[sel].sum() / y.sum():.0%} of the right events) |")
    lines.append(f"| all | {len(y)} | {int(y.sum())} | {y.mean():.2f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("events", type=Path)
    ap.add_argument("--judged", type=Path, default=SHARED / "confli-judged.jsonl")
    ap.add_argument("--rejudged", type=Path, default=ROOT / "scripts" / "data" / "rejudged.tsv")
    ap.add_argument("--write", action="store_true", help=f"rewrite {WEIGHTS.relative_to(ROOT)}")
    args = ap.parse_args()
    rows, unjudged = labelled(args.events, args.judged, args.rejudged)
    for e in unjudged:
        print(f"needs a judgement: {e.doc}\t{e.action.lemma}\t{e.actor.label}\t"
              f"T={label_of(e.target)} R={label_of(e.recipient)} {e.modality} | {e.sentence.text[:120]}",
              file=sys.stderr)
    x = np.array([[f[name] for name in FEATURES] for _, f, _ in rows])
    y = np.array([float(r) for _, _, r in rows])
    folds = np.array([zlib.crc32(e.doc.encode()) % 5 for e, _, _ in rows])
    held_out = np.zeros(len(y))
    for k in range(5):
        w = fit(x[folds != k], y[folds != k])
        held_out[folds == k] = 1 / (1 + np.exp(-x[folds == k] @ w))
    print(f"{len(y)} judged events ({len(unjudged)} left out), out-of-fold calibration:")
    print("\n".join(calibration(np.round(held_out, 2), y)))
    w = fit(x, y)
    for name, value in zip(FEATURES, w):
        print(f"  {name:20s} {value:+.3f}")
    if args.write:
        head = [line for line in WEIGHTS.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        body = [f"{name}\t{value:.4f}" for name, value in zip(FEATURES, w)]
        WEIGHTS.write_text("\n".join(head + ["feature\tweight"] + body) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
