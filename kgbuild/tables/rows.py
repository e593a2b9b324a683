"""The GDELT-style event table: its columns, and its rows from a graph, a store or events.

One row per merged event (`rows="events"`) or per report (`rows="mentions"`). Graph and
store rows come from the values each mention's variables take (`kgbuild.tables.select`,
alike on an rdflib Graph or a `kgbuild.stores.oxigraph.GraphStore`; with a date filter,
`kgbuild.tables.dates`), folded here into rows; `event_row` makes the row of one `Event` (what `extract --format
csv` writes). Both fill the columns of `COLUMNS`, the one definition of names, order and
kinds that CSV/TSV, Parquet, GeoJSON (`kgbuild.tables.write`) and DataFrames (`kgbuild.tables.rows.to_dataframe`)
all use.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dataframes import require, series
from ..errors import OutputError
from ..formats import TABLE, names
from ..graph.build import ENTITY_CLASSES, entity_kind, event_date, event_iri, is_actor, mention_iri
from ..graph.namespace import KG
from ..model import EntityType, Event
from ..stores import open_store
from .dates import DateRange
from .select import Values, mention_values

ROW_KINDS = ("events", "mentions")
TABLE_FORMATS = names(TABLE)
#: Joins the values of a cell that holds several (document ids, URLs, actor codes).
MULTI_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """One column: `kind` is text, int, float, bool or date (ISO text in CSV, a datetime
    in DataFrames and Parquet); `gdelt` the GDELT 2.0 event field it stands for."""

    name: str
    kind: str
    gdelt: str
    doc: str
    mentions_only: bool = False


def _actor_columns(n: int, who: str, gdelt: str) -> list[Column]:
    return [
        Column(f"actor{n}_name", "text", f"{gdelt}Name", f"{who}: label"),
        Column(f"actor{n}_code", "text", f"{gdelt}Code",
               "CAMEO actor code (RUS, IGOWSTNAT): one a row, the shortest of the actor's codes"),
        Column(f"actor{n}_codes", "text", "", "every CAMEO code the actor is reported under, "
                                              "joined by ';' (RUS;RUSGOV)"),
        Column(f"actor{n}_country", "text", f"{gdelt}CountryCode", "ISO 3166 alpha-3 country"),
        Column(f"actor{n}_role", "text", f"{gdelt}Type1Code", "CAMEO role (GOV, MIL, REB …)"),
        Column(f"actor{n}_type", "text", "", "kgbuild class (Country, Person, ArmedForce …)"),
        Column(f"actor{n}_wikidata", "text", "", "Wikidata id (Q159)"),
    ]


COLUMNS: tuple[Column, ...] = (
    Column("event_id", "text", "GLOBALEVENTID", "16 hex digits; the event's IRI is kgr:event/ and this id"),
    Column("mention_id", "text", "MentionIdentifier", "IRI of the report", mentions_only=True),
    Column("sql_date", "int", "SQLDATE", "event date as YYYYMMDD (day-precise dates only)"),
    Column("date", "date", "", "event date, ISO: the time resolved in the text, else the "
                               "report date; 2024-03-04, 2024-03 or 2024"),
    Column("date_end", "date", "", "end of a dated interval"),
    Column("date_precision", "text", "", "day, month or year"),
    *_actor_columns(1, "who acted", "Actor1"),
    *_actor_columns(2, "the recipient, else a target that is an actor", "Actor2"),
    Column("actor2_slot", "text", "", "recipient, target, or place (the event's place as "
                                      "the other party: shelled Gaza, visited Moscow)"),
    Column("target", "text", "", "label of what was acted on (thing or actor)"),
    Column("target_type", "text", "", "kgbuild class of the target (Weapon, Country …)"),
    Column("action", "text", "", "action lemma (deploy, sign)"),
    Column("cameo_code", "text", "EventCode", "CAMEO event code, leading zeros kept (0253)"),
    Column("cameo_root", "text", "EventRootCode", "CAMEO root code (02)"),
    Column("quad_class", "int", "QuadClass", "1 verbal / 2 material cooperation, "
                                             "3 verbal / 4 material conflict"),
    Column("goldstein", "float", "GoldsteinScale", "Goldstein value of the CAMEO code"),
    Column("plover", "text", "", "PLOVER event type"),
    Column("modality", "text", "", "asserted, future, intended, possible, conditional, requested"),
    Column("negated", "bool", "", "true when reported as not happening"),
    Column("num_mentions", "int", "NumMentions", "reports of the event"),
    Column("num_documents", "int", "NumArticles", "documents reporting it"),
    Column("first_reported", "date", "DATEADDED", "earliest publication date of a report"),
    Column("last_reported", "date", "", "latest publication date of a report"),
    Column("report_date", "date", "MentionTimeDate", "publication date of this report",
           mentions_only=True),
    Column("place_name", "text", "ActionGeo_FullName", "where it happened: label"),
    Column("place_country", "text", "ActionGeo_CountryCode", "ISO alpha-3 country of the place"),
    Column("place_lat", "float", "ActionGeo_Lat", "WGS84 latitude (geocoded places)"),
    Column("place_lon", "float", "ActionGeo_Long", "WGS84 longitude"),
    Column("place_geonames", "int", "ActionGeo_FeatureID", "GeoNames id"),
    Column("doc_ids", "text", "", "ids of the reporting documents, joined by ';'"),
    Column("source_urls", "text", "SOURCEURL", "their URLs (where known), joined by ';'"),
    Column("sentence", "text", "", "the sentence of the first report (events) or of this "
                                   "report (mentions)"),
    Column("confidence", "float", "Confidence", "extraction confidence of this report",
           mentions_only=True),
)


def columns(rows: str = "events") -> list[Column]:
    """The columns of the event table (`rows="events"`) or the report table (`"mentions"`)."""
    check_rows(rows)
    return [c for c in COLUMNS if rows == "mentions" or not c.mentions_only]


def check_rows(rows: str) -> None:
    """Raise `OutputError` unless `rows` is "events" or "mentions"."""
    if rows not in ROW_KINDS:
        raise OutputError(f"unknown rows '{rows}'; choose events or mentions")


# -- rows from a graph or a store ------------------------------------------------------

def _entity_type(classes: list[str]) -> str | None:
    """The name of the first class in `ENTITY_CLASSES` order among a node's classes (a
    country that is also a place is a Country)."""
    return next((name for name, cls in ENTITY_CLASSES.items() if str(cls) in classes), None)


def _number(text: str | None, cast):
    if text is None:
        return None
    try:
        return cast(text)
    except ValueError:
        return None


def _wikidata_id(iri: str | None) -> str | None:
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else None


def _geonames_id(iri: str | None) -> int | None:
    return _number(iri.rstrip("/").rsplit("/", 1)[-1], int) if iri else None


def primary_code(codes: list[str]) -> str | None:
    """The one code of an actor reported under several (RUS and RUSGOV): the shortest, the
    first in alphabetical order among equals, so every row of the actor has the same
    `actor1_code` to group by; None for none."""
    return min(codes, key=lambda c: (len(c), c)) if codes else None


def _actor(v: Values, var: str, n: int) -> dict[str, Any]:
    codes = v.all(f"{var}_code")
    return {
        f"actor{n}_name": v.one(f"{var}_name"),
        f"actor{n}_code": primary_code(codes),
        f"actor{n}_codes": MULTI_SEPARATOR.join(codes) or None,
        f"actor{n}_country": v.one(f"{var}_country"),
        f"actor{n}_role": v.one(f"{var}_role"),
        f"actor{n}_type": _entity_type(v.all(f"{var}_class")),
        f"actor{n}_wikidata": _wikidata_id(v.one(f"{var}_wikidata")),
    }


def _place_code(actor2: dict[str, Any], slot: str | None) -> dict[str, Any]:
    """Actor 2 that came from a place (`actor2_slot` "place", see
    `kgbuild.extract.place_party`) is coded as its country ("Gaza" PSE), as event coders do."""
    if slot == "place" and not actor2.get("actor2_code"):
        code = actor2.get("actor2_country")
        return actor2 | {"actor2_code": code, "actor2_codes": code}
    return actor2


def _date_fields(first: str | None, last: str | None) -> dict[str, Any]:
    precision = {10: "day", 7: "month", 4: "year"}.get(len(first)) if first else None
    sql = _number(first.replace("-", ""), int) if first and precision == "day" else None
    return {"sql_date": sql, "date": first, "date_end": last, "date_precision": precision}


def _mention_row(v: Values) -> dict[str, Any]:
    """The row of one mention from its solutions; the event-wide counts come later."""
    event = v.one("event") or ""
    a2, slot = ("rc", "place" if v.one("rc") == v.one("pl") else "recipient") if v.one("rc") else \
        ("tg", "target") if str(KG.Actor) in v.all("tg_class") else (None, None)
    row: dict[str, Any] = {"event_id": event.rsplit("/", 1)[-1], "mention_id": v.one("mention")}
    row |= _date_fields(v.one("time"), v.one("time_end"))
    row |= _actor(v, "a1", 1)
    row |= _place_code(_actor(v, a2, 2), slot) if a2 else {}
    row |= {
        "actor2_slot": slot, "target": v.one("tg_name"), "target_type": _entity_type(v.all("tg_class")),
        "action": v.one("action"), "cameo_code": v.one("code"), "cameo_root": v.one("root"),
        "quad_class": _number(v.one("quad"), int), "goldstein": _number(v.one("goldstein"), float),
        "plover": v.one("plover"), "modality": v.one("modality"),
        "negated": v.one("negated") in ("true", "1") if v.one("negated") else None,
        "report_date": v.one("published"),
        "place_name": v.one("pl_name"), "place_country": v.one("pl_country"),
        "place_lat": _number(v.one("pl_lat"), float), "place_lon": _number(v.one("pl_lon"), float),
        "place_geonames": _geonames_id(v.one("pl_same")),
        "doc_ids": v.one("doc_id"), "source_urls": v.one("url"), "sentence": v.one("sentence"),
        "confidence": _number(v.one("confidence"), float),
    }
    row["_order"] = (v.one("published") or "9999", v.one("doc_id") or "",
                     _number(v.one("sentence_start"), int) or 0, v.one("mention") or "")
    return row


def graph_rows(source, rows: str = "events", min_confidence: float = 0.0,
               dates: DateRange | None = None) -> list[dict[str, Any]]:
    """The rows of the event table of an rdflib Graph or a `GraphStore`, as dicts keyed by
    `columns(rows)` names (None for no value), events ordered by date then id, a merged
    event's reports together in report order. A merged event whose most confident report
    is below `min_confidence` is left out with its reports; with `dates`, so is one whose
    date does not lie wholly inside (`kgbuild.tables.dates`), read from the store by its
    date.

    Raises:
        QueryError: the query failed (a damaged store).
    """
    check_rows(rows)
    per_mention = mention_values(source, dates)
    by_event: dict[str, list[dict]] = {}
    for values in per_mention.values():
        report = _mention_row(values)
        by_event.setdefault(report["event_id"], []).append(report)
    out: list[dict[str, Any]] = []
    for reports in by_event.values():
        reports.sort(key=lambda r: r["_order"])
        if dates is not None and not dates.holds(reports[0]["date"], reports[0]["date_end"]):
            continue
        if max(r["confidence"] or 0.0 for r in reports) < min_confidence:
            continue
        docs = sorted({r["doc_ids"] for r in reports if r["doc_ids"]})
        reported = sorted(r["report_date"] for r in reports if r["report_date"])
        shared = {"num_mentions": len(reports), "num_documents": len(docs),
                  "first_reported": reported[0] if reported else None,
                  "last_reported": reported[-1] if reported else None}
        if rows == "mentions":
            out.extend(r | shared for r in reports)
            continue
        urls = sorted({r["source_urls"] for r in reports if r["source_urls"]})
        out.append(reports[0] | shared | {"doc_ids": MULTI_SEPARATOR.join(docs) or None,
                                          "source_urls": MULTI_SEPARATOR.join(urls) or None})
    out.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["event_id"], r["_order"]))
    names = [c.name for c in columns(rows)]
    return [{name: r.get(name) for name in names} for r in out]


# -- the row of one extracted event ----------------------------------------------------

def _entity_fields(entity, slot: str, n: int) -> dict[str, Any]:
    if entity is None:
        return {}
    return {f"actor{n}_name": entity.label, f"actor{n}_code": entity.cameo,
            f"actor{n}_codes": entity.cameo,
            f"actor{n}_country": entity.country, f"actor{n}_role": entity.role,
            f"actor{n}_type": _kind(entity, slot), f"actor{n}_wikidata": entity.wikidata}


def _kind(entity, slot: str) -> str:
    """The class the graph gives the entity's node first (a country place is a Country)."""
    return EntityType.COUNTRY.value if entity.feature_kind == "country" else entity_kind(entity, slot)


