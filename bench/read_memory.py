"""Peak memory of reading a large JSON Lines file of news (issue 26, item 17): what
`kgbuild extract FILE` holds before and while it extracts, without the parse itself.

A file of about `--mb` MiB is made from the sample corpus (seeded: records of its texts with
their own ids, one in a hundred with curly quotes and a dash, as news has, which makes Python
hold a whole decoded file at two bytes a character). Each reading runs in a fresh child under
`/usr/bin/time -v`, and its "Maximum resident set size" is reported:

- `check`: `kgbuild extract FILE --model xx_no_such_model`, which reads and checks every
  record (ids unique, fields valid) before it loads a model, then stops;
- `stream`: `documents_of([FILE])` iterated to the end in the library — the check pass and
  the pass that feeds extraction.

With `--old-code DIR` the same readings also run on another checkout's source (e.g. the main
branch), imported first through PYTHONPATH, and the ratio old/new is printed.

    .venv/bin/python bench/read_memory.py WORKDIR --mb 50 --old-code /work/main
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "examples" / "corpus"
STREAM = ("from kgbuild.jobs.texts import documents_of\n"
          "print(sum(1 for _ in documents_of([{path!r}])))")


def make_file(path: Path, mib: int) -> int:
    """Write about `mib` MiB of news records to `path`; returns the number of records."""
    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    rnd = random.Random(26)
    count = size = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < mib * 2**20:
            text = rnd.choice(texts) + (" “Kyiv — again.”" if count % 100 == 0 else "")
            line = json.dumps({"id": f"d{count}", "text": text, "date": "2024-05-01",
                               "url": f"https://example.org/{count}"}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
            count += 1
    return count


def peak_mib(command: list[str], env: dict, cwd: Path) -> tuple[float, str]:
    """Peak RSS (MiB) of `command` run under /usr/bin/time -v in `cwd` (not this checkout,
    whose source would shadow the code under test), and its error line or output."""
    proc = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True,
                          env=env, cwd=cwd)
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    if found is None:
        raise SystemExit(f"no peak in: {proc.stderr[-500:]}")
    last = [line for line in proc.stderr.splitlines() if line.startswith("Error")]
    return int(found.group(1)) / 1024, (last[0] if last else proc.stdout.strip())


def readings(path: Path, code: str | None) -> dict[str, tuple[float, str]]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = code
    return {
        "check": peak_mib([sys.executable, "-m", "kgbuild", "extract", str(path), "--model",
                           "xx_no_such_model", "-o", str(path.with_suffix(".out"))], env, path.parent),
        "stream": peak_mib([sys.executable, "-c", STREAM.format(path=str(path))], env, path.parent),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--mb", type=int, default=50, help="size of the file in MiB (default 50)")
    parser.add_argument("--old-code", metavar="DIR", type=lambda p: str(Path(p).resolve()),
                        help="another checkout to compare with")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.workdir = args.workdir.resolve()
    path = args.workdir / f"news-{args.mb}mb.jsonl"
    if not path.exists():
        make_file(path, args.mb)
    size = path.stat().st_size / 2**20
    print(f"{path}: {size:.1f} MiB")
    new = readings(path, None)
    old = readings(path, args.old_code) if args.old_code else None
    for kind, (mib, said) in new.items():
        line = f"{kind:<7} new {mib:8.1f} MiB ({mib / size:.2f}x the file)"
        if old is not None:
            line += f" | old {old[kind][0]:8.1f} MiB ({old[kind][0] / size:.2f}x) | old/new {old[kind][0] / mib:.2f}"
        print(f"{line}   [{said[:70]}]")


if __name__ == "__main__":
    main()
