"""One checking path for every query kgbuild runs or sends: on an rdflib graph, on an
Oxigraph store (`kgbuild.query.run_query`), on a remote endpoint
(`kgbuild.remote.remote_query`) and the queries `kgbuild serve` answers.

In order: the page (`check_page`) and the parameter names (`check_names`); a saved
query's name becomes its text and its parameters are checked (`check_bindings`); the
text is checked (`check_query`: no updates, no SERVICE unless allowed, syntax errors with
line and column), except a saved text where the engine needs no parse; the values are
bound (`bound_text`: into `VALUES ?name { UNDEF }` placeholders as escaped terms, else as a
VALUES block, and that text is checked again, since it is what the engine runs).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .params import bind_placeholders, bind_values, check_bindings, check_names
from .result import check_page
from .sparql import bind_term, check_query, resolve_query, saved_queries

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

#: rdflib's algebra names of the four query forms.
KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
         "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class PreparedQuery:
    """A query checked by `prepare_query`."""

    #: the SPARQL text (a saved query's text when `name` is set)
    text: str
    #: the name of the saved query, else None
    name: str | None = None
    #: the values to bind, as rdflib terms
    init: dict = field(default_factory=dict)
    #: rdflib's prepared query; None for a saved text left unparsed
    parsed: Query | None = None
    allow_service: bool = False
    timeout: float | None = None

    @property
    def kind(self) -> str | None:
        """SELECT, ASK, CONSTRUCT or DESCRIBE (None when the text was not parsed)."""
        return None if self.parsed is None else query_kind(self.parsed)


def query_kind(parsed) -> str:
    """The form of a query `check_query` returned: SELECT, ASK, CONSTRUCT or DESCRIBE."""
    return KINDS.get(parsed.algebra.name, "SELECT")


def prepare_query(query: str, *, bindings: dict[str, object] | None = None,
                  allow_service: bool = False, timeout: float | None = None,
                  limit: int | None = None, offset: int = 0, parse: bool = True,
                  saved: bool = True) -> PreparedQuery:
    """Check a query before anything runs it (see the module's docstring).

    Args:
        query: SPARQL text, or (with `saved`) the name of a saved query.
        bindings: values for variables; strings that look like IRIs become IRIs.
        allow_service: let the query contain SERVICE clauses.
        timeout: seconds the parse may take (None: no limit).
        limit, offset: the page asked for (checked only).
        parse: parse a saved query's text too (an engine other than Oxigraph needs it).
        saved: take `query` as a saved query's name when it is one (`kgbuild serve` takes
            SPARQL text only).

    Raises:
        QueryError, QueryParameterError, QueryTimeoutError: as `kgbuild.query.run_query`.
    """
    check_page(limit, offset)
    check_names(bindings or {})
    name = query if saved and query in saved_queries() else None
    text = resolve_query(query) if saved else query
    if name is not None:
        bindings = check_bindings(name, text, bindings or {})
    init = {key: bind_term(value) for key, value in (bindings or {}).items()}
    parsed = (check_query(text, allow_service=allow_service, timeout=timeout)
              if parse or name is None else None)
    return PreparedQuery(text, name, init, parsed, allow_service, timeout)


def bound_text(prepared: PreparedQuery, text: str | None = None) -> str:
    """`text` (default: the prepared text) with the prepared values bound: what the engine
    runs. Values without a placeholder become a VALUES block, and that text is checked."""
    bound, rest = bind_placeholders(prepared.text if text is None else text, prepared.init)
    if not rest:
        return bound
    final = bind_values(bound, rest)
    check_query(final, allow_service=prepared.allow_service, timeout=prepared.timeout)
    return final
