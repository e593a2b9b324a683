"""The commands that read a graph: `query`, `export`, `stats`, `validate`, `viz`."""
from __future__ import annotations

import json
import sys

import click

from ..atomic import check_output
from ..formats import GRAPH, NETWORK, TABLE, VIEW, by_suffix
from .base import (
    DEFAULT_LIMIT,
    GRAPH_FORMATS,
    NETWORK_FORMATS,
    TABLE_FORMATS,
    VIEW_FORMATS,
    cli,
    graph_argument,
    log,
    max_answer_option,
    user_errors,
)


def _row_count(ctx, param, value: int | None) -> int | None:
    """--limit and --offset: a usage error past the largest row count a query can page."""
    from ..query.result import MAX_ROWS

    if value is not None and value > MAX_ROWS:
        raise click.BadParameter(f"{value} is more than {MAX_ROWS:,}, the largest row count")
    return value


@cli.command()
@graph_argument(required=False)
@click.argument("query", required=False, metavar="QUERY")
@click.option("-f", "--file", "query_file", type=click.File("rb"),
              help="Read the SPARQL query from a .rq file.")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Bind ?NAME to VALUE (safely, not by text substitution).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and exit.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (remote fetches).")
@click.option("--infer", is_flag=True, help="Query with RDFS inference over the ontology "
                                             "(so sem:Event, schema:agent … match).")
@click.option("--endpoint", metavar="URL",
              help="Query a remote SPARQL endpoint instead of GRAPH (credentials: see `push`).")
@click.option("--insecure", is_flag=True, help="With --endpoint: do not verify TLS certificates.")
@click.option("--timeout", default=60, show_default=True, type=click.FloatRange(min=0),
              metavar="SECONDS",
              help="Stop the query after SECONDS (0: no limit); with --endpoint, the whole "
                   "exchange with the server.")
@click.option("--limit", default=DEFAULT_LIMIT, show_default=True, type=click.IntRange(min=0),
              metavar="N", callback=_row_count,
              help="Show at most N rows (0: all); a line on stderr says when there are more.")
@click.option("--offset", default=0, type=click.IntRange(min=0), metavar="N", callback=_row_count,
              help="Skip the first N rows (the next page: --offset N with --limit N).")
@max_answer_option
@user_errors
def query(graph, query, query_file, params, fmt, list_saved, allow_service, infer, endpoint,
          insecure, timeout, limit, offset, max_answer):
    """Run a SPARQL query (text, saved query NAME, or -f FILE.rq) over GRAPH_OR_STORE.

    \b
    Example:
      kgbuild query graph.ttl who-did-what
      kgbuild query graph.ttl timeline -p actor RUS --format csv
      kgbuild query graph.ttl 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      kgbuild query kg.store dyads --timeout 600
      kgbuild query kg.store claims --limit 50 --offset 50
      cat graph.ttl | kgbuild query - dyads
      kgbuild query --endpoint http://localhost:7878/query?union-default-graph who-did-what
    """
    from ..query import describe_saved, run_query, saved_queries
    from ..query.params import parameters

    if list_saved:
        for name, text in saved_queries().items():
            takes = parameters(text)
            params = f"  [-p {takes.describe()}]" if takes.names else ""
            click.echo(f"{name:<18} {describe_saved(text)}{params}")
        return
    if endpoint is not None:
        if query is not None:
            raise click.UsageError("with --endpoint give only the QUERY, no GRAPH_OR_STORE")
        graph, query = None, graph
        if infer:
            raise click.UsageError("--infer works on local graphs only, not with --endpoint")
    elif graph is None:
        raise click.UsageError("give a GRAPH_OR_STORE (graph file, store folder or -), or --list")
    if query_file is not None:
        if query is not None:
            raise click.UsageError("give either QUERY or -f FILE, not both")
        query = _query_text(query_file)
    if not query:
        raise click.UsageError("give a QUERY (SPARQL text or saved name) or -f FILE.rq")
    if endpoint is not None:
        from ..remote import MAX_ANSWER, remote_query

        result = remote_query(endpoint, query, bindings=dict(params), allow_service=allow_service,
                              insecure=insecure, timeout=timeout or None, limit=limit or None,
                              offset=offset, max_answer=max_answer or MAX_ANSWER)
        _write_result(result, fmt)
        return
    from ..stores import load_graph, open_store

    options = dict(bindings=dict(params), allow_service=allow_service, infer=infer,
                   timeout=timeout or None, limit=limit or None, offset=offset)
    if infer:  # the RDFS closure is computed by rdflib
        result = run_query(load_graph(graph), query, **options)
    else:  # a store where it lies; a file loaded into a temporary one (Oxigraph answers)
        with open_store(graph) as store:
            result = run_query(store, query, **options)
    _write_result(result, fmt)


