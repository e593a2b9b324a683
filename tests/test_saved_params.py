"""Saved-query parameters (issue 16): unknown and missing `-p` names are errors that list
the query's parameters; bound values reach the pattern as escaped constants, on the rdflib
graph and the store alike (issue 12)."""
import pytest
from click.testing import CliRunner

from kgbuild import QueryError, QueryParameterError, run_query
from kgbuild.cli import cli
from kgbuild.query import saved_queries
from kgbuild.query.params import bind_placeholders, check_bindings, parameters
from kgbuild.stores.oxigraph import GraphStore

from conftest import result_rows




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
    with pytest.raises(QueryParameterError, match="'dyads' has no parameter x; it takes no parameters"):
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
    assert "[-p actor (required)]" in lines["timeline"]
    assert "[-p lat lon km (together)]" in lines["events-near"]
    assert "[-p" not in lines["who-did-what"]
