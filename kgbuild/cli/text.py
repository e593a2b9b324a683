"""The commands that read news text: `extract` and `build`."""
from __future__ import annotations

import itertools
import json

import click

from ..atomic import check_output, open_output
from ..event_records import event_record
from ..jobs.texts import check_tables, documents_of, mentions_of
from ..jobs.workflow import build as build_graph_or_store
from ..model import Event
from ..tabular import tsv_cell
from .base import GRAPH_FORMATS, Progress, cli, input_options, log, need_inputs, user_errors


@cli.command()
@input_options
@click.option("-o", "--output", default="-", metavar="FILE", help="Output file (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table", "csv", "tsv"]),
              default="jsonl", show_default=True,
              help="JSON Lines (the event contract), a readable table, or the GDELT-style "
                   "event table as CSV/TSV (one row per event mention).")
@click.option("--explain", is_flag=True, help="With --format table: show the rule behind each event.")
@user_errors
def extract(inputs, model, actors_file, places_file, skip_bad, default_date, date_from_text, batch_size,
            processes, statements, min_confidence, output, fmt, explain):
    """Extract events from INPUT (.txt, folder, .jsonl, or - for stdin).

    \b
    Example:
      kgbuild extract examples/corpus/baltic-deployment.txt --format table
      kgbuild extract news.jsonl -o events.jsonl
      kgbuild extract news.jsonl --format csv -o mentions.csv
    """
    need_inputs(inputs)
    check_output(output, inputs)  # before the slow part
    check_tables(actors_file)
    counts: dict = {}
    progress = Progress()
    docs = documents_of(inputs, skip_bad=skip_bad, default_date=default_date,
                        date_from_text=date_from_text, counts=counts, progress=progress.show)

    found = mentions_of(docs, model=model, batch_size=batch_size or 16, processes=processes,
                        statements=statements, counts=counts, min_confidence=min_confidence,
                        actors_file=actors_file, places_file=places_file)
    if fmt in ("csv", "tsv"):
        from ..tables.write import event_table_lines

        urls: dict = {}
        lines = event_table_lines(_with_urls(found, urls), fmt, urls)
    else:
        lines = (_event_line(e, fmt, explain, document) for e, document in found)
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


def _with_urls(found, urls: dict):
    """The events of (event, document) pairs, `urls` holding the URL of the one at hand."""
    for event, document in found:
        urls.clear()
        urls[event.doc] = document.url
        yield event


def _event_line(event: Event, fmt: str, explain: bool, document=None) -> str:
    if fmt == "jsonl":
        return json.dumps(event_record(event, document), ensure_ascii=False) + "\n"

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
                   "this process writes the file or store.")
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), default=None,
              help="RDF format (default: from the file suffix).")
@click.option("--finish", "finish_path", metavar="STORE",
              help="Finish a store whose build was stopped (recount mentions and report dates) "
                   "and exit; no INPUT needed.")
@click.option("--full", "finish_full", is_flag=True,
              help="With --finish: settle every node of the store, not only those its "
                   "kgbuild.dirty file lists (for a dirty file that cannot be trusted).")
@click.option("--compact", is_flag=True,
              help="With --store or --finish: compact the store at the end (smaller, faster "
                   "queries until the next build; takes longer the larger the store).")
@click.option("--from-events", is_flag=True,
              help="INPUT is events JSON Lines written by `kgbuild extract` (recognized by its "
                   "fields without this flag): build from them without parsing text.")
@user_errors
def build(inputs, model, actors_file, places_file, skip_bad, default_date, date_from_text, batch_size, processes,
          statements, min_confidence, output, store_path, replace, fmt, dask_scheduler, finish_path,
          finish_full, compact, from_events):
    """Extract events from INPUT and merge them into one RDF graph (file or store).

    \b
    Example:
      kgbuild build examples/corpus -o graph.ttl
      kgbuild build news.jsonl -o graph.jsonld --format jsonld
      kgbuild build news/ --store kg.store        # resumable; reruns skip known documents
      kgbuild build news/ --dask tcp://scheduler:8786 -o graph.nq
      kgbuild build news/ --dask tcp://scheduler:8786 --store kg.store
      kgbuild build --finish kg.store              # finish a store whose build was killed
      kgbuild build --finish kg.store --full       # ... settling every node of it
      kgbuild build news/ --store kg.store --compact   # compacted after a large batch
      kgbuild build events.jsonl -o graph.ttl      # from `kgbuild extract` output, no parsing
      kgbuild build wires/ -o graph.ttl --date-from-text   # dates from datelines
    """
    if finish_path is not None:
        if inputs or output is not None or store_path is not None:
            raise click.UsageError("--finish STORE takes no INPUT, -o or --store")
        from ..stores.building import finish_store

        done = finish_store(finish_path, every_node=finish_full)
        log.info("%s: %s", finish_path, "every node settled" if finish_full
                 else "finished" if done else "already finished; nothing to do")
        if compact:
            _compact(finish_path)
        return
    if finish_full:
        raise click.UsageError("--full goes with --finish STORE")
    need_inputs(inputs)
    if (output is None) == (store_path is None):
        raise click.UsageError("give either -o FILE or --store FOLDER")
    if compact and store_path is None:
        raise click.UsageError("--compact goes with --store FOLDER or --finish STORE")
    progress = Progress()
    try:
        result = build_graph_or_store(
            inputs, output=output, store=store_path, fmt=fmt, model=model, batch_size=batch_size,
            processes=processes, statements=statements, default_date=default_date,
            date_from_text=date_from_text, skip_bad=skip_bad, replace=replace,
            dask=dask_scheduler, actors_file=actors_file, places_file=places_file,
            progress=progress.show,
            from_events=from_events, min_confidence=min_confidence)
    finally:
        progress.done()
    if result.date_warning():
        log.warning("%s", result.date_warning())
    if store_path is not None:
        log.info("%d documents extracted (%d skipped as already stored, %d replaced), "
                 "%d event mentions, %d quads -> %s", result.documents, result.skipped,
                 result.replaced, result.mentions, result.triples, store_path)
        if compact:
            _compact(store_path)
    else:
        log.info("%d documents, %d event mentions merged into %d events, %d triples -> %s",
                 result.documents, result.mentions, result.events, result.triples, output)


def _compact(store_path: str) -> None:
    from ..stores.building import compact_store

    before, after = compact_store(store_path)
    log.info("%s: compacted, %.1f -> %.1f MiB on disk", store_path, before / 2**20, after / 2**20)
