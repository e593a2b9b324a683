"""The `actors` command: how kgbuild codes a name, and which table rows match some text."""
from __future__ import annotations

import click

from .base import _date_option, cli, user_errors


@cli.command()
@click.argument("name", required=False)
@click.option("--date", "date", metavar="YYYY-MM-DD", callback=_date_option,
              help="Code the name as on this date (default: undated text).")
@click.option("--search", metavar="TEXT", help="List the rows whose alias or label contains TEXT.")
@click.option("--actors", "actors_file", type=click.Path(exists=True, dir_okay=False),
              help="Extra actor alias table (TSV, as for extract); its rows win.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="With --search: at most this many rows.")
@user_errors
def actors(name, date, search, actors_file, limit):
    """Show the CAMEO actor code kgbuild gives NAME (on --date) and the row it comes from
    (the user's --actors table, kgbuild's own, or the imported Phoenix dictionaries), or
    list the rows matching --search TEXT. The row chosen is marked with '*'.

    \b
    Example:
      kgbuild actors Putin --date 1998-06-01
      kgbuild actors "Jens Stoltenberg"
      kgbuild actors --search stoltenberg
    """
    from ..extract.actor_lookup import code_actor, format_row, search_actors

    files = (actors_file,) if actors_file else ()
    if search is not None:
        if name:
            raise click.UsageError("give a NAME or --search TEXT, not both")
        for entry in search_actors(search, files, limit):
            click.echo(format_row(entry))
        return
    if not name:
        raise click.UsageError("give a NAME to code, or --search TEXT")
    coding = code_actor(name, date, files)
    if coding is None:
        raise click.ClickException(f"no actor table lists {name!r}; try kgbuild actors --search "
                                   f"{name.split()[-1]!r}")
    entry = coding.entry
    when = f"on {date}" if date else "undated"
    click.echo(f"{name} ({when}): {coding.code or '-'} = {entry.label}, {entry.type}, "
               f"from the {entry.source} table")
    for row in coding.rows:
        click.echo(format_row(row, row is entry))