@cli.command()
@graph_argument()
@click.option("--format", "--to", "target",
              type=click.Choice(NETWORK_FORMATS + GRAPH_FORMATS + TABLE_FORMATS),
              help="Output format (default: from the -o suffix); --to is the same option.")
@click.option("--shape", type=click.Choice(["actors", "events"]), default="actors", show_default=True,
              help="GraphML/GEXF: actor network (events as edges) or bipartite event graph.")
@click.option("--rows", type=click.Choice(["events", "mentions"]), default=None,
              help="csv/tsv/parquet/geojson: one row (Feature) per merged event (default) or "
                   "per event mention.")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="File to write (default: stdout; not for parquet).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, metavar="P",
              help="Leave out merged events whose most confident report is below P "
                   "(README: calibration).")
@click.option("--since", metavar="DATE", help="Event table: events dated on or after DATE "
              "(2025-01-03, 2025-01 or 2025: from its first day).")
@click.option("--until", metavar="DATE", help="Event table: events dated on or before DATE "
              "(a month or year: to its last day).")
@click.option("--date", "on", metavar="DATE", help="Event table: the events of one day, month "
              "or year (the same as --since DATE --until DATE).")
@user_errors
def export(graph, target, shape, rows, output, min_confidence, since, until, on):
    """Export GRAPH_OR_STORE as GraphML/GEXF (for Gephi, Cytoscape, yEd), another RDF
    format, a GDELT-style event table (CSV, TSV, Parquet), or GeoJSON (the located
    events, with the table's columns, for GIS tools and web maps).

    \b
    Example:
      kgbuild export graph.ttl -o graph.graphml
      kgbuild export graph.ttl --format gexf --shape events -o events.gexf
      kgbuild export kg.store --format jsonld -o graph.jsonld
      kgbuild export graph.ttl --format nt | sort | head
      kgbuild export graph.ttl -o events.csv
      kgbuild export kg.store --format parquet --rows mentions -o mentions.parquet
      kgbuild export kg.store --date 2024-03-12 -o 2024-03-12.csv
      kgbuild export kg.store --since 2024-03 --until 2024-04 -o spring.parquet
      kgbuild export graph.ttl -o events.geojson
      kgbuild export graph.ttl --min-confidence 0.8 -o confident.graphml
    """
    from ..stores import format_for, load_graph, save_graph
    from ..viz.graphml import write_network

    if target is None:
        if output == "-":
            raise click.UsageError("writing to stdout: give --format "
                                   f"({', '.join(NETWORK_FORMATS + GRAPH_FORMATS + TABLE_FORMATS)})")
        found = by_suffix(output, NETWORK, TABLE, GRAPH, files=True)
        target = found.name if found is not None else format_for(output)
    if rows is not None and target not in TABLE_FORMATS:
        raise click.UsageError("--rows works with --format csv, tsv, parquet or geojson")
    if (since or until or on) and target not in TABLE_FORMATS:
        raise click.UsageError("--since, --until and --date work with --format csv, tsv, "
                               "parquet or geojson")
    check_output(output, [graph])  # before reading a large graph
    if target in TABLE_FORMATS:
        from ..tables.dates import date_range
        from ..tables.write import write_table

        dates = date_range(since, until, on)
        count = write_table(graph, output, target, rows or "events", min_confidence, dates)
        what = "event mention" if rows == "mentions" else "merged event"
        log.info("%d %s%s%s", count, what,
                 " features (those with coordinates)" if target == "geojson" else " rows",
                 "" if output == "-" else f" -> {output}")
        return
    g = load_graph(graph)
    if min_confidence > 0:
        from ..graph.confidence import drop_unconfident

        log.info("%d events below confidence %.2f left out", drop_unconfident(g, min_confidence),
                 min_confidence)
    if target in NETWORK_FORMATS:
        write_network(g, output, target, shape)
    else:
        save_graph(g, output, target)
    if output != "-":
        log.info("wrote %s", output)


@cli.command()
@graph_argument()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Aligned text or JSON.")
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@user_errors
def stats(graph, fmt, as_json):
    """Count events (merged), mentions (reports), actors, documents and event types in
    GRAPH_OR_STORE.

    \b
    Example:
      kgbuild stats graph.ttl
      kgbuild stats kg.store --format json
    """
    from ..query import graph_stats
    from ..stores import load_graph

    counts = graph_stats(load_graph(graph))
    if as_json or fmt == "json":
        click.echo(json.dumps(counts))
        return
    for key, value in counts.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in value.items():
                click.echo(f"  {k:<10} {v}")
        else:
            click.echo(f"{key:<12} {value}")


@cli.command()
@graph_argument()
@user_errors
def validate(graph):
    """Check GRAPH_OR_STORE against the SHACL shapes of the ontology; exit 1 on any violation.

    \b
    Example:
      kgbuild validate graph.ttl
      kgbuild validate kg.store
    """
    from ..graph.validate import validate_graph
    from ..stores import load_graph

    violations = validate_graph(load_graph(graph))
    for v in violations:
        click.echo(str(v))
    if violations:
        raise click.ClickException(f"{len(violations)} SHACL violations in {graph}")
    click.echo(f"{graph}: conforms to the kgbuild shapes")