def event_row(event: Event | dict, url: str | None = None) -> dict[str, Any]:
    """The mentions-table row of one extracted event (or its `to_dict()` form); `url` is
    its document's. The counts and report range of the merged event are None: one report
    does not know the others (build a graph for them)."""
    if isinstance(event, dict):
        event = Event.from_dict(event)
    first, _, last = (event_date(event) or "").partition("/")
    if event.recipient is not None:
        other, slot = event.recipient, "place" if event.recipient == event.location else "recipient"
    elif event.target is not None and is_actor(event.target, "target"):
        other, slot = event.target, "target"
    else:
        other, slot = None, None
    etype, place = event.event_type, event.location
    row: dict[str, Any] = {"event_id": event_iri(event).rsplit("/", 1)[-1],
                           "mention_id": str(mention_iri(event))}
    row |= _date_fields(first or None, last or None)
    row |= _entity_fields(event.actor, "actor", 1)
    row |= _place_code(_entity_fields(other, "recipient" if slot in (None, "place") else slot, 2), slot)
    row |= {
        "actor2_slot": slot,
        "target": event.target.label if event.target else None,
        "target_type": _kind(event.target, "target") if event.target else None,
        "action": event.action.lemma,
        "cameo_code": etype.code if etype else None, "cameo_root": etype.root if etype else None,
        "quad_class": etype.quad_class if etype else None,
        "goldstein": etype.goldstein if etype else None, "plover": etype.plover if etype else None,
        "modality": event.modality, "negated": event.negated,
        "num_mentions": None, "num_documents": None, "first_reported": None,
        "last_reported": None, "report_date": event.doc_date,
        "place_name": place.label if place else None, "place_country": place.country if place else None,
        "place_lat": place.lat if place else None, "place_lon": place.lon if place else None,
        "place_geonames": place.geonames if place else None,
        "doc_ids": event.doc, "source_urls": url, "sentence": event.sentence.text,
        "confidence": event.confidence,
    }
    return {c.name: row.get(c.name) for c in columns("mentions")}


def rows_dataframe(rows: list[dict[str, Any]], cols: list[Column]):
    """Table rows (dicts by column name) as a DataFrame with the dtypes of the columns."""
    pd = require("pandas", "pandas", "DataFrames")
    return pd.DataFrame({c.name: series(pd, [r.get(c.name) for r in rows], c.kind)
                         for c in cols}, columns=[c.name for c in cols])


def to_dataframe(graph_or_store, rows: str = "events"):
    """The GDELT-style event table as a pandas DataFrame.

    Args:
        graph_or_store: an rdflib Graph, a `kgbuild.stores.oxigraph.GraphStore`, or the path of a
            graph file or store folder.
        rows: "events" (one row per merged event) or "mentions" (one per report).

    Raises:
        MissingExtraError: pandas is not installed (`pip install 'kgbuild[pandas]'`).
    """
    require("pandas", "pandas", "DataFrames")
    if isinstance(graph_or_store, (str, Path)):
        with open_store(graph_or_store) as source:
            data = graph_rows(source, rows)
    else:
        data = graph_rows(graph_or_store, rows)
    return rows_dataframe(data, columns(rows))
