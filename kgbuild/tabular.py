"""CSV and TSV output that spreadsheets open as data, never as formulas.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula
by Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)`, an actor called `@ZorgMilitia`).
Following the OWASP CSV-injection advice, such a cell is written with a leading `'`, which
spreadsheets show as text and hide. A cell that is a plain number (`-7.2`, `+3`, `1e-3`)
stays as it is: spreadsheets read it as that number, not as a formula; so does a lone `-`
(the empty-slot mark of `extract --format table`). Every CSV/TSV kgbuild writes goes
through `spreadsheet_cell`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: First characters that make a spreadsheet evaluate a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_BREAKS = re.compile(r"[\t\r\n]")


def spreadsheet_cell(value: object) -> str:
    """`value` as cell text that no spreadsheet runs as a formula (None is empty):
    `=HYPERLINK(…)` becomes `'=HYPERLINK(…)`, `-7.2` stays `-7.2`."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and text != "-" and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def tsv_cell(value: object) -> str:
    """A cell for tab-separated lines without quoting: tabs and line breaks become spaces
    (so no cell can start a new column or row), then `spreadsheet_cell`."""
    return spreadsheet_cell(_BREAKS.sub(" ", "" if value is None else str(value)))


def csv_line(row: Sequence[object], delimiter: str = ",") -> str:
    """One row as a CSV (or TSV, `delimiter="\\t"`) line ending in `\\n`, every cell made
    safe; a cell holding the delimiter, a quote, `\\n` or `\\r` is quoted (the csv module,
    with `\\n` line ends, leaves a bare `\\r` unquoted, which spreadsheets read as a new row)."""
    special = (delimiter, '"', "\n", "\r")

    def cell(value: object) -> str:
        text = spreadsheet_cell(value)
        if any(c in text for c in special):
            return '"' + text.replace('"', '""') + '"'
        return text

    return delimiter.join(cell(v) for v in row) + "\n"


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    """Header and rows as CSV (or TSV with `delimiter="\\t"`), one `csv_line` each."""
    return csv_line(header, delimiter) + "".join(csv_line(row, delimiter) for row in rows)
