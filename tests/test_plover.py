"""PLOVER as published (issue 11, item 4): type, mode and context of every CAMEO code from
the PLOVER project's CAMEO2PLOVER-2021 table (kgbuild/extract/data/plover.tsv), in the
event JSON and on the event-type concepts of the graph."""
import csv
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal

from kgbuild import Event, build_graph
from kgbuild.cli import cli
from kgbuild.extract.lexicon import event_types
from kgbuild.graph.build import CAMEO
from kgbuild.graph.namespace import KG

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import_plover.py"


def data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("kgbuild.extract").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def plover_rows() -> dict[str, tuple]:
    return {r["code"]: (r["plover"], r["mode"] or None, tuple(r["context"].split(";")) if r["context"] else ())
            for r in data_rows("plover.tsv")}


CAMEO_CODES = [r["code"] for r in data_rows("cameo_codes.tsv")]


def published(etype) -> tuple:
    return etype.plover, etype.plover_mode, etype.plover_context


def test_plover_table_gives_every_cameo_code_its_row_or_nearest_listed_ancestor():
    table, types = plover_rows(), event_types()
    unlisted = []
    for code in CAMEO_CODES:
        ancestors = [code, code[:3], code[:2]] if len(code) == 4 else [code, code[:2]]
        row = next((table[c] for c in ancestors if c in table), None)
        if row is None:
            unlisted.append(code)
            row = (None, None, ())
        assert published(types[code]) == row, code
    # PLOVER publishes nothing for statements and appeals, and kgbuild makes nothing up.
    assert unlisted and all(code[:2] in ("01", "02") for code in unlisted)
    assert "01" in unlisted and "0244" in unlisted


def test_plover_table_codes_it_lists_map_exactly():
    table, types = plover_rows(), event_types()
    listed = [code for code in CAMEO_CODES if code in table]
    assert len(listed) > 250
    for code in listed:
        assert published(types[code]) == table[code], code


def test_plover_table_has_no_hand_made_column_left():
    assert "plover" not in data_rows("cameo_codes.tsv")[0]


@pytest.mark.parametrize("code, expected", [
    ("08", ("CONCEDE", None, ())),                        # the first of the two 08 headers
    ("084", ("RETREAT", None, ())),
    ("0874", ("RETREAT", "disarm", ("military",))),
    ("0813", ("RETREAT", None, ("legal",))),              # listed under the 08 RETREAT header
    ("094", ("ACCUSE", "investigate", ("military", "legal"))),
    ("163", ("COERCE", "restrict", ("diplomatic",))),      # not SANCTION, as published
    ("175", ("ASSAULT", "pro_autocracy", ("military",))),  # listed twice, under 18
    ("191", ("COERCE", "restrict", ("military",))),       # listed under 17
    ("1712", ("ASSAULT", "seize", ("human_security",))),
    ("010", (None, None, ())),
    ("02", (None, None, ())),
])
def test_plover_table_keeps_the_choices_of_the_source(code, expected):
    assert published(event_types()[code]) == expected


def test_plover_table_credits_its_source():
    header = resources.files("kgbuild.extract").joinpath("data", "plover.tsv").read_text(encoding="utf-8")
    for needed in ("openeventdata/PLOVER", "CAMEO2PLOVER-2021.txt", "Draft 0.8", "17-Sep-2021",
                   "CC BY-SA 4.0", "derived table"):
        assert needed in header, needed


def run_import(tmp_path, source: str):
    src, out = tmp_path / "table.txt", tmp_path / "plover.tsv"
    src.write_text(source, encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), str(src), "-o", str(out)],
                            capture_output=True, text=True)
    return result, out


# Made-up lines in the format of the published table (the quirks, not its rows).
QUIRKS = """\
# a comment
05: SUPPORT
050: SUPPORT,   ,  diplomatic # praise
0501: SUPPORT, visit ,   # blank context, padded mode

06: COOPERATE
06: OTHERWISE
061: COOPERATE, , economic; legal   # two contexts
061: COOPERATE, , economic; legal   # the same row again
171: COOPERATE, seize,  # a code under another root's header
~~~~~
"""


def test_import_plover_reads_the_quirks_of_the_source(tmp_path):
    result, out = run_import(tmp_path, QUIRKS)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in text
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert rows == [["code", "plover", "mode", "context"],
                    ["05", "SUPPORT", "", ""], ["050", "SUPPORT", "", "diplomatic"],
                    ["0501", "SUPPORT", "visit", ""], ["06", "COOPERATE", "", ""],
                    ["061", "COOPERATE", "", "economic;legal"], ["171", "COOPERATE", "seize", ""]]
    assert "06 listed again as OTHERWISE" in result.stderr


