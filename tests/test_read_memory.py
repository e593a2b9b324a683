"""Issue 26, item 17: JSON Lines are read a record at a time again — `extract` of a 200 MB
file peaked at 4.4 GB when the whole file was read and decoded first — while the duplicate
id check still sees every id (only the ids are kept). Peak memory of a 50 MiB file, before
and after: bench/read_memory.py."""
from __future__ import annotations

import gzip
import json
import tracemalloc

import pytest

from kgbuild import InputError, read_documents
from kgbuild.jobs.texts import documents_of

RECORDS = 4000
TEXT = "“Kyiv — again,” officials said. " + "Russia deployed troops to the border. " * 120


def write_news(path, duplicate: bool = False, latin1_line: bool = False) -> int:
    lines = [json.dumps({"id": f"d{n}", "text": TEXT}, ensure_ascii=False).encode()
             for n in range(RECORDS)]
    if duplicate:
        lines.append(json.dumps({"id": "d7", "text": "again"}).encode())
    if latin1_line:
        lines[RECORDS // 2] = '{"id": "l1", "text": "Zürich"}'.encode("latin-1")
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return len(data)


def peak_of(work) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", ["news.jsonl", "news.jsonl.gz"])
@pytest.mark.parametrize("reader", ["read_documents", "documents_of"])
def test_jsonl_is_read_a_record_at_a_time(tmp_path, name, reader):
    path = tmp_path / name
    size = write_news(path)
    read = read_documents if reader == "read_documents" else documents_of
    count = []
    peak = peak_of(lambda: count.append(sum(1 for _ in read([path]))))
    assert count == [RECORDS]
    assert size > 15 * 2**20 and peak < size / 8, f"peak {peak:,} bytes for a file of {size:,}"


def test_duplicate_ids_are_still_found_across_the_whole_file(tmp_path):
    path = tmp_path / "news.jsonl"
    size = write_news(path, duplicate=True)

    def read():
        with pytest.raises(InputError, match=rf"news.jsonl, line {RECORDS + 1}: duplicate id 'd7' "
                                             r"\(already used at .*news.jsonl, line 8\)"):
            documents_of([path])

    assert peak_of(read) < size / 8
    kept = list(read_documents([path], skip_bad=True))
    assert len(kept) == RECORDS and kept[7].text == TEXT


def test_a_bad_line_in_the_middle_is_judged_against_the_whole_file(tmp_path):
    """A Latin-1 line among UTF-8 lines beyond ASCII is a bad record (not a legacy file),
    though the non-ASCII lines come before and after it."""
    path = tmp_path / "news.jsonl"
    write_news(path, latin1_line=True)
    with pytest.raises(InputError, match=rf"news.jsonl, line {RECORDS // 2 + 1}: not UTF-8 \(byte 0xfc"):
        list(read_documents([path]))
    assert len(list(read_documents([path], skip_bad=True))) == RECORDS - 1
