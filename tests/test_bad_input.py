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
    if case in ("bad-sparql", "unknown-query", "update", "service", "unknown-format-export",
                "graph-clause-on-ttl", "query-file-latin-1"):
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
    return setup_issue15_case(case, tmp, good, graph)


# -- issue 15 (items 5, 7, 8, 12-15) ------------------------------------------------------------

def rec(doc_id, text, **extra) -> bytes:
    return json.dumps({"id": doc_id, "text": text, **extra}, ensure_ascii=False).encode("utf-8")


def jsonl(tmp, *lines: bytes, name="n.jsonl"):
    return str(make(tmp, name, b"\n".join(lines) + b"\n"))


UNDO = []  # callbacks that make folders writable again after a test


def unwritable(path):
    """Make a folder refuse new files, also for root (immutable attribute)."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("root, and chattr +i does not work on this file system")
        UNDO.append(lambda: subprocess.run(["chattr", "-i", str(path)], check=True))
    else:
        path.chmod(0o555)
        UNDO.append(lambda: path.chmod(0o755))


def old_graph_with_bad_dates(tmp, good):
    """A graph as builds before issue 15 wrote it: dates that are no real day."""
    from rdflib import XSD, Graph, Literal

    from kgbuild.graph.namespace import KG

    two = jsonl(tmp, rec("a", "Russia deployed troops to Belarus.", date="2024-03-04"),
                rec("b", "Russia attacked Ukraine. Nato condemned Russia.", date="2024-03-05"), name="two.jsonl")
    subprocess.run([EXE, "build", two, "-o", str(tmp / "base.ttl")], check=True, capture_output=True)
    g = Graph().parse(tmp / "base.ttl")
    bad = iter([Literal("2024-13", datatype=XSD.gYearMonth), Literal("2024-02-30", datatype=XSD.date),
                Literal("0000-01-01", datatype=XSD.date), Literal("99999-01-01")])
    for doc in sorted(g.subjects(KG.published, None))[1:]:
        g.set((doc, KG.published, next(bad)))
    for n, ev in enumerate(sorted(g.subjects(KG.actor, None))):
        if n:
            g.set((ev, KG.time, next(bad, Literal("garbage", datatype=XSD.gYearMonth))))
            g.set((ev, KG.firstReported, Literal("2024-02-30", datatype=XSD.date)))
            g.set((ev, KG.timeEnd, Literal("2024-13", datatype=XSD.gYearMonth)))
    g.serialize(tmp / "old.ttl", format="turtle")
    return str(tmp / "old.ttl")


def copy_store(tmp, base_store):
    shutil.copytree(base_store, tmp / "store")
    return str(tmp / "store")


EVIL_ACTORS = ("alias\tlabel\ttype\tcountry\trole\twikidata\tvalid_from\tvalid_to\n"
               "Zorgland\tZorgland\tCountry\tZ\"G>\t\t\t\t\n"
               "Zorg Militia\tZorg Militia\tGroup\tZ\"G>\t\t\t\t\n")
ZORG = "Zorgland attacked Russia. The Zorg Militia attacked Zorgland."


def setup_issue15_case(case, tmp, good, graph):
    base_store = BASE_STORE[0]
    out_ttl, out_jsonl, store = str(tmp / "out.ttl"), str(tmp / "out.jsonl"), str(tmp / "store")
    dup = (rec("a", "Nato will send troops."), rec("b", "Iran attacked Israel."), rec("a", "Russia deployed troops."))
    if case == "duplicate-id":
        return ["build", jsonl(tmp, *dup), "-o", out_ttl]
    if case == "duplicate-id-extract":
        return ["extract", jsonl(tmp, *dup), "-o", out_jsonl]
    if case == "duplicate-id-store":
        return ["build", jsonl(tmp, *dup), "--store", copy_store(tmp, base_store)]
    if case == "duplicate-id-skip":
        return ["build", jsonl(tmp, *dup), "--skip-bad", "-o", out_ttl]
    if case == "duplicate-id-new-store":
        return ["build", jsonl(tmp, *dup), "--store", store]
    if case == "duplicate-id-folder":
        for sub, text in (("x", "Nato will send troops."), ("y", "Iran attacked Israel.")):
            (tmp / "f" / sub).mkdir(parents=True)
            make(tmp / "f" / sub, "report.txt", text)
        return ["build", str(tmp / "f"), "-o", out_ttl]
    mixed = (rec("a", "Russia condemned the attack on Zürich."),
             rec("b", "Montréal protested.").decode("utf-8").encode("latin-1"),
             rec("c", "Nato condemned the strike on Kyiv — again."))
    if case == "mixed-encoding":
        return ["extract", jsonl(tmp, *mixed), "-o", out_jsonl]
    if case == "mixed-encoding-store":
        return ["build", jsonl(tmp, *mixed), "--store", copy_store(tmp, base_store)]
    if case == "mixed-encoding-skip":
        return ["extract", jsonl(tmp, *mixed), "--skip-bad", "-o", out_jsonl]
    if case == "latin-1-jsonl":
        return ["extract", jsonl(tmp, rec("a", "Paris a condamné l'attaque près de Montréal.").decode()
                                 .encode("latin-1")), "-o", out_jsonl]
    if case == "date-option":
        return ["build", str(good), "--date", "garbage", "-o", out_ttl]
    for bad in ("2024-13", "2024-02-30", "0000-01-01", "99999-01-01"):
        if case == f"date-{bad}":
            return ["build", jsonl(tmp, rec("a", "Nato will send troops.", date=bad)), "-o", out_ttl]
    if case == "date-store":
        return ["build", jsonl(tmp, rec("a", "Nato will send troops.", date="2024-13")), "--store",
                copy_store(tmp, base_store)]
    if case == "date-skip":
        return ["build", jsonl(tmp, rec("a", "Nato will send troops.", date="2024-02-30"),
                               rec("b", "Iran attacked Israel.", date="2024-03-04T23:30:00-05:00")),
                "--skip-bad", "-o", out_ttl]
    if case.startswith("old-graph-"):
        old = old_graph_with_bad_dates(tmp, good)
        return {"old-graph-stats": ["stats", old], "old-graph-html": ["viz", old, "-o", str(tmp / "o.html")],
                "old-graph-png": ["viz", old, "-o", str(tmp / "o.png")],
                "old-graph-timeline": ["viz", old, "-o", str(tmp / "t.png"), "--timeline", "RUS"]}[case]
    deep = b"[" * 100_000 + b"]" * 100_000
    digits = b'{"id": ' + b"9" * 5000 + b', "text": "x"}'
    if case in ("deep-json", "deep-json-skip", "long-integer", "long-integer-skip"):
        line = deep if case.startswith("deep") else digits
        return ["build", jsonl(tmp, rec("a", "Nato will send troops."), line), "-o", out_ttl] + \
            (["--skip-bad"] if case.endswith("skip") else [])
    if case == "deep-json-store":
        return ["build", jsonl(tmp, rec("a", "Nato will send troops."), deep), "--store", copy_store(tmp, base_store)]
    if case == "graph-clause-on-ttl":
        return ["query", str(graph), "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"]
    if case in ("corrupt-store-query", "corrupt-store-build"):
        copy_store(tmp, base_store)
        for f in (tmp / "store").glob("MANIFEST-*"):
            data = bytearray(f.read_bytes())
            data[::7] = bytes(b ^ 0xFF for b in data[::7])
            f.write_bytes(bytes(data))
        return ["query", store, "who-did-what"] if case.endswith("query") else ["build", str(good), "--store", store]
    if case == "missing-output-folder":  # checked before the model is even loaded
        return ["build", str(good), "--model", "xx_no_such_model", "-o", str(tmp / "nope" / "out.ttl")]
    if case == "unwritable-output-folder":
        (tmp / "ro").mkdir()
        unwritable(tmp / "ro")
        return ["extract", str(good), "--model", "xx_no_such_model", "-o", str(tmp / "ro" / "out.jsonl")]
    if case == "read-only-store":
        copy_store(tmp, base_store)
        (tmp / "store" / "kgbuild.lock").unlink()
        unwritable(tmp / "store")
        return ["build", jsonl(tmp, rec("z", "Iran attacked Israel.")), "--store", store]
    if case == "bad-iri-parameter-store":
        return ["query", copy_store(tmp, base_store), "timeline", "-p", "actor", "http://a/b> x"]
    if case == "query-file-latin-1":
        return ["query", str(graph), "-f", str(make(tmp, "q.rq", 'SELECT * WHERE { ?s ?p "café" }'.encode("latin-1")))]
    if case == "actor-table-quote-in-country":
        return ["build", str(make(tmp, "z.txt", ZORG)), "--actors", str(make(tmp, "evil.tsv", EVIL_ACTORS)), "-o", out_ttl]
    if case == "actor-table-quote-in-country-store":
        return ["build", str(make(tmp, "z.txt", ZORG)), "--actors", str(make(tmp, "evil.tsv", EVIL_ACTORS)),
                "--store", store]
    if case in ("unfinished-store-query", "unfinished-store-stats", "finish-store"):
        from kgbuild import Document, build_graph
        from kgbuild.stores.oxigraph import GraphStore

        with GraphStore(base_store, read_only=True) as done:
            complete = done.to_graph()
        with GraphStore(tmp / "store") as partial:  # what a build killed before finalize() leaves
            partial.add(build_graph([], graph=complete, documents=[Document("x", "", sha256="0")]))
        return {"unfinished-store-query": ["query", store, "who-did-what"],
                "unfinished-store-stats": ["stats", store], "finish-store": ["build", "--finish", store]}[case]
    if case == "garbled-dirty-file":  # issue 26 item 6
        copy_store(tmp, base_store)
        make(tmp / "store", "kgbuild.dirty", "kgbuild dirty nodes 1\nhttp://x/a> } ; DROP ALL ; INSERT DATA { <http://x/c\n")
        return ["build", "--finish", store]
    if case == "output-is-input":
        return ["extract", jsonl(tmp, rec("a", "Nato will send troops.")), "-o", str(tmp / "n.jsonl")]
    if case == "utf-16-no-bom":
        return ["extract", str(make(tmp, "u.txt", "Nato will send troops to Poland.".encode("utf-16-le"))),
                "-o", out_jsonl]
    if case == "empty-text":
        return ["extract", jsonl(tmp, rec("a", ""), rec("b", "Nato will send troops.")), "-o", out_jsonl]
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
    ("unknown-format-export", 2, "Invalid value for '--format' / '--to'", "out.xml"),
    ("unknown-suffix-build", 1, "cannot tell the RDF format", "out.xyz"),
    ("not-rdf", 1, "broken.ttl: not valid turtle RDF", None),
    ("store-is-file", 1, "is a file, not a store folder", None),
    ("missing-model", 1, "'xx_no_such_model' is not installed", "out.jsonl"),
    # issue 15, item 5: duplicate ids
    ("duplicate-id", 1, "n.jsonl, line 3: duplicate id 'a' (already used at", "out.ttl"),
    ("duplicate-id-extract", 1, "n.jsonl, line 3: duplicate id 'a'", "out.jsonl"),
    ("duplicate-id-store", 1, "n.jsonl, line 3: duplicate id 'a'", None),
    ("duplicate-id-skip", 0, "skipped", None),
    ("duplicate-id-new-store", 1, "n.jsonl, line 3: duplicate id 'a'", "store"),
    ("duplicate-id-folder", 1, "report.txt: duplicate id 'report'", "out.ttl"),
    # item 7: one Latin-1 line in a UTF-8 file
    ("mixed-encoding", 1, "n.jsonl, line 2: not UTF-8 (byte 0xe9", "out.jsonl"),
    ("mixed-encoding-store", 1, "n.jsonl, line 2: not UTF-8", None),
    ("mixed-encoding-skip", 0, "n.jsonl, line 2: not UTF-8", None),
    ("latin-1-jsonl", 0, "n.jsonl: not UTF-8; decoded as", None),
    # item 12: dates
    ("date-option", 2, "Invalid value for '--date': 'garbage' is not an ISO date", "out.ttl"),
    ("date-2024-13", 1, "n.jsonl, line 1: 'date': '2024-13' is not an ISO date", "out.ttl"),
    ("date-2024-02-30", 1, "n.jsonl, line 1: 'date': '2024-02-30' is not an ISO date", "out.ttl"),
    ("date-0000-01-01", 1, "n.jsonl, line 1: 'date': '0000-01-01' is not an ISO date", "out.ttl"),
    ("date-99999-01-01", 1, "n.jsonl, line 1: 'date': '99999-01-01' is not an ISO date", "out.ttl"),
    ("date-store", 1, "'date': '2024-13' is not an ISO date", None),
    ("date-skip", 0, "n.jsonl, line 1: 'date': '2024-02-30'", None),
    ("old-graph-stats", 0, "", None),
    ("old-graph-html", 0, "wrote", None),
    ("old-graph-png", 0, "wrote", None),
    ("old-graph-timeline", 0, "wrote", None),
    # item 13: tracebacks
    ("deep-json", 1, "n.jsonl, line 2: bad JSON (nested too deeply)", "out.ttl"),
    ("deep-json-skip", 0, "1 good records, 1 bad records skipped", None),
    ("deep-json-store", 1, "n.jsonl, line 2: bad JSON (nested too deeply)", None),
    ("long-integer", 1, "n.jsonl, line 2: bad JSON (a number with more than 4300 digits)", "out.ttl"),
    ("long-integer-skip", 0, "1 good records, 1 bad records skipped", None),
    ("graph-clause-on-ttl", 1, "GRAPH needs named graphs", None),
    ("corrupt-store-query", 1, "store: the store is damaged (Corruption", None),
    ("corrupt-store-build", 1, "store: the store is damaged (Corruption", None),
    ("missing-output-folder", 1, "out.ttl: the folder", "nope"),
    ("unwritable-output-folder", 1, "out.jsonl: cannot write in", None),
    ("read-only-store", 1, "store: cannot write to this store", None),
    ("bad-iri-parameter-store", 1, "cannot bind 'http://a/b> x': it starts like an IRI but contains '>'", None),
    ("query-file-latin-1", 1, "q.rq: not UTF-8 text (byte 0xe9", None),
    ("actor-table-quote-in-country", 0, "", None),
    ("actor-table-quote-in-country-store", 0, "", None),
    # item 14: a store left by a killed build
    ("unfinished-store-query", 0, "store: the store is unfinished", None),
    ("unfinished-store-stats", 0, "kgbuild build --finish", None),
    ("finish-store", 0, "store: finished", None),
    ("garbled-dirty-file", 1, "kgbuild.dirty, line 2: is no node IRI", None),
    # item 15: smaller ones
    ("output-is-input", 1, "n.jsonl: is also an input", None),
    ("utf-16-no-bom", 1, "u.txt: looks like UTF-16 without a byte-order mark", "out.jsonl"),
    ("empty-text", 0, "n.jsonl, line 1: 'text' is empty", None),
]


def store_state(path):
    """What a store holds (its quads and whether it is finished), or its files' bytes when
    it cannot be read; None when there is no store."""
    if not path.exists():
        return None
    if path.is_file():
        return path.read_bytes()
    import pyoxigraph

    try:
        quads = sorted(str(q) for q in pyoxigraph.Store.read_only(str(path)))
        return quads, (path / "kgbuild.dirty").exists()
    except (OSError, RuntimeError):
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())
                if p.is_file() and not p.name.startswith("LOG")}  # RocksDB's own log grows


def check_after(case, tmp):
    """What each case must have done besides its exit code and message."""
    out = tmp / "out.jsonl"
    if case == "duplicate-id-skip":
        assert "Nato will send troops." in (tmp / "out.ttl").read_text(encoding="utf-8")
        assert "Russia deployed troops." not in (tmp / "out.ttl").read_text(encoding="utf-8")
    if case == "mixed-encoding-skip":
        text = out.read_text(encoding="utf-8")
        assert "Zürich" in text and "Kyiv — again" in text and "Ã" not in text and "Ăź" not in text
    if case == "date-skip":
        text = (tmp / "out.ttl").read_text(encoding="utf-8")
        assert '"2024-03-04"^^xsd:date' in text and "2024-02-30" not in text
    if case.startswith("actor-table-quote-in-country"):
        from rdflib import Graph, URIRef

        from kgbuild.stores import load_graph

        g = load_graph(tmp / ("out.ttl" if case.endswith("country") else "store"))
        assert URIRef("https://w3id.org/kgbuild/id/actor/country/Z%22G%3E") in set(g.subjects())
        if case.endswith("country"):
            Graph().parse(tmp / "out.ttl")
    if case == "output-is-input":
        assert (tmp / "n.jsonl").read_text(encoding="utf-8").startswith('{"id": "a"')
    if case == "empty-text":
        assert out.exists()
    if case == "finish-store":
        proc = subprocess.run([EXE, "query", str(tmp / "store"), "who-did-what"], capture_output=True, text=True)
        assert "(0 rows)" not in proc.stdout and "unfinished" not in proc.stderr
    if case == "unfinished-store-query":
        assert "(0 rows)" in (tmp / "stdout.txt").read_text()


CHANGES_STORE = {"finish-store", "actor-table-quote-in-country-store"}
BASE_STORE = []


@pytest.fixture(scope="module", autouse=True)
def base_store(tmp_path_factory):
    """A finished store of one document, copied by the cases that need an existing store."""
    folder = tmp_path_factory.mktemp("base")
    good = make(folder, "good.txt", "Moscow will deploy Iskander missiles in Kaliningrad.")
    subprocess.run([EXE, "build", str(good), "--store", str(folder / "store")], check=True, capture_output=True)
    BASE_STORE[:] = [folder / "store"]
    yield folder / "store"


@pytest.mark.parametrize("case, code, message, output", CASES, ids=[c[0] for c in CASES])
def test_bad_input_through_the_real_cli(tmp_path, case, code, message, output):
    try:
        args = setup_case(case, tmp_path)
        store = tmp_path / "store"
        before = store_state(store)
        proc = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=600)
        (tmp_path / "stdout.txt").write_text(proc.stdout)
        assert proc.returncode == code, proc.stderr
        assert message in proc.stderr
        assert "Traceback" not in proc.stderr
        if code == 1:
            assert proc.stderr.strip().splitlines()[-1].startswith("Error: ")
            assert len([line for line in proc.stderr.splitlines() if line.startswith("Error:")]) == 1
        if output is not None:
            assert not (tmp_path / output).exists()
            assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".{output}.")]  # no temp files left
        if code != 0 or case not in CHANGES_STORE and "--store" not in args:
            assert store_state(store) == before  # a failed build leaves a store (or its absence) as it was
        check_after(case, tmp_path)
    finally:
        while UNDO:
            UNDO.pop()()


def kgbuild_processes(marker: str) -> list[str]:
    """Command lines of running processes that mention `marker` (a test's own folder)."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmd:
                found.append(f"{pid}: {cmd}")
    return found


@pytest.mark.parametrize("command", ["extract", "build"])
def test_bad_line_301_with_two_processes_stops_at_once(tmp_path, command):
    """Issue 15, item 8: this hung with its workers blocked on a full pipe, and they outlived
    their parent. Now inputs are read through before extraction, so the error comes first;
    and an error while reading would end the input, so the pool drains and stops."""
    lines = [rec(f"d{i}", "Russia deployed troops to the border. Nato condemned the move.")
             for i in range(300)]
    news = jsonl(tmp_path, *lines, b"{broken", *[rec(f"e{i}", "Iran attacked Israel.") for i in range(100)])
    out = tmp_path / ("out.jsonl" if command == "extract" else "out.ttl")
    proc = subprocess.run([EXE, command, news, "--processes", "2", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "n.jsonl, line 301: bad JSON" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    assert kgbuild_processes(str(tmp_path)) == []  # no worker outlived its parent


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder; tests/test_read.py "
                    "covers this with a folder that refuses to be listed")
def test_unreadable_subfolder_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "news" / "locked").mkdir(parents=True)
    make(tmp_path / "news", "ok.txt", "Nato will send troops to Poland.")
    make(tmp_path / "news" / "locked", "hidden.txt", "Iran attacked Israel.")
    (tmp_path / "news" / "locked").chmod(0)
    try:
        proc = subprocess.run([EXE, "extract", str(tmp_path / "news"), "-o", str(tmp_path / "out.jsonl")],
                              capture_output=True, text=True, timeout=600)
    finally:
        (tmp_path / "news" / "locked").chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert "locked: cannot read this folder (Permission denied)" in proc.stderr


RDF_XML = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file://{secret}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>[&secret;]</ex:p></rdf:Description>
</rdf:RDF>"""
RESULTS_XML = """<?xml version="1.0"?>
<!DOCTYPE sparql [ <!ENTITY secret SYSTEM "file://{secret}"> ]>
<sparql xmlns="http://www.w3.org/2005/sparql-results#">
  <head><variable name="x"/></head>
  <results><result><binding name="x"><literal>[&secret;]</literal></binding></result></results>
</sparql>"""


@pytest.mark.parametrize("query, body, content_type", [
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", RDF_XML, "application/rdf+xml"),
    ("SELECT ?x WHERE { ?x ?p ?o }", RESULTS_XML, "application/sparql-results+xml"),
])
def test_rdf_xml_answers_of_an_endpoint_resolve_no_external_entities(tmp_path, query, body, content_type):
    """Issue 15, item 15: remote answers may be RDF/XML (the only XML kgbuild reads); the
    README says so, and that external entities are not fetched."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    secret = make(tmp_path, "secret.txt", "TOP-SECRET-42")
    answer = body.replace("{secret}", str(secret)).encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        proc = subprocess.run([EXE, "query", "--endpoint", f"http://127.0.0.1:{server.server_port}/q",
                               query, "--format", "json"], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "HOME": str(tmp_path)})
    finally:
        server.shutdown()
    assert "Traceback" not in proc.stderr
    assert "TOP-SECRET-42" not in proc.stdout + proc.stderr
    if proc.returncode == 0:  # rdflib's RDF/XML parser leaves the entity out
        assert "[]" in proc.stdout
    else:  # the SPARQL XML results parser refuses it
        assert proc.returncode == 1 and "undefined entity" in proc.stderr, proc.stderr
