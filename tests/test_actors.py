"""CAMEO actor codes as event-data users write them (issue 11, item 5): country + role
(RUSGOV), a country alone (RUS), IGO/NGO + the codebook's organization code (IGOUNO), the
role alone for actors of no country (REB); in the event JSON and on the graph's actor nodes."""
import json
import re

import pytest
from rdflib import Literal

from kgbuild import Entity, Event, build_graph
from kgbuild.extract.lexicon import load_actor_table
from kgbuild.graph.build import entity_iri
from kgbuild.graph.namespace import KG
from kgbuild.model import cameo_actor_code


@pytest.mark.parametrize("entity, code", [
    (Entity("Moscow", "Russia", "Country", country="RUS", role="GOV"), "RUSGOV"),
    (Entity("Russia", "Russia", "Country", country="RUS"), "RUS"),
    (Entity("the UN", "UN", "InternationalOrganization", role="IGO", cameo_org="UNO"), "IGOUNO"),
    (Entity("BRICS", "BRICS", "InternationalOrganization", role="IGO"), "IGO"),
    (Entity("a charity", "charity", "Organization", role="NGO"), "NGO"),
    (Entity("rebels", "rebels", "Group", role="REB"), "REB"),
    (Entity("Kaliningrad", "Kaliningrad", "Place", country="RUS"), None),
    (Entity("missiles", "missiles", "Weapon"), None),
    (Entity("ICE", "ICE", "Organization"), None),
])
def test_cameo_actor_code_joins_country_role_and_organization(entity, code):
    assert cameo_actor_code(entity) == code == entity.cameo


@pytest.mark.parametrize("text, slot, code", [
    ("Moscow will deploy Iskander missiles in Kaliningrad.", "actor", "RUSGOV"),
    ("Russia condemned the decision.", "actor", "RUS"),
    ("The Pentagon sent more troops to Poland.", "actor", "USAMIL"),
    ("Syrian rebels attacked an army checkpoint near Idlib.", "actor", "SYRREB"),
    ("Rebels ambushed a convoy near the border.", "actor", "REB"),
    ("Israeli soldiers arrested two Palestinians.", "actor", "ISRMIL"),
    ("Polish lawmakers approved the bill.", "actor", "POLLEG"),
    ("The United Nations condemned the attack on the hospital.", "actor", "IGOUNO"),
    ("NATO will station 4,000 troops in the Baltic states.", "actor", "IGOWSTNAT"),
    ("The European Union imposed sanctions on Belarus.", "actor", "IGOEUREEC"),
    ("The Arab League condemned the strikes.", "actor", "IGOMEAARL"),
    ("OPEC agreed to cut oil production.", "actor", "IGOBUSOPC"),
    ("The World Health Organization sent medical supplies to Gaza.", "actor", "IGOUNOHLHWHO"),
    ("Amnesty International accused the government of torture.", "actor", "NGOHRIAMN"),
    ("The Syrian Observatory for Human Rights condemned the killings.", "actor", "NGO"),
    ("Government forces shelled the town, the Syrian Observatory for Human Rights said.",
     "attribution", "NGO"),
    ("UN Secretary-General Antonio Guterres met the Iranian foreign minister.", "actor", "IGOUNO"),
    ("UN Secretary-General Antonio Guterres met the Iranian foreign minister.", "target", "IRNGOV"),
    ("Nato's Secretary General Jens Stoltenberg criticised Russia.", "actor", "IGOWSTNAT"),
    ("Russian President Vladimir Putin met Chinese President Xi Jinping.", "target", "CHNGOV"),
    ("The European Union imposed sanctions on Belarus.", "recipient", "BLR"),
    ("Da’esh claimed the bombing of the market.", "actor", "REB"),  # spelled with an apostrophe
    ("Dae'sh claimed the bombing of the market.", "actor", "REB"),
])
def test_pipeline_actors_get_their_cameo_code(extract, text, slot, code):
    found = [getattr(e, slot).cameo for e in extract(text, date="2023-05-01") if getattr(e, slot)]
    assert code in found, found


def test_things_and_places_have_no_cameo_code(extract):
    event = next(e for e in extract("Moscow will deploy Iskander missiles in Kaliningrad.")
                 if e.action.lemma == "deploy")
    assert event.target.cameo is None and event.location.cameo is None


