"""The map view's data: events at the coordinates of their places, on the world outline.

`map_data` turns a `Network` into what both the map page (`html.render_map`) and the
map picture (`plot.draw_map`) draw: the places with their events and the outline of
the vendored Natural Earth atlas as SVG paths, all in one plate carrée projection where x
is the longitude + 180 and y is 90 - the latitude (degrees, y down as on screen).
"""
from __future__ import annotations

from dataclasses import asdict

from .atlas import ANTARCTICA, country_shapes
from .network import QUAD_CLASSES, Network


def project(lat: float, lon: float) -> tuple[float, float]:
    """(x, y) of a WGS84 point in the map's plate carrée plane."""
    return round(lon + 180, 4), round(90 - lat, 4)


def outline_paths() -> list[str]:
    """One SVG path (`d`) per country of the atlas, Antarctica left out."""
    paths = []
    for shape in country_shapes():
        if shape.numeric == ANTARCTICA:
            continue
        rings = []
        for polygon in shape.polygons:
            for ring in polygon:
                points = [project(lat, lon) for lon, lat in ring]
                rings.append("M" + "L".join(f"{x:.2f},{y:.2f}" for x, y in points) + "Z")
        paths.append("".join(rings))
    return paths


def map_data(network: Network) -> dict:
    """The places with coordinates (id, label, country, kind, lat, lon, x, y, events: indices
    into `events`, biggest first), every event (with `place`: a place id or None), the
    outline paths and the quad-class colours."""
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
            "quads": {str(q): {"name": name, "colour": colour}
                      for q, (name, colour) in QUAD_CLASSES.items()}}
