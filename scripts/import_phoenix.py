"""Import the Phoenix actor and agent dictionaries into kgbuild's own tables (issue 25).

    python scripts/import_phoenix.py ../shared/reference/phoenix            # rewrite the tables
    python scripts/import_phoenix.py ../shared/reference/phoenix --check    # exit 1 if out of date

Reads the four dictionaries of openeventdata/petrarch2 (`Phoenix.Countries.actors.txt`,
`Phoenix.International.actors.txt`, `Phoenix.MilNonState.actors.txt`, `Phoenix.agents.txt`,
MIT licence) and writes `kgbuild/extract/data/phoenix_actors.tsv` and `phoenix_agents.tsv`,
each with the MIT notice, the counts and the entries that could not be read in its header.
The same input gives the same bytes. The format's pieces (codes, dates, phrases) are in
`phoenix_format.py` beside this script.

How the dictionaries are read:

- a phrase is words joined by `_` (a trailing `_`, "the word ends here", changes nothing for
  kgbuild, which matches whole words); `#` starts a comment; a `+` line is a synonym of the
  entry above; a parenthesized acronym inside a phrase ("..._ARMY_(AAIA)_") is left out;
  as in PETRARCH's reader, an entry without a code on the line right after another such
  entry (or its synonyms) names the same actor: the block shares the codes that follow it
  (MIKHAIL_GORBACHEV_, +GORBACHEV, PRESIDENT_MIKHAIL_S._GORBACHEV, then the codes);
- codes are `[CODE]` or `[CODE DATES]`, on the entry's line or on indented lines after it;
  DATES are `D1-D2`, `>D` (from D on; also `> D`) or `<D` (until D), each D `YYMMDD` (YY below 30 is
  20YY) or `YYYYMMDD`; a range ends the day the next one starts (valid_to is exclusive);
  an undated code is the "otherwise" code (of several, the last), written after the dated
  rows so that a dated row valid on a date wins over it;
- a code is read as country (unless it starts with a role or international code, or with
  `---`, no country), role, then the rest (an organization's codebook code or a finer role:
  IGOUNO -> role IGO, rest UNO; NORGOVMIL -> NOR, GOV, MIL);
- the actor type: Person for an entry with a dated code or from CountryInfo (its comment);
  Country for a bare country code; otherwise by role (see ROLE_TYPES);
- agents: `!SET! = A, B` substitution sets are expanded, `{PLURAL}` gives an irregular
  plural (`{}` none), `[~CODE]` puts the country before the code (IRN + GOV), `[CODE~]`
  after it (IGO + the country);
- an entry, a code or a date that does not read this way is counted and listed in the
  header, never guessed.

Where kgbuild's own rows (`actors.tsv`, `roles.tsv`) and Phoenix disagree, kgbuild's win:
for an alias kgbuild lists, Phoenix rows are kept only for the dates before kgbuild's first
row of it (all are dropped when that row is undated), and a role noun kgbuild lists is not
taken from the agents; the dropped rows whose code differs from kgbuild's are counted as
conflicts.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from phoenix_format import (
    BRACKET,
    CODE,
    Code,
    Report,
    SourceError,
    parse_code,
    phrase_words,
    read_lines,
    title,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "kgbuild" / "extract" / "data"
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
               "Phoenix.MilNonState.actors.txt")
AGENT_FILE = "Phoenix.agents.txt"
SOURCE = ("openeventdata/petrarch2 at commit 676801cd9cb2924bbbad09f86d15c9323e7097bf, "
          "petrarch2/data/dictionaries/")
#: kgbuild actor type of an organization by the role of its code.
ROLE_TYPES = {"MIL": "ArmedForce", "GOV": "Government", "LEG": "Government", "JUD": "Government",
              "COP": "Government", "SPY": "Government", "REB": "Group", "INS": "Group",
              "SEP": "Group", "UAF": "Group", "IMG": "Group", "RAD": "Group", "CRM": "Group",
              "OPP": "Group", "MED": "Media", "IGO": "InternationalOrganization"}
ACTOR_HEADER = "alias\tlabel\ttype\tcountry\trole\tcameo_org\tvalid_from\tvalid_to"
AGENT_HEADER = "noun\trole\tcameo_org\ttype\tcountry_first"


@dataclass
class Entry:
    """One actor entry: its phrases (the first names it) and its codes."""

    phrases: list[str]
    codes: list[Code] = field(default_factory=list)
    person: bool = False
    where: str = ""


def _codes_and_comment(line: str, where: str, report: Report) -> tuple[str, list[Code] | None, str]:
    """(text before the codes, the codes or None if one does not read, the comment)."""
    body, _, comment = line.partition("#")
    codes = []
    for found in BRACKET.finditer(body):
        code = parse_code(found.group(1))
        if code is None:
            report.skip(where, line, "code")
            return body, None, comment
        codes.append(code)
    rest = BRACKET.sub(" ", body)
    if "[" in rest or "]" in rest:
        report.skip(where, line, "code")
        return body, None, comment
    return rest.strip(), codes, comment


def read_actors(path: Path, report: Report) -> list[Entry]:
    """The entries of one `.actors` dictionary, in file order."""
    entries: list[Entry] = []
    current: Entry | None = None
    dropped = False  # the entry above could not be read: its code lines go with it
    last = 0  # the line of the last entry or synonym read
    for n, line in enumerate(read_lines(path), 1):
        where = f"{path.name}:{n}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        text, codes, comment = _codes_and_comment(line, where, report)
        if codes is None:
            if line[0] not in " \t+":  # an entry whose code does not read: its lines go with it
                current, dropped = None, True
            continue
        if line[0] in " \t" and not text:
            if current is None and not dropped:
                report.skip(where, line, "code without an entry")
            elif current is not None:
                current.codes.extend(codes)
            continue
        synonym = text.startswith("+")
        words = phrase_words(text.lstrip("+"))
        if words is None:
            report.skip(where, line, "phrase")
            if current is not None and not current.codes and n == last + 1:
                last = n  # one unreadable name of a block: the block goes on
            elif not synonym:
                current, dropped = None, True
            continue
        if synonym:
            if current is None:
                if not dropped:
                    report.skip(where, line, "synonym without an entry")
            else:
                current.phrases.append(" ".join(words))
                current.codes.extend(codes)
                last = n
            continue
        if current is not None and not current.codes and not codes and n == last + 1:
            current.phrases.append(" ".join(words))  # a block of names sharing the codes below
        else:
            current, dropped = Entry([" ".join(words)], list(codes), "CountryInfo" in comment, where), False
            entries.append(current)
        last = n
    return entries


def _type_of(entry: Entry) -> str:
    if entry.person or any(c.valid_from or c.valid_to for c in entry.codes):
        return "Person"
    main = entry.codes[-1]
    if main.country and not main.role:
        return "Country"
    return ROLE_TYPES.get(main.role, "Organization")


def _ordered(codes: list[Code]) -> list[Code]:
    """Dated codes in file order, then the last undated one (the "otherwise" code)."""
    dated = [c for c in codes if c.valid_from or c.valid_to]
    bare = [c for c in codes if not (c.valid_from or c.valid_to)]
    return list(dict.fromkeys(dated + bare[-1:]))


def kgbuild_rows(path: Path) -> dict[str, list[dict[str, str]]]:
    """kgbuild's own actor rows by casefolded alias."""
    from kgbuild.extract.lexicon import table_rows

    out: dict[str, list[dict[str, str]]] = {}
    for _, row in table_rows(path, ("alias", "label")):
        out.setdefault(row["alias"].casefold(), []).append(row)
    return out


