"""Events -> RDF: deterministic IRIs, merging, order independence. No spaCy needed here."""
import subprocess
import sys

from rdflib import RDF, Literal
from rdflib.compare import isomorphic

from kgbuild import Action, Entity, Event, EventType, Sentence, TimeRef, build_graph
from kgbuild.graph.build import event_iri
from kgbuild.graph.namespace import KG

RUS = Entity(text="Moscow", label="Russia", type="Country", country="RUS", role="GOV",
             key="country/RUS", start=0, end=6)
NATO = Entity(text="Nato", label="NATO", type="InternationalOrganization", role="IGO",
              key="org/nato", start=0, end=4)
ISK = Entity(text="Iskander missiles", label="Iskander missiles", type="Weapon",
             key="thing/iskander-missiles", start=19, end=36)
DEPLOY = EventType(code="154", label="Mobilize or increase armed forces", root="15",
                   plover="MOBILIZE", goldstein=-7.2, quad_class=4)


def make_event(doc="d1", start=0, actor=RUS, date="2024-03-04", **kw):
    sent = Sentence(text="Moscow will deploy Iskander missiles.", start=start, end=start + 37)
    return Event(doc=doc, sentence=sent, actor=actor,
                 action=Action(text="will deploy", lemma="deploy", start=start + 7, end=start + 18),
                 target=ISK, time=TimeRef("on Monday", "2024-03-04"), modality="future",
                 event_type=DEPLOY, confidence=0.8, explanation="rule=test", doc_date=date, **kw)


def test_same_event_in_two_documents_is_one_node_with_two_mentions():
    g = build_graph([make_event("d1"), make_event("d2", start=40, date="2024-03-05")])
    events = list(g.subjects(RDF.type, KG.Event))
    assert len(events) == 1
    (ev,) = events
    assert g.value(ev, KG.mentionCount) == Literal(2)
    assert len(list(g.objects(ev, KG.mention))) == 2
    assert str(g.value(ev, KG.firstReported)) == "2024-03-04"
    assert str(g.value(ev, KG.lastReported)) == "2024-03-05"


def test_different_actor_gives_different_event():
    a, b = make_event(), make_event(actor=NATO)
    assert event_iri(a) != event_iri(b)
    assert len(list(build_graph([a, b]).subjects(RDF.type, KG.Event))) == 2


def test_build_is_deterministic_and_order_independent():
    events = [make_event("d1"), make_event("d2", start=40), make_event("d3", actor=NATO)]
    assert isomorphic(build_graph(events), build_graph(events))
    assert isomorphic(build_graph(events), build_graph(list(reversed(events))))


def test_building_a_then_adding_b_equals_building_both():
    a, b = [make_event("d1")], [make_event("d2", start=40, actor=NATO), make_event("d2", start=80)]
    incremental = build_graph(b, graph=build_graph(a))
    assert isomorphic(incremental, build_graph(a + b))


def test_provenance_offsets_and_event_type():
    g = build_graph([make_event()])
    (m,) = g.subjects(RDF.type, KG.Mention)
    assert g.value(m, KG.actorStart) == Literal(0) and g.value(m, KG.targetEnd) == Literal(36)
    sent = g.value(m, KG.sentence)
    assert str(g.value(sent, KG.text)).startswith("Moscow will deploy")
    (ev,) = g.subjects(RDF.type, KG.Event)
    etype = g.value(ev, KG.eventType)
    assert str(g.value(etype, KG.cameoCode)) == "154" and float(g.value(etype, KG.goldstein)) == -7.2
    assert str(g.value(ev, KG.modality)) == "future"


def test_graph_side_does_not_import_spacy():
    code = ("import sys, kgbuild; from kgbuild import build_graph, run_query, to_networkx; "
            "build_graph([]); import kgbuild.stores.files, kgbuild.query.run; "
            "sys.exit(1 if 'spacy' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_extraction_side_does_not_import_rdflib():
    code = ("import sys, kgbuild.extract.events, kgbuild.extract.component, kgbuild.read, kgbuild.nlp; "
            "sys.exit(1 if 'rdflib' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_instrument_is_kept_on_the_mention_and_round_trips_through_json():
    """Issue 10: an attack or weapon as subject is kept, not made an actor."""
    bomb = Entity(text="A car bomb", label="car bomb", type="Weapon", key="thing/car-bomb", start=0, end=10)
    ev = make_event(instrument=bomb)
    assert Event.from_dict(ev.to_dict()).instrument == bomb
    graph = build_graph([ev])
    assert list(graph.objects(None, KG.instrumentText)) == [Literal("A car bomb")]
    assert not list(build_graph([make_event()]).objects(None, KG.instrumentText))


def test_country_codes_with_quote_or_angle_bracket_give_valid_iris():
    """Issue 15, item 13: a user actor table may hold any country code."""
    from rdflib import Graph

    for code in ('Z"G>', "A B", "{x}"):
        actor = Entity(text="Zorg Militia", label="Zorg Militia", type="Group", country=code,
                       key="org/zorg-militia")
        land = Entity(text="Zorgland", label="Zorgland", type="Country", country=code,
                      key=f"country/{code}")
        ev = Event(doc="z", sentence=Sentence("Zorg Militia attacked Zorgland.", 0, 31), actor=actor,
                   action=Action("attacked", "attack", 13, 21), target=land)
        graph = build_graph([ev])
        country = graph.value(graph.value(event_iri(ev), KG.actor), KG.country)
        assert country == graph.value(event_iri(ev), KG.target)  # the link meets the country node
        assert isomorphic(Graph().parse(data=graph.serialize(format="turtle"), format="turtle"), graph)
