"""The user's actor and place tables as settings of the `kgbuild_events` component.

A table is read once, into a `TableText` (its file name, for messages, and its bytes), so
a pipeline keeps it after the file is gone and `nlp.to_disk` saves it. The component
holds its `UserTables` and puts them in force while it runs (`tables_in_force`); the
lookups of the actor and place tables (`lexicon.load_actor_index`,
`gazetteer.gazetteer`) add the tables in force to kgbuild's own. Outside a component
call none are in force, so a table given to one pipeline never reaches another.
"""
from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class TableText:
    """The bytes of a user's table and the file they were read from; reads like a file
    (`read_bytes`, and `str` gives the file name) for `lexicon.table_rows`."""

    name: str
    data: bytes

    @classmethod
    def read(cls, path: str | Path, kind: str) -> TableText:
        """The table at `path`.

        Raises:
            InputError: the file is missing or cannot be read.
        """
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: {kind} table not found")
        try:
            return cls(str(path), path.read_bytes())
        except OSError as err:
            raise InputError(f"{path}: cannot read the table ({err.strerror or err})") from None

    def read_bytes(self) -> bytes:
        """The table's bytes."""
        return self.data

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class UserTables:
    """The actor and place tables a pipeline adds to kgbuild's, first one first."""

    actors: tuple[TableText, ...] = ()
    places: tuple[TableText, ...] = ()

    def to_json(self) -> dict:
        """The tables as JSON data (`from_json` reads it back)."""
        return {kind: [{"name": t.name, "text": t.data.decode("utf-8")} for t in tables]
                for kind, tables in (("actors", self.actors), ("places", self.places))}

    @classmethod
    def from_json(cls, data: dict) -> UserTables:
        """The tables of `to_json`'s data."""
        return cls(*(tuple(TableText(t["name"], t["text"].encode("utf-8")) for t in data.get(kind, ()))
                     for kind in ("actors", "places")))


def as_paths(files: str | Path | Iterable[str | Path] | None) -> tuple[str | Path, ...]:
    """None, one path, or several, as a tuple of paths."""
    if files is None:
        return ()
    if isinstance(files, (str, Path)):
        return (files,)
    return tuple(files)


_IN_FORCE: contextvars.ContextVar[UserTables] = contextvars.ContextVar(
    "kgbuild_user_tables", default=UserTables())


def tables_in_force() -> UserTables:
    """The tables of the component running now (none outside a component call)."""
    return _IN_FORCE.get()


@contextmanager
def using_tables(tables: UserTables) -> Iterator[None]:
    """Put `tables` in force for the `with` block, and the earlier ones back after it."""
    token = _IN_FORCE.set(tables)
    try:
        yield
    finally:
        _IN_FORCE.reset(token)
