"""Events JSON Lines read back (issue 14, item 3): extract once, build without parsing."""
import json

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.compare import isomorphic

import kgbuild
from kgbuild.cli import cli
from kgbuild.errors import InputError
from kgbuild.event_records import event_record, is_event_input, read_event_records
from kgbuild.stores import load_graph
from kgbuild.graph.build import document_iri
from kgbuild.graph.namespace import KG


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
    (lambda r: r["document"].update(date="2024-02-30"), "'document.date':"),
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
