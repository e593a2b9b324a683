"""Issue 26, item 17: table cells hold no raw NUL or ESC (CSV, TSV, Parquet, the terminal
table: each control character shown by its control picture), and a TSV row is one line
whatever its values hold."""
from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from kgbuild import Action, Entity, Event, EventType, Sentence, build_graph, load_graph, save_graph
from kgbuild.cli import cli
from kgbuild.tables.rows import columns, graph_rows
from kgbuild.tables.write import write_table
from kgbuild.tabular import csv_line, tsv_cell, visible_controls

NAME = "Zorg\x1b[31mia\x00 \x7f\x9b"
SHOWN = "Zorg\u241b[31mia\u2400 \u2421\ufffd"
SENTENCE = "Zorgia attacked\nUkraine\tat dawn.\r\nIt said\u2028so."
RAW = ("\x00", "\x1b", "\x7f", "\x9b")


@pytest.fixture
def graph_file(tmp_path):
    event = Event(doc="d1", sentence=Sentence(SENTENCE, 0, len(SENTENCE)),
                  actor=Entity(NAME, NAME, "Country", key="actor/Zorgia", start=0, end=6),
                  action=Action("attacked", "attack", 7, 15),
                  target=Entity("Ukraine", "Ukraine", "Country", key="actor/Ukraine"),
                  event_type=EventType("190", "Use conventional military force", "19"),
                  explanation="hand-built", doc_date="2024-05-01")
    path = tmp_path / "g.nt"
    save_graph(build_graph([event]), path)
    return path


def test_visible_controls_keeps_tabs_and_line_breaks():
    assert visible_controls(NAME) == SHOWN
    assert visible_controls("a\tb\nc\rd é ☃") == "a\tb\nc\rd é ☃"
    assert tsv_cell(SENTENCE) == "Zorgia attacked Ukraine at dawn.  It said so."
    assert csv_line(["\x1b=1", "x"], "\t") == "\u241b=1\tx\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_cells_hold_no_raw_controls(graph_file, tmp_path, fmt):
    out = tmp_path / f"t.{fmt}"
    assert write_table(graph_file, out, fmt, rows="mentions") == 1
    data = out.read_bytes().decode("utf-8")
    assert not any(c in data for c in RAW)
    if fmt == "tsv":  # one line per row, no quoting needed for breaks
        lines = data.split("\n")
        assert len(lines) == 3 and lines[-1] == ""
        row = dict(zip(lines[0].split("\t"), lines[1].split("\t")))
        assert len(lines[1].split("\t")) == len(columns("mentions"))
        assert row["sentence"] == tsv_cell(SENTENCE)
    else:  # RFC 4180: the line breaks stay, quoted
        header, row = list(csv.reader(io.StringIO(data, newline="")))
        row = dict(zip(header, row))
        assert row["sentence"] == graph_rows(load_graph(graph_file), "mentions")[0]["sentence"]
        assert "\n" in row["sentence"] and "\t" in row["sentence"]
    assert row["actor1_name"] == SHOWN


def test_parquet_strings_hold_no_raw_controls(graph_file, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "t.parquet"
    write_table(graph_file, out, "parquet", rows="mentions")
    table = pq.read_table(out).to_pylist()
    assert table[0]["actor1_name"] == SHOWN
    assert not any(isinstance(v, str) and any(c in v for c in RAW) for v in table[0].values())


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_query_output_holds_no_raw_controls(graph_file, fmt):
    result = CliRunner().invoke(cli, ["query", str(graph_file), "SELECT ?l WHERE { ?a rdfs:label ?l }",
                                      "--format", fmt])
    assert result.exit_code == 0, result.output
    assert SHOWN in result.output and not any(c in result.output for c in RAW)