def _own_code(row: dict[str, str]) -> str:
    return "".join(row.get(k) or "" for k in ("country", "role", "cameo_org"))


def _against_kgbuild(alias: str, codes: list[Code], own: list[dict[str, str]],
                     report: Report) -> list[Code]:
    """The codes kept for an alias kgbuild lists: only the dates before kgbuild's first row."""
    starts = [row.get("valid_from") or "" for row in own]
    first = min(starts)
    kept = []
    for code in codes:
        full = code.country + code.role + code.rest
        if first and code.valid_to and code.valid_to <= first:
            kept.append(code)
            continue
        if first and code.valid_from and code.valid_from < first:
            kept.append(Code(code.country, code.role, code.rest, code.valid_from, first))
        if first and not (code.valid_from or code.valid_to):
            kept.append(code)  # the "otherwise" code: for a date no row holds
            continue
        overlapping = [r for r in own if (not r.get("valid_to") or not code.valid_from
                                          or code.valid_from < r["valid_to"])
                       and (not code.valid_to or not r.get("valid_from")
                            or r["valid_from"] < code.valid_to)]
        report.counts["rows dropped for kgbuild's rows"] += 1
        if any(_own_code(r) != full for r in overlapping):
            report.counts["conflicts with kgbuild's rows"] += 1
    return kept


