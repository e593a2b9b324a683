"""Events JSON Lines read back (issue 14, item 3): extract once, build without parsing;
every field checked before anything is written (issue 26, items 4 and 7)."""
import dataclasses
import json

import pytest
from click.testing import CliRunner
from rdflib import RDFS, Literal, URIRef
from rdflib.compare import isomorphic

import kgbuild
from kgbuild.cli import cli
from kgbuild.errors import InputError
from kgbuild.event_records import event_record, is_event_input, read_event_records
from kgbuild.graph.build import document_iri
from kgbuild.graph.namespace import KG
from kgbuild.stores import load_graph


@pytest.fixture(scope="module")
def extracted(tmp_path_factory, sample_dir, nlp):
    """`kgbuild extract` of the sample corpus and the direct `kgbuild build` of it."""
    folder = tmp_path_factory.mktemp("events")
    events, direct = folder / "events.jsonl", folder / "direct.ttl"
    runner = CliRunner()
    for args in (["extract", str(sample_dir), "-o", str(events)],
                 ["build", str(sample_dir), "-o", str(direct)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    return events, direct


def test_build_from_events_equals_direct_build(extracted, tmp_path):
    events, direct = extracted
    out = tmp_path / "from-events.ttl"
    result = CliRunner().invoke(cli, ["build", str(events), "-o", str(out)])
    assert result.exit_code == 0, result.output
    from_events, expected = load_graph(out), load_graph(direct)
    assert isomorphic(from_events, expected)
    doc = document_iri("wire-001")  # the metadata of a JSON Lines record
    assert from_events.value(doc, KG.title) == Literal("India and France Sign Defence "
                                                       "Cooperation Agreement")
    assert from_events.value(doc, KG.url) is not None
    assert from_events.value(doc, KG.contentHash) == expected.value(doc, KG.contentHash)


def test_build_store_from_events_equals_direct_store(extracted, sample_dir, tmp_path):
    events, _ = extracted
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(events), "--store", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["build", str(sample_dir), "--store", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert isomorphic(load_graph(tmp_path / "a"), load_graph(tmp_path / "b"))
    again = runner.invoke(cli, ["build", str(events), "--store", str(tmp_path / "a")])
    assert again.exit_code == 0 and "9 skipped as already stored" in again.output


def test_corrected_events_change_the_graph(extracted, tmp_path):
    """The point of the feature: filter and correct the JSON Lines, then build."""
    events, _ = extracted
    records = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    kept = [r for r in records if r["doc"] != "wire-002"]
    kept[0]["actor"]["label"] = "Corrected Actor"
    edited = tmp_path / "edited.ndjson"  # no .jsonl suffix: --from-events says what it is
    edited.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    out = tmp_path / "g.ttl"
    result = CliRunner().invoke(cli, ["build", "--from-events", str(edited), "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = load_graph(out)
    ids = {str(o) for o in graph.objects(None, KG.docId)}
    assert "wire-002" not in ids and "wire-001" in ids
    assert Literal("Corrected Actor") in set(graph.objects())


def test_read_events_gives_back_the_events(sample_events, tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(event_record(e)) + "\n" for e in sample_events),
                    encoding="utf-8")
    back = list(kgbuild.read_events(path))
    assert back == sample_events
    assert isomorphic(kgbuild.events_graph([path]), kgbuild.build_graph(sample_events))
    assert is_event_input([path])


def _broken(extracted, tmp_path, edit) -> tuple:
    events, _ = extracted
    lines = events.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    edit(record)
    lines[2] = json.dumps(record)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad, len(lines)


@pytest.mark.parametrize("edit, field", [
    (lambda r: r["action"].update(lemma=5), "'action.lemma' must be a string"),
    (lambda r: r["sentence"].pop("start"), "'sentence.start' is missing"),
    (lambda r: r.update(modality="perhaps"), "'modality' must be one of"),
    (lambda r: r["actor"].update(lat="north"), "'actor.lat' must be a number"),
    (lambda r: r.update(negated="no"), "'negated' must be true or false"),
    (lambda r: r["document"].update(date="2024-02-30"), "'document.date' must be an ISO date"),
    (lambda r: r.update(target=["x"]), "'target' must be a JSON object or null"),
])
def test_bad_event_record_names_file_line_and_field(extracted, tmp_path, edit, field):
    bad, total = _broken(extracted, tmp_path, edit)
    out = tmp_path / "g.ttl"
    result = CliRunner().invoke(cli, ["build", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {bad}, line 3: {field}") and "--skip-bad" in line
    assert "Traceback" not in result.output and not out.exists()
    skipped = CliRunner().invoke(cli, ["build", str(bad), "-o", str(out), "--skip-bad"])
    assert skipped.exit_code == 0, skipped.output
    assert f"{total - 1} good records, 1 bad records skipped" in skipped.output
    assert sum(1 for _ in load_graph(out).subjects(KG.mentionOf, None)) == total - 1


def test_bad_json_and_mixed_inputs(extracted, sample_dir, tmp_path):
    events, _ = extracted
    bad = tmp_path / "bad.jsonl"
    bad.write_text(events.read_text(encoding="utf-8").splitlines()[0] + "\n{oops\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl, line 2: bad JSON"):
        list(read_event_records([bad]))
    with pytest.raises(InputError, match="holds extracted events but"):
        is_event_input([events, sample_dir / "wire.jsonl"])
    assert not is_event_input([sample_dir / "wire.jsonl", sample_dir])


def test_library_build_recognizes_events(extracted):
    events, direct = extracted
    result = kgbuild.build([events])  # in memory, no model loaded
    assert result.documents == 9
    assert isomorphic(result.graph, load_graph(direct))
    assert result.mentions == sum(1 for _ in events.open(encoding="utf-8"))


# -- Issue 26 items 4 and 7: every field checked, nothing written ------------------------
RUSSIA = "https://w3id.org/kgbuild/id/actor/actor/Russia"


def made_up_record(doc: str = "d1", **changes) -> dict:
    """A small event record: Russia attacked Ukraine in Kyiv, coded 190 (its content, a
    withdrawal, coded 0874)."""
    record = {"doc": doc, "sentence": {"text": "Russia attacked Ukraine in Kyiv.", "start": 0, "end": 32},
              "actor": {"text": "Russia", "label": "Russia", "type": "Country", "key": "actor/Russia",
                        "country": "RUS", "wikidata": "Q159", "start": 0, "end": 6},
              "action": {"text": "attacked", "lemma": "attack", "start": 7, "end": 15},
              "target": {"text": "Ukraine", "label": "Ukraine", "type": "Country", "key": "actor/Ukraine"},
              "location": {"text": "Kyiv", "label": "Kyiv", "type": "Place", "key": "place/geonames/703448",
                           "geonames": 703448, "lat": 50.45466, "lon": 30.5238, "feature_kind": "city"},
              "time": {"text": "on Monday", "value": "2024-05-06"},
              "event_type": {"code": "190", "label": "Use conventional military force", "root": "19",
                             "goldstein": -10.0, "quad_class": 4, "plover_context": ["military"]},
              "content": {"text": "to send troops", "lemma": "send", "mode": "intended",
                          "target": {"text": "troops", "label": "troops", "key": "thing/troops"},
                          "event_type": {"code": "0874", "label": "Retreat militarily", "root": "08"}},
              "confidence": 0.8, "doc_date": "2024-05-07",
              "document": {"id": doc, "date": "2024-05-07", "sha256": "ab" * 32}}
    for path, value in changes.items():
        *parts, last = path.split(".")
        part = record
        for name in parts:
            part = part[name]
        part[last] = value
    return record


def events_file(path, *records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


#: A root that closes its IRI and writes quads of its own: Russia's label in the default
#: graph (which finalize keeps, dropping the real one) and a triple in a graph of its own.
INJECTED_ROOT = ('19> .\n<' + RUSSIA + '> <http://www.w3.org/2000/01/rdf-schema#label> "Hacked" .\n'
                 '<http://x.org/s> <http://x.org/p> <http://x.org/o> <http://x.org/g> .\n<http://x.org/a')

BAD_FIELDS = [  # field, value, what the message says it must be
    ("event_type.root", INJECTED_ROOT, "must be a CAMEO code: 2 to 4 digits"),
    ("event_type.code", "19 0", "must be a CAMEO code"),
    ("event_type.code", "190>", "must be a CAMEO code"),
    ("event_type.code", 190, "must be a CAMEO code"),
    ("sentence.start", 10 ** 400, "must be a whole number from 0 to 10^15"),
    ("action.end", -1, "must be a whole number from 0 to 10^15"),
    ("location.lat", float("nan"), "must be a number from -90 to 90 (got NaN)"),
    ("location.lat", 999, "must be a number from -90 to 90 (got 999)"),
    ("location.lon", 10 ** 400, "must be a number from -180 to 180"),
    ("event_type.goldstein", float("nan"), "must be a number from -10 to 10"),
    ("location.geonames", 10 ** 30, "must be a GeoNames id"),
    ("location.geonames", True, "must be a GeoNames id"),
    ("confidence", float("inf"), "must be a number from 0 to 1 (got Infinity)"),
    ("event_type.quad_class", 7, "must be a quad class"),
    ("time.value", "garbage", "must be an ISO date"),
    ("time.value", "2024-13-45", "must be an ISO date"),
    ("time.value", "0000", "must be an ISO date"),
    ("time.value", "2024-05-01/2024-05-07/2024", "must be an ISO date"),
    ("actor.wikidata", "Q159> <x", "must be a Wikidata id"),
    ("document.sha256", "not a digest", "must be a SHA-256 digest"),
    ("doc_date", "yesterday", "must be an ISO date"),
    ("actor.label", "\ud800", "holds a lone surrogate"),
    ("event_type.plover_context", ["military", 5], "must be a list of strings"),
    ("content.event_type.code", INJECTED_ROOT, "must be a CAMEO code"),
    ("content.target.lat", float("nan"), "must be a number from -90 to 90"),
    ("content.mode", "maybe", "must be one of intended, refused"),
    ("content", "to send troops", "must be a JSON object or null"),
]


@pytest.mark.parametrize("field, value, message", BAD_FIELDS,
                         ids=[f"{f}={str(v)[:12]}" for f, v, _ in BAD_FIELDS])
@pytest.mark.parametrize("sink", ["store", "file"])
def test_bad_field_names_file_line_and_field_and_writes_nothing(tmp_path, sink, field, value, message):
    """Issue 26 items 4 and 7: one line naming file, line and field, exit 1, and no store or
    graph file (the good record of line 1 is not written either)."""
    path = events_file(tmp_path / "events.jsonl", made_up_record("d0"),
                       made_up_record("d1", **{field: value}))
    out = tmp_path / ("kg.store" if sink == "store" else "g.ttl")
    result = CliRunner().invoke(cli, ["build", path, "--store" if sink == "store" else "-o", str(out)])
    assert result.exit_code == 1, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {path}, line 2: '{field}' {message}"), line
    assert "Traceback" not in result.output and not out.exists()


def test_injected_root_leaves_an_existing_store_untouched(tmp_path):
    """Issue 26 item 4: the crafted root was written as N-Quads unescaped (exit 0): it
    replaced Russia's label and wrote a quad into a graph of its own."""
    from kgbuild.stores.oxigraph import GraphStore

    store = tmp_path / "kg.store"
    good = events_file(tmp_path / "good.jsonl", made_up_record("d0"))
    assert CliRunner().invoke(cli, ["build", good, "--store", str(store)]).exit_code == 0
    with GraphStore(store, read_only=True) as opened:
        before = sorted(str(q) for q in opened.store)
    bad = events_file(tmp_path / "bad.jsonl", made_up_record("d1", **{"event_type.root": INJECTED_ROOT}))
    result = CliRunner().invoke(cli, ["build", bad, "--store", str(store)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}, line 1: 'event_type.root' must be a CAMEO code")
    with GraphStore(store, read_only=True) as opened:
        assert sorted(str(q) for q in opened.store) == before
    labels = CliRunner().invoke(cli, ["query", str(store), f"SELECT ?l WHERE {{ <{RUSSIA}> rdfs:label ?l }}",
                                      "--format", "csv"])
    assert labels.output.splitlines() == ["l", "Russia"]


def test_good_made_up_record_builds_and_skip_bad_skips_the_bad_one(tmp_path):
    """The control for the tests above: the made-up record is good; with --skip-bad the
    bad line is skipped with a warning and the good one written."""
    path = events_file(tmp_path / "events.jsonl", made_up_record("d0"),
                       made_up_record("d1", **{"event_type.root": INJECTED_ROOT}))
    store = tmp_path / "kg.store"
    result = CliRunner().invoke(cli, ["build", path, "--store", str(store), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert "1 good records, 1 bad records skipped" in result.output
    graph = load_graph(store)
    assert {str(o) for o in graph.objects(None, KG.docId)} == {"d0"}
    assert [str(o) for o in graph.objects(URIRef(RUSSIA), RDFS.label)] == ["Russia"]
    assert not any("x.org" in str(term) for triple in graph for term in triple)


@pytest.mark.parametrize("quad, words", [
    (("http://x.org/a> <http://x.org/b", "http://x.org/p", "http://x.org/o", None), "IRI"),
    (("http://x.org/a b", "http://x.org/p", "http://x.org/o", None), "IRI"),
    (("http://x.org/a", "http://x.org/p", "http://x.org/o", "http://x.org/g> ."), "IRI"),
    (("relative", "http://x.org/p", "http://x.org/o", None), "IRI"),
    (("http://x.org/a", "http://x.org/p", ("x", "http://x.org/t>", None), None), "IRI"),
    (("http://x.org/a", "http://x.org/p", ("x", None, "en .\n<a>"), None), "language tag"),
    (("http://x.org/a", "http://x.org/p", ("\ud800", None, None), None), "lone surrogate"),
])
def test_nquads_writer_refuses_terms_it_cannot_write(quad, words):
    """Issue 26 item 4: the N-Quads writer refuses what would break out of its term."""
    from kgbuild.errors import OutputError
    from kgbuild.graph.quads import nquads_lines

    with pytest.raises(OutputError, match=words):
        nquads_lines([quad])
    assert nquads_lines([("http://x.org/a", "http://x.org/p", ('a "quoted"\nline\\', None, "en-GB"),
                          "http://x.org/g")]) == [
        '<http://x.org/a> <http://x.org/p> "a \\"quoted\\"\\nline\\\\"@en-GB <http://x.org/g> .\n']


def test_store_refuses_an_event_it_cannot_write(tmp_path):
    """An Event made in Python (not read from a record) with an injected root: the writer
    refuses it, and the store holds none of its quads."""
    from kgbuild.errors import OutputError
    from kgbuild.event_records import parse_record
    from kgbuild.stores.oxigraph import GraphStore

    good, _ = parse_record(made_up_record("d0"))
    bad = dataclasses.replace(good, doc="d1", event_type=dataclasses.replace(
        good.event_type, root=INJECTED_ROOT))
    with GraphStore(tmp_path / "kg.store") as store:
        with pytest.raises(OutputError, match="cannot write the IRI"):
            store.add_events([bad])
        store.write_pending()
        assert len(store) == 0


def test_events_on_stdin_are_read_as_events(extracted, sample_dir, tmp_path):
    """Issue 26 item 9: `cat events.jsonl | kgbuild build -` is told apart by its first
    record as a file is (it was one prose document of JSON before): the graph and the store
    equal those built from the file, through the installed `kgbuild` and CliRunner."""
    import os
    import shutil
    import subprocess
    import sys

    from kgbuild.stores.oxigraph import GraphStore

    events, direct = extracted
    data = events.read_bytes()
    exe = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
    piped = subprocess.run([exe, "build", "-", "-o", str(tmp_path / "piped.ttl")], input=data,
                           capture_output=True, timeout=300)
    assert piped.returncode == 0, piped.stderr
    assert isomorphic(load_graph(tmp_path / "piped.ttl"), load_graph(direct))
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "-", "-o", str(tmp_path / "runner.ttl")], input=data)
    assert result.exit_code == 0, result.output
    assert isomorphic(load_graph(tmp_path / "runner.ttl"), load_graph(direct))
    for args, stdin in ((["-"], data), ([str(events)], None)):
        result = runner.invoke(cli, ["build", *args, "--store", str(tmp_path / f"s{len(args[0])}")],
                               input=stdin)
        assert result.exit_code == 0, result.output
        assert f" {len(data.splitlines())} event mentions" in result.output  # one record each
    with GraphStore(tmp_path / "s1", read_only=True) as a, \
            GraphStore(tmp_path / f"s{len(str(events))}", read_only=True) as b:
        assert isomorphic(a.to_graph(), b.to_graph())
    lines = data.decode().splitlines()
    broken = "\n".join([lines[0], lines[1].replace('"lemma": ', '"lemma": 5, "x": '), *lines[2:]])
    result = runner.invoke(cli, ["build", "-", "-o", str(tmp_path / "bad.ttl")], input=broken)
    assert result.exit_code == 1 and "<stdin>, line 2: 'action.lemma' must be a string" in result.output
    mixed = runner.invoke(cli, ["build", "-", str(sample_dir / "baltic-deployment.txt"), "-o",
                                str(tmp_path / "mixed.ttl")], input=data)
    assert mixed.exit_code == 1 and "<stdin> holds extracted events but" in mixed.output
    assert not (tmp_path / "bad.ttl").exists() and not (tmp_path / "mixed.ttl").exists()
