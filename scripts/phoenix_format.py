"""The Phoenix (PETRARCH) dictionary format's pieces, for `import_phoenix.py`: codes with
their dates, phrases of `_`-joined words, and the report of what could not be read."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

#: Codes that open a CAMEO actor code without a country: roles and international sectors.
ROLE_CODES = frozenset({
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS", "CRM",
    "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "REF", "MOD", "RAD",
    "IGO", "NGO", "IMG", "MNC", "NGM", "UIS", "PTY", "REL"})
SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "la", "le", "del",
                         "des", "da", "do", "dos", "van", "von", "der", "y", "e", "et", "to"})
CODE = re.compile(r"^(?:[A-Z]{3}|---)(?:[A-Z]{3})*$")
WORD = re.compile(r"^[A-Z0-9À-Þ][A-Z0-9À-Þ.'&-]*$")
BRACKET = re.compile(r"\[([^\]\[]*)\]")

class SourceError(Exception):
    """A dictionary file is missing or not text."""


@dataclass
class Report:
    """What was read, dropped and could not be read."""

    counts: Counter = field(default_factory=Counter)
    unreadable: list[str] = field(default_factory=list)

    def skip(self, where: str, line: str, why: str) -> None:
        self.counts["unreadable"] += 1
        self.unreadable.append(f"{where}: {why}: {line.strip()[:80]}")


@dataclass(frozen=True)
class Code:
    """One CAMEO actor code of an entry, with its dates (ISO, valid_to exclusive)."""

    country: str
    role: str
    rest: str
    valid_from: str = ""
    valid_to: str = ""


def read_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(f"{path}: cannot read ({err.strerror or err})") from None
    return data.decode("utf-8", errors="replace").splitlines()


def iso_date(text: str) -> str | None:
    """'990809' -> '1999-08-09', '080508' -> '2008-05-08', '19270101' -> '1927-01-01'."""
    if not text.isdigit() or len(text) not in (6, 8):
        return None
    if len(text) == 6:
        text = ("20" if int(text[:2]) < 30 else "19") + text
    year, month, day = text[:4], text[4:6], text[6:]
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}"


def parse_code(body: str) -> Code | None:
    """A `CODE` or `CODE DATES` bracket body as a `Code`, or None when it does not read."""
    parts = re.sub(r"([<>])\s+", r"\1", body).split()  # "> 140608" as ">140608"
    if not parts or len(parts) > 2 or not CODE.match(parts[0]):
        return None
    code = parts[0]
    if code[:3] in ROLE_CODES or code[:3] == "---":
        country, rest = "", code[3:] if code[:3] == "---" else code
    else:
        country, rest = code[:3], code[3:]
    role, rest = rest[:3], rest[3:]
    if len(parts) == 1:
        return Code(country, role, rest)
    dates = parts[1]
    if dates[0] in "<>":
        day = iso_date(dates[1:].strip())
        if day is None:
            return None
        return Code(country, role, rest, *((day, "") if dates[0] == ">" else ("", day)))
    start, _, end = dates.partition("-")
    first, last = iso_date(start), iso_date(end)
    if first is None or last is None:
        return None
    return Code(country, role, rest, first, last)


def phrase_words(phrase: str) -> list[str] | None:
    """The words of a `_`-joined phrase (a parenthesized acronym dropped), None if unreadable."""
    words = [w for w in re.split(r"[_\s]+", re.sub(r"\([A-Z0-9.&-]*\)", "", phrase)) if w]
    if not words or not all(WORD.match(w) for w in words):
        return None
    return words


def title(words: list[str]) -> str:
    """'VLADIMIR', 'PUTIN' -> 'Vladimir Putin'; small words lower, 'U.N.' kept."""
    out = []
    for n, word in enumerate(words):
        low = word.lower()
        if n and low in SMALL_WORDS:
            out.append(low)
        elif "." in word or any(c.isdigit() for c in word) or (len(word) <= 3 and not any(
                c in "AEIOUY" for c in word)):
            out.append(word)
        else:
            out.append("-".join(p[:1] + p[1:].lower() for p in word.split("-")))
    return " ".join(out)
