"""Issue 13: offline geocoding of event places with the document as context, place
identity in the graph (GeoNames IRIs, countries as one node, generic nouns kept to their
document), coordinates in RDF, JSON, GraphML, and the saved geographic queries."""
from __future__ import annotations

import math

import networkx as nx
import pytest
from rdflib import OWL, RDF, Literal, URIRef

from kgbuild import Document, InputError, build_graph, extract_events, run_query
from kgbuild.extract.gazetteer import gazetteer, loose_key
from kgbuild.graph.build import entity_iri
from kgbuild.graph.namespace import GEO, KG, KGR, WGS
from kgbuild.viz.graphml import write_network

KYIV, TRIPOLI_LY, TRIPOLI_LB, KHARTOUM = 703448, 2210247, 266826, 379252


def places(events):
    """(text, key, geonames, country, kind) of every event location."""
    return [(e.location.text, e.location.key, e.location.geonames, e.location.country,
             e.location.feature_kind) for e in events if e.location is not None]


def located(extract, text: str):
    found = [e for e in extract(text) if e.location is not None]
    assert found, f"no event with a location in {text!r}"
    return found[0]


@pytest.mark.parametrize("text, geonames, country", [
    # the same name, read by the document's other places and actors
    ("Libyan officials said militias shelled the airport in Tripoli on Monday.", TRIPOLI_LY, "LBY"),
    ("Lebanese soldiers clashed with gunmen in Tripoli near Beirut's northern coast road.",
     TRIPOLI_LB, "LBN"),
    # an explicit "X, Country" beats the rest of the story
    ("Libyan officials said gunmen attacked a checkpoint in Tripoli, Lebanon.", TRIPOLI_LB, "LBN"),
    ("Police clashed with protesters in Valencia, Spain on Sunday.", 2509954, "ESP"),
    # alternate spellings are one feature
    ("Ukrainian police arrested twelve protesters in Kiev.", KYIV, "UKR"),
    ("Ukrainian police arrested twelve protesters in Kyiv.", KYIV, "UKR"),
    # loose transliteration (Jablah in GeoNames), a compass word, a well-known city alone
    ("Syrian forces shelled rebel positions in Jabla.", 169304, "SYR"),
    ("Iraqi troops captured a hospital in East Mosul.", 99072, "IRQ"),
    ("The foreign ministers met in Paris on Tuesday.", 2988507, "FRA"),
])
def test_place_is_geocoded_by_context(extract, text, geonames, country):
    event = located(extract, text)
    assert (event.location.geonames, event.location.country) == (geonames, country), event.explanation
    assert event.location.key == f"place/geonames/{geonames}"
    assert event.location.feature_kind == "city"
    assert -90 <= event.location.lat <= 90 and -180 <= event.location.lon <= 180
    assert f"geonames:{geonames}" in event.explanation


@pytest.mark.parametrize("text, reason", [
    # two cities of similar size and nothing in the text to choose: no guess
    ("Police clashed with protesters in Valencia on Sunday.", "ambiguous"),
    # a name no gazetteer knows
    ("Rebels attacked an army checkpoint in Qaryat Zarqun on Monday.", "not in the gazetteer"),
    # a small city of another country than the story's: not taken
    ("Syrian government forces attacked the rebels in Madaya.", "nothing in the text supports"),
])
def test_place_is_left_unresolved_rather_than_guessed(extract, text, reason):
    event = located(extract, text)
    assert event.location.geonames is None and event.location.lat is None
    assert "unresolved" in event.explanation and reason in event.explanation


def test_ambiguous_name_is_kept_to_its_document(extract):
    event = located(extract, "Police clashed with protesters in Valencia on Sunday.")
    assert event.location.key == "doc/t/place/valencia"


