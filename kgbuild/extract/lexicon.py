"""Loading the editable rule data in `kgbuild/extract/data/*.tsv` (cached per process).

Each table is tab-separated with a header line; lines starting with `#` are comments.
Users extend the actor table with their own tables (same columns): given to the
`kgbuild_events` component (`--actors FILE`; see `user_tables`), or passed as
`extra_actor_files` to `load_actor_table`. Actors are coded with `load_actor_index`, which
adds the imported Phoenix rows after kgbuild's own.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..decode import BOM_UTF8, refuse_binary
from ..errors import InputError
from ..model import EntityType, EventType
from .user_tables import TableText, tables_in_force

#: The columns an actor table must have (see data/actors.tsv for the others).
ACTOR_COLUMNS = ("alias", "label")


def table_rows(source: Path | resources.abc.Traversable | TableText, required: tuple[str, ...] = ()
               ) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each row of a tab-separated table: the first line that is
    neither blank nor a `#` comment names the columns, values are stripped.

    Raises:
        InputError: naming the file and line: the file cannot be read, looks binary, a line
            is not UTF-8, or the header line lacks one of the `required` columns.
    """
    where = str(source)
    try:
        data = source.read_bytes()
    except OSError as err:
        raise InputError(f"{where}: cannot read the table ({err.strerror or err})") from None
    refuse_binary(data, where)
    header: list[str] | None = None
    rows = []
    for n, raw in enumerate(data.removeprefix(BOM_UTF8).splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(f"{where}, line {n}: not UTF-8 (byte 0x{raw[err.start]:02x} at "
                             f"byte {err.start + 1}); save the table as UTF-8") from None
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            missing = [name for name in required if name not in cells]
            if missing:
                raise InputError(f"{where}, line {n}: the first line must name the columns "
                                 f"(tab-separated, with {', '.join(required)}); it lacks "
                                 f"{', '.join(missing)}")
            header = cells
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append((n, {k: v for k, v in zip(header, cells) if k}))
    return rows


def _data(name: str) -> list[dict[str, str]]:
    return [row for _, row in table_rows(resources.files("kgbuild.extract").joinpath("data", name))]


@dataclass(frozen=True)
class ActorEntry:
    """One row of the actor alias table."""

    alias: str
    label: str
    type: str
    country: str | None
    role: str | None
    wikidata: str | None
    valid_from: str | None
    valid_to: str | None
    cameo_org: str | None = None
    #: The table the row comes from: "user" (--actors), "kgbuild" (actors.tsv) or "phoenix".
    source: str = "kgbuild"

    @property
    def dated(self) -> bool:
        """True for a row limited in time (an office held), False for an undated one."""
        return bool(self.valid_from or self.valid_to)

    def valid_on(self, date: str | None) -> bool:
        """True when the entry holds on `date` (always, when either is unknown)."""
        if not date:
            return True
        return (not self.valid_from or self.valid_from <= date) and (
            not self.valid_to or date < self.valid_to)


#: A user's table: a file name, or a table read already.
UserTable = str | Path | TableText


def load_actor_table(extra_actor_files: tuple[UserTable, ...] = ()) -> dict[str, list[ActorEntry]]:
    """Actor aliases keyed by casefolded alias; the user's tables (`extra_actor_files`,
    then those of the running component) come first."""
    return _actor_table(tuple(extra_actor_files) + tables_in_force().actors)


def shipped_actor_table() -> dict[str, list[ActorEntry]]:
    """kgbuild's own actor aliases (`actors.tsv`), never a user's."""
    return _actor_table(())


def actor_table_rows(source: UserTable) -> list[tuple[int, dict[str, str]]]:
    """The rows of a user's actor table, with their line numbers.

    Raises:
        InputError: the file is missing or unreadable (see `table_rows`).
    """
    table = source if isinstance(source, TableText) else TableText.read(source, "actor")
    return table_rows(table, ACTOR_COLUMNS)


def load_actor_index(extra_actor_files: tuple[UserTable, ...] = ()) -> ActorIndex:
    """The actor table with the Phoenix rows after kgbuild's (`phoenix_actors.tsv`, imported
    by scripts/import_phoenix.py): what actors are coded with. Each alias lists the user's
    rows first (`extra_actor_files`, then the running component's tables), then kgbuild's,
    then Phoenix's (dated rows, then the "otherwise" row)."""
    return _actor_index(tuple(extra_actor_files) + tables_in_force().actors)


@functools.lru_cache(maxsize=8)
def _actor_index(extra: tuple[UserTable, ...]) -> ActorIndex:
    return ActorIndex(_actor_table(extra), _phoenix_lines())


@functools.lru_cache(maxsize=1)
def _phoenix_lines() -> dict[str, list[str]]:
    """The rows of the generated `phoenix_actors.tsv` by casefolded alias, unparsed: the
    ~47,000 rows are split into fields only when their alias is looked up."""
    text = resources.files("kgbuild.extract").joinpath("data", "phoenix_actors.tsv").read_text("utf-8")
    out: dict[str, list[str]] = {}
    lines = iter(line for line in text.splitlines() if line and not line.startswith("#"))
    next(lines, None)  # the column names (scripts/import_phoenix.py writes them in this order)
    for line in lines:
        out.setdefault(line[:line.index("\t")].casefold(), []).append(line)
    return out


class ActorIndex(Mapping):
    """The user's and kgbuild's rows of each alias, then Phoenix's (parsed on first use)."""

    def __init__(self, own: dict[str, list[ActorEntry]], phoenix: dict[str, list[str]]):
        self._own, self._phoenix = own, phoenix
        self._parsed: dict[str, list[ActorEntry]] = {}

    def __getitem__(self, alias: str) -> list[ActorEntry]:
        found = self._parsed.get(alias)
        if found is None:
            raw = self._phoenix.get(alias, ())
            found = self._own.get(alias, []) + [_phoenix_entry(line) for line in raw]
            if not found:
                raise KeyError(alias)
            self._parsed[alias] = found
        return found

    def get(self, alias: str, default: Any = None) -> Any:
        """The rows of `alias`, or `default` (most words looked up are no alias)."""
        if alias in self._parsed or alias in self._own or alias in self._phoenix:
            return self[alias]
        return default

    def __iter__(self) -> Iterator[str]:
        yield from self._own
        yield from (alias for alias in self._phoenix if alias not in self._own)

    def __len__(self) -> int:
        return len(self._own) + sum(1 for alias in self._phoenix if alias not in self._own)


def _phoenix_entry(line: str) -> ActorEntry:
    alias, label, kind, country, role, rest, start, end = line.split("\t")
    return ActorEntry(alias, label, kind, country or None, role or None, None, start or None,
                      end or None, rest or None, "phoenix")


@functools.lru_cache(maxsize=8)
def _actor_table(extra: tuple[UserTable, ...]) -> dict[str, list[ActorEntry]]:
    rows: list[tuple[str, dict[str, str]]] = []
    for source in extra:
        rows.extend(("user", row) for _, row in actor_table_rows(source))
    rows.extend(("kgbuild", row) for row in _data("actors.tsv"))
    table: dict[str, list[ActorEntry]] = {}
    for source, row in rows:
        if not row.get("alias") or not row.get("label"):
            continue
        entry = ActorEntry(row["alias"], row["label"], row.get("type") or EntityType.ORGANIZATION,
                           row.get("country") or None, row.get("role") or None,
                           row.get("wikidata") or None, row.get("valid_from") or None,
                           row.get("valid_to") or None, row.get("cameo_org") or None, source)
        table.setdefault(entry.alias.casefold(), []).append(entry)
    return table


@dataclass(frozen=True)
class AgentNoun:
    """A Phoenix agent noun: its CAMEO role, the finer code after it (GOVBUS -> "BUS"), the
    kgbuild actor type, and whether the country's code goes first (IRN + GOV) or after the
    role (IGO + the country)."""

    role: str
    rest: str
    type: str
    country_first: bool


@functools.lru_cache(maxsize=1)
def agent_nouns() -> dict[str, AgentNoun]:
    """Phoenix agent nouns (`phoenix_agents.tsv`) by lowercase phrase, singular as listed
    ("human rights activist", "troop"); kgbuild's own role nouns (roles.tsv) are not in it."""
    return {r["noun"]: AgentNoun(r["role"], r.get("cameo_org") or "", r["type"],
                                 r.get("country_first") != "no")
            for r in _data("phoenix_agents.tsv")}


#: PLOVER event type, mode (or None) and contexts of a CAMEO code.
PloverRow = tuple[str, str | None, tuple[str, ...]]


@functools.lru_cache(maxsize=1)
def plover_table() -> dict[str, PloverRow]:
    """The rows of plover.tsv (the PLOVER project's CAMEO2PLOVER-2021 table) by CAMEO code."""
    return {r["code"]: (r["plover"], r["mode"] or None, tuple(c for c in r["context"].split(";") if c))
            for r in _data("plover.tsv")}


def plover_of(code: str) -> PloverRow | None:
    """The PLOVER type, mode and contexts of a CAMEO code: its own row of plover.tsv, else
    the row of its nearest listed ancestor (0874, then 087, then the root 08). None when
    neither is listed: PLOVER publishes no type for CAMEO 01x statements and 02x appeals."""
    table = plover_table()
    return next((table[code[:n]] for n in range(len(code), 1, -1) if code[:n] in table), None)


@functools.lru_cache(maxsize=1)
def event_types() -> dict[str, EventType]:
    """CAMEO codes → EventType (label, root, PLOVER type/mode/context, Goldstein, quad class)."""
    out = {}
    for row in _data("cameo_codes.tsv"):
        plover, mode, context = plover_of(row["code"]) or (None, None, ())
        out[row["code"]] = EventType(
            code=row["code"], label=row["label"], root=row["root"],
            plover=plover, plover_mode=mode, plover_context=context,
            goldstein=float(row["goldstein"]) if row.get("goldstein") else None,
            quad_class=int(row["quad_class"]) if row.get("quad_class") else None)
    return out


@functools.lru_cache(maxsize=1)
def verb_codes() -> dict[tuple[str, str], str]:
    """(lemmatized verb or phrase, object class or '*') → CAMEO code."""
    return {(r["phrase"].lower(), r["object_class"] or "*"): r["code"] for r in _data("verbs.tsv")}


@functools.lru_cache(maxsize=1)
def frame_codes() -> dict[str, dict[str, str | None]]:
    """CAMEO code prefix of a governed event → {frame: code or None for the frame's
    general code} (`frames.tsv`: appeal, intent, demand, reject, threat)."""
    out = {}
    for r in _data("frames.tsv"):
        out[r["embedded"]] = {k: (None if v == "-" else v) for k, v in r.items() if k != "embedded"}
    return out


@functools.lru_cache(maxsize=1)
def object_classes() -> dict[str, str]:
    """Head-noun lemma → object class (weapon, force, aid, sanction, …)."""
    return {r["keyword"].lower(): r["class"] for r in _data("object_classes.tsv")}


@functools.lru_cache(maxsize=1)
def role_nouns() -> dict[str, tuple[str, str]]:
    """Nouns that name actors by role: lemma → (CAMEO role code, actor type)."""
    return {r["noun"].lower(): (r["role"], r["type"]) for r in _data("roles.tsv")}


@functools.lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """The short name the actor table gives an ISO alpha-3 code ('RUS' -> 'Russia')."""
    for entries in shipped_actor_table().values():
        for e in entries:
            if e.type == EntityType.COUNTRY and e.country == code and e.alias == e.label:
                return e.label
    try:
        import pycountry

        found = pycountry.countries.get(alpha_3=code)
    except (ImportError, KeyError, LookupError):
        found = None
    return (getattr(found, "common_name", None) or found.name) if found else code


@dataclass(frozen=True)
class NounEvent:
    """One row of the noun-event table: the CAMEO code a noun names, the prepositions that
    introduce its other party, and whether it relates its parties both ways."""

    noun: str
    code: str
    preps: frozenset[str]
    reciprocal: bool


@functools.lru_cache(maxsize=1)
def noun_events() -> dict[str, NounEvent]:
    """Event nouns ("attack", "talks", "air strike") by lemma → `NounEvent`."""
    out = {}
    for r in _data("noun_events.tsv"):
        out[r["noun"].lower()] = NounEvent(r["noun"].lower(), r["code"],
                                           frozenset(p for p in r["preps"].split("|") if p),
                                           r.get("reciprocal") == "yes")
    return out


@functools.lru_cache(maxsize=1)
def lemma_fixes() -> dict[tuple[str, str], str]:
    """(lowercase word, coarse POS) → the lemma the rules should see."""
    return {(r["word"].lower(), r["pos"]): r["lemma"] for r in _data("lemma_fixes.tsv")}


@functools.lru_cache(maxsize=1)
def _word_classes() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for row in _data("word_classes.tsv"):
        out.setdefault(row["class"], set()).add(row["word"])
    return {name: frozenset(words) for name, words in out.items()}


def word_class(name: str) -> frozenset[str]:
    """The words of one class of `data/word_classes.tsv` ("request_verb", "speech_verb" …;
    the file's header says what each class does). Unknown class names raise KeyError."""
    return _word_classes()[name]
