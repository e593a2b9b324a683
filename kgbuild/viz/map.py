"""The map view's data: events at the coordinates of their places, on the world outline.

`map_data` turns a `Network` into what both the map page (`html.render_map`) and the
map picture (`plot.draw_map`) draw: the places with their events and the outline of
the vendored Natural Earth atlas as SVG paths, all in one plate carrée projection where x
is the longitude + 180 and y is 90 - the latitude (degrees, y down as on screen).
"""
from __future__ import annotations

from dataclasses import asdict

from .atlas import drawn_shapes, representative_point
from .network import Network, quad_legend


def project(lat: float, lon: float) -> tuple[float, float]:
    """(x, y) of a WGS84 point in the map's plate carrée plane."""
    return round(lon + 180, 4), round(90 - lat, 4)


def outline_paths() -> list[str]:
    """One SVG path (`d`) per country of the atlas, Antarctica left out, cut at the
    antimeridian (`atlas.drawn_shapes`: no edge runs across the map)."""
    paths = []
    for shape in drawn_shapes():
        rings = []
        for polygon in shape.polygons:
            for ring in polygon:
                points = [project(lat, lon) for lon, lat in ring]
                rings.append("M" + "L".join(f"{x:.2f},{y:.2f}" for x, y in points) + "Z")
        paths.append("".join(rings))
    return paths


def country_labels() -> list[dict]:
    """A label for each named country: its name, the (x, y) of its representative point and
    `w`, the width in degrees of its largest part, which says from which zoom it fits."""
    labels = []
    for shape in drawn_shapes():
        point = representative_point(shape)
        if not shape.name or point is None:
            continue
        outer = max((polygon[0] for polygon in shape.polygons),
                    key=lambda ring: (max(x for x, _ in ring) - min(x for x, _ in ring)))
        x, y = project(*point)
        labels.append({"name": shape.name, "x": x, "y": y,
                       "w": round(max(x for x, _ in outer) - min(x for x, _ in outer), 2)})
    return labels


def map_data(network: Network) -> dict:
    """The places with coordinates (id, label, country, kind, lat, lon, x, y, events: indices
    into `events`, biggest first), every event (with `place`: a place id or None), the
    outline paths, the country labels (`country_labels`) and the quad-class colours."""
    places: dict[str, dict] = {}
    events = []
    for index, event in enumerate(network.events):
        row = asdict(event)
        row["place"] = None
        if event.lat is not None and event.lon is not None:
            place = places.setdefault(event.place, {
                "id": f"p{len(places)}", "iri": event.place, "label": event.location,
                "country": event.place_country, "kind": event.place_kind,
                "lat": event.lat, "lon": event.lon, "events": []})
            place["x"], place["y"] = project(event.lat, event.lon)
            place["events"].append(index)
            row["place"] = place["id"]
        events.append(row)
    for place in places.values():
        place["events"].sort(key=lambda i: (-events[i]["count"], i))
    return {"places": list(places.values()), "events": events, "outline": outline_paths(),
            "countries": country_labels(),
            "quads": quad_legend()}
