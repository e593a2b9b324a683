"""The HTML of `kgbuild serve`: landing page, query form with the saved queries, result table
(self-contained: no scripts, no external styles or fonts, everything escaped)."""
from __future__ import annotations

from html import escape
from urllib.parse import quote

from ..formats import GRAPH, RESULTS, get
from ..query import describe_saved, saved_queries

#: Sent with every page: nothing but the page itself and its inline style may load.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                           "base-uri 'none'; frame-ancestors 'none'")

_STYLE = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em}
textarea{width:100%;font-family:monospace;font-size:0.95em}
table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;padding:2px 6px;
text-align:left;vertical-align:top}th{background:#f2f2f2}code{background:#f2f2f2;padding:0 3px}
li{margin:0.2em 0}"""

#: The answer formats the form offers (value, label), the HTML table first.
RESULT_FORMATS = (tuple((n, get(n, RESULTS).label) for n in ("html", "json", "xml", "csv", "tsv"))
                  + tuple((n, f"{get(n, GRAPH).label} (CONSTRUCT/DESCRIBE)") for n in ("turtle", "nt")))


def _page(title: str, body: str) -> bytes:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body>{body}</body></html>\n").encode("utf-8")


def _saved_list() -> str:
    items = "".join(f'<li><a href="/form?saved={quote(name)}"><code>{escape(name)}</code></a> '
                    f"{escape(describe_saved(text))}</li>"
                    for name, text in saved_queries().items())
    return f"<ul>{items}</ul>"


def landing_page(name: str, triples: int) -> bytes:
    """`/`: what is served, the endpoint URL, and links to the query form."""
    body = (f"<h1>kgbuild SPARQL endpoint</h1><p>Serving <code>{escape(name)}</code> "
            f"({triples:,} triples), read-only. SPARQL 1.1 Protocol at <code>/query</code> "
            "(GET <code>?query=</code>, or POST <code>application/sparql-query</code> or a "
            "form); answers in SPARQL JSON, XML, CSV or TSV, graphs in Turtle or N-Triples. "
            "kgbuild's usual prefixes (<code>kg:</code>, <code>rdfs:</code> …) are declared, "
            "and queries see the union of all graphs.</p>"
            '<p><a href="/form">Write a query</a>, or start from a saved one:</p>'
            + _saved_list())
    return _page("kgbuild SPARQL endpoint", body)


def form_page(query: str, saved: str | None = None) -> bytes:
    """`/form`: a query form, filled in with a saved query's text when one is named."""
    options = "".join(f'<option value="{v}">{escape(label)}</option>'
                      for v, label in RESULT_FORMATS)
    heading = f"Saved query <code>{escape(saved)}</code>" if saved else "Query"
    body = (f'<p><a href="/">kgbuild SPARQL endpoint</a></p><h1>{heading}</h1>'
            '<form method="post" action="/query">'
            f'<textarea name="query" rows="18" spellcheck="false">{escape(query)}</textarea>'
            f'<p><label>Answer as <select name="format">{options}</select></label> '
            '<button type="submit">Run</button></p></form><h2>Saved queries</h2>'
            + _saved_list())
    return _page("kgbuild query", body)


def results_page(variables: list[str], rows: list[list[str | None]],
                 boolean: bool | None = None, cut: bool = False) -> bytes:
    """A SELECT answer as an HTML table (cells are N-Triples-like terms), or an ASK answer;
    `cut`: the answer has more rows than shown, and the page says so."""
    if boolean is not None:
        return _page("kgbuild answer", f"<p>{'true' if boolean else 'false'}</p>")
    head = "".join(f"<th>{escape(v)}</th>" for v in variables)
    body = "".join("<tr>" + "".join(f"<td>{'' if c is None else escape(c)}</td>" for c in row)
                   + "</tr>" for row in rows)
    count = (f"<p><strong>Cut:</strong> the first {len(rows):,} rows only; the answer has "
             "more. Add a LIMIT, or ask for CSV or JSON (up to kgbuild serve --max-answer "
             "bytes).</p>" if cut else f"<p>{len(rows):,} rows</p>")
    return _page("kgbuild answer", f"{count}<table><tr>{head}</tr>{body}</table>")
