"""Exceptions kgbuild raises for user mistakes (the CLI turns them into one-line errors),
and the few public ones its parts raise to each other (`AnswerTooLarge`)."""
from __future__ import annotations

import errno
from pathlib import Path


class KgbuildError(Exception):
    """Base class: a problem the user can fix (bad input, missing model, bad query)."""


class InputError(KgbuildError):
    """An input file, folder or record cannot be read as news text."""


class ModelError(KgbuildError):
    """The spaCy pipeline cannot be found or loaded."""


class GraphError(KgbuildError):
    """A graph file cannot be read, or an output format is unknown."""


class StoreLockedError(KgbuildError):
    """Another kgbuild process is writing to the store."""


class StoreVersionError(GraphError):
    """The store was written in a layout, or by a pyoxigraph, this kgbuild cannot read."""


class UntrustedDirtyFile(GraphError):
    """The dirty file holds a line kgbuild did not write, so what it lists is unknown."""


class QueryError(KgbuildError):
    """A SPARQL query cannot be parsed or run."""


class QueryParameterError(QueryError):
    """A saved query was given a parameter it does not take, or not given one it needs."""


class QueryTimeoutError(QueryError):
    """A query ran longer than its time limit and was stopped."""


class EndpointError(KgbuildError):
    """A remote SPARQL endpoint or graph store cannot be used as asked."""


class EndpointConnectionError(EndpointError):
    """The endpoint cannot be reached: refused, unknown host, TLS failure or time ran out."""


class EndpointHTTPError(EndpointError):
    """The endpoint answered with an HTTP status that is no success (3xx, 4xx or 5xx)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class OutputError(KgbuildError):
    """An output file or store cannot be written (missing folder, no permission, disk full)."""


class ServeError(KgbuildError):
    """The endpoint cannot start: the port is taken, or the address is not this machine's."""


class SchedulerError(KgbuildError):
    """The Dask scheduler cannot be reached, or dask.distributed is not installed."""


class MissingExtraError(KgbuildError):
    """An optional dependency is not installed; the message names the kgbuild extra."""


class AnswerTooLarge(Exception):
    """Raised by `kgbuild.serve.limits.CappedSink` when an answer passes its cap (it stops
    the writer); the endpoint answers 507. No `KgbuildError`: it never reaches a user."""


def store_error(path: Path, err: Exception, what: str) -> KgbuildError:
    """A one-line error for a failure of Oxigraph (RocksDB) on the store at `path`."""
    reason = " ".join(str(err).split())[:300]
    if "Corruption" in reason:
        return GraphError(f"{path}: the store is damaged ({reason}); rebuild it from the "
                          "inputs into a new folder")
    if "No space left" in reason or getattr(err, "errno", None) == errno.ENOSPC:
        return OutputError(f"{path}: {what}: the disk is full; free some space, then rerun "
                           "the build to complete the store")
    return OutputError(f"{path}: {what} ({reason})")
