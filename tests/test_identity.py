"""When two reports are one event, and which actors are one node (issue 23 item 1).

Reports merge across documents only when actor, action, target and place agree and they
fall on the same calendar day; an event with no day stays in its document; an actor named
by a role noun alone ("forces", "an unidentified attacker") is one node per document.
Events are built by hand: no spaCy needed.
"""
import pytest
from rdflib import RDF, Literal

from kgbuild import Action, Document, Entity, Event, EventType, Sentence, TimeRef, build_graph
from kgbuild.graph.build import entity_iri, event_iri, remove_document
from kgbuild.graph.namespace import KG
from kgbuild.stores.oxigraph import GraphStore

ATTACKER = Entity(text="A gunman", label="unidentified attacker", type="Group", role="UAF",
                  key="agent/unidentified", start=0, end=8)
PEOPLE = Entity(text="nine people", label="people", type="Group", role="CVL",
                key="agent/CVL/people", start=16, end=27)
KILL = EventType(code="1823", label="Kill by physical assault", root="18", goldstein=-10.0,
                 quad_class=4)
COALITION = Entity(text="Allied aircraft", label="United States", type="Country", country="USA",
                   role="MIL", key="country/USA/MIL", start=0, end=15)
DEPOT = Entity(text="a fuel depot", label="fuel depot", type="Facility", key="thing/fuel-depot",
               start=25, end=37)
VALLEY = Entity(text="the Harran valley", label="Harran valley", type="Place", key="place/harran-valley",
                start=41, end=58)
STRIKE = EventType(code="195", label="Employ aerial weapons", root="19", goldstein=-10.0,
                   quad_class=4)
FORCES = Entity(text="Forces", label="forces", type="ArmedForce", role="MIL",
                key="agent/MIL/forces", start=0, end=6)
RUSSIAN_FORCES = Entity(text="Russian forces", label="forces (Russia)", type="ArmedForce",
                        country="RUS", role="MIL", key="agent/RUS/MIL/force", start=0, end=14)
BRIDGE = Entity(text="the bridge", label="bridge", type="Facility", key="thing/bridge",
                start=20, end=30)


def report(doc, actor, target, lemma, etype, *, place=None, time=None, date=None, start=0):
    sentence = Sentence(text=f"Report {start} of {doc}.", start=start, end=start + 60)
    return Event(doc=doc, sentence=sentence, actor=actor,
                 action=Action(text=lemma, lemma=lemma, start=start + 10, end=start + 15),
                 target=target, location=place, time=time, event_type=etype, doc_date=date)


def incident(doc, start=0):
    """'A gunman killed nine people': no date in the text, none on the document."""
    return report(doc, ATTACKER, PEOPLE, "kill", KILL, start=start)


def daily(doc, date, time=None):
    """'Allied aircraft struck a fuel depot in the Harran valley' in a daily report."""
    return report(doc, COALITION, DEPOT, "strike", STRIKE, place=VALLEY, time=time, date=date)


def events_of(graph):
    return sorted(graph.subjects(RDF.type, KG.Event))


def mention_docs(graph, event):
    return sorted(str(graph.value(m, KG.document)).rsplit("/", 1)[-1]
                  for m in graph.objects(event, KG.mention))


def test_undated_incidents_in_four_documents_stay_four_events():
    """Issue 23: a blaze, a shooting, a siege and a gas attack, each reported without a date,
    were one 'unidentified attacker kill people' event. A document that reports its
    incident twice still gives it one event."""
    reports = [incident("blaze"), incident("shooting"), incident("siege"), incident("gas"),
               incident("gas", start=100)]
    graph = build_graph(reports)
    assert sorted(len(mention_docs(graph, e)) for e in events_of(graph)) == [1, 1, 1, 2]
    assert {tuple(mention_docs(graph, e)) for e in events_of(graph)} == {
        ("blaze",), ("shooting",), ("siege",), ("gas", "gas")}


def test_undated_reports_of_a_named_actor_never_merge_across_documents():
    """Undated: even a resolved actor, target and place do not make two documents one event."""
    graph = build_graph([daily("jan-8", None), daily("jan-9", None), daily("jan-9", None)])
    assert sorted(len(mention_docs(graph, e)) for e in events_of(graph)) == [1, 1]


@pytest.mark.parametrize("time", [TimeRef("this month", "2024-05"), TimeRef("this year", "2024"),
                                  TimeRef("this week", "2024-04-29/2024-05-05")],
                         ids=["month", "year", "interval"])
