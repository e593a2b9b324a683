"""A confidence that means something (issue 22, item 7): a fitted probability, and the
`--min-confidence` filter of extract, build and export."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF

from kgbuild import Document, extract_events
from kgbuild.cli import cli
from kgbuild.extract.confidence import FEATURES, features, probability, scored, weights
from kgbuild.graph.confidence import drop_unconfident
from kgbuild.graph.namespace import KG

TEXT = ("Germany sent two frigates to the Baltic Sea on Monday. Japan is considering sending aid "
        "to Haiti. The minister met Lavrov and later he criticized Poland. Rebels attacked a convoy "
        "near Goma, killing four soldiers.")


@pytest.fixture(scope="module")
def events(nlp):
    return list(extract_events([Document(id="c", text=TEXT, date="2024-05-06")], nlp=nlp))


def test_every_feature_has_a_fitted_weight():
    table = weights()
    assert set(table) == set(FEATURES)
    assert table["bias"] != 0 and sum(1 for v in table.values() if v != 0) >= len(FEATURES) // 2


def test_confidence_is_the_models_probability(events):
    assert events
    for e in events:
        same_sentence = [x for x in events if x.sentence.start == e.sentence.start]
        assert e.confidence == round(probability(features(e, same_sentence)), 2)
        assert 0 < e.confidence < 1


def test_what_makes_events_wrong_lowers_confidence(events):
    """The judged set's commonest faults (no party, an untyped action, a pronoun actor)
    each lower the probability of an otherwise identical event."""
    sent = next(e for e in events if e.action.lemma == "send")
    assert sent.target is not None and sent.event_type is not None
    base = scored([sent])[0].confidence
    no_party = scored([replace(sent, target=None, recipient=None)])[0].confidence
    untyped = scored([replace(sent, event_type=None)])[0].confidence
    pronoun = scored([replace(sent, actor=replace(sent.actor, text="they"))])[0].confidence
    assert no_party < base and untyped < base and pronoun < base


def test_probability_of_features_without_weights_is_even():
    assert probability(dict.fromkeys(FEATURES, 1.0), {}) == 0.5


@pytest.fixture(scope="module")
def text_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("conf") / "news.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _floor(events_jsonl: str) -> tuple[int, float, float]:
    confidences = [json.loads(line)["confidence"] for line in events_jsonl.splitlines() if line]
    return len(confidences), min(confidences, default=1.0), max(confidences, default=0.0)


def test_extract_min_confidence_filters(nlp, text_file):
    runner = CliRunner()
    everything = runner.invoke(cli, ["extract", str(text_file)])
    assert everything.exit_code == 0, everything.output
    n_all, lowest, highest = _floor(everything.stdout)
    assert lowest < highest
    floor = round((lowest + highest) / 2, 3)
    kept = runner.invoke(cli, ["extract", str(text_file), "--min-confidence", str(floor)])
    assert kept.exit_code == 0, kept.output
    n_kept, kept_lowest, _ = _floor(kept.stdout)
    assert 0 < n_kept < n_all and kept_lowest >= floor
    bad = runner.invoke(cli, ["extract", str(text_file), "--min-confidence", "1.5"])
    assert bad.exit_code == 2 and "1.5" in bad.output and "Traceback" not in bad.output


def _mention_confidences(graph: Graph) -> list[float]:
    return [float(c.toPython()) for c in graph.objects(None, KG.confidence)]


def test_build_and_export_min_confidence(nlp, text_file, tmp_path):
    runner = CliRunner()
    full = tmp_path / "all.ttl"
    assert runner.invoke(cli, ["build", str(text_file), "-o", str(full)]).exit_code == 0
    confidences = sorted(_mention_confidences(Graph().parse(full)))
    floor = round((confidences[0] + confidences[-1]) / 2, 3)
    part = tmp_path / "part.ttl"
    result = runner.invoke(cli, ["build", str(text_file), "-o", str(part), "--min-confidence", str(floor)])
    assert result.exit_code == 0, result.output
    kept = _mention_confidences(Graph().parse(part))
    assert 0 < len(kept) < len(confidences) and min(kept) >= floor

    exported = tmp_path / "exported.ttl"
    result = runner.invoke(cli, ["export", str(full), "-o", str(exported), "--min-confidence", str(floor)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(exported)
    assert sorted(_mention_confidences(graph)) == sorted(kept)
    for event in graph.subjects(RDF.type, KG.Event):  # no event lost its mentions
        assert list(graph.objects(event, KG.mention))

    table = runner.invoke(cli, ["export", str(full), "--format", "csv", "--rows", "mentions",
                                "--min-confidence", str(floor)])
    assert table.exit_code == 0, table.output
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert rows and len(rows) == len(kept) and min(float(r["confidence"]) for r in rows) >= floor


def test_drop_unconfident_keeps_an_event_with_one_confident_report(sample_graph):
    graph = Graph()
    for triple in sample_graph:
        graph.add(triple)
    events = set(graph.subjects(RDF.type, KG.Event))
    removed = drop_unconfident(graph, 0.999)
    assert removed == len(events) - len(set(graph.subjects(RDF.type, KG.Event)))
    assert drop_unconfident(graph, 0.0) == 0
