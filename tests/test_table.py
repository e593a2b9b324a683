"""The GDELT-style event table (issue 14, items 1 and 2): CSV/TSV/Parquet read back by their
own readers, formula-safe cells, DataFrame dtypes, graph file and store alike."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import kgbuild
from kgbuild.cli import cli
from kgbuild.model import Document
from kgbuild.tables.rows import columns, graph_rows
from kgbuild.tables.write import event_table_lines

EVIL_NAME = '=HYPERLINK("http://evil.example/","x")'
EVIL_URL = "@SUM(1+1)"


@pytest.fixture(scope="module")
def table_events(sample_events):
    """The sample events, two documents reported again under new ids (the same events,
    so merged: two mentions, two documents), and one report with formula-like cells."""
    copied = {sample_events[0].doc, sample_events[-1].doc}
    again = [dataclasses.replace(e, doc=f"{e.doc}-again") for e in sample_events if e.doc in copied]
    base = next(e for e in sample_events if e.event_type is not None and e.event_type.goldstein < 0)
    evil = dataclasses.replace(
        base, doc="evil", sentence=dataclasses.replace(base.sentence, text="-1+1 said @them"),
        actor=dataclasses.replace(base.actor, label=EVIL_NAME, key="person/evil", type="Person",
                                  country=None, role=None, wikidata=None))
    return list(sample_events) + again + [evil]


@pytest.fixture(scope="module")
def table_graph(table_events):
    documents = [Document("evil", "", base_date(table_events), EVIL_URL),
                 Document(table_events[0].doc, "", table_events[0].doc_date,
                          "https://example.org/first")]
    return kgbuild.build_graph(table_events, documents=documents)


def base_date(events):
    return next(e.doc_date for e in events if e.doc == "evil")


@pytest.fixture(scope="module")
def table_files(table_graph, tmp_path_factory):
    """The graph as a Turtle file and as a finished Oxigraph store."""
    from kgbuild.stores.oxigraph import GraphStore

    folder = tmp_path_factory.mktemp("table")
    kgbuild.save_graph(table_graph, folder / "graph.ttl")
    with GraphStore(folder / "kg.store") as store:
        store.add(table_graph)
        store.finalize()
    return folder / "graph.ttl", folder / "kg.store"


def run(*args: str):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


def stats(path) -> dict:
    result = run("stats", path, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_table_csv_and_tsv_read_back_by_the_csv_module(table_files, tmp_path, fmt, delimiter):
    graph_file, _ = table_files
    out = tmp_path / f"events.{fmt}"
    result = run("export", graph_file, "--to", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    assert rows[0] == [c.name for c in columns("events")]
    assert len(rows) - 1 == stats(graph_file)["events"]
    assert all(len(r) == len(rows[0]) for r in rows)
    expected = graph_rows(kgbuild.load_graph(graph_file))
    by_id = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    for want in expected:
        got = by_id[want["event_id"]]
        assert got["action"] == want["action"] and got["cameo_code"] == (want["cameo_code"] or "")
        if want["actor1_name"] != EVIL_NAME:
            assert got["sentence"] == want["sentence"]


def test_table_formula_cells_are_made_safe(table_files, tmp_path):
    graph_file, _ = table_files
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        out = tmp_path / f"m.{fmt}"
        assert run("export", graph_file, "--to", fmt, "--rows", "mentions", "-o", out).exit_code == 0
        with open(out, newline="", encoding="utf-8") as fh:
            evil = [r for r in csv.DictReader(fh, delimiter=delimiter) if r["doc_ids"] == "evil"]
        assert len(evil) == 1
        row = evil[0]
        assert row["actor1_name"] == "'" + EVIL_NAME
        assert row["source_urls"] == "'" + EVIL_URL
        assert row["sentence"] == "'-1+1 said @them"
        assert float(row["goldstein"]) < 0 and row["goldstein"].startswith("-")  # a number stays


def test_table_parquet_read_back_by_pyarrow_and_pandas(table_files, tmp_path):
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    graph_file, store = table_files
    out = tmp_path / "events.parquet"
    result = run("export", store, "--to", "parquet", "-o", out)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.column_names == [c.name for c in columns("events")]
    assert table.num_rows == stats(graph_file)["events"]
    assert table.schema.field("cameo_code").type == pa.string()
    assert table.schema.field("num_mentions").type == pa.int64()
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("goldstein").type == pa.float64()
    codes = [c for c in table.column("cameo_code").to_pylist() if c]
    assert any(c.startswith("0") for c in codes)  # leading zeros kept
    frame = pd.read_parquet(out)
    assert len(frame) == table.num_rows
    assert sorted(frame["event_id"]) == sorted(r["event_id"] for r in graph_rows(
        kgbuild.load_graph(graph_file)))


def test_table_events_and_mentions_agree_with_stats(table_files):
    graph_file, _ = table_files
    counts = stats(graph_file)
    graph = kgbuild.load_graph(graph_file)
    events, mentions = graph_rows(graph, "events"), graph_rows(graph, "mentions")
    assert len(events) == counts["events"] and len(mentions) == counts["mentions"]
    assert counts["mentions"] > counts["events"]  # the reports again merged
    assert sum(r["num_mentions"] for r in events) == counts["mentions"]
    assert len({r["mention_id"] for r in mentions}) == len(mentions)
    assert {r["event_id"] for r in mentions} == {r["event_id"] for r in events}
    merged = [r for r in events if r["num_mentions"] == 2]
    assert merged and all(r["num_documents"] == 2 for r in merged)
    for row in merged:
        docs = row["doc_ids"].split(";")
        assert len(docs) == 2 and docs[1] == docs[0] + "-again"


def test_table_store_and_graph_file_give_the_same_rows(table_files, tmp_path):
    from kgbuild.stores.oxigraph import GraphStore

    graph_file, store_path = table_files
    graph = kgbuild.load_graph(graph_file)
    with GraphStore(store_path, read_only=True) as store:
        for rows in ("events", "mentions"):
            assert graph_rows(store, rows) == graph_rows(graph, rows)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("export", graph_file, "--to", "csv", "-o", a).exit_code == 0
    assert run("export", store_path, "--to", "csv", "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_table_columns_of_a_row(table_graph):
    rows = {r["doc_ids"]: r for r in graph_rows(table_graph, "mentions")}
    evil = rows["evil"]
    assert evil["actor1_type"] == "Person" and evil["source_urls"] == EVIL_URL
    assert isinstance(evil["negated"], bool) and isinstance(evil["quad_class"], int)
    placed = [r for r in rows.values() if r["place_geonames"] is not None]
    assert placed and all(isinstance(r["place_lat"], float) for r in placed)
    dated = [r for r in rows.values() if r["date_precision"] == "day"]
    assert dated and all(str(r["sql_date"]) == r["date"].replace("-", "") for r in dated)
    actor2 = [r for r in rows.values() if r["actor2_name"]]
    assert actor2 and all(r["actor2_slot"] in ("recipient", "target", "place") for r in actor2)


def test_extract_rows_use_the_same_columns_as_graph_mentions(table_events, table_graph):
    lines = list(event_table_lines(table_events, "csv", {"evil": EVIL_URL}))
    extracted = list(csv.DictReader(io.StringIO("".join(lines))))
    from_graph = {r["mention_id"]: r for r in graph_rows(table_graph, "mentions")}
    assert list(extracted[0]) == [c.name for c in columns("mentions")]
    assert len(extracted) == len(table_events)
    assert {r["mention_id"] for r in extracted} == set(from_graph)
    for row in extracted:
        want = from_graph[row["mention_id"]]
        for name in ("event_id", "action", "cameo_code", "place_name", "target", "actor1_name",
                     "actor2_name", "date"):
            value = want[name] if want[name] is not None else ""
            assert row[name] in (str(value), "'" + str(value)), name


def test_extract_format_csv_command(tmp_path, nlp):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "date": "2024-03-04", "url": "https://example.org/a",
                               "text": "Russia deployed troops to Belarus."}) + "\n")
    result = run("extract", src, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and rows[0]["source_urls"] == "https://example.org/a"
    assert rows[0]["actor1_code"] == "RUS" and rows[0]["report_date"] == "2024-03-04"
    out = tmp_path / "m.tsv"
    assert run("extract", src, "--format", "tsv", "-o", out).exit_code == 0
    with open(out, newline="", encoding="utf-8") as fh:
        assert [r["event_id"] for r in csv.DictReader(fh, delimiter="\t")] == \
            [r["event_id"] for r in rows]


def test_export_table_to_stdout_and_refusals(table_files):
    graph_file, _ = table_files
    result = run("export", graph_file, "--to", "tsv", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split("\t") == [c.name for c in columns("events")]
    parquet = run("export", graph_file, "--to", "parquet", "-o", "-")
    assert parquet.exit_code == 1 and "give -o FILE.parquet" in parquet.output
    rows = run("export", graph_file, "--to", "graphml", "--rows", "mentions", "-o", "x.graphml")
    assert rows.exit_code == 2


def test_to_dataframe_dtypes(table_files):
    import pandas as pd

    graph_file, store = table_files
    frame = kgbuild.to_dataframe(graph_file)
    assert list(frame.columns) == [c.name for c in columns("events")]
    assert len(frame) == stats(graph_file)["events"]
    for name in ("date", "first_reported", "last_reported", "date_end"):
        assert pd.api.types.is_datetime64_any_dtype(frame[name]), name
    for name in ("num_mentions", "num_documents", "quad_class", "sql_date", "place_geonames"):
        assert frame[name].dtype == "Int64", name
    assert frame["place_geonames"].isna().any() and frame["place_geonames"].notna().any()
    for name in ("cameo_code", "cameo_root", "actor1_code", "event_id", "sentence"):
        assert pd.api.types.is_string_dtype(frame[name]), name
    assert frame["cameo_code"].dropna().str.startswith("0").any()
    assert frame["goldstein"].dtype == "float64" and frame["negated"].dtype == "boolean"
    mentions = kgbuild.to_dataframe(store, rows="mentions")
    assert len(mentions) == stats(graph_file)["mentions"]
    assert pd.api.types.is_datetime64_any_dtype(mentions["report_date"])
    assert mentions["confidence"].dtype == "float64"


def test_query_result_to_dataframe_dtypes(table_graph):
    import pandas as pd

    frame = kgbuild.run_query(table_graph, "who-did-what").to_dataframe()
    assert list(frame.columns) == ["actor", "action", "target", "recipient", "place", "date",
                                   "code", "mentions"]
    assert frame["mentions"].dtype == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert pd.api.types.is_string_dtype(frame["code"])
    assert frame["code"].dropna().str.match(r"0\d\d").any()
    typed = kgbuild.run_query(table_graph, """PREFIX kg: <https://w3id.org/kgbuild/ns#>
        SELECT ?g ?neg ?e WHERE { ?e kg:negated ?neg ; kg:eventType/kg:goldstein ?g } LIMIT 5""")
    frame = typed.to_dataframe()
    assert frame["g"].dtype == "float64" and frame["neg"].dtype == "boolean"
    assert pd.api.types.is_string_dtype(frame["e"])  # IRIs
    with pytest.raises(kgbuild.QueryError, match="SELECT"):
        kgbuild.run_query(table_graph, "ASK { ?s ?p ?o }").to_dataframe()


def test_missing_pyarrow_names_the_extra(table_files, tmp_path, monkeypatch):
    graph_file, _ = table_files
    out = tmp_path / "events.parquet"
    out.write_bytes(b"old")
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = run("export", graph_file, "--to", "parquet", "-o", out)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: Parquet output needs pyarrow, which is not installed: "
        "pip install 'kgbuild[parquet]'"]
    assert out.read_bytes() == b"old"


def test_missing_pandas_names_the_extra(table_graph, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(kgbuild.MissingExtraError, match=r"pip install 'kgbuild\[pandas\]'"):
        kgbuild.to_dataframe(table_graph)
    with pytest.raises(kgbuild.MissingExtraError, match=r"kgbuild\[pandas\]"):
        kgbuild.run_query(table_graph, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1").to_dataframe()


def test_table_library_imports_no_click_pandas_or_pyarrow(table_files):
    graph_file, _ = table_files
    code = ("import sys, kgbuild; from kgbuild.tables.write import write_table; "
            "import kgbuild.dataframes, kgbuild.tables.rows; "
            f"write_table({str(graph_file)!r}, '-', 'csv'); "
            "bad = [m for m in ('click', 'pandas', 'pyarrow') if m in sys.modules]; "
            "assert not bad, bad; assert 'to_dataframe' in dir(kgbuild); "
            "assert 'to_dataframe' in kgbuild.__all__")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("event_id,")


def test_readme_maps_every_column():
    from pathlib import Path

    from kgbuild.tables.rows import COLUMNS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    documented = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", readme, re.M)
    table = [(name, gdelt.strip()) for name, gdelt in documented
             if name in {c.name for c in COLUMNS}]
    assert table == [(c.name, c.gdelt or "—") for c in COLUMNS]


# --- issue 28 item 4: tables pandas reads right -------------------------------------------

def test_table_actor_code_is_one_code_per_row_all_codes_in_actor_codes(table_graph):
    """Issue 28 item 4: `actor1_code` held 'RUS;RUSGOV' in one cell, splitting a groupby."""
    from kgbuild.tables.rows import primary_code

    rows = graph_rows(table_graph, "mentions")
    several = [r for r in rows if r["actor1_codes"] and ";" in r["actor1_codes"]]
    assert several  # the sample's Russia is reported as RUS and RUSGOV
    for n in (1, 2):
        for row in rows:
            codes = (row[f"actor{n}_codes"] or "").split(";")
            assert ";" not in (row[f"actor{n}_code"] or "")
            assert row[f"actor{n}_code"] == primary_code([c for c in codes if c])
    by_name: dict[str, set] = {}
    for row in rows:
        by_name.setdefault(row["actor1_name"], set()).add(row["actor1_code"])
    assert all(len(codes) == 1 for codes in by_name.values())
    assert primary_code(["RUSGOV", "RUS"]) == "RUS" and primary_code([]) is None


@pytest.mark.parametrize("fmt", ["csv", "tsv", "parquet"])
@pytest.mark.parametrize("rows", ["events", "mentions"])
def test_read_table_gives_the_dataframe_of_the_graph(table_files, tmp_path, fmt, rows):
    """Issue 28 item 4: `kgbuild.read_table` reads what `export` wrote with the dtypes of
    `to_dataframe`: CAMEO codes stay strings ('057', not 57.0), formula quotes come off."""
    import pandas as pd

    graph_file, _ = table_files
    out = tmp_path / f"table.{fmt}"
    assert run("export", graph_file, "--to", fmt, "--rows", rows, "-o", out).exit_code == 0
    frame = kgbuild.read_table(out)
    pd.testing.assert_frame_equal(frame, kgbuild.to_dataframe(graph_file, rows=rows))
    assert frame["cameo_code"].dropna().str.match(r"0\d\d").any()
    if fmt == "csv":  # what pandas alone makes of the same file
        plain = pd.read_csv(out)
        assert not pd.api.types.is_string_dtype(plain["cameo_code"])


def test_read_table_of_extracted_rows(table_events, tmp_path):
    import pandas as pd

    out = tmp_path / "mentions.csv"
    out.write_text("".join(event_table_lines(table_events, "csv", {"evil": EVIL_URL})), encoding="utf-8")
    frame = kgbuild.read_table(out)
    assert list(frame.columns) == [c.name for c in columns("mentions")]
    assert len(frame) == len(table_events)
    assert pd.api.types.is_string_dtype(frame["cameo_code"]) and frame["quad_class"].dtype == "Int64"
    evil = frame[frame["doc_ids"] == "evil"].iloc[0]
    assert evil["actor1_name"] == EVIL_NAME and evil["source_urls"] == EVIL_URL


def test_read_table_errors_name_the_file_line_and_column(table_files, tmp_path):
    graph_file, _ = table_files
    out = tmp_path / "events.csv"
    assert run("export", graph_file, "-o", out).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("quad_class")] = "four"
    bad = tmp_path / "bad.csv"
    bad.write_text(lines[0] + ",".join(cells) + "\n", encoding="utf-8")
    with pytest.raises(kgbuild.InputError, match=r"bad\.csv, line 2, column quad_class: 'four'"):
        kgbuild.read_table(bad)
    short = tmp_path / "short.csv"
    short.write_text(lines[0] + "a,b\n", encoding="utf-8")
    with pytest.raises(kgbuild.InputError, match=r"short\.csv, line 2: 2 cells"):
        kgbuild.read_table(short)
    with pytest.raises(kgbuild.InputError, match=r"cannot read a table as .xlsx. \(from .\.xlsx.\)"):
        kgbuild.read_table(tmp_path / "events.xlsx")
    with pytest.raises(kgbuild.InputError, match="not a readable Parquet"):
        kgbuild.read_table(out, fmt="parquet")


def test_readme_read_csv_dtype_keeps_codes_strings(table_files, tmp_path):
    """Issue 28 item 4: the `dtype=` the README gives plain `pd.read_csv`."""
    from pathlib import Path

    import pandas as pd

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    (snippet,) = re.findall(r"pd\.read_csv\(\"events\.csv\", dtype=(\{[^}]*\})", readme)
    dtype = eval(snippet, {"str": str})  # noqa: S307 - our own README
    graph_file, _ = table_files
    out = tmp_path / "events.csv"
    assert run("export", graph_file, "-o", out).exit_code == 0
    plain, typed = pd.read_csv(out, dtype=dtype), kgbuild.read_table(out)
    for name in dtype:
        assert list(plain[name].fillna("")) == list(typed[name].fillna("")), name
    text = {c.name for c in columns("events") if c.kind == "text"}
    guessed = {name for name in text - set(dtype) if not pd.api.types.is_string_dtype(
        pd.read_csv(out)[name]) and pd.read_csv(out)[name].notna().any()}
    assert guessed == set()  # every text column pandas would take for numbers is listed


def test_events_near_carries_modality_and_cameo_code(table_graph):
    """Issue 28 item 4: `events-near` gives each event's modality and CAMEO code."""
    result = kgbuild.run_query(table_graph, "events-near")
    assert result.variables[-2:] == ["modality", "code"]
    assert result.rows
    table = {(r["actor1_name"], r["action"], r["modality"], r["cameo_code"])
             for r in graph_rows(table_graph) if r["place_lat"] is not None}
    got = {(str(r[4]), str(r[5]), str(r[8]), None if r[9] is None else str(r[9])) for r in result.rows}
    assert got <= table and any(code for *_, code in got)
