"""Exceptions kgbuild raises for user mistakes; the CLI turns them into one-line errors."""
from __future__ import annotations


class KgbuildError(Exception):
    """Base class: a problem the user can fix (bad input, missing model, bad query)."""


class InputError(KgbuildError):
    """An input file, folder or record cannot be read as news text."""


class ModelError(KgbuildError):
    """The spaCy pipeline cannot be found or loaded."""


class GraphError(KgbuildError):
    """A graph file cannot be read, or an output format is unknown."""


class QueryError(KgbuildError):
    """A SPARQL query cannot be parsed or run."""


class QueryTimeoutError(QueryError):
    """A query ran longer than its time limit and was stopped."""