def test_daily_reports_merge_on_the_same_day_only(time):
    """A date coarser than a day names no day: the report date decides. Two reports of
    1 May are one event with two mentions, the report of 2 May another."""
    graph = build_graph([daily("may-1-a", "2024-05-01", time), daily("may-1-b", "2024-05-01", time),
                         daily("may-2", "2024-05-02", time)])
    assert [mention_docs(graph, e) for e in sorted(events_of(graph), key=lambda e: mention_docs(graph, e))] \
        == [["may-1-a", "may-1-b"], ["may-2"]]
    assert {graph.value(e, KG.mentionCount) for e in events_of(graph)} == {Literal(1), Literal(2)}


def test_generic_forces_are_one_node_per_document_and_resolved_forces_one_node():
    """Issue 23: "forces" of every story were one actor node; Russian forces stay one."""
    shelling = [report(doc, actor, BRIDGE, "shell", STRIKE, date="2024-05-01", start=start)
                for doc in ("north", "south")
                for actor, start in ((FORCES, 0), (RUSSIAN_FORCES, 100))]
    graph = build_graph(shelling)
    generic = set(graph.subjects(RDF.type, KG.ArmedForce)) - {entity_iri(RUSSIAN_FORCES)}
    assert len(generic) == 2
    assert all(graph.value(node, KG.countryCode) is None for node in generic)
    (russian,) = graph.subjects(KG.actor, entity_iri(RUSSIAN_FORCES))  # one node, one event
    assert graph.value(russian, KG.mentionCount) == Literal(2)
    found = graph.query('SELECT ?e WHERE { ?e a kg:Event ; kg:actor/rdfs:label "forces" }',
                        initNs={"kg": KG})
    assert len(found) == 2  # found by its label, one event per document


def test_generic_actor_node_names_its_document_and_goes_with_it():
    north = report("north", FORCES, BRIDGE, "shell", STRIKE, date="2024-05-01")
    graph = build_graph([north, report("south", FORCES, BRIDGE, "shell", STRIKE, date="2024-05-01")])
    node = entity_iri(FORCES, doc="north")
    assert str(node).endswith("/actor/doc/north/agent/MIL/forces")
    assert graph.value(event_iri(north), KG.actor) == node
    remove_document(graph, "north")
    assert (node, None, None) not in graph and len(events_of(graph)) == 1
    with pytest.raises(ValueError, match="document"):
        entity_iri(FORCES)  # a generic actor has no node outside a document


def test_store_keeps_undated_incidents_and_generic_actors_per_document(tmp_path):
    docs = [Document(name, f"The {name} story.") for name in ("blaze", "shooting", "north", "south")]
    reports = [incident("blaze"), incident("shooting"),
               report("north", FORCES, BRIDGE, "shell", STRIKE, date="2024-05-01"),
               report("south", FORCES, BRIDGE, "shell", STRIKE, date="2024-05-01"),
               daily("north", "2024-05-01", TimeRef("this month", "2024-05")),
               daily("south", "2024-05-01", TimeRef("this month", "2024-05"))]
    with GraphStore(tmp_path / "s") as store:
        store.add_events(reports, docs)
        store.finalize()
        counts = sorted(int(r["n"].value) for r in store.query(
            "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?e a kg:Event ; kg:mention ?m } GROUP BY ?e"))
        forces = {r["a"].value for r in store.query(
            'SELECT DISTINCT ?a WHERE { ?e kg:actor ?a . ?a rdfs:label "forces" }')}
        store.remove_documents(["north"])
        store.finalize()
        left = {r["a"].value for r in store.query(
            'SELECT DISTINCT ?a WHERE { ?a rdfs:label "forces" }')}
    assert counts == [1, 1, 1, 1, 2]  # the daily report of 1 May merges, nothing else does
    assert len(forces) == 2
    assert left == forces - {str(entity_iri(FORCES, doc="north"))}


@pytest.mark.parametrize("group, state", [
    ("SDF forces captured the village.", "Syrian government forces captured the village."),
    ("Houthi fighters seized the port.", "Yemeni government fighters seized the port."),
])
def test_a_groups_forces_are_not_the_states_forces(extract, group, state):
    """'forces (SDF)' once held government, opposition and SDF forces: an armed group's role
    nouns are keyed by the group, a state's by the state."""
    (by_group,), (by_state,) = extract(group), extract(state)
    assert by_group.actor.key != by_state.actor.key
    assert by_group.actor.country == by_state.actor.country  # both Syrian/Yemeni, still two actors
