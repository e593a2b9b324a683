"""Issue 26, item 8: the user's --places and --actors tables give a one-line error naming
the file and line, whatever is wrong with them, and nothing is written. Issue 27, item 2:
the tables are settings of a pipeline (saved with it), not of the process."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from rdflib import RDFS

from kgbuild import InputError
from kgbuild.extract.gazetteer import place_table
from kgbuild.extract.lexicon import load_actor_table

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
PLACE_HEADER = "alias\tlabel\tkind\tcountry\tlat\tlon\tgeonames\n"
ACTOR_HEADER = "alias\tlabel\ttype\tcountry\n"
NOT_UTF8 = "Président\tEmmanuel Macron\tPerson\tFRA\n".encode("latin-1")

PLACE_CASES = [  # file content, message
    ((PLACE_HEADER + "X\tX\tsite\tJOR\t1\t2\t\u00b2\n").encode(), "line 2 (X): geonames must be a GeoNames id"),
    ((PLACE_HEADER + "X\tX\tsite\tJOR\t1\t2\t\u0661\u0662\n").encode(), "line 2 (X): geonames must be a GeoNames id"),
    (b"Zaatari camp\tZaatari refugee camp\tsite\tJOR\t32.29\t36.32\t\n",
     "line 1: the first line must name the columns (tab-separated, with alias, lat, lon)"),
    ((PLACE_HEADER + "# note\n\nX\tX\tsite\tJOR\t1\t2\t\n").encode() + "Zürich\t".encode("latin-1"),
     "line 5: not UTF-8 (byte 0xfc"),
]
ACTOR_CASES = [
    (ACTOR_HEADER.encode() + NOT_UTF8, "line 2: not UTF-8 (byte 0xe9 at byte 3)"),
    (b"\x8b\xff\xfe\x01" * 40, "line 1: not UTF-8 (byte 0x8b at byte 1)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file"),
    (b"Kremlin\tRussia\tGovernment\tRUS\n", "line 1: the first line must name the columns (tab-separated, "
                                            "with alias, label)"),
]


@pytest.mark.parametrize("content, message", PLACE_CASES)
def test_place_table_errors_name_file_and_line(tmp_path, content, message):
    table = tmp_path / "places.tsv"
    table.write_bytes(content)
    with pytest.raises(InputError) as err:
        place_table(table)
    assert str(err.value).startswith((f"{table}, {message}", f"{table}: {message}"))


@pytest.mark.parametrize("content, message", ACTOR_CASES)
def test_actor_table_errors_name_file_and_line(tmp_path, content, message):
    table = tmp_path / "actors.tsv"
    table.write_bytes(content)
    with pytest.raises(InputError) as err:
        load_actor_table((str(table),))
    assert str(err.value).startswith((f"{table}, {message}", f"{table}: {message}"))


def test_tables_keep_comments_blank_lines_and_short_rows(tmp_path):
    table = tmp_path / "actors.tsv"
    table.write_text("# my actors\n\nalias\tlabel\ttype\n# a comment\nZorgonia\tZorgonia Republic\n",
                     encoding="utf-8")
    entry = load_actor_table((str(table),))["zorgonia"][0]
    assert (entry.label, entry.type) == ("Zorgonia Republic", "Organization")


@pytest.mark.parametrize("option, content, code, message", [
    ("--places", PLACE_CASES[0][0], 2, "p.tsv, line 2 (X): geonames must be a GeoNames id"),
    ("--places", PLACE_CASES[2][0], 2, "p.tsv, line 1: the first line must name the columns"),
    ("--actors", ACTOR_CASES[0][0], 1, "p.tsv, line 2: not UTF-8"),
    ("--actors", ACTOR_CASES[1][0], 1, "p.tsv, line 1: not UTF-8"),
])
def test_bad_table_through_the_real_cli(tmp_path, option, content, code, message):
    (tmp_path / "p.tsv").write_bytes(content)
    (tmp_path / "news.txt").write_text("Jordanian police arrested protesters in the Zaatari camp.",
                                       encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([EXE, "extract", str(tmp_path / "news.txt"), option, str(tmp_path / "p.tsv"),
                           "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr and message in proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("Error:")] == [
        proc.stderr.strip().splitlines()[-1]]
    assert not out.exists() and not list(tmp_path.glob(".out*"))


# Issue 27, item 2: the tables are settings of the pipeline's component, never of the process.
ZORVATH = "alias\tlabel\ttype\tcountry\trole\nZorvath Front\tZorvath Liberation Front\tGroup\tRUS\tREB\n"
CAMP = PLACE_HEADER + "Zaatari camp\tZaatari refugee camp\tsite\tJOR\t32.2946\t36.3231\t\n"
ATTACK = "The Zorvath Front attacked a convoy in the Zaatari camp."


def _attack(events):
    (event,) = [e for e in events if e.action.lemma == "attack"]
    return event.actor.label, event.location.label if event.location else None


def test_tables_of_one_build_do_not_stay_for_the_next(tmp_path):
    import kgbuild
    from kgbuild import Document

    (tmp_path / "a.tsv").write_text(ZORVATH, encoding="utf-8")
    (tmp_path / "p.tsv").write_text(CAMP, encoding="utf-8")
    docs = [Document("z", ATTACK)]
    mine = kgbuild.build(docs, actors_file=tmp_path / "a.tsv", places_file=tmp_path / "p.tsv").graph
    plain = kgbuild.build(docs).graph
    labels = {str(label) for label in mine.objects(None, RDFS.label)}
    assert {"Zorvath Liberation Front", "Zaatari refugee camp"} <= labels
    assert not {"Zorvath Liberation Front", "Zaatari refugee camp"} & {
        str(label) for label in plain.objects(None, RDFS.label)}
    assert "KGBUILD_ACTORS" not in os.environ and "KGBUILD_PLACES" not in os.environ


def test_saved_pipeline_keeps_the_users_tables(tmp_path):
    import spacy

    from kgbuild import Document, extract_events
    from kgbuild.nlp import load_pipeline

    (tmp_path / "a.tsv").write_text(ZORVATH, encoding="utf-8")
    (tmp_path / "p.tsv").write_text(CAMP, encoding="utf-8")
    nlp = load_pipeline(None, tmp_path / "a.tsv", tmp_path / "p.tsv")
    nlp.to_disk(tmp_path / "pipeline")
    (tmp_path / "a.tsv").unlink()
    (tmp_path / "p.tsv").unlink()
    saved = spacy.load(tmp_path / "pipeline")
    assert saved.get_pipe("kgbuild_events").tables == nlp.get_pipe("kgbuild_events").tables
    events = list(extract_events([Document("z", ATTACK)], nlp=saved))
    assert _attack(events) == ("Zorvath Liberation Front", "Zaatari refugee camp")
    reloaded = spacy.blank("en")
    reloaded.add_pipe("kgbuild_events").from_bytes(saved.get_pipe("kgbuild_events").to_bytes())
    assert reloaded.get_pipe("kgbuild_events").tables == nlp.get_pipe("kgbuild_events").tables


def test_pipeline_without_tables_does_not_see_another_pipelines(tmp_path, nlp):
    from kgbuild import Document, extract_events
    from kgbuild.nlp import load_pipeline

    (tmp_path / "a.tsv").write_text(ZORVATH, encoding="utf-8")
    docs = [Document("z", ATTACK)]
    assert _attack(extract_events(docs, nlp=load_pipeline(None, tmp_path / "a.tsv")))[0] == \
        "Zorvath Liberation Front"
    assert _attack(extract_events(docs, nlp=nlp))[0] != "Zorvath Liberation Front"


def test_options_of_one_call_go_through_component_cfg(nlp):
    from kgbuild.extract.component import call_options

    text = "Officials in Moscow said the talks would continue."
    said = [doc._.events for doc in nlp.pipe([text], component_cfg=call_options(statements=True))]
    plain = [doc._.events for doc in nlp.pipe([text])]
    assert any(e.event_type.code == "010" for e in said[0])
    assert not any(e.event_type.code == "010" for e in plain[0])
    floor = [doc._.events for doc in nlp.pipe([text], component_cfg=call_options(min_confidence=1.0))]
    assert floor == [[]]
