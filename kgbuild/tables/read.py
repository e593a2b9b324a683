"""Reading event tables back: a CSV, TSV or Parquet file that `kgbuild export` or `extract
--format csv` wrote, as a DataFrame with the dtypes of `kgbuild.tables.rows.COLUMNS`.

A plain `pd.read_csv` guesses each column's type from its text, so CAMEO code `057`
becomes the number 57 (57.0 once a cell is empty) and `0253` loses its zero. `read_table`
reads every cell as text and types it by its column's kind instead: codes stay strings,
counts are nullable integers, dates datetimes; a column the table does not define stays
text. The `'` that `kgbuild.tabular.spreadsheet_cell` puts before a formula-like cell is
taken off again, as a spreadsheet does.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from ..dataframes import day, require
from ..errors import InputError
from ..formats import TABLE, by_suffix, formats
from ..tabular import FORMULA_STARTS
from .rows import COLUMNS, Column, rows_dataframe

_BY_NAME = {c.name: c for c in COLUMNS}
#: The table formats `read_table` reads (GeoJSON is written for GIS tools, not read back).
READ_FORMATS = tuple(f.name for f in formats(TABLE) if f.reader)


def table_format(path: str | Path, fmt: str | None = None) -> str:
    """The format of an event table file: `fmt`, else its suffix (.csv, .tsv, .tab, .parquet).

    Raises:
        InputError: the format is unknown.
    """
    found = by_suffix(path, TABLE)
    fmt = fmt or (found.name if found else Path(path).suffix.lower().lstrip("."))
    if fmt not in READ_FORMATS:
        raise InputError(f"{path}: cannot read a table as '{fmt}' (from "
                         f"'{Path(path).suffix or 'no suffix'}'); give fmt= one of "
                         f"{', '.join(READ_FORMATS)}")
    return fmt


def table_column(name: str) -> Column:
    """The column `name` of the event table; a column it does not define is text."""
    return _BY_NAME.get(name) or Column(name, "text", "", "")


def cell_value(text: str, kind: str) -> Any:
    """A CSV cell as the value of a column of `kind` (None for an empty cell).

    Raises:
        ValueError: the text is no value of that kind (the caller names file and line).
    """
    if text == "":
        return None
    if kind == "text":
        if text[:1] == "'" and text[1:2] in FORMULA_STARTS:  # spreadsheet_cell's quote
            return text[1:]
        return text
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError("not true or false")
        return text.lower() == "true"
    if day(text) is None:
        raise ValueError("not an ISO date (2024-03-04, 2024-03 or 2024)")
    return text


def _csv_rows(path: Path, fmt: str) -> tuple[list[Column], list[dict[str, Any]]]:
    delimiter = "\t" if fmt == "tsv" else ","
    rows: list[dict[str, Any]] = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            header = next(reader, None)
            if not header:
                raise InputError(f"{path}: empty; an event table starts with a header line")
            cols = [table_column(name) for name in header]
            for cells in reader:
                if not cells:
                    continue
                if len(cells) != len(cols):
                    raise InputError(f"{path}, line {reader.line_num}: {len(cells)} cells for "
                                     f"{len(cols)} columns; is it a {fmt.upper()} file?")
                row = {}
                for col, text in zip(cols, cells):
                    try:
                        row[col.name] = cell_value(text, col.kind)
                    except ValueError as err:
                        raise InputError(f"{path}, line {reader.line_num}, column {col.name}: "
                                         f"{text[:40]!r} is no {col.kind} value ({err})") from None
                rows.append(row)
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start + 1} of a read block); "
                         "save it as UTF-8") from None
    except csv.Error as err:
        raise InputError(f"{path}: not a readable {fmt.upper()} file ({err})") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    return cols, rows


def _parquet_rows(path: Path) -> tuple[list[Column], list[dict[str, Any]]]:
    pq = require("pyarrow.parquet", "parquet", "Reading Parquet")
    try:
        table = pq.read_table(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    except Exception as err:  # pyarrow's ArrowInvalid: not a Parquet file
        raise InputError(f"{path}: not a readable Parquet file ({' '.join(str(err).split())[:200]})") \
            from None
    cols = [table_column(name) for name in table.column_names]
    rows = table.to_pylist()
    for row in rows:  # date32 comes back as datetime.date; the DataFrame columns take ISO text
        for col in cols:
            value = row[col.name]
            if col.kind == "date" and isinstance(value, date):
                row[col.name] = value.isoformat()
    return cols, rows


def read_table(path: str | Path, fmt: str | None = None):
    """Read an event table file as a pandas DataFrame with the right dtypes.

    Args:
        path: a CSV, TSV or Parquet file written by `kgbuild export` (events or mentions
            rows) or `kgbuild extract --format csv|tsv`.
        fmt: "csv", "tsv" or "parquet"; default from the suffix.

    Returns:
        The table, columns in file order: text (CAMEO codes with their leading zeros) as
        strings, counts and ids as Int64, decimals as float64, flags as boolean, dates as
        datetime64, as `to_dataframe` types them.

    Raises:
        InputError: the file cannot be read, or a cell is no value of its column, naming
            the file, line and column.
        MissingExtraError: pandas (or pyarrow for Parquet) is not installed.
    """
    require("pandas", "pandas", "DataFrames")
    path = Path(path)
    fmt = table_format(path, fmt)
    cols, rows = _parquet_rows(path) if fmt == "parquet" else _csv_rows(path, fmt)
    return rows_dataframe(rows, cols)
