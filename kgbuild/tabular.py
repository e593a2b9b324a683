"""CSV and TSV output that spreadsheets open as data, never as formulas.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula
by Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)`, an actor called `@ZorgMilitia`).
Following the OWASP CSV-injection advice, such a cell is written with a leading `'`, which
spreadsheets show as text and hide. A cell that is a plain number (`-7.2`, `+3`, `1e-3`)
stays as it is: spreadsheets read it as that number, not as a formula; so does a lone `-`
(the empty-slot mark of `extract --format table`). Every CSV/TSV kgbuild writes goes
through `spreadsheet_cell`.

Control characters other than tab and line breaks (NUL, ESC, the rest of C0, DEL, C1) are
never written raw into a table cell — CSV, TSV, Parquet or the terminal table: a terminal
runs ESC sequences and many readers stop at NUL. Each is shown by its Unicode control
picture (NUL `␀`, ESC `␛`, DEL `␡`), a C1 character as `�` (`visible_controls`).
A TSV row is always one line: tabs and line breaks in a value become spaces (`tsv_cell`);
a CSV cell keeps its line breaks inside quotes (RFC 4180).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: First characters that make a spreadsheet evaluate a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_BREAKS = re.compile("[\t\r\n\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible_controls(text: str) -> str:
    """`text` with each control character other than tab and line breaks replaced by its
    control picture (`\\x00` -> `␀`, `\\x1b` -> `␛`, DEL -> `␡`; C1 -> U+FFFD)."""
    return _CONTROLS.sub(_picture, text)


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def spreadsheet_cell(value: object) -> str:
    """`value` as cell text that no spreadsheet runs as a formula (None is empty):
    `=HYPERLINK(…)` becomes `'=HYPERLINK(…)`, `-7.2` stays `-7.2`."""
    text = "" if value is None else visible_controls(str(value))
    if text.startswith(FORMULA_STARTS) and text != "-" and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def tsv_cell(value: object) -> str:
    """A cell for tab-separated lines: tabs and line breaks become spaces (so no cell can
    start a new column or row), then `spreadsheet_cell`."""
    return spreadsheet_cell(_BREAKS.sub(" ", "" if value is None else str(value)))


def csv_line(row: Sequence[object], delimiter: str = ",") -> str:
    """One row as a CSV (or TSV, `delimiter="\\t"`) line ending in `\\n`, every cell made
    safe (TSV cells by `tsv_cell`, so the row is one line); a cell holding the delimiter, a
    quote, `\\n` or `\\r` is quoted (the csv module, with `\\n` line ends, leaves a bare
    `\\r` unquoted, which spreadsheets read as a new row)."""
    special = (delimiter, '"', "\n", "\r")
    safe = tsv_cell if delimiter == "\t" else spreadsheet_cell

    def cell(value: object) -> str:
        text = safe(value)
        if any(c in text for c in special):
            return '"' + text.replace('"', '""') + '"'
        return text

    return delimiter.join(cell(v) for v in row) + "\n"


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    """Header and rows as CSV (or TSV with `delimiter="\\t"`), one `csv_line` each."""
    return csv_line(header, delimiter) + "".join(csv_line(row, delimiter) for row in rows)
