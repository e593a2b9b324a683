"""The vendored world outline: Natural Earth 1:110m countries as TopoJSON (`world-atlas`).

`country_shapes()` decodes the topology once per process into polygons of (lon, lat)
points, which the map view draws (as SVG paths in the page, with matplotlib in pictures)
and `scripts/gen_country_points.py` turns into one representative point per country
(`kgbuild/extract/data/country_points.tsv`, read by `country_point`).
Never imports spaCy or rdflib.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from ..errors import GraphError
from ..extract.lexicon import table_rows

ATLAS_FILE = "vendor/countries-110m.json"
#: Left out of the drawn outline: it fills the bottom of any world map and holds no news.
ANTARCTICA = "010"

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class CountryShape:
    """One country of the atlas: ISO 3166-1 numeric code (may be empty), name, polygons
    (each a list of rings, the first the outer one) in (lon, lat) degrees."""

    numeric: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized topology as absolute (lon, lat) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 4), round(y * sy + ty, 4)))
        arcs.append(points)
    return arcs


def _ring(arcs: list, indices: list[int]) -> Ring:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # consecutive arcs share an end point
    return tuple(points)


@functools.lru_cache(maxsize=1)
def _country_points() -> dict[str, tuple[float, float]]:
    table = resources.files("kgbuild.extract").joinpath("data", "country_points.tsv")
    return {row["iso3"]: (float(row["lat"]), float(row["lon"])) for _, row in table_rows(table)}


def country_point(iso3: str) -> tuple[float, float] | None:
    """(lat, lon) of the point that stands for a country (ISO alpha-3) on a map: the one the
    graph gives a country that is a place, so a country actor and a country place agree."""
    return _country_points().get(iso3.upper())


@functools.lru_cache(maxsize=1)
def country_shapes() -> tuple[CountryShape, ...]:
    """Every country of the vendored atlas (see kgbuild/viz/vendor/README.md), decoded once."""
    try:
        text = resources.files("kgbuild.viz").joinpath(ATLAS_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError) as err:
        raise GraphError(f"the vendored {ATLAS_FILE} is missing ({err}); reinstall kgbuild") from None
    topology = json.loads(text)
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        parts = ([geometry["arcs"]] if kind == "Polygon" else
                 geometry["arcs"] if kind == "MultiPolygon" else [])
        polygons = tuple(tuple(_ring(arcs, ring) for ring in polygon) for polygon in parts)
        shapes.append(CountryShape(str(geometry.get("id", "")),
                                   geometry.get("properties", {}).get("name", ""), polygons))
    return tuple(shapes)


def _area_centroid(ring: Ring) -> tuple[float, float, float]:
    """(area, lon, lat) of a ring in the plane of its degrees (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if abs(area) < 1e-12:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area), cx / (6 * area), cy / (6 * area)


def _inside(point: tuple[float, float], ring: Ring) -> bool:
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            inside = not inside
    return inside


def representative_point(shape: CountryShape) -> tuple[float, float] | None:
    """(lat, lon) of a point for the country on a map: the centroid of its largest
    polygon, or, where that falls outside it (a crescent such as Croatia), the middle of
    the widest stretch of the polygon along the centroid's parallel."""
    if not shape.polygons:
        return None
    outer = max((polygon[0] for polygon in shape.polygons), key=lambda r: _area_centroid(r)[0])
    _, lon, lat = _area_centroid(outer)
    if not _inside((lon, lat), outer):
        crossings = sorted((x1 - x0) * (lat - y0) / (y1 - y0) + x0
                           for (x0, y0), (x1, y1) in zip(outer, outer[1:] + outer[:1])
                           if (y0 > lat) != (y1 > lat))
        stretches = list(zip(crossings[::2], crossings[1::2]))
        if stretches:
            left, right = max(stretches, key=lambda s: s[1] - s[0])
            lon = (left + right) / 2
    return round(lat, 4), round(lon, 4)


# -- drawing: rings cut at the antimeridian ---------------------------------------------

def _unwrap(ring: Ring) -> list[tuple[float, float]]:
    """The ring with each longitude moved by 360° where needed to be within 180° of the one
    before, so a ring that crosses the antimeridian (Russia, Fiji) is one continuous shape
    reaching past ±180."""
    points = [ring[0]]
    for lon, lat in ring[1:]:
        previous = points[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        points.append((lon, lat))
    return points


def _clip(points: list[tuple[float, float]], limit: float, keep_below: bool) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: the part of a closed ring on one side of the meridian `limit`."""
    def inside(p):
        return p[0] <= limit if keep_below else p[0] >= limit

    out: list[tuple[float, float]] = []
    for current, following in zip(points, points[1:] + points[:1]):
        if inside(current):
            out.append(current)
        if inside(current) != inside(following):
            (x0, y0), (x1, y1) = current, following
            out.append((limit, round(y0 + (y1 - y0) * (limit - x0) / (x1 - x0), 4)))
    return out


def split_ring(ring: Ring) -> list[Ring]:
    """A ring as the rings to draw on a map from -180° to 180°: itself, or, when it crosses
    the antimeridian, its part on each side (so no edge runs across the whole map)."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:] + ring[:1])):
        return [ring]
    unwrapped = _unwrap(ring)
    pieces = []
    for shift in (-360, 0, 360):
        moved = [(round(lon + shift, 4), lat) for lon, lat in unwrapped]
        piece = _clip(_clip(moved, 180, keep_below=True), -180, keep_below=False)
        if len(piece) >= 3 and _area_centroid(tuple(piece))[0] > 1e-9:
            pieces.append(tuple(piece))
    return pieces


@functools.lru_cache(maxsize=1)
def drawn_shapes() -> tuple[CountryShape, ...]:
    """The countries as a map draws them: Antarctica left out, every ring that crosses the
    antimeridian cut into its parts on each side (a hole goes with the part holding it)."""
    shapes = []
    for shape in country_shapes():
        if shape.numeric == ANTARCTICA:
            continue
        polygons: list[tuple[Ring, ...]] = []
        for outer, *holes in shape.polygons:
            pieces = split_ring(outer)
            if len(pieces) == 1:
                polygons.append((pieces[0], *holes))
                continue
            for piece in pieces:
                polygons.append((piece, *(h for h in holes if _inside(h[0], piece))))
        shapes.append(CountryShape(shape.numeric, shape.name, tuple(polygons)))
    return tuple(shapes)
