"""Issue 12, item 4: saved queries rewritten for the store's indexes give the rows the
old texts gave; --limit / --offset page any SELECT query, and a cut is reported."""
import json

import pytest
from click.testing import CliRunner
from conftest import result_rows

from kgbuild import run_query
from kgbuild.cli import DEFAULT_LIMIT, cli
from kgbuild.query import page, saved_queries
from kgbuild.stores.oxigraph import GraphStore

#: The saved queries of issue 12 as they were before it (binding only in a final FILTER, UNION);
#: dyads and timeline as issue 23 defines their rows (default parameters).
OLD = {
    "dyads": """
PREFIX kg: <https://w3id.org/kgbuild/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?source ?other (COUNT(DISTINCT ?event) AS ?events) (SUM(COALESCE(?g, 0)) AS ?goldstein)
WHERE {
  ?event a kg:Event ; kg:actor ?a ; kg:modality "asserted" ; kg:negated false .
  { ?event kg:recipient ?t } UNION { ?event kg:target ?t }
  ?a a kg:Actor ; rdfs:label ?source .
  ?t a kg:Actor ; rdfs:label ?other .
  FILTER (?a != ?t && STR(?source) != STR(?other))
  FILTER NOT EXISTS { VALUES ?c { kg:Target kg:Weapon kg:Equipment kg:Facility }
                      { ?a a ?c } UNION { ?t a ?c } }
  OPTIONAL { ?event kg:eventType/kg:goldstein ?g }
}
GROUP BY ?source ?other
ORDER BY DESC(?events) ?goldstein""",
    "timeline": """
PREFIX kg: <https://w3id.org/kgbuild/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?date ?as ?actorLabel ?action ?target ?modality ?negated ?sentence ?undated
WHERE {
  ?event a kg:Event ; kg:actor ?a ; kg:action ?action ; kg:modality ?modality ;
         kg:negated ?negated ; kg:mention ?m .
  ?m kg:sentence/kg:text ?sentence .
  ?a rdfs:label ?actorLabel .
  BIND ("actor" AS ?as)
  OPTIONAL { ?event kg:target/rdfs:label ?target }
  OPTIONAL { ?event kg:time ?date }
  OPTIONAL { ?m kg:timeText ?timeText }
  BIND (IF(BOUND(?date), "", IF(BOUND(?timeText),
        CONCAT("its time '", STR(?timeText), "' needs a report date, and its document has none"),
        "the report names no time and its document has no date")) AS ?undated)
  FILTER (!BOUND(?actor) || LCASE(STR(?actorLabel)) = LCASE(STR(?actor))
          || EXISTS { ?a kg:countryCode ?code FILTER (STR(?code) = UCASE(STR(?actor))) }
          || EXISTS { ?a kg:cameoActorCode ?cameo FILTER (STR(?cameo) = UCASE(STR(?actor))) })
}
ORDER BY ?date ?action""",
    "at-place": """
PREFIX kg: <https://w3id.org/kgbuild/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?placeLabel ?actor ?action ?target ?date
WHERE {
  ?event a kg:Event ; kg:location/rdfs:label ?placeLabel ; kg:actor/rdfs:label ?actor ; kg:action ?action .
  OPTIONAL { ?event kg:target/rdfs:label ?target }
  OPTIONAL { ?event kg:time ?date }
  FILTER (!BOUND(?place) || LCASE(STR(?placeLabel)) = LCASE(STR(?place)))
}
ORDER BY ?placeLabel ?date""",
    "claims": """
PREFIX kg: <https://w3id.org/kgbuild/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?source ?actor ?action ?target ?sentence
WHERE {
  ?event a kg:Event ; kg:actor/rdfs:label ?actor ; kg:action ?action ; kg:mention ?m .
  ?m kg:attributedTo/rdfs:label ?source ; kg:sentence/kg:text ?sentence .
  OPTIONAL { ?event kg:target/rdfs:label ?target }
}
ORDER BY ?source ?actor""",
    "negated-future": """
PREFIX kg: <https://w3id.org/kgbuild/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?actor ?action ?target ?modality ?negated ?sentence
WHERE {
  ?event a kg:Event ; kg:actor/rdfs:label ?actor ; kg:action ?action ;
         kg:modality ?modality ; kg:negated ?negated ; kg:mention/kg:sentence/kg:text ?sentence .
  OPTIONAL { ?event kg:target/rdfs:label ?target }
  FILTER (?negated = true || ?modality != "asserted")
}
ORDER BY ?modality ?actor""",
    "who-did-what": """
PREFIX kg: <https://w3id.org/kgbuild/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?actor ?action ?target ?recipient ?place ?date ?code ?mentions
WHERE {
  ?event a kg:Event ; kg:actor ?a ; kg:action ?action ; kg:mentionCount ?mentions .
  ?a rdfs:label ?actor .
  OPTIONAL { ?event kg:target/rdfs:label ?target }
  OPTIONAL { ?event kg:recipient/rdfs:label ?recipient }
  OPTIONAL { ?event kg:location/rdfs:label ?place }
  OPTIONAL { ?event kg:time ?date }
  OPTIONAL { ?event kg:eventType/kg:cameoCode ?code }
}
ORDER BY ?actor ?action ?target""",
}