def actor_rows(entries: list[Entry], own: dict[str, list[dict[str, str]]], country_names: dict,
               report: Report) -> list[str]:
    """The table rows of the entries (aliases in file order, duplicates once)."""
    lines: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        if not entry.codes:
            report.skip(entry.where, entry.phrases[0], "entry without a code")
            continue
        report.counts["entries"] += 1
        kind = _type_of(entry)
        codes = _ordered(entry.codes)
        words = entry.phrases[0].split()
        label = title(words)
        if kind == "Country":
            label = country_names.get(codes[-1].country) or label
        for phrase in dict.fromkeys(entry.phrases):
            alias = title(phrase.split())
            mine = own.get(alias.casefold())
            kept = codes if mine is None else _against_kgbuild(alias, codes, mine, report)
            for code in kept:
                row = "\t".join((alias, label, kind, code.country, code.role, code.rest,
                                 code.valid_from, code.valid_to))
                if row in seen:
                    report.counts["duplicate rows"] += 1
                    continue
                seen.add(row)
                lines.append(row)
    report.counts["rows"] = len(lines)
    report.counts["aliases"] = len({line.split("\t", 1)[0].casefold() for line in lines})
    return lines


def read_agents(path: Path, own_roles: dict[str, str], role_types: dict[str, str],
                report: Report) -> list[str]:
    """The rows of the agents dictionary (nouns lowercase, singular and listed plurals)."""
    sets: dict[str, list[str]] = {}
    lines: list[str] = []
    seen: set[str] = set()
    for n, line in enumerate(read_lines(path), 1):
        where = f"{path.name}:{n}"
        body = line.partition("#")[0].strip()
        if not body:
            continue
        subst = re.match(r"^!([A-Z]+)!\s*=\s*(.+)$", body)
        if subst:
            sets[subst.group(1)] = [w.strip() for w in subst.group(2).split(",") if w.strip()]
            continue
        found = re.match(r"^(?P<phrase>[^\[{]+?)\s*(?:\{(?P<plural>[^}]*)\}\s*)?\[(?P<code>[A-Z~]+)\]$",
                         body)
        code = found.group("code") if found else ""
        if not found or code.count("~") != 1 or code.strip("~") == code[1:-1] or not CODE.match(
                code.strip("~")):
            report.skip(where, line, "agent")
            continue
        bare = code.strip("~")
        country_first = "yes" if code.startswith("~") else "no"
        phrases = [found.group("phrase")] + [p for p in (found.group("plural") or "").split(",")]
        expanded: list[str] = []
        for phrase in (p.strip() for p in phrases if p.strip()):
            names = re.findall(r"!([A-Z]+)!", phrase)
            if any(name not in sets for name in names):
                report.skip(where, line, "unknown substitution set")
                expanded = []
                break
            variants = [phrase]
            for name in names:
                variants = [v.replace(f"!{name}!", f"_{alt}_", 1) for v in variants for alt in sets[name]]
            expanded.extend(variants)
        readable = [(phrase, phrase_words(phrase)) for phrase in expanded]
        if any(words is None for _, words in readable):
            report.skip(where, line, "agent phrase")
        for phrase, words in readable:
            if words is None:
                continue
            noun = " ".join(words).lower()
            if noun in own_roles:
                report.counts["agents kgbuild lists"] += 1
                if own_roles[noun] != bare[:3]:
                    report.counts["agent conflicts with kgbuild's roles"] += 1
                continue
            row = "\t".join((noun, bare[:3], bare[3:], role_types.get(bare[:3], "Group"), country_first))
            if noun in seen:
                report.counts["duplicate agents"] += 1
                continue
            seen.add(noun)
            lines.append(row)
    report.counts["agents"] = len(lines)
    return lines


