"""Loading the editable rule data in `kgbuild/extract/data/*.tsv` (cached per process).

Each table is tab-separated with a header line; lines starting with `#` are comments.
Users extend the actor table with `KGBUILD_ACTORS=/path/to/more-actors.tsv` (same columns)
or by passing `extra_actor_files` to `load_actor_table`.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..decode import BOM_UTF8, refuse_binary
from ..errors import InputError
from ..model import EventType

ACTORS_ENV = "KGBUILD_ACTORS"
#: The columns an actor table must have (see data/actors.tsv for the others).
ACTOR_COLUMNS = ("alias", "label")


def table_rows(source: Path | resources.abc.Traversable, required: tuple[str, ...] = ()
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

    def valid_on(self, date: str | None) -> bool:
        """True when the entry holds on `date` (always, when either is unknown)."""
        if not date:
            return True
        return (not self.valid_from or self.valid_from <= date) and (
            not self.valid_to or date < self.valid_to)


def load_actor_table(extra_actor_files: tuple[str, ...] = ()) -> dict[str, list[ActorEntry]]:
    """Actor aliases keyed by casefolded alias; user files (and $KGBUILD_ACTORS) come first."""
    env = os.environ.get(ACTORS_ENV)
    extra = tuple(extra_actor_files) + ((env,) if env else ())
    return _actor_table(extra)


def actor_table_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a user's actor table, with their line numbers.

    Raises:
        InputError: the file is missing or unreadable (see `table_rows`).
    """
    if not path.is_file():
        raise InputError(f"{path}: actor table not found")
    return table_rows(path, ACTOR_COLUMNS)


@functools.lru_cache(maxsize=8)
def _actor_table(extra: tuple[str, ...]) -> dict[str, list[ActorEntry]]:
    rows: list[dict[str, str]] = []
    for name in extra:
        rows.extend(row for _, row in actor_table_rows(Path(name)))
    rows.extend(_data("actors.tsv"))
    table: dict[str, list[ActorEntry]] = {}
    for row in rows:
        if not row.get("alias") or not row.get("label"):
            continue
        entry = ActorEntry(row["alias"], row["label"], row.get("type") or "Organization",
                           row.get("country") or None, row.get("role") or None,
                           row.get("wikidata") or None, row.get("valid_from") or None,
                           row.get("valid_to") or None, row.get("cameo_org") or None)
        table.setdefault(entry.alias.casefold(), []).append(entry)
    return table


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
    for entries in _actor_table(()).values():
        for e in entries:
            if e.type == "Country" and e.country == code and e.alias == e.label:
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
