"""pandas for event tables and SPARQL results: typed columns (`series`), a SELECT result as
a DataFrame (`result_dataframe`), and the optional-extra check (`require`).

pandas (the `kgbuild[pandas]` extra) and pyarrow (`kgbuild[parquet]`, for Parquet files in
`kgbuild.tables.write`) are optional and imported only inside functions; without them
`require` raises a `MissingExtraError` that names the extra.
Column dtypes follow the kinds of `kgbuild.tables.rows.COLUMNS`: text as pandas strings (CAMEO
codes keep their leading zeros), counts and ids as nullable Int64, decimals as float64,
flags as nullable booleans, dates as datetime64 (a month or a year as its first day, the
`date_precision` column says which).
"""
from __future__ import annotations

import importlib
import re
from datetime import date

from .errors import MissingExtraError, QueryError

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                "positiveInteger", "nonPositiveInteger", "negativeInteger",
                                "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_DECIMALS = {_XSD + t for t in ("decimal", "double", "float")}
_DAYS = {_XSD + t for t in ("date", "gYearMonth", "gYear")}
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def require(module: str, extra: str, what: str):
    """Import an optional dependency, or fail with the command that installs it.

    Raises:
        MissingExtraError: "<what> needs <module>: pip install 'kgbuild[<extra>]'".
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{what} needs {module}, which is not installed: "
                                f"pip install 'kgbuild[{extra}]'") from None


def day(text: str | None) -> date | None:
    """An ISO date, month ("2024-03") or year ("2024") as the day it starts on; None for
    no value and for text that is no real day."""
    m = _PARTIAL_DATE.fullmatch(text or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def series(pd, values: list, kind: str):
    if kind == "date":
        return pd.Series(pd.to_datetime([day(v) for v in values]), dtype="datetime64[s]")
    if kind == "float":
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    dtype = {"int": "Int64", "bool": "boolean"}.get(kind, "string")
    return pd.Series(values, dtype=dtype)


def _column_kind(terms: list) -> str:
    """The table kind for a result column from its terms' datatypes (text unless all agree)."""
    from rdflib import Literal

    present = [t for t in terms if t is not None]
    if not present or not all(isinstance(t, Literal) for t in present):
        return "text"
    types = {str(t.datatype) if t.datatype else "" for t in present}
    if types <= _INTEGERS:
        return "int"
    if types <= _INTEGERS | _DECIMALS:
        return "float"
    if types == {_XSD + "boolean"}:
        return "bool"
    if types <= _DAYS:
        return "date"
    if types == {_XSD + "dateTime"}:
        return "datetime"
    return "text"


def _resultseries(pd, terms: list):
    kind = _column_kind(terms)
    try:
        if kind == "int":
            return series(pd, [None if t is None else int(str(t)) for t in terms], "int")
        if kind == "float":
            return series(pd, [None if t is None else float(str(t)) for t in terms], "float")
        if kind == "bool":
            return series(pd, [None if t is None else str(t) in ("true", "1") for t in terms],
                           "bool")
        if kind == "date":
            return series(pd, [None if t is None else str(t) for t in terms], "date")
        if kind == "datetime":
            text = [None if t is None else str(t) for t in terms]
            aware = any(v and re.search(r"(Z|[+-]\d\d:\d\d)$", v) for v in text)
            return pd.Series(pd.to_datetime(text, format="ISO8601", utc=aware, errors="coerce"))
    except (ValueError, TypeError):  # a literal not valid for its datatype: keep the text
        pass
    return series(pd, [None if t is None else str(t) for t in terms], "text")


def result_dataframe(result):
    """The rows of a SELECT `kgbuild.query.QueryResult` as a DataFrame: one column per
    variable, typed from its values (integers Int64, decimals float64, booleans boolean,
    xsd:date / gYearMonth / gYear and xsd:dateTime datetime64, anything else — IRIs,
    plain literals such as CAMEO codes, mixed columns — strings); unbound is missing.

    Raises:
        QueryError: the result is no SELECT result (ASK, CONSTRUCT).
        MissingExtraError: pandas is not installed (`pip install 'kgbuild[pandas]'`).
    """
    pd = require("pandas", "pandas", "DataFrames")
    if result.kind != "SELECT":
        raise QueryError(f"to_dataframe needs the rows of a SELECT query; this is an "
                         f"{result.kind} result")
    data = {var: _resultseries(pd, [row[i] for row in result.rows])
            for i, var in enumerate(result.variables)}
    return pd.DataFrame(data, columns=result.variables)