def test_country_as_place_is_the_country_actor_node(extract):
    events = extract("Russia deployed fighter jets in Syria. Syria attacked the rebels.")
    (place,) = [e.location for e in events if e.location is not None]
    assert (place.key, place.feature_kind, place.label) == ("country/SYR", "country", "Syria")
    graph = build_graph(events)
    node = KGR["actor/country/SYR"]
    assert {KG.Country, KG.Place, KG.Actor} <= set(graph.objects(node, RDF.type))
    assert (node, OWL.sameAs, URIRef("https://sws.geonames.org/163843/")) in graph
    assert (node, KG.country, node) not in graph
    assert sum(1 for _ in graph.subjects(KG.location, node)) == 1
    assert sum(1 for _ in graph.subjects(KG.actor, node)) == 1


def test_capital_resolves_through_the_story_country(extract):
    events = extract("Sudanese troops were sent to the capital after the Sudanese army deployed "
                     "tanks in the capital on Friday.")
    (place,) = {(e.location.key, e.location.geonames) for e in events if e.location is not None}
    assert place == (f"place/geonames/{KHARTOUM}", KHARTOUM)


def test_generic_place_nouns_never_merge_across_documents(nlp):
    docs = [Document("a", "Turkish troops attacked the rebels near the border on Monday."),
            Document("b", "Iranian troops attacked the rebels near the border on Monday.")]
    events = list(extract_events(docs, nlp=nlp))
    keys = {e.doc: e.location.key for e in events if e.location is not None}
    assert keys == {"a": "doc/a/place/border", "b": "doc/b/place/border"}
    graph = build_graph(events)
    borders = set(graph.subjects(RDF.type, KG.Place))
    assert {KGR["doc/a/place/border"], KGR["doc/b/place/border"]} <= borders
    assert all("unresolved: generic noun" in e.explanation for e in events if e.location)


def test_resolved_places_merge_across_documents(nlp):
    docs = [Document("a", "Ukrainian police arrested twelve protesters in Kiev."),
            Document("b", "Ukrainian police detained four journalists in Kyiv.")]
    graph = build_graph(extract_events(docs, nlp=nlp))
    kyiv = KGR[f"place/geonames/{KYIV}"]
    assert len(set(graph.subjects(KG.location, kyiv))) == 2


def test_user_place_table_adds_and_overrides(tmp_path):
    from kgbuild.nlp import load_pipeline

    table = tmp_path / "places.tsv"
    table.write_text("alias\tlabel\tkind\tcountry\tlat\tlon\tgeonames\n"
                     "Zaatari camp\tZaatari refugee camp\tsite\tJOR\t32.2946\t36.3231\t\n"
                     "Kaliningrad\tKaliningrad Oblast\tregion\tRUS\t54.7\t21.3\t554230\n",
                     encoding="utf-8")
    nlp = load_pipeline(None, places_file=table)  # the table is the pipeline's (issue 27)

    def extract(text):
        return list(extract_events([Document(id="t", text=text)], nlp=nlp))

    camp = located(extract, "Jordanian police arrested dozens of protesters in the Zaatari camp.")
    assert (camp.location.key, camp.location.country, camp.location.feature_kind) == (
        "place/zaatari-refugee-camp", "JOR", "site")
    assert camp.location.lat == pytest.approx(32.2946) and camp.location.geonames is None
    oblast = located(extract, "Russia will deploy Iskander missiles in Kaliningrad.")
    assert (oblast.location.key, oblast.location.label) == ("place/geonames/554230", "Kaliningrad Oblast")