def test_event_json_writes_actor_cameo_for_every_entity(extract):
    event = next(e for e in extract("The European Union imposed sanctions on Belarus.")
                 if e.action.lemma == "impose")
    data = json.loads(json.dumps(event.to_dict()))
    assert data["actor"]["cameo"] == "IGOEUREEC"
    assert data["recipient"]["cameo"] == "BLR"
    assert data["target"]["cameo"] is None  # sanctions are a thing
    back = Event.from_dict(data)
    assert back.actor.cameo == "IGOEUREEC" and back == event


def test_graph_puts_the_cameo_code_on_the_actor_node(extract):
    events = extract("NATO will station 4,000 troops in the Baltic states. "
                     "Amnesty International accused the government of torture.")
    graph = build_graph(events)
    nato = next(e.actor for e in events if e.actor.label == "NATO")
    amnesty = next(e.actor for e in events if e.actor.label == "Amnesty International")
    assert set(graph.objects(entity_iri(nato), KG.cameoActorCode)) == {Literal("IGOWSTNAT")}
    assert set(graph.objects(entity_iri(amnesty), KG.cameoActorCode)) == {Literal("NGOHRIAMN")}


def test_graph_keeps_every_code_an_actor_was_reported_under(extract):
    events = extract("Russia condemned the decision. Moscow will deploy Iskander missiles in Kaliningrad.")
    graph = build_graph(events)
    russia = entity_iri(next(e.actor for e in events if e.actor.text == "Moscow"))
    assert set(graph.objects(russia, KG.cameoActorCode)) == {Literal("RUS"), Literal("RUSGOV")}
    missiles = entity_iri(next(e.target for e in events if e.action.lemma == "deploy"), "target")
    assert graph.value(missiles, KG.cameoActorCode) is None


def test_actor_table_organization_codes_are_codebook_shaped():
    entries = [e for found in load_actor_table().values() for e in found]
    coded = [e for e in entries if e.cameo_org]
    assert {e.label for e in coded} >= {"UN", "NATO", "EU", "African Union", "Arab League", "OPEC"}
    for entry in coded:
        assert entry.role in ("IGO", "NGO") and not entry.country, entry
        assert re.fullmatch(r"([A-Z]{3})+", entry.cameo_org), entry
    # every alias of one organization carries the same code
    by_label: dict[tuple[str, str], set] = {}
    for entry in entries:
        if entry.role in ("IGO", "NGO") and entry.type != "Person":
            by_label.setdefault((entry.type, entry.label), set()).add(entry.cameo_org)
    assert all(len(codes) == 1 for codes in by_label.values()), by_label


# Issue 25: a role noun takes its affiliation from a "from" phrase naming a state or an
# organization ("soldiers from Chad" are Chad's military), not only from a modifier.
@pytest.mark.parametrize("text, lemma, country, role", [
    ("Soldiers from Chad killed six militants near the lake.", "kill", "TCD", "MIL"),
    ("Police from Kenya arrested two smugglers.", "arrest", "KEN", "COP"),
])
def test_a_role_noun_takes_its_affiliation_from_its_origin(extract, text, lemma, country, role):
    event = next(e for e in extract(text) if e.action.lemma == lemma)
    assert (event.actor.country, event.actor.role) == (country, role)


# Issue 24 item 7 / 25: a capitalized name after a state's adjective that the recognizer
# did not tag is an organization of that state, not "no actor"; "convey concern" is a
# statement of concern like "express concern".
def test_an_untagged_name_after_a_states_adjective_is_an_organization(extract):
    event = next(e for e in extract("The Canadian NGO Maple Water Aid has been providing clean water to Haitians.")
                 if e.action.lemma == "provide")
    assert (event.actor.label, event.actor.country) == ("NGO Maple Water Aid", "CAN")


def test_conveyed_concern_is_a_statement_of_concern(extract):
    event = next(e for e in extract("The French embassy conveyed its concerns about the trial to the Turkish government.")
                 if e.action.lemma == "convey")
    assert event.event_type.code == "012" and event.recipient.country == "TUR"
