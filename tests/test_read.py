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