#: (saved query, bindings) pairs compared old text against new.
CASES = [("dyads", {}), ("claims", {}), ("negated-future", {}), ("who-did-what", {}),
         ("timeline", {"actor": "RUS"}), ("timeline", {"actor": "nato"}),
         ("timeline", {"actor": "Russia"}), ("timeline", {"actor": "nosuch"}),
         ("timeline", {"actor": "RUSGOV"}),
         ("at-place", {}), ("at-place", {"place": "kaliningrad"})]




@pytest.mark.parametrize("name,bindings", CASES)
def test_rewritten_saved_query_gives_the_old_rows(sample_graph, sample_store, name, bindings):
    assert name in OLD and set(OLD) <= set(saved_queries())
    old = run_query(sample_graph, OLD[name], bindings=bindings)
    new = run_query(sample_graph, name, bindings=bindings)
    assert result_rows(new) == result_rows(old), name
    with GraphStore(sample_store, read_only=True) as store:
        on_store = run_query(store, name, bindings=bindings)
        old_on_store = run_query(store, OLD[name], bindings=bindings)
    assert result_rows(on_store) == result_rows(old), name
    assert result_rows(old_on_store) == result_rows(old), name
    if bindings.get("actor") in ("RUS", "nato"):
        assert old.rows, "the sample graph should have rows for this binding"


def test_page_takes_one_row_past_the_page():
    taken = []
    rows = (taken.append(i) or i for i in range(100))
    assert page(rows, 10, 20) == (list(range(20, 30)), True)
    assert len(taken) == 31  # a lazily evaluated answer stops right after the page
    assert page(range(5), 5) == (list(range(5)), False)
    assert page(range(5), None, 2) == ([2, 3, 4], False)


#: Bindings for saved queries with required parameters, in the tests that run every one.
REQUIRED = {"timeline": {"actor": "RUS"}, "events-in-country": {"country": "RUS"}}


@pytest.mark.parametrize("engine", ["graph", "store"])
@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_paged_query_returns_the_unpaged_rows_in_pages(sample_graph, sample_store, engine, name):
    """Every saved query, sorted (timeline) or in store order (who-did-what): pages at
    offsets 0, 3, 6 ... together are the unpaged answer, row for row in order."""
    bindings = REQUIRED.get(name, {})
    with GraphStore(sample_store, read_only=True) as store:
        source = sample_graph if engine == "graph" else store
        full = run_query(source, name, bindings=bindings)
        assert full.rows and not full.truncated, name
        size = 3 if len(full.rows) > 7 else 1  # several pages either way
        pages, offset = [], 0
        while True:
            part = run_query(source, name, bindings=bindings, limit=size, offset=offset)
            assert len(part.rows) <= size and part.offset == offset
            pages.extend(part.rows)
            offset += size
            if not part.truncated:
                break
    assert pages == full.rows


def test_limit_on_an_ad_hoc_query_is_reported_as_cut(sample_graph, sample_store):
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    with GraphStore(sample_store, read_only=True) as store:
        for source in (sample_graph, store):
            cut = run_query(source, q, limit=5)
            assert len(cut.rows) == 5 and cut.truncated
            exact = run_query(source, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", limit=5)
            assert len(exact.rows) == 1 and not exact.truncated


def test_cli_limit_and_offset_say_when_rows_are_cut(sample_graph, sample_store, tmp_path):
    graph_file = tmp_path / "g.ttl"
    sample_graph.serialize(graph_file, format="turtle")
    q = "SELECT ?s WHERE { ?s a ?type } ORDER BY ?s"
    runner = CliRunner()
    for target in (str(graph_file), str(sample_store)):
        full = runner.invoke(cli, ["query", target, q, "--format", "csv", "--limit", "0"])
        assert full.exit_code == 0, full.output
        all_rows = full.stdout.splitlines()[1:]
        cut = runner.invoke(cli, ["query", target, q, "--format", "csv", "--limit", "4",
                                  "--offset", "2"])
        assert cut.exit_code == 0, cut.output
        assert cut.stdout.splitlines()[1:] == all_rows[2:6]
        assert "showing rows 3-6" in cut.stderr and "--offset 6" in cut.stderr
        last = runner.invoke(cli, ["query", target, q, "--format", "csv", "--limit", "4",
                                   "--offset", str(len(all_rows) - 4)])
        assert last.stdout.splitlines()[1:] == all_rows[-4:] and "showing rows" not in last.stderr
    default = runner.invoke(cli, ["query", str(graph_file), "SELECT * WHERE { ?s ?p ?o }",
                                  "--format", "json"])
    assert len(json.loads(default.stdout)["results"]["bindings"]) == DEFAULT_LIMIT  # cells hold newlines
    assert f"showing rows 1-{DEFAULT_LIMIT}" in default.stderr


def test_negative_limit_is_a_query_error(sample_graph):
    from kgbuild import QueryError

    with pytest.raises(QueryError, match="limit and offset"):
        run_query(sample_graph, "who-did-what", limit=-1)
