"""The manifest of a store folder (`kgbuild-store.json`): the layout version of the store
and the kgbuild and pyoxigraph versions that made it. Written when a store is created
(and given to a store an older kgbuild made, which has none), checked before Oxigraph
opens the folder: a store of a newer layout, or written by another minor version of
pyoxigraph (whose on-disk format is not promised stable across minors), is refused with
a message saying what to do, instead of a crash or a silently wrong answer.

Layout versions: 1, the layout of `kgbuild.stores.oxigraph` (a named graph per
document, the dyad index in `kgr:index/dyads`, the dirty file)."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph

from .. import __version__
from ..atomic import atomic_write
from ..errors import StoreVersionError

NAME = "kgbuild-store.json"
#: The layout this kgbuild writes, and the newest it reads.
LAYOUT = 1
_REBUILD = "rebuild the store from your inputs into a new folder (kgbuild build INPUT --store NEW_FOLDER)"


def current() -> dict:
    """The manifest of a store this kgbuild writes."""
    return {"format": "kgbuild-store", "layout": LAYOUT, "kgbuild": __version__,
            "pyoxigraph": pyoxigraph.__version__}


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def write(folder: Path) -> None:
    """Write this kgbuild's manifest into the store folder (atomically).

    Raises:
        OutputError: it cannot be written.
    """
    with atomic_write(folder / NAME) as fh:
        fh.write(json.dumps(current(), indent=2) + "\n")


def check(folder: Path) -> bool:
    """Refuse a store this kgbuild cannot read; True when it has a manifest (False: made
    by a kgbuild from before manifests, read as layout 1).

    Raises:
        StoreVersionError: the manifest cannot be read, names a newer layout, or another
            minor version of pyoxigraph.
    """
    path = folder / NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError) as err:
        raise StoreVersionError(f"{folder}: cannot read its manifest {NAME} "
                                f"({getattr(err, 'strerror', None) or err}); {_REBUILD}") from None
    try:
        found = json.loads(text)
        layout, made_by, oxigraph = int(found["layout"]), str(found["kgbuild"]), str(found["pyoxigraph"])
    except (ValueError, TypeError, KeyError) as err:
        raise StoreVersionError(f"{folder}: its manifest {NAME} is not one kgbuild writes "
                                f"({type(err).__name__}: {err}); {_REBUILD}") from None
    if layout > LAYOUT:
        raise StoreVersionError(
            f"{folder}: made by kgbuild {made_by} in store layout {layout}; this kgbuild "
            f"{__version__} reads layouts up to {LAYOUT}: upgrade kgbuild "
            f"(pip install -U kgbuild), or {_REBUILD}")
    if _minor(oxigraph) != _minor(pyoxigraph.__version__):
        raise StoreVersionError(
            f"{folder}: written by pyoxigraph {oxigraph}, whose on-disk format pyoxigraph "
            f"{pyoxigraph.__version__} (installed here) may not read: use a kgbuild with "
            f"pyoxigraph {'.'.join(_minor(oxigraph))}.x (kgbuild {made_by} made it), or {_REBUILD}")
    return True
