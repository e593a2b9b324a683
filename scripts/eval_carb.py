#!/usr/bin/env python3
"""Score kgbuild on the CaRB open-IE development split.

Feeds every sentence of ``<gold-dir>/dev.txt`` to the extractor as its own document,
writes one line per event in the scorer's tabbed format

    sentence <TAB> confidence <TAB> relation <TAB> arg1 <TAB> arg2 ...

(relation = action text, arg1 = actor text, then target, recipient, location and time
texts when present), and runs ``<gold-dir>/../carb_score.py`` on it.

Example:
    .venv/bin/python scripts/eval_carb.py                 # open-IE mode
    .venv/bin/python scripts/eval_carb.py --no-open-ie    # default actor-only mode
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from kgbuild import Document, extract_events
from kgbuild.nlp import load_pipeline

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GOLD_DIR = REPO.parent / "shared" / "gold" / "carb"


def read_sentences(path: Path) -> list[tuple[str, str]]:
    """(document id, sentence) for every non-blank line; the id is the 1-based line number
    and the sentence is the line exactly as written (only the line break removed)."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            sentence = line.rstrip("\r\n")
            if not sentence.strip():
                continue
            if "\t" in sentence:
                sys.exit(f"eval_carb: {path}:{number}: sentence contains a TAB; "
                         "the tabbed prediction format cannot hold it")
            out.append((str(number), sentence))
    return out


def _field(text: str) -> str:
    """A slot text safe for one TAB-separated column (words kept as written)."""
    return " ".join(text.split())


def event_row(sentence: str, event) -> str | None:
    """One prediction line: sentence, confidence, relation, arg1, arg2... — or None for a
    tuple with one argument (CaRB's gold tuples always have at least two)."""
    args = [event.actor.text]
    for slot in (event.target, event.recipient):
        if slot is not None:
            args.append(slot.text)
    pps = event.extra.get("args")
    if pps is None:  # default mode: no prepositional phrases recorded, use the slots
        pps = [slot.text for slot in (event.location, event.time) if slot is not None]
    args += [p for p in pps if p not in args]
    if len(args) < 2:
        return None
    fields = [repr(float(event.confidence)), event.action.text] + args
    return "\t".join([sentence] + [_field(f) for f in fields])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Score kgbuild on the CaRB open-IE development split.")
    parser.add_argument("--gold-dir", type=Path, default=DEFAULT_GOLD_DIR,
                        help="folder with dev.txt and dev.tsv; carb_score.py is read from "
                             "its parent (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=Path("carb-dev.tsv"),
                        help="prediction file to write (default: %(default)s)")
    parser.add_argument("--no-open-ie", dest="open_ie", action="store_false",
                        help="run the default actor-only mode instead of open-IE mode")
    parser.add_argument("--batch-size", type=int, default=64,
                        help="documents per nlp.pipe batch (default: %(default)s)")
    parser.add_argument("--model", default=None,
                        help="spaCy pipeline to load (default: kgbuild's choice)")
    opts = parser.parse_args(argv)

    gold_dir = opts.gold_dir
    dev_txt, dev_tsv = gold_dir / "dev.txt", gold_dir / "dev.tsv"
    scorer = gold_dir.parent / "carb_score.py"
    missing = [p for p in (dev_txt, dev_tsv, scorer) if not p.is_file()]
    if missing:
        sys.exit("eval_carb: missing " + ", ".join(str(p) for p in missing)
                 + "; point --gold-dir at the CaRB folder (with dev.txt and dev.tsv, "
                   "and carb_score.py one level up)")

    sentences = read_sentences(dev_txt)
    by_id = dict(sentences)
    nlp = load_pipeline(opts.model)
    documents = [Document(id=doc_id, text=text) for doc_id, text in sentences]

    started = time.perf_counter()
    rows = []
    for event in extract_events(documents, nlp=nlp, batch_size=opts.batch_size,
                                open_ie=opts.open_ie):
        row = event_row(by_id[event.doc], event)
        if row is not None:
            rows.append(row)
    elapsed = time.perf_counter() - started

    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    covered = len({row.split("\t", 1)[0] for row in rows})
    mode = "open-IE" if opts.open_ie else "default (actor-only)"
    print(f"kgbuild {mode} mode: {len(rows)} events from {covered}/{len(sentences)} "
          f"sentences in {elapsed:.1f}s -> {opts.out}", flush=True)

    cmd = [sys.executable, str(scorer), "--gold", str(dev_tsv), "--pred", str(opts.out)]
    return subprocess.run(cmd, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
