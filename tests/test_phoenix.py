"""Issue 25: the Phoenix actor and agent dictionaries, dated CAMEO actor codes, and the
`kgbuild actors` lookup command."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgbuild.cli import cli
from kgbuild.extract.actor_lookup import code_actor, search_actors
from kgbuild.graph.build import build_graph
from kgbuild.graph.namespace import KG

REPO = Path(__file__).resolve().parent.parent
IMPORTER = REPO / "scripts" / "import_phoenix.py"
LICENSE = "The MIT License (MIT)\n\nCopyright (c) 2014 Example Holder\n"
# A small dictionary set of our own in the Phoenix format (not the real dictionaries).
COUNTRIES = """\
# header comment
ZORGONIA_  [ZRG]
+ZORGONIAN_
+ZORG_CITY  # a capital

# National Institutions
ZORGONIAN_ARMY_
+ZORG_ARMED_FORCES
\t[ZRGMIL]

ANNA_KOVAC_  # CountryInfo.txt
+PRESIDENT_KOVAC_
+KOVAC
\t[ZRGELI 700101-990809]
\t[ZRGGOV 19990809-20050101]
\t[ZRGGOVMIL >20050101]
\t[ZRGELI]
PIET_MAROS_  # CountryInfo.txt
\t[ZRGGOV <950101]
\t[ZRGELI]
BROKEN_ENTRY_ [ZRGGOV 9008223-911221]
NOCODE_ENTRY_
+STILL_NO_CODE

