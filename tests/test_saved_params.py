"""Saved-query parameters (issue 16): unknown and missing `-p` names are errors that list
the query's parameters; bound values reach the pattern as escaped constants, on the rdflib
graph and the store alike (issue 12)."""
import re

import pytest
from click.testing import CliRunner
from conftest import result_rows

from kgbuild import QueryError, QueryParameterError, run_query
from kgbuild.cli import cli
from kgbuild.query import saved_queries
from kgbuild.query.params import bind_placeholders, check_bindings, parameters
from kgbuild.stores.oxigraph import GraphStore


def test_every_declared_parameter_has_a_placeholder_and_back():
    for name, text in saved_queries().items():
        declared = set(parameters(text).names)
        marked = {n for n in declared if f"VALUES ?{n} {{ UNDEF }}" in text}
        assert marked == declared, name
    assert parameters(saved_queries()["timeline"]).required == {"actor"}
    assert parameters(saved_queries()["events-near"]).groups == (("lat", "lon", "km"),)
    assert parameters(saved_queries()["who-did-what"]).names == []


def test_unknown_parameter_is_an_error_listing_the_parameters(sample_graph):
    with pytest.raises(QueryParameterError, match=r"'timeline' has no parameter actr; it takes "
                                                  r"actor \(required\)"):
        run_query(sample_graph, "timeline", bindings={"actr": "RUS"})
    with pytest.raises(QueryParameterError, match="'claims' has no parameter x; it takes no parameters"):
        run_query(sample_graph, "claims", bindings={"x": "1"})
    with pytest.raises(QueryParameterError, match="'dyads' has no parameter x; it takes quad, root, modality"):
        run_query(sample_graph, "dyads", bindings={"x": "1"})
    assert issubclass(QueryParameterError, QueryError)


def test_missing_required_parameter_is_an_error_not_all_rows(sample_graph, sample_store):
    with GraphStore(sample_store, read_only=True) as store:
        for source in (sample_graph, store):
            with pytest.raises(QueryParameterError, match=r"'timeline' needs actor \(-p actor VALUE\)"):
                run_query(source, "timeline")
            with pytest.raises(QueryParameterError, match="'events-in-country' needs country"):
                run_query(source, "events-in-country", bindings={})
            assert run_query(source, "at-place").rows  # optional: unbound gives every placed event


def test_parameters_given_together_or_not_at_all(sample_graph):
    with pytest.raises(QueryParameterError, match="takes lat lon km together; km missing"):
        run_query(sample_graph, "events-near", bindings={"lat": "54.7", "lon": "20.5"})
    check_bindings("events-near", saved_queries()["events-near"], {})  # none: fine


def test_ad_hoc_queries_take_any_binding(sample_graph):
    q = "SELECT ?a WHERE { ?e <https://w3id.org/kgbuild/ns#action> ?a } LIMIT 1"
    assert run_query(sample_graph, q, bindings={"anything": "x"}).kind == "SELECT"


def test_cli_parameter_errors_are_one_line(tmp_path, sample_graph):
    graph_file = tmp_path / "g.ttl"
    sample_graph.serialize(graph_file, format="turtle")
    runner = CliRunner()
    for args, words in ((["timeline", "-p", "actr", "RUS"], "has no parameter actr; it takes actor"),
                        (["timeline"], "needs actor (-p actor VALUE)"),
                        (["events-near", "-p", "lat", "1"], "together; lon, km missing")):
        result = runner.invoke(cli, ["query", str(graph_file), *args])
        assert result.exit_code == 1, result.output  # as every other query error
        assert words in result.stderr and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1


def test_placeholder_binding_escapes_the_value():
    from rdflib import Literal

    text = 'SELECT ?x WHERE { VALUES ?v { UNDEF } ?x ?p ?v }'
    bound, rest = bind_placeholders(text, {"v": Literal('") } DROP ALL #'), "w": Literal("1")})
    assert bound == 'SELECT ?x WHERE { VALUES ?v { "\\") } DROP ALL #" } ?x ?p ?v }'
    assert rest == {"w": Literal("1")}  # no placeholder: left for a VALUES block


@pytest.mark.parametrize("name,bindings", [
    ("events-near", {"lat": "54.7", "lon": "20.5", "km": "100"}),
    ("events-near", {}),
    ("events-in-country", {"country": "rus"}),
    ("at-place", {"place": "KALININGRAD"}),
    ("timeline", {"actor": '") } DROP ALL #'}),
])
def test_bound_saved_queries_agree_between_store_and_graph(sample_graph, sample_store, name, bindings):
    on_graph = run_query(sample_graph, name, bindings=bindings)
    with GraphStore(sample_store, read_only=True) as store:
        on_store = run_query(store, name, bindings=bindings)
    assert result_rows(on_store) == result_rows(on_graph), name
    if name != "timeline":
        assert on_graph.rows, f"the sample graph should have rows for {name} {bindings}"
    else:
        assert on_graph.rows == []


