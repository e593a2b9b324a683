"""Every kind of bad input through the real installed CLI: exit code, message, no output."""
import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))


def make(tmp, name, content):
    path = tmp / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def setup_case(case, tmp):
    """Create the inputs of a case; returns the argument list (paths filled in)."""
    good = make(tmp, "good.txt", "Moscow will deploy Iskander missiles in Kaliningrad.")
    graph = tmp / "graph.ttl"
    if case in ("bad-sparql", "unknown-query", "update", "service", "unknown-format-export"):
        subprocess.run([EXE, "build", str(good), "-o", str(graph)], check=True, capture_output=True)
    if case == "missing":
        return ["extract", str(tmp / "nope.txt"), "-o", str(tmp / "out.jsonl")]
    if case == "broken-symlink":
        (tmp / "link.txt").symlink_to(tmp / "gone.txt")
        return ["extract", str(tmp / "link.txt"), "-o", str(tmp / "out.jsonl")]
    if case == "empty":
        return ["build", str(make(tmp, "empty.txt", "")), "-o", str(tmp / "out.ttl")]
    if case == "no-text-folder":
        (tmp / "f").mkdir()
        make(tmp / "f", "img.png", b"\x89PNG\r\n")
        return ["build", str(tmp / "f"), "-o", str(tmp / "out.ttl")]
    if case == "pdf":
        return ["extract", str(make(tmp, "doc.txt", b"%PDF-1.7\n\x00\x01\x02")), "-o", str(tmp / "out.jsonl")]
    if case == "pdf-in-folder":
        (tmp / "f").mkdir()
        make(tmp / "f", "scan.txt", b"%PDF-1.7\n\x00\x01")
        make(tmp / "f", "ok.txt", "Nato will send troops to Poland.")
        return ["extract", str(tmp / "f"), "-o", str(tmp / "out.jsonl")]
    if case == "fake-gzip":
        return ["extract", str(make(tmp, "news.jsonl.gz", b"not gzip at all")), "-o", str(tmp / "out.jsonl")]
    if case == "gzip-of-binary":
        return ["extract", str(make(tmp, "news.jsonl.gz", gzip.compress(b"\x00\x01\x02\xff" * 50))),
                "-o", str(tmp / "out.jsonl")]
    if case == "latin-1":
        return ["extract", str(make(tmp, "l1.txt", "Paris a condamné l'attaque près de Montréal. " .encode("latin-1") * 4)),
                "-o", str(tmp / "out.jsonl")]
    if case == "utf-16":
        return ["extract", str(make(tmp, "u16.txt", "Nato will send troops to Poland.".encode("utf-16"))),
                "-o", str(tmp / "out.jsonl")]
    if case == "cp1251":
        return ["extract", str(make(tmp, "ru.txt", "Москва заявила о развертывании ракет. ".encode("cp1251") * 5)),
                "-o", str(tmp / "out.jsonl")]
    if case == "10mb-line":
        return ["extract", str(make(tmp, "big.txt", "x" * 10_000_000)), "-o", str(tmp / "out.jsonl")]
    if case == "bad-jsonl":
        rows = json.dumps({"id": "a", "text": "Nato will send troops."}) + "\n{broken\n"
        return ["build", str(make(tmp, "n.jsonl", rows)), "-o", str(tmp / "out.ttl")]
    if case == "bad-jsonl-skip":
        rows = json.dumps({"id": "a", "text": "Nato will send troops."}) + "\n{broken\n" + \
            json.dumps({"id": 3, "text": 5}) + "\n"
        return ["build", str(make(tmp, "n.jsonl", rows)), "--skip-bad", "-o", str(tmp / "out.ttl")]
    if case == "missing-text-field":
        return ["extract", str(make(tmp, "n.jsonl", '{"id": "a", "body": "x"}\n')), "-o", str(tmp / "out.jsonl")]
    if case == "bad-sparql":
        return ["query", str(graph), "SELECT ?x WHERE { ?x ?y"]
    if case == "unknown-query":
        return ["query", str(graph), "no-such-query"]
    if case == "update":
        return ["query", str(graph), "DELETE WHERE { ?s ?p ?o }"]
    if case == "service":
        return ["query", str(graph), "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"]
    if case == "unknown-format-export":
        return ["export", str(graph), "--to", "xml", "-o", str(tmp / "out.xml")]
    if case == "unknown-suffix-build":
        return ["build", str(good), "-o", str(tmp / "out.xyz")]
    if case == "not-rdf":
        return ["stats", str(make(tmp, "broken.ttl", "this is <not turtle"))]
    if case == "store-is-file":
        return ["build", str(good), "--store", str(make(tmp, "store", "I am a file"))]
    if case == "missing-model":
        return ["extract", str(good), "--model", "xx_no_such_model", "-o", str(tmp / "out.jsonl")]
    raise AssertionError(case)


CASES = [  # case, exit code, words the message must contain, output file that must not exist
    ("missing", 1, "nope.txt: no such file or folder", "out.jsonl"),
    ("broken-symlink", 1, "link.txt: no such file or folder", "out.jsonl"),
    ("empty", 1, "empty.txt: the file is empty", "out.ttl"),
    ("no-text-folder", 1, "no .txt or .jsonl files", "out.ttl"),
    ("pdf", 1, "doc.txt: looks like a binary file", "out.jsonl"),
    ("pdf-in-folder", 0, "skipped", None),
    ("fake-gzip", 1, "news.jsonl.gz: cannot read", "out.jsonl"),
    ("gzip-of-binary", 1, "news.jsonl.gz: looks like a binary file", "out.jsonl"),
    ("latin-1", 0, "not UTF-8; decoded as", None),
    ("utf-16", 0, "", None),
    ("cp1251", 0, "not UTF-8; decoded as", None),
    ("10mb-line", 0, "", None),
    ("bad-jsonl", 1, "n.jsonl, line 2: bad JSON", "out.ttl"),
    ("bad-jsonl-skip", 0, "1 good records, 2 bad records skipped", None),
    ("missing-text-field", 1, "n.jsonl, line 1: 'text' is missing", "out.jsonl"),
    ("bad-sparql", 1, "SPARQL syntax error at line 1", None),
    ("unknown-query", 1, "no saved query named 'no-such-query'", None),
    ("update", 1, "read-only", None),
    ("service", 1, "SERVICE clauses are refused", None),
    ("unknown-format-export", 2, "Invalid value for '--to'", "out.xml"),
    ("unknown-suffix-build", 1, "cannot tell the RDF format", "out.xyz"),
    ("not-rdf", 1, "broken.ttl: not valid turtle RDF", None),
    ("store-is-file", 1, "is a file, not a store folder", None),
    ("missing-model", 1, "'xx_no_such_model' is not installed", "out.jsonl"),
]


@pytest.mark.parametrize("case, code, message, output", CASES, ids=[c[0] for c in CASES])
def test_bad_input_through_the_real_cli(tmp_path, case, code, message, output):
    args = setup_case(case, tmp_path)
    proc = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=600)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    if code == 1:
        assert proc.stderr.strip().splitlines()[-1].startswith("Error: ")
        assert len([line for line in proc.stderr.splitlines() if line.startswith("Error:")]) == 1
    if output is not None:
        assert not (tmp_path / output).exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".{output}.")]  # no temp files left
