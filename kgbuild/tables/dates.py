"""The date filter of the event table (`kgbuild export --since/--until/--date`).

A bound is a day (2025-01-03), a month (2025-01) or a year (2025): `since` starts on its
first day, `until` ends on its last, so `--date 2025-01` is every day of January. A row is
kept when its whole date lies inside: from the first day of its `date` to the last day of
its `date_end` (else of its `date`), so a one-day table holds the events of that day and
not those dated only "2025" or "January"; undated rows are left out.

The store is asked only for the events whose `kg:time` can lie inside (`selection`): each
day, month and year value of a closed range is looked up by value (Oxigraph's index of
objects), so a day's table costs what the day holds; an open or very long range reads
every event's date instead, and the rows are then checked exactly (`DateRange.holds`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..errors import OutputError

_XSD = "http://www.w3.org/2001/XMLSchema#"
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: Values a closed range may be looked up by, at most (a longer range reads every date).
MAX_LOOKUPS = 20_000


def _bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of an ISO day, month or year; None for anything else."""
    m = _ISO.fullmatch(text.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            one = dt.date(year, int(month), int(day))
            return one, one
        if month is not None:
            last = calendar.monthrange(year, int(month))[1]
            return dt.date(year, int(month), 1), dt.date(year, int(month), last)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def _read(option: str, text: str) -> tuple[dt.date, dt.date]:
    found = _bounds(text)
    if found is None:
        raise OutputError(f"{option} {text!r}: not a date; give a day (2025-01-03), a month "
                          "(2025-01) or a year (2025)")
    return found


@dataclass(frozen=True)
class DateRange:
    """Days from `since` to `until`, both included (None: open on that side)."""

    since: dt.date | None = None
    until: dt.date | None = None

    def holds(self, date: str | None, date_end: str | None = None) -> bool:
        """True when the whole of a row's date (to `date_end`, when given) is inside."""
        first = _bounds(date) if date else None
        last = _bounds(date_end) if date_end else first
        if first is None or last is None:
            return False
        return ((self.since is None or first[0] >= self.since)
                and (self.until is None or last[1] <= self.until))

    def lookups(self) -> list[str] | None:
        """The `kg:time` values (N-Triples) a row inside may start with: every day of the
        range, and every month and year wholly inside it; None when the range is open or
        longer than `MAX_LOOKUPS` values."""
        if self.since is None or self.until is None:
            return None
        days = (self.until - self.since).days + 1
        if days > MAX_LOOKUPS * 0.9:
            return None
        out, day = [], self.since
        while day <= self.until:
            out.append(f'"{day.isoformat()}"^^<{_XSD}date>')
            month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
            if day.day == 1 and month_end <= self.until:
                out.append(f'"{day.isoformat()[:7]}"^^<{_XSD}gYearMonth>')
                if day.month == 1 and day.replace(month=12, day=31) <= self.until:
                    out.append(f'"{day.year:04d}"^^<{_XSD}gYear>')
            day += dt.timedelta(days=1)
        return out

    def selection(self) -> str:
        """A SPARQL group binding `?event` to each event that may be inside (a superset of
        the rows `holds` keeps; `?day` is its date)."""
        values = self.lookups()
        if values is not None:
            return (f"{{ SELECT DISTINCT ?event WHERE {{ VALUES ?day {{ {' '.join(values)} }} "
                    "?event kg:time ?day } }")
        low = f'SUBSTR(STR(?day), 1, 4) >= "{self.since.year:04d}"' if self.since else "true"
        high = f'SUBSTR(STR(?day), 1, 4) <= "{self.until.year:04d}"' if self.until else "true"
        return (f"{{ SELECT DISTINCT ?event WHERE {{ ?event kg:time ?day "
                f"FILTER ({low} && {high}) }} }}")


def date_range(since: str | None = None, until: str | None = None,
               date: str | None = None) -> DateRange | None:
    """The range of `--since`, `--until` or `--date` (a day, month or year each); None
    when none is given.

    Raises:
        OutputError: a value that is no date, `date` with `since` or `until`, or a range
            that ends before it starts (naming the option and the value).
    """
    if date is not None:
        if since is not None or until is not None:
            raise OutputError("--date is one day, month or year; give it alone, or use "
                              "--since and --until for a range")
        first, last = _read("--date", date)
        return DateRange(first, last)
    if since is None and until is None:
        return None
    start = _read("--since", since)[0] if since is not None else None
    end = _read("--until", until)[1] if until is not None else None
    if start is not None and end is not None and end < start:
        raise OutputError(f"--until {until} is before --since {since}; give the earlier date "
                          "to --since")
    return DateRange(start, end)