@pytest.mark.parametrize("source", [
    "061: COOPERATE, , economic\n061: AID, , economic\n",   # one code, two different rows
    "061 COOPERATE, , economic\n",                          # no colon
    "061: , , economic\n",                                  # no type
    "# only comments\n",
])
def test_import_plover_refuses_what_it_cannot_read(tmp_path, source):
    result, out = run_import(tmp_path, source)
    assert result.returncode == 2 and "error:" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("text, code, plover, mode", [
    ("Russia withdrew its troops from the border region on Tuesday.", "0874", "RETREAT", "disarm"),
    ("The rebels surrendered to the army after a week of fighting.", "0874", "RETREAT", "disarm"),
    ("Police arrested the opposition leader in Minsk.", "173", "COERCE", "arrest"),
    ("The European Union imposed sanctions on Belarus.", "163", "COERCE", "restrict"),
    ("The army imposed a curfew in the capital.", "1723", "COERCE", "curfew"),
    ("Israeli jets bombed targets in Gaza.", "195", "ASSAULT", "heavy-weapons"),
    ("Thousands of protesters demonstrated in Tbilisi on Sunday.", "141", "PROTEST", "demo"),
    ("Turkey expelled the Dutch ambassador.", "161", "SANCTION", "withdraw"),
    ("France sent humanitarian aid to Sudan.", "073", "AID", None),
    ("The ministry denied responsibility for the attack.", "016", None, None),
])
def test_pipeline_events_carry_plover_type_and_mode(extract, text, code, plover, mode):
    coded = [e.event_type for e in extract(text) if e.event_type is not None]
    assert code in [t.code for t in coded], [t.code for t in coded]
    etype = next(t for t in coded if t.code == code)
    assert (etype.plover, etype.plover_mode) == (plover, mode)


def test_event_json_writes_plover_mode_and_context():
    result = CliRunner().invoke(cli, ["extract", "-"],
                                input="Russia withdrew its troops from the border region on Tuesday.\n")
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    etype = next(e["event_type"] for e in events if e["event_type"] and e["event_type"]["code"] == "0874")
    assert etype["plover"] == "RETREAT"
    assert etype["plover_mode"] == "disarm"
    assert etype["plover_context"] == ["military"]


def test_event_json_round_trips_plover_fields(extract):
    event = next(e for e in extract("Police arrested the opposition leader in Minsk.")
                 if e.event_type and e.event_type.code == "173")
    data = json.loads(json.dumps(event.to_dict()))
    assert data["event_type"]["plover_mode"] == "arrest" and data["event_type"]["plover_context"] == ["legal"]
    back = Event.from_dict(data)
    assert back.event_type == event.event_type and back.event_type.plover_context == ("legal",)
    assert hash(back) == hash(event)


def test_event_json_statement_has_no_plover_type(extract):
    event = next(e for e in extract("The ministry denied responsibility for the attack.")
                 if e.event_type and e.event_type.code == "016")
    etype = event.to_dict()["event_type"]
    assert etype["plover"] is None and etype["plover_mode"] is None and etype["plover_context"] == []


def test_graph_puts_plover_mode_and_context_on_the_event_type(extract):
    graph = build_graph(extract("Russia withdrew its troops from the border region on Tuesday."))
    concept = CAMEO["0874"]
    assert graph.value(concept, KG.plover) == Literal("RETREAT")
    assert graph.value(concept, KG.ploverMode) == Literal("disarm")
    assert set(graph.objects(concept, KG.ploverContext)) == {Literal("military")}


def test_graph_writes_one_triple_per_plover_context(extract):
    event = next(e for e in extract("Police arrested the opposition leader in Minsk.")
                 if e.event_type and e.event_type.code == "173")
    war_crimes = event_types()["094"]
    graph = build_graph([Event(doc="t", sentence=event.sentence, actor=event.actor,
                               action=event.action, event_type=war_crimes)])
    assert set(graph.objects(CAMEO["094"], KG.ploverContext)) == {Literal("military"), Literal("legal")}
    assert graph.value(CAMEO["094"], KG.ploverMode) == Literal("investigate")


def test_graph_of_a_statement_has_no_plover_terms(extract):
    graph = build_graph(extract("The ministry denied responsibility for the attack."))
    concept = CAMEO["016"]
    assert graph.value(concept, KG.cameoCode) == Literal("016")
    assert graph.value(concept, KG.plover) is None and graph.value(concept, KG.ploverMode) is None
