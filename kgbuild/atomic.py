"""Writing output files so that a crash never leaves half a file behind."""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from .errors import OutputError


def write_error(path: str | Path, err: OSError) -> OutputError:
    """The one-line error for an OSError while writing `path` (disk full, no permission …)."""
    reason = err.strerror or " ".join(str(err).split())
    return OutputError(f"{path}: cannot write ({reason}); nothing was written")


def check_output(path: str | Path, inputs: Iterable[str | Path] = (), *,
                 folder_made: bool = False) -> None:
    """Fail before any work when `path` cannot be written: its folder is missing or takes
    no new files, `path` is a folder, or `path` is one of `inputs`.

    Args:
        folder_made: the caller creates a missing folder; then the nearest existing folder
            above it must take new ones.

    Raises:
        OutputError: with what to do next.
    """
    if str(path) == "-":
        return  # standard output
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if folder_made:
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"{path}: the folder {folder} {what}; create it or write elsewhere")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    for item in inputs:
        if str(item) != "-" and path.exists() and Path(item).exists() \
                and os.path.samefile(path, item):
            raise OutputError(f"{path}: is also an input, which would be overwritten; "
                              "write the output to another file")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise OutputError(f"{path}: cannot write in {folder} ({err.strerror or err}); "
                          "choose a folder you can write to") from None
    os.close(fd)
    os.unlink(probe)


class _Output:
    """A file whose write errors are `OutputError`s naming the output path."""

    def __init__(self, fh: IO, path: Path):
        self._fh = fh
        self._path = path

    def write(self, data):
        try:
            return self._fh.write(data)
        except OSError as err:
            raise write_error(self._path, err) from None

    def flush(self) -> None:
        try:
            self._fh.flush()
        except OSError as err:
            raise write_error(self._path, err) from None

    def __getattr__(self, name: str):
        return getattr(self._fh, name)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside `path`; rename it over `path` only on success.

    Raises:
        OutputError: the file cannot be created, written (disk full) or renamed.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise write_error(path, err) from None
    umask = os.umask(0)
    os.umask(umask)
    in_body = False  # OSErrors of the caller's own block are not write errors
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs get normal permissions
        text_options: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **text_options) as fh:
            in_body = True
            yield cast(IO, _Output(fh, path))  # (a file object to the caller)
            in_body = False
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(err, OSError) and not in_body:
            raise write_error(path, err) from None
        raise


@contextlib.contextmanager
def open_output(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Standard output for '-', else `atomic_write(path, mode)`."""
    if str(path) != "-":
        with atomic_write(path, mode) as fh:
            yield fh
        return
    stream = sys.stdout.buffer if "b" in mode else sys.stdout
    yield stream
    stream.flush()
