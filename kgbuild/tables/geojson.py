"""The event table as GeoJSON (RFC 7946), the format GIS tools and web maps read.

One Feature per row of the event table (`kgbuild.tables.rows`) whose place has
coordinates: a Point at (`place_lon`, `place_lat`), the row's columns as its properties
(same names; dates as ISO text, missing values as null), its id the `event_id` (the
`mention_id` with `rows="mentions"`, where one event has several rows). Rows without
coordinates are left out.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any


def _json_value(value: Any) -> Any:
    """JSON has no NaN or infinity (a hand-edited graph may hold them): null instead."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def feature(row: dict[str, Any], id_column: str = "event_id") -> dict[str, Any] | None:
    """The GeoJSON Feature of one table row, None when its place has no coordinates (or
    none on the globe)."""
    lat, lon = _json_value(row.get("place_lat")), _json_value(row.get("place_lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {"type": "Feature", "id": row.get(id_column),
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {name: _json_value(value) for name, value in row.items()}}


def feature_collection(rows: Iterable[dict[str, Any]], rows_kind: str = "events") -> dict[str, Any]:
    """A FeatureCollection of the rows with coordinates (`feature`), in table order."""
    id_column = "mention_id" if rows_kind == "mentions" else "event_id"
    features = [f for f in (feature(row, id_column) for row in rows) if f is not None]
    return {"type": "FeatureCollection", "features": features}


def geojson_text(collection: dict[str, Any]) -> str:
    """A FeatureCollection as UTF-8 JSON text, one Feature a line, ending in a newline."""
    if not collection["features"]:
        return '{"type": "FeatureCollection", "features": []}\n'
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, allow_nan=False)
                       for f in collection["features"])
    return '{"type": "FeatureCollection", "features": [\n' + lines + "\n]}\n"
