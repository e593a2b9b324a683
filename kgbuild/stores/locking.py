"""The lock file of a store: one writer at a time holds it exclusively, and a reader asks
whether a writer holds it (RocksDB gives no consistent read-only view while one compacts)."""
from __future__ import annotations

import errno
import fcntl
from pathlib import Path
from typing import IO

from ..errors import OutputError, StoreLockedError

LOCK_NAME = "kgbuild.lock"


def take_lock(folder: Path) -> IO[str]:
    """The lock file of the store in `folder`, locked for this writer (closing it unlocks).

    Raises:
        OutputError: the lock file cannot be written.
        StoreLockedError: another process holds the lock.
    """
    try:
        fh = open(folder / LOCK_NAME, "a+")
    except OSError as err:
        raise OutputError(f"{folder}: cannot write to this store ({err.strerror or err}); "
                          "give a store folder you can write to") from None
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        fh.close()
        if err.errno in (errno.EAGAIN, errno.EACCES):
            raise StoreLockedError(f"{folder}: another kgbuild process is writing to this "
                                   "store; wait for it to finish") from None
        raise
    return fh


def writer_running(folder: Path) -> bool:
    """True when a writer holds the lock of the store in `folder`."""
    try:
        with open(folder / LOCK_NAME) as fh:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(fh, fcntl.LOCK_UN)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False
