"""Looking an actor up in the alias tables: the row that codes a name on a date, and the
rows whose alias contains some text (`kgbuild actors`)."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from .aliases import pick
from .lexicon import ActorEntry, load_actor_index


def entry_code(entry: ActorEntry) -> str | None:
    """The CAMEO actor code of a row: country, role and the rest joined ("RUSGOV")."""
    return "".join(p or "" for p in (entry.country, entry.role, entry.cameo_org)) or None


@dataclass(frozen=True)
class ActorCoding:
    """How a name is coded on a date: the row chosen and every row of the name."""

    name: str
    date: str | None
    entry: ActorEntry
    rows: tuple[ActorEntry, ...]

    @property
    def code(self) -> str | None:
        """The CAMEO actor code of the row chosen."""
        return entry_code(self.entry)


def code_actor(name: str, date: str | None = None,
               actors_files: tuple[str, ...] = ()) -> ActorCoding | None:
    """The row that codes `name` on `date` (ISO; None: undated text), as the extraction
    would choose it (`aliases.pick`), with the user's `actors_files` first; None when no
    table lists the name.

    Raises:
        InputError: an actor file cannot be read (naming its file and line).
    """
    index = load_actor_index(tuple(actors_files))
    folded = name.strip().casefold()
    rows = index.get(folded.removeprefix("the ")) or index.get(folded)
    if not rows:
        return None
    return ActorCoding(name, date, pick(rows, date), tuple(rows))


def search_actors(text: str, actors_files: tuple[str, ...] = (), limit: int = 50) -> list[ActorEntry]:
    """The rows whose alias or label contains `text` (case-insensitive), aliases in
    alphabetical order, at most `limit` rows.

    Raises:
        InputError: `text` is empty, or an actor file cannot be read.
    """
    needle = text.strip().casefold()
    if not needle:
        raise InputError("--search needs some text, e.g. kgbuild actors --search putin")
    index = load_actor_index(tuple(actors_files))
    out: list[ActorEntry] = []
    for alias in sorted(index):
        rows = index[alias]
        if needle in alias or any(needle in r.label.casefold() for r in rows):
            out.extend(rows)
            if len(out) >= limit:
                return out[:limit]
    return out


def format_row(entry: ActorEntry, chosen: bool = False) -> str:
    """One row as a line: code, alias, label, type, dates and the table it comes from."""
    dates = f"{entry.valid_from or '…'} to {entry.valid_to or '…'}" if entry.dated else "undated"
    return "\t".join(("*" if chosen else " ", entry_code(entry) or "-", entry.alias, entry.label,
                      entry.type, dates, entry.source))