@cli.command()
@graph_argument()
@click.option("-o", "--output", required=True, metavar="FILE",
              help="graph.html (interactive page), graph.png or graph.svg (picture); "
                   "'-' for stdout (with --format).")
@click.option("--format", "fmt", type=click.Choice(VIEW_FORMATS),
              help="html, png or svg (default: from the -o suffix).")
@click.option("--top", type=click.IntRange(1), metavar="N",
              help="Picture: draw at most N nodes, chosen by whole dyads (strongest pairs first).")
@click.option("--timeline", "actor", metavar="ACTOR",
              help="One actor's events over time instead (.html page or .png/.svg): an ISO "
                   "code like RUS, a CAMEO actor code like RUSGOV, or a label.")
@click.option("--with", "other", metavar="ACTOR",
              help="With --timeline: the events between the two actors (a dyad).")
@click.option("--title", help="HTML: the page title.")
@click.option("--map", "as_map", is_flag=True,
              help="A map of the events at their places instead (.html page or .png/.svg).")
@user_errors
def viz(graph, output, fmt, top, actor, other, title, as_map):
    """Draw GRAPH_OR_STORE as an interactive HTML page or a PNG/SVG picture.

    The page is one self-contained file (no network needed to view it): filter by date,
    event type and actor, search, and click a node or an edge to read the sentences
    behind its events.

    \b
    Example:
      kgbuild viz graph.ttl -o graph.html
      kgbuild viz graph.ttl -o graph.png --top 25
      kgbuild viz kg.store -o graph.svg
      kgbuild viz graph.ttl -o russia.html --timeline RUS
      kgbuild viz graph.ttl -o russia.png --timeline RUS
      kgbuild viz graph.ttl -o dyad.html --timeline FRA --with IND
      kgbuild viz graph.ttl -o map.html --map
      kgbuild viz graph.ttl -o map.png --map
      kgbuild viz kg.store --format svg -o - > graph.svg
    """
    from ..stores import load_graph
    from ..viz import write_html, write_map, write_picture, write_timeline

    if fmt is None:
        if output == "-":
            raise click.UsageError(f"writing to stdout: give --format ({_or(VIEW_FORMATS)})")
        found = by_suffix(output, VIEW)
        fmt = found.name if found is not None else None  # the writer names the bad suffix
    is_html = fmt == "html"
    if as_map and (top is not None or actor is not None):
        raise click.UsageError("--map draws every event with coordinates: no --top or --timeline")
    if other is not None and actor is None:
        raise click.UsageError("--with names the other actor of a --timeline ACTOR")
    if top is not None and (is_html or actor is not None):
        raise click.UsageError("--top draws a network picture: use -o FILE.png or FILE.svg, "
                               "without --timeline")

    check_output(output, [graph], folder_made=True)  # before reading a large graph
    g = load_graph(graph)
    if as_map:
        written = write_map(g, output, title=title, fmt=fmt)
    elif actor is not None:
        written = write_timeline(g, actor, output, other=other, title=title, fmt=fmt)
    elif is_html:
        written = write_html(g, output, title=title, fmt=fmt)
    else:
        written = write_picture(g, output, top=top, fmt=fmt)
    if written is not None:
        log.info("wrote %s", written)


def _or(choices: tuple[str, ...]) -> str:
    """'a, b or c'."""
    return f"{', '.join(choices[:-1])} or {choices[-1]}"


def _query_text(fh) -> str:
    """The text of a -f query file, which must be UTF-8."""
    data = fh.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise click.ClickException(
            f"{fh.name}: not UTF-8 text (byte 0x{data[err.start]:02x} at byte {err.start + 1}); "
            "save the query as UTF-8") from None


def _write_result(result, fmt: str) -> None:
    """Print a query result: an aligned rich table when stdout is a terminal and the format
    is `table`; otherwise (piped, csv, json) exactly `format_result`. A cut result is
    said on stderr."""
    from ..query import format_result

    if result.truncated:
        first, last = result.offset + 1, result.offset + len(result.rows)
        click.echo(f"kgbuild: showing rows {first}-{last}; there are more: the next page is "
                   f"--offset {last}, all rows --limit 0", err=True)
    if fmt == "table" and result.kind == "SELECT" and sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(*result.variables, caption=f"{len(result.rows)} rows",
                      header_style="bold", show_lines=False)
        for row in result.rows:  # Text, not markup: '[x]' in the data stays as written
            table.add_row(*(Text("" if v is None else str(v)) for v in row))
        Console().print(table)
        return
    sys.stdout.write(format_result(result, fmt))
