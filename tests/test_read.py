"""Reading documents from files, folders, JSON Lines and stdin, and the errors for bad input."""
import gzip
import io
import json
import logging

import pytest

from kgbuild import InputError, read_documents


def test_read_txt_file_uses_stem_as_id(tmp_path):
    path = tmp_path / "my-report.txt"
    path.write_text("Russia deployed troops.", encoding="utf-8")
    (doc,) = read_documents([path])
    assert doc.id == "my-report" and doc.text == "Russia deployed troops." and doc.source == str(path)


def test_read_jsonl_records_with_metadata(tmp_path):
    path = tmp_path / "news.jsonl"
    rows = [{"id": "a", "text": "One.", "date": "2024-01-02", "title": "T", "url": "https://x.org/a"},
            {"id": 7, "text": "Two."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    docs = list(read_documents([path]))
    assert [d.id for d in docs] == ["a", "7"]
    assert docs[0].date == "2024-01-02" and docs[0].title == "T" and docs[1].date is None


def test_read_gzipped_jsonl(tmp_path):
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g", "text": "Gz."}) + "\n")
    assert [d.id for d in read_documents([path])] == ["g"]


def test_read_folder_recursively_in_sorted_order(tmp_path, sample_dir):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("B.", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert [d.id for d in read_documents([tmp_path])] == ["b", "a"]
    assert len(list(read_documents([sample_dir]))) >= 5


def test_read_stdin():
    (doc,) = read_documents(["-"], stdin=io.BytesIO("Iran said so.".encode()))
    assert doc.id == "stdin" and doc.text == "Iran said so."


def test_missing_path_names_the_file(tmp_path):
    with pytest.raises(InputError, match="nope.txt: no such file or folder"):
        list(read_documents([tmp_path / "nope.txt"]))


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        list(read_documents([path]))


@pytest.mark.parametrize("line, problem", [
    ("{not json", "bad JSON"),
    ('{"id": "x"}', "'text' is missing"),
    ('{"id": "x", "text": 5}', "'text' is missing or not a string"),
    ('{"text": "no id"}', "'id' is missing"),
    ('["a list"]', "a record must be a JSON object"),
])
def test_bad_jsonl_line_stops_with_line_number(tmp_path, line, problem):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": "Fine."}) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"bad.jsonl, line 2: {problem}"):
        list(read_documents([path]))


def test_skip_bad_keeps_good_records_and_warns(tmp_path, caplog):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"id": "a", "text": "A."}\n{oops\n{"id": "b", "text": "B."}\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        docs = list(read_documents([path], skip_bad=True))
    assert [d.id for d in docs] == ["a", "b"]
    assert "line 2" in caplog.text and "1 bad records skipped" in caplog.text


def test_binary_file_in_folder_is_skipped_with_warning(tmp_path, caplog):
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.7\x00\x01binary")
    (tmp_path / "ok.txt").write_text("Fine text.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        docs = list(read_documents([tmp_path]))
    assert [d.id for d in docs] == ["ok"]
    assert "scan.txt" in caplog.text and "binary" in caplog.text


def test_binary_file_given_directly_is_an_error(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError, match="binary"):
        list(read_documents([path]))


def test_folder_without_text_is_an_error(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match="no .txt or .jsonl files"):
        list(read_documents([tmp_path]))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_bom_encodings_decode(tmp_path, encoding):
    path = tmp_path / "bom.txt"
    path.write_bytes("Kyiv said Moscow lied.".encode(encoding))
    (doc,) = read_documents([path])
    assert doc.text == "Kyiv said Moscow lied."


def test_legacy_encoding_is_detected_with_warning(tmp_path, caplog):
    path = tmp_path / "cyr.txt"
    text = "Москва заявила, что развернет ракеты в Калининграде. " * 5
    path.write_bytes(text.encode("cp1251"))
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        (doc,) = read_documents([path])
    assert doc.text == text and "not UTF-8" in caplog.text


# -- issue 15: duplicate ids, mixed encodings, dates, hostile JSON, UTF-16 without BOM ---------

def write_lines(path, *lines: bytes):
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def record(doc_id, text, **extra) -> bytes:
    return json.dumps({"id": doc_id, "text": text, **extra}, ensure_ascii=False).encode("utf-8")


def test_duplicate_id_is_an_error_naming_both_lines(tmp_path):
    path = write_lines(tmp_path / "n.jsonl", record("a", "One."), record("b", "Two."), record("a", "Three."))
    with pytest.raises(InputError, match=r"n.jsonl, line 3: duplicate id 'a' \(already used at .*n.jsonl, line 1\)"):
        list(read_documents([path]))


def test_duplicate_id_with_skip_bad_keeps_the_first_and_warns(tmp_path, caplog):
    path = write_lines(tmp_path / "n.jsonl", record("a", "One."), record("a", "Three."))
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        docs = list(read_documents([path], skip_bad=True))
    assert [(d.id, d.text) for d in docs] == [("a", "One.")]
    assert "line 2: duplicate id 'a'" in caplog.text


def test_duplicate_id_across_files_of_a_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "report.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "y" / "report.txt").write_text("Two.", encoding="utf-8")
    with pytest.raises(InputError, match=r"y/report.txt: duplicate id 'report' \(already used at .*x/report.txt\)"):
        list(read_documents([tmp_path]))


def test_one_latin1_line_in_utf8_jsonl_is_a_bad_record_not_mojibake(tmp_path, caplog):
    path = write_lines(tmp_path / "n.jsonl", record("a", "Zürich protested."),
                       record("b", "Montréal protested.").decode("utf-8").encode("latin-1"),
                       record("c", "Kyiv said so — again."))
    with pytest.raises(InputError, match=r"n.jsonl, line 2: not UTF-8 \(byte 0xe9 at byte \d+\)"):
        list(read_documents([path]))
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        docs = list(read_documents([path], skip_bad=True))
    assert [d.text for d in docs] == ["Zürich protested.", "Kyiv said so — again."]
    assert "line 2: not UTF-8" in caplog.text


def test_jsonl_wholly_in_a_legacy_encoding_is_decoded_with_a_warning(tmp_path, caplog):
    text = "Москва заявила, что развернет ракеты в Калининграде."
    path = write_lines(tmp_path / "n.jsonl", record("a", "Plain ASCII."),
                       record("b", text).decode("utf-8").encode("cp1251"))
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        docs = list(read_documents([path]))
    assert docs[1].text == text and "not UTF-8; decoded as" in caplog.text and "line 2" in caplog.text


def test_raw_line_separator_inside_a_json_string_does_not_split_the_record(tmp_path):
    path = write_lines(tmp_path / "n.jsonl", record("a", "One\u2028two."))
    (doc,) = read_documents([path])
    assert doc.text == "One\u2028two."


@pytest.mark.parametrize("line, problem", [
    (b"[" * 100_000 + b"]" * 100_000, r"bad JSON \(nested too deeply\)"),
    (b'{"id": ' + b"9" * 5000 + b', "text": "x"}', r"bad JSON \(a number with more than \d+ digits\)"),
])
def test_hostile_json_is_a_bad_record(tmp_path, line, problem):
    path = write_lines(tmp_path / "n.jsonl", record("a", "Fine."), line)
    with pytest.raises(InputError, match=rf"n.jsonl, line 2: {problem}"):
        list(read_documents([path]))
    assert [d.id for d in read_documents([path], skip_bad=True)] == ["a"]


@pytest.mark.parametrize("value, stored", [
    ("2024-03-04", "2024-03-04"), (" 2024-03-04 ", "2024-03-04"), ("2024-03", "2024-03"),
    ("2024", "2024"), ("2024-03-04T23:30:00-05:00", "2024-03-04"), ("2024-03-04T10:00Z", "2024-03-04"),
    ("2024-03-04 10:00:00", "2024-03-04"), ("20240304", "2024-03-04"), ("", None),
])
def test_record_dates_are_normalized(tmp_path, value, stored):
    path = write_lines(tmp_path / "n.jsonl", record("a", "Fine.", date=value))
    (doc,) = read_documents([path])
    assert doc.date == stored


@pytest.mark.parametrize("value", ["garbage", "2024-13", "2024-02-30", "0000-01-01", "99999-01-01",
                                   "2024-00", "0000", "2024-03-04T25:00", "2024/03/04", "2024-3-4"])
def test_bad_record_dates_are_errors_naming_the_record(tmp_path, value):
    path = write_lines(tmp_path / "n.jsonl", record("a", "Fine.", date=value))
    with pytest.raises(InputError, match=r"n.jsonl, line 1: 'date': .* is not an ISO date"):
        list(read_documents([path]))
    assert list(read_documents([path], skip_bad=True)) == []


def test_empty_text_is_kept_with_a_warning(tmp_path, caplog):
    path = write_lines(tmp_path / "n.jsonl", record("a", ""), record("b", "Fine."))
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        docs = list(read_documents([path]))
    assert [d.id for d in docs] == ["a", "b"]
    assert "n.jsonl, line 1: 'text' is empty" in caplog.text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_named(tmp_path, encoding):
    path = tmp_path / "u.txt"
    path.write_bytes("Nato will send troops to Poland, the alliance said.".encode(encoding))
    with pytest.raises(InputError, match="looks like UTF-16 without a byte-order mark"):
        list(read_documents([path]))


def test_unreadable_subfolder_is_skipped_with_a_warning(tmp_path, caplog, monkeypatch):
    import os

    (tmp_path / "ok.txt").write_text("Fine text.", encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.txt").write_text("Hidden.", encoding="utf-8")
    real = os.scandir

    def scandir(path="."):  # what a folder without read permission does (root reads them all)
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        docs = list(read_documents([tmp_path]))
    assert [d.id for d in docs] == ["ok"]
    assert "locked: cannot read this folder (Permission denied)" in caplog.text


def test_checked_documents_reads_everything_before_the_first_document(tmp_path, caplog):
    from kgbuild.read import CheckedDocuments

    path = write_lines(tmp_path / "n.jsonl", record("a", "One."), b"{broken", record("b", "Two."))
    with pytest.raises(InputError, match="line 2: bad JSON"):
        CheckedDocuments([path])
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        checked = CheckedDocuments([path], skip_bad=True)
        assert checked.count == 2 and caplog.text.count("line 2") == 1
        assert [d.id for d in checked] == ["a", "b"] == [d.id for d in checked]
    assert caplog.text.count("line 2") == 1  # warnings once, not at every reading
    stdin = CheckedDocuments(["-"], stdin=io.BytesIO(b"Iran said so."))
    assert [d.text for d in stdin] == ["Iran said so."] == [d.text for d in stdin]


def test_reader_error_stops_a_two_process_extraction_without_hanging(nlp, sample_dir):
    """Issue 15, item 8: spaCy's pool deadlocks when its input raises; StopOnError ends the
    input instead, the pool drains and stops, and the error comes afterwards."""
    import multiprocessing
    import time

    from kgbuild import Document, extract_events
    from kgbuild.read import StopOnError

    texts = [d.text for d in read_documents([sample_dir])]

    def documents():
        for i in range(300):
            yield Document(f"d{i}", texts[i % len(texts)])
        raise InputError("news.jsonl, line 301: bad JSON")

    started = time.monotonic()
    guarded = StopOnError(documents())
    events = list(extract_events(guarded, nlp=nlp, n_process=2, batch_size=16))
    with pytest.raises(InputError, match="line 301: bad JSON"):
        guarded.check()
    assert events and time.monotonic() - started < 400
    assert multiprocessing.active_children() == []
