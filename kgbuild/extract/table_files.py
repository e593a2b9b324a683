"""Reading the user's actor and place tables for the `kgbuild_events` component: each
file read once and checked whole, so a bad table stops a job before the slow part."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .gazetteer import place_table
from .lexicon import actor_table_rows
from .user_tables import TableText, UserTables, as_paths


def read_user_tables(actors: str | Path | Iterable[str | Path] | None = (),
                     places: str | Path | Iterable[str | Path] | None = ()) -> UserTables:
    """The user's actor and place tables at these paths, read and checked.

    Raises:
        InputError: a table cannot be read, naming its file and line.
    """
    tables = UserTables(tuple(TableText.read(p, "actor") for p in as_paths(actors)),
                        tuple(TableText.read(p, "place") for p in as_paths(places)))
    for table in tables.actors:
        actor_table_rows(table)
    for table in tables.places:
        place_table(table)
    return tables
