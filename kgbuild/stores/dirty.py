"""The store's dirty file, `kgbuild.dirty`: there while a store is unfinished, it lists what
`GraphStore.finalize` must settle, each line appended before the writes that need it:

- a node IRI (an event, a labelled node) whose counts, dates, label or dyad rows change,
  or the named graph of a removed document (what only it named is then dropped);
- the IRI of a row of the dyad index whose Goldstein sum a move of finalize could not tell
  (listed before that move; recounted once every listed event has moved);
- a JSON string: a label whose events' dyad rows must be looked at again (the labels of
  a node that has more than one, read before finalize drops all but one, so a finalize
  stopped after that drop moves the same rows; older kgbuilds also listed the labels of
  a removed document's parties).

The file starts with `HEADER`; an empty file (an older kgbuild's marker) lists nothing and
means: settle every node. It is read defensively: a last line cut short (a build killed
while appending it) is skipped with a warning, since nothing it lists was written after
it; any other line that is not a well-formed IRI or a JSON string makes the whole list
untrustworthy (`UntrustedDirtyFile`), and `kgbuild build --finish --full` settles every node
instead. Nothing from the file reaches SPARQL unchecked.
"""
from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import OutputError, UntrustedDirtyFile
from ..graph.quads import nt_term

log = logging.getLogger("kgbuild")

NAME = "kgbuild.dirty"
#: First line of a dirty file that lists the nodes to finalize, one IRI a line.
HEADER = "kgbuild dirty nodes 1\n"
_HEADER = HEADER.encode()
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def listable(iri: str) -> bool:
    """True for an IRI a dirty file can list: one N-Triples (and so SPARQL) can hold."""
    try:
        nt_term(iri)
    except OutputError:
        return False
    return True


def append(folder: Path, iris: Iterable[str], labels: Iterable[str]) -> None:
    """Create the dirty file of the store in `folder` if it is missing, and append these
    node IRIs (those `listable`) and labels. A failed append (a full disk) is undone, so
    the file never holds half a line before a whole one.

    Raises:
        OSError: the file cannot be written.
    """
    path = folder / NAME
    text = "".join(f"{iri}\n" for iri in iris if listable(iri)) + \
        "".join(json.dumps(label) + "\n" for label in labels)
    new = not path.exists()
    if not new and (not text or path.stat().st_size == 0):
        return  # nothing to add, or an empty marker, which already means: every node
    data = memoryview(((HEADER if new else "") + text).encode("utf-8"))
    with open(path, "ab", buffering=0) as fh:
        start = fh.seek(0, os.SEEK_END)
        try:
            while data:
                data = data[fh.write(data):]
        except OSError:
            fh.truncate(start)
            raise


def read(folder: Path, size: int, labels: set[str]) -> Iterator[list[str]] | None:
    """The node IRIs the dirty file of the store in `folder` lists, in lists of at most
    `size` distinct IRIs read as they are needed, the labels it lists added to `labels` as
    they are read; None when the file is empty (an older kgbuild's marker: settle every
    node); no lists when there is no file.

    The whole file is checked first, so a file that cannot be trusted is refused before
    anything is settled; a last line cut short is removed from it.

    Raises:
        UntrustedDirtyFile: a line (other than a last one cut short) kgbuild does not write.
        OSError: the file cannot be read.
    """
    path = folder / NAME
    try:
        fh = open(path, "r+b")
    except FileNotFoundError:
        return iter(())
    with fh:
        first = fh.readline()
        if first == b"":
            return None
        if first != _HEADER:
            if not first.endswith(b"\n") and _HEADER.startswith(first):
                _report_cut(path)  # killed while writing the header: nothing was written after it
                return iter(())
            raise _untrusted(path, folder, 1, "is not the first line kgbuild writes")
        end = len(first)
        for number, raw in enumerate(fh, 2):
            if not raw.endswith(b"\n"):  # only the last line can lack its line break
                _report_cut(path)
                fh.truncate(end)
                break
            _entry(raw, path, folder, number)
            end += len(raw)

    def lists() -> Iterator[list[str]]:
        with open(path, "rb") as lines:
            lines.readline()
            chunk: dict[str, None] = {}
            for number, raw in enumerate(lines, 2):
                is_label, text = _entry(raw, path, folder, number)
                if is_label:
                    labels.add(text)
                elif text:
                    chunk[text] = None
                if len(chunk) >= size:
                    yield list(chunk)
                    chunk = {}
            if chunk:
                yield list(chunk)
    return lists()


def _report_cut(path: Path) -> None:
    log.warning("%s: its last line was cut short (a build stopped while writing it); skipped, "
                "as nothing it lists was written after it", path)


def _entry(raw: bytes, path: Path, folder: Path, number: int) -> tuple[bool, str]:
    """A line of the dirty file as (is a label, the label or node IRI; '' for a blank line)."""
    try:
        line = raw.decode("utf-8").rstrip("\n")
    except UnicodeDecodeError:
        raise _untrusted(path, folder, number, "is not UTF-8 text") from None
    if not line.startswith('"'):
        if line and not listable(line):
            raise _untrusted(path, folder, number, "is no node IRI (it holds a space, a control "
                             "character or one of <>\"{}|^`\\, or has no scheme)")
        return False, line
    try:
        label = json.loads(line)
    except ValueError:
        raise _untrusted(path, folder, number, "is no JSON string") from None
    if not isinstance(label, str) or _SURROGATE.search(label):
        raise _untrusted(path, folder, number, "is no label (a JSON string of Unicode text)")
    return True, label


def _untrusted(path: Path, folder: Path, number: int, what: str) -> UntrustedDirtyFile:
    return UntrustedDirtyFile(
        f"{path}, line {number}: {what}, so the list of what the store's last build left "
        f"unfinished cannot be trusted; settle the whole store with `kgbuild build --finish "
        f"--full {folder}` (it recounts every node and rebuilds the dyad index)")