def test_list_shows_each_saved_querys_parameters():
    listed = CliRunner().invoke(cli, ["query", "--list"])
    assert listed.exit_code == 0, listed.output
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()}
    assert "[-p actor (required), role]" in lines["timeline"]
    assert "[-p quad, root, modality]" in lines["dyads"]
    assert "[-p lat lon km (together)]" in lines["events-near"]
    assert "[-p" not in lines["who-did-what"]


# -- issue 23, item 2: dyads and timeline answer the analyst's question --------------------
def _entity(label: str, kind: str, key: str, country: str | None = None, role: str | None = None):
    from kgbuild.model import Entity

    return Entity(text=label, label=label, type=kind, country=country, role=role, key=key)


RUSSIA = ("Russia", "Country", "country/RUS", "RUS")
UKRAINE = ("Ukraine", "Country", "country/UKR", "UKR")
#: (actor, lemma, CAMEO code, target, modality, negated): one document each
DYAD_EVENTS = [
    (RUSSIA, "attack", "190", UKRAINE, "asserted", False),    # material conflict, root 19
    (RUSSIA, "accuse", "112", UKRAINE, "asserted", False),    # verbal conflict, root 11
    (RUSSIA, "attack", "190", UKRAINE, "future", False),      # not (yet) an attack
    (RUSSIA, "attack", "190", UKRAINE, "asserted", True),     # denied
    (UKRAINE, "visit", "042", RUSSIA, "asserted", False),     # verbal cooperation
    (RUSSIA, "attack", "190", ("embassy", "Facility", "thing/embassy", "UKR"), "asserted", False),
    (("embassy", "Facility", "thing/embassy", "UKR"), "accuse", "112", RUSSIA, "asserted", False),
    (RUSSIA, "attack", "190", RUSSIA, "asserted", False),     # a self-loop: one node
    (("Russia", "Government", "agent/RUS/GOV", "RUS", "GOV"), "accuse", "112", RUSSIA,
     "asserted", False),                                      # a self-loop: one label
]


@pytest.fixture(scope="module")
def dyad_graph():
    from kgbuild import build_graph
    from kgbuild.extract.lexicon import event_types
    from kgbuild.model import Action, Event, Sentence

    events = []
    for n, (actor, lemma, code, target, modality, negated) in enumerate(DYAD_EVENTS):
        text = f"{actor[0]} {lemma} {target[0]} ({n})."
        events.append(Event(doc=f"d{n}", sentence=Sentence(text, 0, len(text)), actor=_entity(*actor),
                            action=Action(lemma, lemma), target=_entity(*target), modality=modality,
                            negated=negated, event_type=event_types()[code], doc_date="2022-03-01"))
    return build_graph(events)


def _dyads(source, **bindings) -> dict:
    return {(str(r[0]), str(r[1])): int(r[2]) for r in run_query(source, "dyads", bindings=bindings).rows}


@pytest.fixture(scope="module")
def dyad_sources(dyad_graph, tmp_path_factory):
    """The dyad graph as rdflib graph, as a graph file's store (no index) and as a built
    store (with the dyad index): each parameter must give the same rows on all three."""
    from kgbuild.stores import open_store, save_graph

    folder = tmp_path_factory.mktemp("dyads")
    save_graph(dyad_graph, folder / "g.ttl")
    with GraphStore(folder / "store") as writer:
        writer.add(dyad_graph)
        writer.finalize()
    with open_store(folder / "g.ttl") as from_file, GraphStore(folder / "store", read_only=True) as built:
        yield {"graph": dyad_graph, "file": from_file, "store": built}


@pytest.mark.parametrize("bindings,expected", [
    ({}, {("Russia", "Ukraine"): 2, ("Ukraine", "Russia"): 1}),           # asserted, not negated
    ({"quad": "4"}, {("Russia", "Ukraine"): 1}),
    ({"quad": "Material conflict"}, {("Russia", "Ukraine"): 1}),
    ({"quad": "verbal-cooperation"}, {("Ukraine", "Russia"): 1}),
    ({"root": "11"}, {("Russia", "Ukraine"): 1}),
    ({"root": "4"}, {("Ukraine", "Russia"): 1}),                           # read as "04"
    ({"modality": "future"}, {("Russia", "Ukraine"): 1}),
    ({"modality": "negated"}, {("Russia", "Ukraine"): 1}),
    ({"modality": "any"}, {("Russia", "Ukraine"): 4, ("Ukraine", "Russia"): 1}),
    ({"modality": "any", "quad": "4"}, {("Russia", "Ukraine"): 3}),
])
def test_dyads_parameters_change_the_rows_and_drop_self_loops_and_things(dyad_sources, bindings, expected):
    for name, source in dyad_sources.items():
        assert _dyads(source, **bindings) == expected, name  # no embassy, no Russia -> Russia