def _role_tables(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """kgbuild's role nouns (noun -> role) and each role's most frequent actor type."""
    from kgbuild.extract.lexicon import table_rows

    roles, types = {}, Counter()
    for _, row in table_rows(path, ("noun", "role", "type")):
        roles[row["noun"].lower()] = row["role"]
        types[(row["role"], row["type"])] += 1
    best: dict[str, str] = {}
    for (role, kind), _ in sorted(types.items(), key=lambda kv: (-kv[1], kv[0])):
        best.setdefault(role, kind)
    return roles, best


def _header(license_text: str, what: str, report: Report, columns: str) -> str:
    notice = "\n".join(f"#   {line}".rstrip() for line in license_text.strip().splitlines())
    counts = "\n".join(f"#   {k}: {v}" for k, v in sorted(report.counts.items()))
    unread = "\n".join(f"#   {u}" for u in report.unreadable) or "#   (none)"
    return (f"# {what}\n# Source: the Phoenix dictionaries of {SOURCE}, under the MIT licence:\n"
            f"{notice}\n# Generated by scripts/import_phoenix.py; do not edit by hand (see its "
            f"docstring for how the\n#   dictionaries are read). Columns: {columns}\n"
            f"# Counts:\n{counts}\n# Entries that could not be read ({len(report.unreadable)}):\n"
            f"{unread}\n")


def build(source: Path, actors: Path, roles: Path) -> tuple[str, str, Report, Report]:
    """The two tables' text, and what was read for each."""
    from kgbuild.extract.lexicon import country_name

    license_file = source / "LICENSE"
    license_text = license_file.read_text(encoding="utf-8") if license_file.is_file() else \
        "The MIT License (MIT) - Copyright (c) 2014 Open Event Data Alliance"
    actor_report, agent_report = Report(), Report()
    entries = [e for name in ACTOR_FILES for e in read_actors(source / name, actor_report)]
    own = kgbuild_rows(actors)
    codes = sorted({c.country for e in entries for c in e.codes if c.country})
    names = {code: country_name(code) for code in codes}
    rows = actor_rows(entries, own, {k: v for k, v in names.items() if v != k}, actor_report)
    own_roles, role_types = _role_tables(roles)
    agents = read_agents(source / AGENT_FILE, own_roles, role_types, agent_report)
    actor_text = (_header(license_text, "Phoenix actors: names of persons, organizations and "
                          "countries with dated CAMEO actor codes.", actor_report, ACTOR_HEADER)
                  + ACTOR_HEADER + "\n" + "".join(r + "\n" for r in rows))
    agent_text = (_header(license_text, "Phoenix agents: nouns that name an actor by role "
                          "(country_first: the country's code goes before the role's).",
                          agent_report, AGENT_HEADER)
                  + AGENT_HEADER + "\n" + "".join(r + "\n" for r in agents))
    return actor_text, agent_text, actor_report, agent_report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="the folder of the four Phoenix dictionaries")
    ap.add_argument("--out", type=Path, default=DATA, help="folder of the tables written")
    ap.add_argument("--actors", type=Path, default=DATA / "actors.tsv", help="kgbuild's actor table")
    ap.add_argument("--roles", type=Path, default=DATA / "roles.tsv", help="kgbuild's role nouns")
    ap.add_argument("--check", action="store_true", help="exit 1 if the tables are out of date")
    opts = ap.parse_args(argv)
    try:
        actor_text, agent_text, actor_report, agent_report = build(opts.source, opts.actors, opts.roles)
    except (SourceError, OSError) as err:
        print(f"import_phoenix: {err}", file=sys.stderr)
        return 2
    outputs = {opts.out / "phoenix_actors.tsv": actor_text, opts.out / "phoenix_agents.tsv": agent_text}
    for name, report in (("actors", actor_report), ("agents", agent_report)):
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items())),
              file=sys.stderr)
    if opts.check:
        stale = [str(p) for p, text in outputs.items()
                 if not p.is_file() or p.read_text(encoding="utf-8") != text]
        if stale:
            print(f"import_phoenix: out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        return 0
    for path, text in outputs.items():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(text.encode("utf-8"))
        tmp.replace(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
