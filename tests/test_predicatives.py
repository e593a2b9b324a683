"""Issue 24 item 5: copular and adjectival predicates as events ("is opposed to", "is
hostile to", "remained committed to", "is at war with"), on the real English pipeline;
the sentences are written for these tests."""
from __future__ import annotations

import pytest

# sentence, words of the actor, CAMEO code, words of the party the predicate is about
PREDICATES = [
    ("Hamas is opposed to the new agreement.", "Hamas", "110", "agreement"),
    ("Venezuela is hostile to Colombia.", "Venezuela", "110", "Colombia"),
    ("Pakistan has been hostile toward India for decades.", "Pakistan", "110", "India"),
    ("Russia has become hostile to the West.", "Russia", "110", "West"),
    ("Germany remained committed to NATO.", "Germany", "030", "NATO"),
    ("The opposition stays opposed to any talks with the junta.", "opposition", "110", "junta"),
    ("Ethiopia is at war with the Tigrayan rebels.", "Ethiopia", "190", "rebels"),
    ("The government is in talks with the union.", "government", "046", "union"),
]


@pytest.mark.parametrize("text, actor, code, party", PREDICATES, ids=[r[0][:40] for r in PREDICATES])
def test_copular_predicate_is_an_event_with_its_party(extract, text, actor, code, party):
    found = [e for e in extract(text) if actor in e.actor.text and e.event_type is not None
             and e.event_type.code == code]
    assert found, f"no {actor} event {code} in {[(e.actor.label, e.action.lemma) for e in extract(text)]}"
    ev = found[0]
    assert any(p is not None and party in p.text for p in (ev.target, ev.recipient))
    assert ev.location is None or party not in ev.location.text, "the party is not a place"


def test_intent_adjective_with_a_verb_is_that_verbs_frame(extract):
    """Guard: "is committed to rebuilding" is the rebuilding, intended; no second event."""
    events = extract("The government is committed to rebuilding the schools.")
    assert [(e.action.lemma, e.modality) for e in events] == [("rebuild", "intended")]
