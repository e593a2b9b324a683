"""Temporary store folders (`kgbuild-store-*` in the system temp folder) for a graph file
that is served or turned into a table: removed when their work ends, and — when their
process was killed (SIGKILL, power cut) — by the next kgbuild process that makes one.

Each folder holds an owner file locked (flock) for as long as its process lives; the kernel
drops the lock when the process dies, however it dies, so a folder whose owner file can be
locked belongs to no one. The file is locked before it gets its name, so a folder being made
is never mistaken for a stale one; folders without it (made by older versions) are left alone.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("kgbuild")

PREFIX = "kgbuild-store-"
OWNER_NAME = "owner.lock"


@contextlib.contextmanager
def scratch_store() -> Iterator[Path]:
    """A path for a new temporary store (not yet made), held while the block runs and
    removed with its folder afterwards; stale folders of dead processes go first."""
    remove_stale()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    owner = None
    try:
        owner = open(folder / ".owner", "w")
        fcntl.flock(owner, fcntl.LOCK_EX)
        os.rename(folder / ".owner", folder / OWNER_NAME)
        yield folder / "store"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if owner is not None:
            owner.close()


def remove_stale(parent: str | Path | None = None) -> list[Path]:
    """Remove the `kgbuild-store-*` folders in `parent` (default: the system temp folder)
    whose process is gone; returns them."""
    removed = []
    for folder in Path(parent or tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            owner = open(folder / OWNER_NAME)
        except OSError:  # no owner file: an older kgbuild's folder, or not ours to judge
            continue
        with owner:
            try:
                fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # its process is alive
                continue
            shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
        log.debug("removed %s, the temporary store of a kgbuild process that was killed", folder)
    return removed
