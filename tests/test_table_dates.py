"""Issue 29, item 3: the event table of a day, month or year (`export --since/--until/--date`),
read from a store by date, and the table's values read per event, mention and node give
what the one query joining them all gave."""
from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime as dt
import io

import pytest
from click.testing import CliRunner

import kgbuild
from kgbuild.cli import cli
from kgbuild.model import TimeRef
from kgbuild.query import run_query
from kgbuild.stores.oxigraph import GraphStore
from kgbuild.tables.dates import date_range
from kgbuild.tables.rows import graph_rows
from kgbuild.tables.select import mention_values

#: Times given to the sample's events in turn: days, a month, a year, intervals, none.
TIMES = ["2024-03-04", "2024-03-05", "2024-03", "2024", "2024-03-04/2024-03-06",
         "2024-02-28/2024-03-02", "2023-12-31", None]


@pytest.fixture(scope="module")
def dated(sample_events, tmp_path_factory):
    """The sample events dated by `TIMES` in turn, as a graph and as a finished store."""
    events = [dataclasses.replace(e, time=TimeRef("then", TIMES[i % len(TIMES)])
                                  if TIMES[i % len(TIMES)] else None, doc_date=None)
              for i, e in enumerate(sample_events)]
    graph = kgbuild.build_graph(events)
    path = tmp_path_factory.mktemp("dated") / "kg.store"
    with GraphStore(path) as store:
        store.add(graph)
        store.finalize()
    return graph, path


