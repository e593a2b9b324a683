"""Time expressions to ISO dates or intervals, relative to the document date.

Pure Python (no spaCy): `normalize_time("on Monday", "2016-11-21")` -> "2016-11-21".
Values are ISO 8601: a day (`2016-11-21`), a month (`2016-10`), a year (`2016`), or an
interval `start/end` of days. Unresolvable expressions give None.
"""
from __future__ import annotations

import datetime as dt
import re

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH_RE = "|".join(MONTHS)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\s*,?\s*(\d{{4}})?\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*,?\s*(\d{{4}}))?", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\b(?:\s+(?:of\s+)?(\d{{4}}))?", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _interval(a: dt.date, b: dt.date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


def _month_year(month: int, year: str | None, ref: dt.date | None, future: bool) -> int | None:
    if year:
        return int(year)
    if ref is None:
        return None
    if future:
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year if month <= ref.month else ref.year - 1


def normalize_time(text: str, doc_date: str | None = None, *, future: bool = False) -> str | None:
    """ISO value of a time expression, resolved against `doc_date` (YYYY-MM-DD).

    Args:
        text: the expression as written ("on Monday", "in October", "earlier this month").
        doc_date: the document's publication date, if known.
        future: resolve weekdays and bare months forwards (for future-tense events).
    """
    low = text.casefold()
    ref = _date(doc_date)
    if m := _ISO.search(low):
        found = _date(m.group(0))
        return found.isoformat() if found else None
    if m := _DAY_MONTH_YEAR.search(low):
        month = MONTHS.index(m.group(2).lower()) + 1
        year = _month_year(month, m.group(3), ref, future)
        return _safe_day(year, month, int(m.group(1)))
    if m := _MONTH_DAY_YEAR.search(low):
        month = MONTHS.index(m.group(1).lower()) + 1
        year = _month_year(month, m.group(3), ref, future)
        return _safe_day(year, month, int(m.group(2)))
    if m := _MONTH_YEAR.search(low):
        if not (m.group(1).lower() == "may" and not m.group(2)):
            month = MONTHS.index(m.group(1).lower()) + 1
            year = _month_year(month, m.group(2), ref, future)
            return f"{year:04d}-{month:02d}" if year else None
    if m := _YEAR.search(low):
        return m.group(1)
    if ref is None:
        return None
    return _relative(low, ref, future)


def _safe_day(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _relative(low: str, ref: dt.date, future: bool) -> str | None:
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", low):
            delta = (i - ref.weekday()) % 7 if (future or "next" in low) else -((ref.weekday() - i) % 7)
            if "last" in low and delta == 0:
                delta = -7
            return (ref + dt.timedelta(days=delta)).isoformat()
    day = dt.timedelta(days=1)
    words = {"today": ref, "tonight": ref, "yesterday": ref - day, "tomorrow": ref + day}
    for word, value in words.items():
        if re.search(rf"\b{word}\b", low):
            return value.isoformat()
    month_start = ref.replace(day=1)
    if "this month" in low:
        if "earlier" in low:
            return _interval(month_start, ref)
        return f"{ref.year:04d}-{ref.month:02d}"
    if "last month" in low:
        prev = month_start - day
        return f"{prev.year:04d}-{prev.month:02d}"
    if "next month" in low:
        nxt = (month_start + dt.timedelta(days=32)).replace(day=1)
        return f"{nxt.year:04d}-{nxt.month:02d}"
    week_start = ref - dt.timedelta(days=ref.weekday())
    if "this week" in low:
        return _interval(week_start, week_start + 6 * day)
    if "last week" in low:
        return _interval(week_start - 7 * day, week_start - day)
    if "next week" in low:
        return _interval(week_start + 7 * day, week_start + 13 * day)
    if "this year" in low:
        return str(ref.year)
    if "last year" in low:
        return str(ref.year - 1)
    if "next year" in low:
        return str(ref.year + 1)
    return None


# -- a document's own date, read from its text (`kgbuild build --date-from-text`) -----------
_MONTH_WORD = r"(?P<month>" + "|".join(MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_FULL_YEAR = r"(?P<year>19\d\d|20\d\d)"
#: A date with day, month and year: ISO, "12 May 2020", "March 3, 2019" (months also as
#: "Mar." / "Sept.").
_FULL_DATES = (re.compile(r"\b(?P<year>\d{4})-(?P<mm>\d{2})-(?P<day>\d{2})\b"),
               re.compile(rf"\b{_DAY}\s+{_MONTH_WORD}\s*,?\s*{_FULL_YEAR}\b", re.I),
               re.compile(rf"\b{_MONTH_WORD}\s+{_DAY}\s*,?\s*{_FULL_YEAR}\b", re.I))
#: A dateline at the start of a text: a place in capitals (and a region), a comma, the
#: date words, an optional (Agency), then a dash: "MOSCOW, March 3, 2019 (Reuters) -".
_DATELINE = re.compile(r"\A\s*[A-Z][A-Z.'’ -]{1,40}[A-Z.](?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
                       r",\s*(?P<when>[^()\n]{6,40}?)\s*(?:\([^()\n]{1,40}\)\s*)?[-–—]")


def _full_date(text: str) -> tuple[str, re.Match] | None:
    """The first date with day, month and year in `text`: (ISO date, its match)."""
    found = []
    for pattern in _FULL_DATES:
        for m in pattern.finditer(text):
            month = (int(m.group("mm")) if "mm" in pattern.groupindex
                     else 1 + [w[:3] for w in MONTHS].index(m.group("month")[:3].lower()))
            day = _safe_day(int(m.group("year")), month, int(m.group("day")))
            if day is not None:
                found.append((m.start(), day, m))
                break
    if not found:
        return None
    _, day, m = min(found, key=lambda f: f[0])
    return day, m


def date_from_text(text: str) -> tuple[str, str] | None:
    """A document's date read from its text, for documents that came without one: the
    date of a dateline ("MOSCOW, March 3, 2019 (Reuters) -"), else the first date with day,
    month and year in the text ("on 12 May 2020"). Returns (ISO date, the words it was read
    from: the dateline up to its dash, or the date as written); None when the text has
    neither (a month, a year or "on Monday" alone is no date of the document)."""
    line = _DATELINE.match(text)
    if line and (found := _full_date(line.group("when"))):
        return found[0], line.group(0).strip().rstrip("-–—").strip()
    found = _full_date(text)
    return (found[0], found[1].group(0)) if found else None
