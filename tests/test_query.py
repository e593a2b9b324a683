"""SPARQL over the sample graph: ad-hoc and saved queries, parameters, errors."""
import json

import pytest

from kgbuild import QueryError, format_result, graph_stats, run_query
from kgbuild.graph.build import mention_iri
from kgbuild.query import saved_queries

DEPLOYMENTS = """
PREFIX kg: <https://w3id.org/kgbuild/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?actor ?target ?place ?modality WHERE {
  ?e a kg:Event ; kg:actor ?a ; kg:action "deploy" ; kg:target ?t ; kg:modality ?modality .
  ?a kg:countryCode ?code ; rdfs:label ?actor . ?t rdfs:label ?target .
  OPTIONAL { ?e kg:location/rdfs:label ?place }
  FILTER (?code = "RUS")
}"""


def test_query_finds_russia_deploying_iskanders(sample_graph):
    result = run_query(sample_graph, DEPLOYMENTS)
    rows = [[str(v) for v in r] for r in result.rows]
    assert any(r[0] == "Russia" and "Iskander" in r[1] and r[2] == "Kaliningrad" and r[3] == "future"
               for r in rows), rows


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_runs_and_returns_rows(sample_graph, name):
    bindings = {"timeline": {"actor": "RUS"}, "events-in-country": {"country": "RUS"}}.get(name)
    result = run_query(sample_graph, name, bindings=bindings)
    assert result.kind == "SELECT" and result.rows, name


def test_parameters_are_bound_not_pasted(sample_graph):
    rus = run_query(sample_graph, "timeline", bindings={"actor": "RUS", "role": "actor"})
    coded = run_query(sample_graph, 'PREFIX kg: <https://w3id.org/kgbuild/ns#> PREFIX rdfs: '
                                    '<http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE '
                                    '{ ?a kg:countryCode "RUS" ; rdfs:label ?l }')
    russian = {str(r[0]) for r in coded.rows}
    assert rus.rows and {str(r[2]) for r in rus.rows} <= russian  # the country and its actors
    assert len({str(r[2]) for r in rus.rows}) > 1
    hostile = run_query(sample_graph, "timeline", bindings={"actor": '") } DROP ALL #'})
    assert hostile.rows == []


def test_ask_and_construct(sample_graph):
    ask = run_query(sample_graph, 'ASK { ?e <https://w3id.org/kgbuild/ns#action> "deploy" }')
    assert ask.kind == "ASK" and ask.boolean is True
    built = run_query(sample_graph, "PREFIX kg: <https://w3id.org/kgbuild/ns#> "
                                    "CONSTRUCT { ?e kg:actor ?a } WHERE { ?e kg:actor ?a }")
    assert built.graph is not None and len(built.graph) > 5


def test_syntax_error_reports_position(sample_graph):
    with pytest.raises(QueryError, match=r"SPARQL syntax error at line \d+, column \d+"):
        run_query(sample_graph, "SELECT ?x WHERE { ?x ?y }")


def test_updates_and_service_are_refused(sample_graph):
    with pytest.raises(QueryError, match="read-only"):
        run_query(sample_graph, "DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(sample_graph, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_unknown_saved_query(sample_graph):
    with pytest.raises(QueryError, match="no saved query named 'nosuch'"):
        run_query(sample_graph, "nosuch")


def test_formats(sample_graph):
    result = run_query(sample_graph, "who-did-what")
    as_json = json.loads(format_result(result, "json"))
    assert as_json["head"]["vars"] == result.variables
    assert len(as_json["results"]["bindings"]) == len(result.rows)
    csv_lines = format_result(result, "csv").splitlines()
    assert csv_lines[0].split(",") == result.variables and len(csv_lines) == len(result.rows) + 1
    assert f"({len(result.rows)} rows)" in format_result(result, "table")


def test_stats_counts(sample_graph, sample_events):
    counts = graph_stats(sample_graph)
    assert counts["mentions"] == len({mention_iri(e) for e in sample_events})
    assert 0 < counts["events"] <= counts["mentions"]
    assert counts["documents"] >= 5 and counts["actors"] >= 10
    assert sum(counts["event_types"].values()) == counts["events"]


def test_rdfs_inference_finds_events_as_sem_events(sample_graph):
    q = ("PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> "
         "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a sem:Event ; sem:hasActor ?a }")
    plain = run_query(sample_graph, q)
    inferred = run_query(sample_graph, q, infer=True)
    assert int(plain.rows[0][0]) == 0
    assert int(inferred.rows[0][0]) == graph_stats(sample_graph)["events"]


def test_inference_finds_events_by_their_schema_org_roles(sample_graph):
    """Issue 28: the README's `--infer` with `schema:agent` found 0 events (RDFS does not
    read the ontology's owl:equivalentProperty)."""
    q = ("PREFIX schema: <https://schema.org/> "
         "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e schema:agent ?a }")
    with_actor = run_query(sample_graph, "SELECT (COUNT(DISTINCT ?e) AS ?n) "
                           "WHERE { ?e <https://w3id.org/kgbuild/ns#actor> ?a }")
    assert int(run_query(sample_graph, q).rows[0][0]) == 0
    assert int(run_query(sample_graph, q, infer=True).rows[0][0]) == int(with_actor.rows[0][0]) > 0


def test_event_type_scheme_matches_the_code_table():
    from rdflib import SKOS

    from kgbuild.extract.lexicon import event_types
    from kgbuild.graph.build import CAMEO
    from kgbuild.graph.namespace import KG
    from kgbuild.query import ontology_graph

    g = ontology_graph()
    table = event_types()
    assert len(set(g.subjects(SKOS.inScheme, CAMEO["scheme"]))) == len(table)
    for code, etype in table.items():
        assert str(g.value(CAMEO[code], SKOS.notation)) == code
        if etype.goldstein is not None:
            assert float(g.value(CAMEO[code], KG.goldstein)) == etype.goldstein
    roots = set(g.subjects(SKOS.topConceptOf, CAMEO["scheme"]))
    assert len(roots) == 20
    assert g.value(CAMEO["154"], SKOS.broadMatch) is not None  # PLOVER crosswalk


@pytest.mark.parametrize("value", ["http://a/b> x", 'http://a/"b', "http://a/{b}", "http://a/b c"])
def test_parameter_that_is_not_a_valid_iri_is_refused(sample_graph, value):
    """Issue 15, item 13: on a store this was a traceback from the N-Triples writer."""
    with pytest.raises(QueryError, match="starts like an IRI but contains"):
        run_query(sample_graph, "timeline", bindings={"actor": value})


def test_graph_clause_over_a_graph_file_is_a_query_error(sample_graph):
    """Issue 15, item 13: rdflib raises while the results are read, not when the query runs."""
    with pytest.raises(QueryError, match="GRAPH needs named graphs"):
        run_query(sample_graph, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