def test_dyads_parameter_values_are_checked(dyad_graph, tmp_path):
    for key, value, words in (("quad", "7", "-p quad takes 0-4 or a quad class name (neutral, "),
                              ("root", "21", "-p root takes a CAMEO root code, 01-20, not '21'"),
                              ("modality", "maybe", "-p modality takes one of asserted, future")):
        with pytest.raises(QueryParameterError, match=re.escape(words)):
            run_query(dyad_graph, "dyads", bindings={key: value})
    dyad_graph.serialize(tmp_path / "g.ttl", format="turtle")
    result = CliRunner().invoke(cli, ["query", str(tmp_path / "g.ttl"), "dyads", "-p", "quad", "war"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        "Error: saved query 'dyads': -p quad takes 0-4 or a quad class name (neutral, verbal "
        "cooperation, material cooperation, verbal conflict, material conflict), not 'war'"]


def test_dyads_lists_follow_the_ontology_and_the_model():
    """The things dyads leaves out are kg:Target and its subclasses; the modalities it
    pairs are the model's."""
    from rdflib import RDFS

    from kgbuild.graph.namespace import KG
    from kgbuild.model import MODALITIES
    from kgbuild.query import ontology_graph

    text = saved_queries()["dyads"]
    things = set(ontology_graph().transitive_subjects(RDFS.subClassOf, KG.Target))
    listed = re.search(r"VALUES \?thing \{ ([^}]*) \}", text).group(1).split()
    assert {KG[t.removeprefix("kg:")] for t in listed} == things
    modalities = re.search(r"VALUES \?m \{ ([^}]*) \}", text).group(1).split()
    assert tuple(m.strip('"') for m in modalities) == MODALITIES


TIMELINE_DOCS = [
    ("dated", "2022-05-02", "The Russian government condemned the attack. "
                            "Ukraine accused Russia of shelling the plant."),
    ("undated", None, "The Russian government expelled two diplomats. "
                      "Ukraine attacked Russia on Tuesday."),
]


@pytest.fixture(scope="module")
def timeline_sources(nlp, tmp_path_factory):
    from kgbuild import Document, build_graph, extract_events
    from kgbuild.stores import open_store, save_graph

    docs = [Document(id=i, text=text, date=date) for i, date, text in TIMELINE_DOCS]
    graph = build_graph(list(extract_events(docs, nlp=nlp)))
    path = tmp_path_factory.mktemp("timeline") / "g.ttl"
    save_graph(graph, path)
    with open_store(path) as store:
        yield {"graph": graph, "file": store}


def _timeline(source, **bindings) -> list[dict]:
    result = run_query(source, "timeline", bindings=bindings)
    return [{k: ("" if v is None else str(v)) for k, v in zip(result.variables, row)} for row in result.rows]


def test_timeline_finds_a_cameo_actor_code(timeline_sources):
    for name, source in timeline_sources.items():
        rows = _timeline(source, actor="RUSGOV")  # issue 23: 0 rows before
        assert {r["action"] for r in rows} == {"condemn", "expel"}, name
        assert {r["as"] for r in rows} == {"actor"}
        assert _timeline(source, actor="rusgov") == rows  # codes in any case, as labels


def test_timeline_role_target_finds_events_done_to_the_actor(timeline_sources):
    for name, source in timeline_sources.items():
        target = _timeline(source, actor="RUS", role="target")
        assert {(r["actorLabel"], r["action"]) for r in target} == {("Ukraine", "accuse"),
                                                                    ("Ukraine", "attack")}, name
        assert {r["as"] for r in target} == {"target"}
        acting = _timeline(source, actor="RUS", role="actor")
        assert {r["action"] for r in acting} == {"condemn", "expel"}
        assert _timeline(source, actor="RUS") == acting  # by default: what it did
        both = _timeline(source, actor="RUS", role="any")
        assert sorted(map(str, both)) == sorted(map(str, target + acting))
        assert _timeline(source, actor="Russia", role="target") == [r for r in target if
                                                                    r["target"] == "Russia"]


def test_timeline_undated_rows_come_last_and_say_why(timeline_sources):
    for name, source in timeline_sources.items():
        rows = _timeline(source, actor="RUS", role="any")
        dated = [r["date"] != "" for r in rows]
        assert dated == sorted(dated, reverse=True) and True in dated and False in dated, name
        why = {r["action"]: r["undated"] for r in rows if not r["date"]}
        assert why == {
            "expel": "the report names no time and its document has no date",
            "attack": "its time 'Tuesday' needs a report date, and its document has none"}
        assert all(r["undated"] == "" for r in rows if r["date"])
