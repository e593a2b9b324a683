"""Issue 23 item 3: places that are acted on are places. An event whose own clause names no
place it can geocode takes the place its sentence names (`extract/sentence_place.py`), and
the gazetteer reads a capital by its own name; never a party, never across a clause of its
own."""
from __future__ import annotations

import pytest

KUNDUZ, GAZA, BISHKEK, ISLAMABAD, MULTAN = 1135689, 281133, 1528675, 1176615, 1169825
HOMS, KANDAHAR, ALEPPO, HAIFA, AFGHANISTAN = 169577, 1138336, 170063, 294801, 1149361


def event_of(extract, text: str, lemma: str):
    found = [e for e in extract(text) if e.action.lemma == lemma]
    assert found, f"no {lemma!r} event in {text!r}"
    return found[0]


@pytest.mark.parametrize("text, lemma, geonames", [
    # no place in the clause: the sentence's, down a relative clause, an object of a noun,
    # an event phrase, a participle on the object
    ("The Taliban claimed responsibility for the bombing, which killed nine people in Kunduz.",
     "claim", KUNDUZ),
    ("The charity has suspended food deliveries to Gaza.", "suspend", GAZA),
    ("The president resigned after weeks of protests in Bishkek.", "resign", BISHKEK),
    ("Donors promised aid to families displaced by floods near Multan.", "promise", MULTAN),
    # the place of a participle below the verb, the place modifying an attack noun
    ("Rebels shelled two army posts, killing four soldiers in the outskirts of Homs.", "shell", HOMS),
    ("Militants claimed the Kandahar attack on Friday.", "claim", KANDAHAR),
    # the object of an attack in the infinitive a threat governs
    ("Hezbollah threatened to shell Haifa if Israel hits Beirut and its southern suburbs.",
     "threaten", HAIFA),
    # a location the gazetteer lacks: the place around it
    ("The army said it destroyed three rebel camps in the Zarqun hills near Aleppo.", "destroy", ALEPPO),
    ("Pakistani jets bombed militant hideouts in Afghanistan's remote district of Dangam.",
     "bomb", AFGHANISTAN),
    # a national capital by its own name, not a city that has it as an alternate name
    ("Police arrested three men in Islamabad.", "arrest", ISLAMABAD),
])
def test_event_takes_the_place_its_sentence_names(extract, text, lemma, geonames):
    event = event_of(extract, text, lemma)
    place = event.location
    assert place is not None and place.geonames == geonames, event.explanation
    assert place.lat is not None and place.lon is not None


def test_a_region_in_the_sentence_is_the_region(extract):
    event = event_of(extract, "Insurgents overran two checkpoints in the village of Tal Zarqun, Idlib province.",
                     "overrun")
    assert (event.location.country, event.location.feature_kind) == ("SYR", "region"), event.explanation
    assert "the sentence's place" in event.explanation


def test_a_generic_place_beside_a_named_one_is_the_named_one(extract):
    events = [e for e in extract("Hezbollah threatened to shell Haifa if Israel hits Beirut and its southern suburbs.")
              if e.action.lemma == "hit"]
    assert events and {e.location.label for e in events} == {"Beirut"}


def test_the_sentence_place_is_never_a_party(extract):
    event = event_of(extract, "Rebels shelled two army posts, killing four soldiers in the outskirts of Homs.",
                     "shell")
    assert event.location.geonames == HOMS and event.recipient is None


@pytest.mark.parametrize("text, lemma", [
    # the main clause's place is not that of a clause with its own subject below it
    ("Troops remained on alert in Manila after rebels tried to plant bombs on a highway.", "plant"),
    # a name as a subject stands for a party; a capital elsewhere is its government
    ("The minister rejected claims that Europe would close its borders.", "reject"),
    ("Russia vetoed the resolution a day after Moscow blocked a similar text.", "veto"),
])
def test_names_that_are_not_the_sentence_place(extract, text, lemma):
    assert event_of(extract, text, lemma).location is None


def test_a_generic_place_looks_only_in_its_own_clause(extract):
    text = ("Police clashed with protesters on the streets of the capital after a court freed "
            "an activist living in exile in Britain.")
    for event in (e for e in extract(text) if e.action.lemma == "clash"):
        assert event.location is None or event.location.country != "GBR", event.explanation
