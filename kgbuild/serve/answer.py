"""What `kgbuild serve` answers: content negotiation, and a query's answer written by
Oxigraph in the negotiated format (or as an HTML table for a browser)."""
from __future__ import annotations

import traceback

from ..errors import QueryError
from ..formats import GRAPH, RESULTS, Format, by_media_type, by_name, formats
from ..query.store import store_answer
from .limits import CappedSink
from .page import results_page

#: The formats answers are written in (`kgbuild.formats`): every SELECT/ASK answer format,
#: and the graph formats Oxigraph writes that hold one graph (a CONSTRUCT's answer).
RESULT_FORMATS = formats(RESULTS)
GRAPH_FORMATS = tuple(f for f in formats(GRAPH) if f.oxigraph is not None and not f.quads)
#: Media types offered, in the server's order of preference.
RESULT_TYPES = tuple(m for f in RESULT_FORMATS for m in f.media_types)
GRAPH_TYPES = tuple(m for f in GRAPH_FORMATS for m in f.media_types)


def _served(media: str) -> Format | None:
    """The format an offered media type is written in."""
    return by_media_type(media, RESULTS, GRAPH)


def negotiate(kind: str, accept: str | None, fmt: str | None = None) -> str | None:
    """The media type to answer a `kind` query with: the `format` name when given, else the
    offer the Accept header rates highest (the most specific matching range decides; ties
    go to the server's order, SPARQL JSON and Turtle first); None when nothing fits (406)."""
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    offers = list(GRAPH_TYPES if graph else RESULT_TYPES)
    if fmt:
        if graph and fmt.strip().lower() == "html":
            return "text/plain"  # a browser shows N-Triples as text
        named = by_name(fmt, RESULTS if not graph else GRAPH)
        return named.media_type if named is not None and named.media_type in offers else None
    if not accept or not accept.strip():
        return offers[0]
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    best, best_q = None, 0.0
    for offer in offers:
        matches = [(2 if r == offer else 1 if r == offer.split("/")[0] + "/*" else 0, q)
                   for r, q in ranges if r in (offer, offer.split("/")[0] + "/*", "*/*")]
        q = max(matches)[1] if matches else 0.0
        if q > best_q:
            best, best_q = offer, q
    return best


#: Rows an HTML table shows at most (a browser shows no more usefully); then it is cut.
HTML_ROWS = 10_000


def answer(store, text: str, media: str, cap: int) -> bytes:
    """The answer to a checked query in the media type `media` (see `negotiate`), of at
    most `cap` bytes. An HTML table stops at `HTML_ROWS` rows or about `cap` bytes and
    says so under its heading; other answers over `cap` raise `AnswerTooLarge`.

    Raises:
        QueryError: Oxigraph cannot parse or evaluate the query.
        AnswerTooLarge: the answer has more than `cap` bytes (evaluation stopped there).
    """
    import pyoxigraph

    result = solution = None
    try:
        result = store_answer(store, text)
        if media == "text/html":
            if isinstance(result, pyoxigraph.QueryBoolean):
                return results_page([], [], boolean=bool(result))
            variables = [v.value for v in result.variables]
            rows: list[list[str | None]] = []
            size = 0
            for solution in result:
                if len(rows) == HTML_ROWS or size > cap:
                    return results_page(variables, rows, cut=True)
                rows.append([_shown(solution[v]) for v in variables])
                size += sum(len(c) + 9 for c in rows[-1] if c is not None) + 9
            return results_page(variables, rows)
        sink = CappedSink(cap)
        result.serialize(sink, getattr(_served(media), "oxigraph", None))
        return bytes(sink.data)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(err).split())}") from None
    except (RuntimeError, OSError, ValueError) as err:
        raise QueryError(f"the query failed: {' '.join(str(err).split())[:300]}") from None
    except BaseException as err:  # too large, or stopped for time: no frame may keep Oxigraph's answer
        traceback.clear_frames(err.__traceback__)
        raise
    finally:
        result = solution = None  # Oxigraph's answers must die on the thread that made them


def _shown(term) -> str | None:
    """A term as a table cell: IRIs and literals by their value, blank nodes as `_:id`."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    language = getattr(term, "language", None)
    return f"{term.value}@{language}" if language else term.value