def _span(text: str) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts), dt.date(*parts)
    if len(parts) == 2:
        return dt.date(*parts, 1), dt.date(*parts, calendar.monthrange(*parts)[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _inside(row: dict, since: str | None, until: str | None) -> bool:
    """The row's whole date inside [first day of since, last day of until], by hand."""
    if row["date"] is None:
        return False
    first, last = _span(row["date"])[0], _span(row["date_end"] or row["date"])[1]
    return ((since is None or first >= _span(since)[0])
            and (until is None or last <= _span(until)[1]))


RANGES = [("2024-03-04", "2024-03-04"), ("2024-03", "2024-03"), ("2024", "2024"),
          ("2024-03-04", "2024-03-06"), ("2024-02", "2024-03"), ("2024-03-05", None),
          (None, "2024-03-01"), ("2023-12-31", "2025-01-01"), ("1999-01-01", "1999-01-02")]


@pytest.mark.parametrize("rows", ["events", "mentions"])
def test_table_date_filter_keeps_the_rows_dated_wholly_inside(dated, rows):
    graph, path = dated
    everything = graph_rows(graph, rows)
    assert {r["date_precision"] for r in everything} >= {"day", "month", "year", None}
    with GraphStore(path, read_only=True) as store:
        assert graph_rows(store, rows) == everything
        for since, until in RANGES:
            expected = [r for r in everything if _inside(r, since, until)]
            dates = date_range(since, until)
            assert graph_rows(graph, rows, dates=dates) == expected, (since, until)
            assert graph_rows(store, rows, dates=dates) == expected, (since, until)
    day = [r for r in everything if _inside(r, "2024-03-04", "2024-03-04")]
    assert day and {r["date"] for r in day} == {"2024-03-04"}
    assert date_range(date="2024-03") == date_range("2024-03", "2024-03")


def test_table_long_range_reads_every_date_and_keeps_the_same_rows(dated, monkeypatch):
    """A range longer than the values worth looking up one by one is read by a scan of
    every event's date: the same rows."""
    import kgbuild.tables.dates as dates_module

    graph, path = dated
    expected = [r for r in graph_rows(graph) if _inside(r, "2024-03-01", "2024-03-31")]
    monkeypatch.setattr(dates_module, "MAX_LOOKUPS", 10)
    assert date_range("2024-03-01", "2024-03-31").lookups() is None
    with GraphStore(path, read_only=True) as store:
        assert graph_rows(store, dates=date_range("2024-03-01", "2024-03-31")) == expected


#: The one query the table was read with before this issue: a solution per mention.
OLD_TABLE_QUERY = """PREFIX kg: <https://w3id.org/kgbuild/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
SELECT * WHERE {
  ?event a kg:Event ; kg:mention ?mention .
  OPTIONAL { ?event kg:action ?action }
  OPTIONAL { ?event kg:modality ?modality }
  OPTIONAL { ?event kg:negated ?negated }
  OPTIONAL { ?event kg:time ?time }
  OPTIONAL { ?event kg:timeEnd ?time_end }
  %(slots)s
  OPTIONAL { ?event kg:location ?pl .
    OPTIONAL { ?pl rdfs:label ?pl_name }
    OPTIONAL { ?pl kg:countryCode ?pl_country }
    OPTIONAL { ?pl wgs:lat ?pl_lat }
    OPTIONAL { ?pl wgs:long ?pl_lon }
    OPTIONAL { ?pl owl:sameAs ?pl_same FILTER (STRSTARTS(STR(?pl_same), "https://sws.geonames.org/")) } }
  OPTIONAL { ?event kg:eventType ?et .
    OPTIONAL { ?et kg:cameoCode ?code }
    OPTIONAL { ?et kg:cameoRoot ?root }
    OPTIONAL { ?et kg:quadClass ?quad }
    OPTIONAL { ?et kg:goldstein ?goldstein }
    OPTIONAL { ?et kg:plover ?plover } }
  OPTIONAL { ?mention kg:confidence ?confidence }
  OPTIONAL { ?mention kg:sentence ?s .
    OPTIONAL { ?s kg:text ?sentence }
    OPTIONAL { ?s kg:start ?sentence_start } }
  OPTIONAL { ?mention kg:document ?doc .
    OPTIONAL { ?doc kg:docId ?doc_id }
    OPTIONAL { ?doc kg:url ?url }
    OPTIONAL { ?doc kg:published ?published } }
}"""
_SLOT = """OPTIONAL { ?event kg:%(p)s ?%(v)s .
    OPTIONAL { ?%(v)s rdfs:label ?%(v)s_name }
    OPTIONAL { ?%(v)s kg:cameoActorCode ?%(v)s_code }
    OPTIONAL { ?%(v)s kg:countryCode ?%(v)s_country }
    OPTIONAL { ?%(v)s kg:role ?%(v)s_role }
    OPTIONAL { ?%(v)s kg:wikidata ?%(v)s_wikidata }
    OPTIONAL { ?%(v)s a ?%(v)s_class%(no_actor)s } }"""


def test_table_values_per_mention_are_those_of_the_old_single_query(sample_graph, sample_store):
    slots = "\n  ".join(_SLOT % {"p": p, "v": v, "no_actor": f" FILTER (?{v}_class != kg:Actor)"
                                  if v != "tg" else ""}
                        for p, v in (("actor", "a1"), ("recipient", "rc"), ("target", "tg")))
    old = run_query(sample_graph, OLD_TABLE_QUERY % {"slots": slots})
    expected: dict[str, dict[str, set[str]]] = {}
    for row in old.rows:
        found = expected.setdefault(str(row[old.variables.index("mention")]), {})
        for var, term in zip(old.variables, row):
            if term is not None and str(term) != "":
                found.setdefault(var, set()).add(str(term))
    assert len(expected) > 20
    with GraphStore(sample_store, read_only=True) as store:
        for source in (sample_graph, store):
            got = mention_values(source)
            assert set(got) == set(expected)
            for mention, values in expected.items():
                for var in old.variables:
                    if var in ("s", "doc"):  # join variables, not read by the folding
                        continue
                    assert set(got[mention].all(var)) == values.get(var, set()), (mention, var)


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_cli_export_date_writes_that_days_rows_and_refuses_bad_dates(dated, tmp_path):
    graph, path = dated
    runner = CliRunner()
    out = runner.invoke(cli, ["export", str(path), "--date", "2024-03-04", "--format", "csv"])
    assert out.exit_code == 0, out.output
    expected = [r for r in graph_rows(graph) if _inside(r, "2024-03-04", "2024-03-04")]
    assert [r["event_id"] for r in _csv_rows(out.stdout)] == [r["event_id"] for r in expected]
    target = tmp_path / "day.csv"
    for args, message in [
            (["--date", "2024-13-01"], "Error: --date '2024-13-01': not a date; give a day "
                                       "(2025-01-03), a month (2025-01) or a year (2025)"),
            (["--since", "03/04/2024"], "Error: --since '03/04/2024': not a date"),
            (["--since", "2024-03-05", "--until", "2024-03-04"],
             "Error: --until 2024-03-04 is before --since 2024-03-05"),
            (["--date", "2024", "--until", "2024"], "Error: --date is one day, month or year")]:
        out = runner.invoke(cli, ["export", str(path), *args, "-o", str(target)])
        assert out.exit_code == 1, out.output
        assert out.output.startswith(message) and out.output.count("\n") == 1, out.output
        assert "Traceback" not in out.output and not target.exists()
    out = runner.invoke(cli, ["export", str(path), "--date", "2024", "--format", "turtle"])
    assert out.exit_code == 2 and "--since, --until and --date work with" in out.output