@pytest.mark.parametrize("row, message", [
    ("X\tX\tvillage\tJOR\t1\t2\t", "kind must be one of"),
    ("X\tX\tsite\tJordan\t1\t2\t", "alpha-3"),
    ("X\tX\tsite\tJOR\t91\t2\t", "lat 91.0 is outside"),
    ("X\tX\tsite\tJOR\tnorth\t2\t", "lat must be a number"),
    ("X\tX\tsite\tJOR\t1\t2\tQ123", "GeoNames id"),
])
def test_bad_place_table_is_a_clear_error(tmp_path, row, message):
    table = tmp_path / "bad.tsv"
    table.write_text("alias\tlabel\tkind\tcountry\tlat\tlon\tgeonames\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        gazetteer((str(table),))


def test_gazetteer_loads_once_per_process(extract):
    from kgbuild.extract.geonames import geonames_index

    extract("Ukrainian police arrested twelve protesters in Kiev.")
    first = gazetteer()
    extract("Syrian forces shelled rebel positions in Jabla.")
    assert gazetteer() is first and geonames_index.cache_info().misses == 1


def test_gazetteer_cache_file_round_trips(tmp_path, monkeypatch):
    from kgbuild.extract import geonames

    monkeypatch.setenv("KGBUILD_CACHE_DIR", str(tmp_path / "cache"))
    built = geonames.build_index()
    geonames.geonames_index.cache_clear()
    try:
        first = geonames.geonames_index()  # builds and writes the file
        (path,) = (tmp_path / "cache").iterdir()
        geonames.geonames_index.cache_clear()
        assert geonames.geonames_index() == first == built  # read back from the file
        path.write_bytes(b"not marshal data")
        geonames.geonames_index.cache_clear()
        assert geonames.geonames_index() == built  # a broken cache is rebuilt
    finally:
        geonames.geonames_index.cache_clear()


@pytest.mark.parametrize("a, b", [("Al Ḩasakah", "Hasaka"), ("Jablah", "Jabla"),
                                  ("Ar Raqqah", "Raqqa"), ("Tikrīt", "Tikrit")])
def test_loose_spellings_meet(a, b):
    assert loose_key(a) == loose_key(b)


def test_json_location_has_geonames_lat_lon_country(extract):
    row = located(extract, "Ukrainian police arrested twelve protesters in Kiev.").to_dict()
    location = row["location"]
    assert location["geonames"] == KYIV and location["country"] == "UKR"
    assert location["lat"] == pytest.approx(50.45, abs=0.01)
    assert location["lon"] == pytest.approx(30.52, abs=0.01)
    assert location["feature_kind"] == "city"


@pytest.fixture(scope="module")
def geo_graph(nlp):
    docs = [Document("a", "Russia will deploy Iskander missiles in Kaliningrad.", date="2016-11-21"),
            Document("b", "Ukrainian police arrested twelve protesters in Kiev.", date="2016-11-22"),
            Document("c", "Turkish troops attacked the rebels near the border.", date="2016-11-23")]
    return build_graph(extract_events(docs, nlp=nlp))


def test_graph_has_wgs84_and_geosparql_points(geo_graph):
    place = KGR["place/geonames/554234"]
    assert (place, OWL.sameAs, URIRef("https://sws.geonames.org/554234/")) in geo_graph
    assert geo_graph.value(place, KG.countryCode) == Literal("RUS")
    lat, lon = geo_graph.value(place, WGS.lat), geo_graph.value(place, WGS.long)
    point = geo_graph.value(place, GEO.hasGeometry)
    wkt = geo_graph.value(point, GEO.asWKT)
    assert wkt.datatype == GEO.wktLiteral and str(wkt) == f"POINT({lon} {lat})"
    assert (point, RDF.type, GEO.Geometry) in geo_graph


def test_place_graph_passes_shacl(geo_graph):
    from kgbuild.graph.validate import validate_graph

    assert validate_graph(geo_graph) == []


def test_graphml_read_by_networkx_has_lat_lon(geo_graph, tmp_path):
    for shape in ("actors", "events"):
        path = write_network(geo_graph, tmp_path / f"{shape}.graphml", "graphml", shape)
        net = nx.read_graphml(path)
        kaliningrad = net.nodes[str(KGR["place/geonames/554234"])] if shape == "events" else None
        if kaliningrad is not None:
            assert kaliningrad["lat"] == pytest.approx(54.706, abs=0.01)
            assert kaliningrad["lon"] == pytest.approx(20.511, abs=0.01)
            assert kaliningrad["geonames"] == "https://sws.geonames.org/554234/"
        located_items = [d for _, _, d in net.edges(data=True) if "lat" in d] if shape == "actors" \
            else [d for _, d in net.nodes(data=True) if d.get("type") == "Event" and "lat" in d]
        assert len(located_items) == 2 and all(isinstance(d["lon"], float) for d in located_items)
    write_network(geo_graph, tmp_path / "g.gexf", "gexf", "events")
    assert any("lat" in d for _, d in nx.read_gexf(tmp_path / "g.gexf").nodes(data=True))


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371 km."""
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    return 2 * 6371 * math.asin(math.sqrt(math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2))


def test_events_near_and_in_country(geo_graph):
    near = run_query(geo_graph, "events-near", bindings={"lat": "54.7", "lon": "20.5", "km": "50"})
    assert [str(r[1]) for r in near.rows] == ["Kaliningrad"]
    assert float(near.rows[0][0]) == pytest.approx(1.0, abs=0.2)
    far = run_query(geo_graph, "events-near", bindings={"lat": "54.7", "lon": "20.5", "km": "1500"})
    assert sorted({str(r[1]) for r in far.rows}) == ["Kaliningrad", "Kyiv"]
    kyiv = next(r for r in far.rows if str(r[1]) == "Kyiv")
    assert float(kyiv[0]) == pytest.approx(haversine(54.7, 20.5, float(kyiv[2]), float(kyiv[3])), rel=0.01)
    ukraine = run_query(geo_graph, "events-in-country", bindings={"country": "UKR"})
    assert [str(r[0]) for r in ukraine.rows] == ["Kyiv"]
    assert run_query(geo_graph, "events-in-country", bindings={"country": "rus"}).rows


def test_entity_iri_of_a_scoped_place():
    from kgbuild.model import Entity

    place = Entity("the border", "border", "Place", key="doc/a b/c/place/border")
    assert entity_iri(place, "location") == KGR["doc/a%20b%2Fc/place/border"]


@pytest.mark.parametrize("name, context, expected", [
    ("Paris", {"USA": 3}, 2988507),         # Paris, Texas is 86 times smaller: not on context alone
    ("Tripoli", {}, TRIPOLI_LY),            # by population, 5.7 times Tripoli, Lebanon
    ("Tripoli", {"LBN": 2}, TRIPOLI_LB),
    ("Valencia", {}, None),                 # Venezuela's and Spain's: nothing to choose
    ("Valencia", {"ESP": 1}, 2509954),
    ("Washington", {}, 4140963),            # the city, not the state
    ("New York", {}, 5128581),
    ("Georgia", {"USA": 2}, 614540),        # a country name is the country
    ("Kaliningrad", {}, 554234),            # not Korolev, once called Kaliningrad
    ("New Delhi", {}, 1261481),             # not also Delhi, next to it
])
def test_gazetteer_readings(name, context, expected):
    found = gazetteer().resolve(name, context)
    assert (found.feature.geonames if found.feature else None) == expected, found.reason


@pytest.mark.parametrize("text, key", [
    ("Kurdish fighters attacked a checkpoint in northern Syria.", "country/SYR"),
    ("Government troops attacked the rebels in South Sudan.", "country/SSD"),
])
def test_compass_words(extract, text, key):
    assert located(extract, text).location.key == key


def test_country_points_are_generated_from_the_atlas():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "gen_country_points.py"
    assert subprocess.run([sys.executable, str(script), "--check"]).returncode == 0


@pytest.mark.parametrize("lat", ["NaN", "95.0", "north"])
def test_bad_coordinates_in_a_graph_are_no_point(geo_graph, lat):
    from rdflib import XSD, Graph

    from kgbuild.viz.graphml import coordinates

    graph = Graph()
    graph += geo_graph
    place = KGR["place/geonames/554234"]
    graph.set((place, WGS.lat, Literal(lat, datatype=XSD.decimal)))
    assert coordinates(graph, place) is None
    assert coordinates(geo_graph, place) == pytest.approx((54.706, 20.511), abs=0.01)


# Issue 23 item 3: places that are acted on are places.
HOMS, IDLIB, ALEPPO, SANAA, MOSUL, TADMUR = 169577, 169389, 170063, 71137, 99072, 163808
KANDAHAR, KABUL, HERAT, RAQQA, BASRA = 1138336, 1138958, 1140026, 172955, 99532


@pytest.mark.parametrize("text, lemma, geonames", [
    # the object of an attack is where it happens, whatever label NER gives the name
    ("Government artillery shelled Homs overnight, residents said.", "shell", HOMS),
    ("Russian jets bombed Idlib on Tuesday.", "bomb", IDLIB),              # NER: ORG
    ("Turkish warplanes struck Aleppo again.", "strike", ALEPPO),           # NER: NORP
    ("Saudi-led aircraft pounded Sanaa overnight.", "pound", SANAA),       # NER: PERSON
    ("Islamist fighters stormed Mosul last week.", "storm", MOSUL),
    ("Homs was shelled by government artillery on Sunday.", "shell", HOMS),  # passive; NER: ORG
    ("Syrian troops recaptured Palmyra from the militants.", "recapture", TADMUR),  # NER: PERSON
    # an in/near/at phrase on the subject, an event phrase, a generic place's own phrase
    ("A car bomb in Kandahar killed four policemen.", "kill", KANDAHAR),
    ("The Indian minister pledged aid during a visit to Kabul.", "pledge", KABUL),
    ("Insurgents attacked an army base near Herat.", "attack", HERAT),     # NER: ORG
    # the place of the clause an event belongs to: conjoined, participle, relative clause
    ("Gunmen killed two guards and wounded three others in an ambush near Kandahar.", "kill", KANDAHAR),
    ("Syrian jets struck Raqqa on Monday, killing six civilians.", "kill", RAQQA),
    ("Iraqi officials condemned a rocket attack in Basra that killed two soldiers.", "kill", BASRA),
])
def test_place_acted_on_is_the_location(extract, text, lemma, geonames):
    event = next(e for e in extract(text) if e.action.lemma == lemma)
    place = event.location
    assert place is not None, event.explanation
    assert (place.geonames, place.feature_kind) == (geonames, "city"), event.explanation
    assert place.lat is not None and place.lon is not None
    assert event.target is not None  # the place acted on stays the target too (issue 24 decides its type)


def test_each_place_acted_on_is_its_events_location(extract):
    events = [e for e in extract("Libyan militias shelled Benghazi and Misrata.") if e.action.lemma == "shell"]
    assert sorted((e.target.text, e.location.geonames) for e in events) == [
        ("Benghazi", 88319), ("Misrata", 2214846)]


def test_province_named_after_its_city_is_placed_there(extract):
    event = located(extract, "Taliban fighters attacked a checkpoint in Kandahar province.")
    place = event.location
    assert (place.key, place.feature_kind, place.geonames) == ("place/kandahar-province", "region", None)
    assert (place.lat, place.lon) == pytest.approx((31.613, 65.710), abs=0.01)
    assert "namesake city" in event.explanation


@pytest.mark.parametrize("text", [
    "Israeli troops attacked Hamas on Monday.",                       # a group, not Hamm
    "Mahmoud Abbas met the envoy; Israeli police later detained Abbas.",  # a surname
    "The agency gave food aid to every American.",                    # a demonym
    "Russia criticized Kiev on Monday.",                              # a government, not acted on
])
def test_names_that_are_not_places_acted_on(extract, text):
    assert all(e.location is None for e in extract(text))