ELLA_DRUMM_  # CountryInfo.txt
\t[ZRGGOV 010101-100101]
\t[ZRGELI]
OLEG_BRANKO_  # CountryInfo.txt
+BRANKO
PRESIDENT_OLEG_BRANKO
ZORG_LEADER,_OLEG_BRANKO
OLEG_B._BRANKO
\t[ZRGGOV > 900101]
\t[ZRGELI]
"""
INTERNATIONAL = """\
GLOBAL_WIDGET_UNION_ [IGOGWU]
+GWU
"""
MILNONSTATE = """\
ZORG_LIBERATION_FRONT_(ZLF)_ [ZRGREB] # kkl 21 Mar 13
+ZLF_FIGHTERS_
"""
AGENTS = """\
# agents
!PERSON! = MAN, WOMAN
BORDER_GUARD {BORDER_GUARDS} [~MIL]
CHAIR!PERSON! [~GOV]
WIDGET_MONITOR [IGO~]
TRADE_UNIONIST [~LAB] # comment
BAD_AGENT [~ENV}
PRESIDENT [~ELI]
"""
OWN_ACTORS = ("alias\tlabel\ttype\tcountry\trole\twikidata\tvalid_from\tvalid_to\tcameo_org\n"
              "Ella Drumm\tElla Drumm\tPerson\tZRG\tLEG\t\t2005-01-01\t\t\n")
OWN_ROLES = "noun\trole\ttype\npresident\tGOV\tPerson\nsoldier\tMIL\tArmedForce\n"


def _fixture(folder: Path) -> Path:
    folder.mkdir()
    for name, text in (("Phoenix.Countries.actors.txt", COUNTRIES),
                       ("Phoenix.International.actors.txt", INTERNATIONAL),
                       ("Phoenix.MilNonState.actors.txt", MILNONSTATE),
                       ("Phoenix.agents.txt", AGENTS), ("LICENSE", LICENSE)):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "actors.tsv").write_text(OWN_ACTORS, encoding="utf-8")
    (folder / "roles.tsv").write_text(OWN_ROLES, encoding="utf-8")
    return folder


def _import(source: Path, out: Path) -> subprocess.CompletedProcess:
    out.mkdir()
    return subprocess.run([sys.executable, str(IMPORTER), str(source), "--out", str(out),
                           "--actors", str(source / "actors.tsv"), "--roles", str(source / "roles.tsv")],
                          capture_output=True, text=True, timeout=120)


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    base = tmp_path_factory.mktemp("phoenix")
    source = _fixture(base / "src")
    first, second = _import(source, base / "one"), _import(source, base / "two")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    return base, first


def test_importer_is_byte_reproducible_and_keeps_the_licence(imported):
    base, _ = imported
    for name in ("phoenix_actors.tsv", "phoenix_agents.tsv"):
        one, two = (base / "one" / name).read_bytes(), (base / "two" / name).read_bytes()
        assert one == two
        assert b"Copyright (c) 2014 Example Holder" in one and b"MIT" in one


def test_importer_reads_synonyms_dates_and_the_otherwise_code(imported):
    base, _ = imported
    rows = _rows(base / "one" / "phoenix_actors.tsv")
    kovac = [(r["country"], r["role"], r["cameo_org"], r["valid_from"], r["valid_to"])
             for r in rows if r["alias"] == "Kovac"]
    assert kovac == [("ZRG", "ELI", "", "1970-01-01", "1999-08-09"),     # YYMMDD
                     ("ZRG", "GOV", "", "1999-08-09", "2005-01-01"),     # YYYYMMDD
                     ("ZRG", "GOV", "MIL", "2005-01-01", ""),            # >D, a finer role
                     ("ZRG", "ELI", "", "", "")]                         # "otherwise", last
    assert {r["label"] for r in rows if r["alias"] in ("Kovac", "President Kovac")} == {"Anna Kovac"}
    maros = [(r["role"], r["valid_from"], r["valid_to"]) for r in rows if r["alias"] == "Piet Maros"]
    assert maros == [("GOV", "", "1995-01-01"), ("ELI", "", "")]       # <D
    by_alias = {r["alias"]: r for r in rows}
    assert by_alias["Zorg City"]["type"] == "Country" and by_alias["Zorg City"]["country"] == "ZRG"
    assert by_alias["Zorg Armed Forces"]["type"] == "ArmedForce"
    assert (by_alias["Gwu"]["role"], by_alias["Gwu"]["cameo_org"]) == ("IGO", "GWU")
    assert by_alias["Zorg Liberation Front"]["type"] == "Group"  # "(ZLF)" left out, not guessed


def test_importer_gives_a_block_of_uncoded_names_the_codes_below_it(imported):
    # issue 25 (PETRARCH's reading): names on consecutive lines without a code share the
    # codes that follow; an unreadable name does not break the block; "> D" reads as ">D"
    base, _ = imported
    rows = _rows(base / "one" / "phoenix_actors.tsv")
    for alias in ("Oleg Branko", "Branko", "President Oleg Branko", "Oleg B. Branko"):
        found = [(r["label"], r["role"], r["valid_from"]) for r in rows if r["alias"] == alias]
        assert found == [("Oleg Branko", "GOV", "1990-01-01"), ("Oleg Branko", "ELI", "")], alias
    assert "Nocode Entry" not in {r["alias"] for r in rows}  # a blank line ends a block


def test_importer_counts_and_lists_what_it_cannot_read(imported):
    base, run = imported
    text = (base / "one" / "phoenix_actors.tsv").read_text(encoding="utf-8")
    assert "#   unreadable: 3" in text
    assert "phrase: ZORG_LEADER,_OLEG_BRANKO" in text
    assert "Phoenix.Countries.actors.txt:21: code: BROKEN_ENTRY_" in text
    assert "entry without a code: NOCODE ENTRY" in text
    assert "Broken Entry" not in {r["alias"] for r in _rows(base / "one" / "phoenix_actors.tsv")}
    agents = (base / "one" / "phoenix_agents.tsv").read_text(encoding="utf-8")
    assert "Phoenix.agents.txt:7: agent: BAD_AGENT [~ENV}" in agents
    assert "unreadable 3" in run.stderr


def test_importer_lets_kgbuild_rows_win_and_counts_conflicts(imported):
    base, _ = imported
    rows = _rows(base / "one" / "phoenix_actors.tsv")
    drumm = [(r["role"], r["valid_from"], r["valid_to"]) for r in rows if r["alias"] == "Ella Drumm"]
    # kgbuild lists her from 2005 (LEG): Phoenix's GOV 2001-2010 is cut at 2005, the rest kept
    assert drumm == [("GOV", "2001-01-01", "2005-01-01"), ("ELI", "", "")]
    text = (base / "one" / "phoenix_actors.tsv").read_text(encoding="utf-8")
    assert "#   conflicts with kgbuild's rows: 1" in text
    agents = _rows(base / "one" / "phoenix_agents.tsv")
    assert "president" not in {a["noun"] for a in agents}  # kgbuild's role noun wins
    assert "agent conflicts with kgbuild's roles: 1" in (base / "one" / "phoenix_agents.tsv").read_text()


def test_importer_reads_agents_with_the_country_on_either_side(imported):
    base, _ = imported
    agents = {a["noun"]: a for a in _rows(base / "one" / "phoenix_agents.tsv")}
    assert agents["border guard"]["country_first"] == "yes" and agents["border guard"]["role"] == "MIL"
    assert agents["border guards"]["role"] == "MIL"  # the listed plural
    assert agents["widget monitor"]["country_first"] == "no" and agents["widget monitor"]["role"] == "IGO"
    assert {"chair man", "chair woman"} <= set(agents)  # !PERSON! expanded
    assert agents["trade unionist"]["type"] == "Group"


@pytest.mark.parametrize("name, date, code, table", [
    ("Putin", "1998-06-01", "RUSELI", "phoenix"),        # before the office
    ("Putin", "1999-10-01", "RUSGOV", "phoenix"),        # prime minister (Phoenix's dates)
    ("Putin", "2016-06-01", "RUSGOV", "kgbuild"),        # kgbuild's row from 2000 on
    ("Jens Stoltenberg", "1990-01-01", "NORELI", "phoenix"),
    ("Jens Stoltenberg", "2000-06-01", "NORGOV", "phoenix"),
    ("Jens Stoltenberg", "2018-01-01", "IGOWSTNAT", "kgbuild"),  # not Phoenix's NORGOV >051017
    ("Jens Stoltenberg", "2024-12-01", "NORELI", "phoenix"),     # between offices: "otherwise"
    ("Hamid Karzai", "2005-01-01", "AFGGOV", "phoenix"),
    ("Hamid Karzai", None, "AFGELI", "phoenix"),                  # undated: the "otherwise" row
    ("President Karzai", "2005-01-01", "AFGGOV", "phoenix"),      # a synonym
])
def test_actor_codes_depend_on_the_date(name, date, code, table):
    coding = code_actor(name, date)
    assert (coding.code, coding.entry.source) == (code, table)


def test_extraction_codes_the_actor_by_the_document_date(extract):
    text = "Putin met the Iranian foreign minister in Moscow."
    (old,) = [e for e in extract(text, "1998-06-01") if e.action.lemma == "meet" and "Putin" in e.actor.label]
    (new,) = [e for e in extract(text, "2016-06-01") if e.action.lemma == "meet" and "Putin" in e.actor.label]
    assert (old.actor.cameo, new.actor.cameo) == ("RUSELI", "RUSGOV")
    assert old.actor.key == new.actor.key  # one person, whatever the table
    assert "actor_code=RUSELI (phoenix row)" in old.explanation
    assert old.to_dict()["actor"]["cameo"] == "RUSELI" and old.target.cameo == "IRNGOV"
    graph = build_graph([old])
    assert {str(o) for o in graph.objects(None, KG.cameoActorCode)} >= {"RUSELI", "IRNGOV"}


def test_event_table_carries_the_dated_code(extract):
    from kgbuild.tables.rows import to_dataframe

    events = [e for e in extract("Hamid Karzai criticized Pakistan.", "2005-01-01")
              if e.action.lemma == "criticize"]
    frame = to_dataframe(build_graph(events))
    assert list(frame["actor1_code"]) == ["AFGGOV"]


@pytest.mark.parametrize("text, code", [
    ("Iranian human rights activists condemned the arrests.", "IRNOPP"),
    ("Indian peacekeeping troops attacked the rebels.", "IGOIND"),  # [IGO~]: the country after
])
def test_agent_nouns_code_roles_with_their_affiliation(extract, text, code):
    assert code in {e.actor.cameo for e in extract(text)}


def test_user_row_wins_over_the_person_label(nlp, tmp_path, monkeypatch):
    monkeypatch.delenv("KGBUILD_ACTORS", raising=False)
    text = "John Kowalski condemned the attack on the embassy."
    assert [e.label_ for e in nlp(text).ents] == ["PERSON"]  # the recognizer says a person
    table = tmp_path / "mine.tsv"
    table.write_text("alias\tlabel\ttype\tcountry\trole\nJohn Kowalski\tKowalski Brigade\tGroup\tPOL\tREB\n",
                     encoding="utf-8")
    source = tmp_path / "t.txt"
    source.write_text(text, encoding="utf-8")
    try:
        result = CliRunner().invoke(cli, ["extract", str(source), "--actors", str(table)])
    finally:
        os.environ.pop("KGBUILD_ACTORS", None)  # the CLI sets it for worker processes
    assert result.exit_code == 0, result.output
    (event,) = [json.loads(line) for line in result.stdout.splitlines() if '"condemn"' in line]
    assert (event["actor"]["label"], event["actor"]["cameo"]) == ("Kowalski Brigade", "POLREB")
    assert "(user row)" in event["explanation"]


def test_actors_command_codes_a_name_on_a_date():
    result = CliRunner().invoke(cli, ["actors", "Putin", "--date", "1998-06-01"])
    assert result.exit_code == 0, result.output
    first, *rows = result.output.splitlines()
    assert first == "Putin (on 1998-06-01): RUSELI = Vladimir Putin, Person, from the phoenix table"
    chosen = [r.split("\t") for r in rows if r.startswith("*")]
    assert chosen == [["*", "RUSELI", "Putin", "Vladimir Putin", "Person", "1970-01-01 to 1999-08-09",
                       "phoenix"]]
    assert any(r.split("\t")[1:2] == ["RUSGOV"] and r.endswith("kgbuild") for r in rows)


def test_actors_command_searches_and_reads_a_user_table(tmp_path, monkeypatch):
    monkeypatch.delenv("KGBUILD_ACTORS", raising=False)
    found = CliRunner().invoke(cli, ["actors", "--search", "stoltenberg"])
    assert found.exit_code == 0
    assert {line.split("\t")[2] for line in found.output.splitlines()} == {"Jens Stoltenberg", "Stoltenberg"}
    assert len(search_actors("stoltenberg", limit=2)) == 2
    table = tmp_path / "mine.tsv"
    table.write_text("alias\tlabel\ttype\tcountry\trole\nPutin\tMy Putin\tPerson\tRUS\tOPP\n", encoding="utf-8")
    mine = CliRunner().invoke(cli, ["actors", "Putin", "--actors", str(table)])
    assert mine.exit_code == 0 and mine.output.startswith("Putin (undated): RUSOPP = My Putin, Person, "
                                                          "from the user table")


@pytest.mark.parametrize("args, code, message", [
    (["actors", "Qwxzzy Nobody"], 1, "Error: no actor table lists 'Qwxzzy Nobody'"),
    (["actors"], 2, "give a NAME to code, or --search TEXT"),
    (["actors", "Putin", "--search", "x"], 2, "not both"),
    (["actors", "Putin", "--date", "someday"], 2, "--date"),
])
def test_actors_command_refuses_bad_requests(args, code, message):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code and message in result.output


def test_actors_command_runs_as_the_installed_program():
    exe = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
    proc = subprocess.run([exe, "actors", "Hamid Karzai", "--date", "2005-01-01"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Hamid Karzai (on 2005-01-01): AFGGOV = Hamid Karzai, Person, "
                                  "from the phoenix table")
