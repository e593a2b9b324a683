"""Issue 24 item 4: events said with nouns whose agent is not in the noun phrase, on the
real English pipeline; the sentences are written for these tests."""
from __future__ import annotations

import pytest


def noun_event(events, lemma, actor):
    """The noun event with this lemma whose actor's words include `actor`, or fail."""
    for e in events:
        if e.action.lemma == lemma and "rule=noun-event" in e.explanation \
                and actor in f"{e.actor.text} {e.actor.label}":
            return e
    raise AssertionError(f"no {actor} -{lemma}-> in {[(e.actor.label, e.action.lemma) for e in events]}")


# sentence, noun lemma, words of the agent, words of the other party (recipient)
NOUN_AGENTS = [
    # the clause's subject takes the responsibility for, or is guilty of, the noun's event
    ("The Kurdish militia claimed responsibility for the ambush on the army convoy.", "ambush",
     "militia", "convoy"),
    ("Turkish troops were responsible for the shelling of Kurdish villages.", "shelling", "troops",
     "villages"),
    ("The rebels are guilty of the killing of three aid workers.", "killing", "rebels", "workers"),
    # a spokesperson claims for the party it speaks for
    ("A spokesman for the Taliban claimed responsibility for the bombing of the checkpoint.",
     "bombing", "Taliban", "checkpoint"),
    # the copula's subject is in the state the noun names
    ("Armenia is at war with Azerbaijan.", "war", "Armenia", "Azerbaijan"),
    ("Armenia is at war with Azerbaijan.", "war", "Azerbaijan", "Armenia"),
    # the subject takes part in the event, or does it in the course of the verb's act
    ("The militia took part in the assault on the airport.", "assault", "militia", "airport"),
    ("Two army officers were involved in the raid on the opposition headquarters.", "raid",
     "officers", "headquarters"),
    ("Islamist gunmen killed twelve people in an attack on a police station.", "attack", "gunmen",
     "station"),
    # an "of" that is not the noun's own preposition names the agent; the party the parser
    # hung on it is still the noun's
    ("The visit of the Iranian foreign minister to Baghdad ended on Monday.", "visit", "minister",
     "Baghdad"),
    # no party in the phrase: the place of an attack is its other party (place_party)
    ("There were air strikes in Idlib by Russian aircraft.", "strike", "aircraft", "Idlib"),
    ("The Sinaloa cartel has been responsible for mass killings in northern Mexico.", "killing", "cartel",
     "Mexico"),
]


@pytest.mark.parametrize("text, lemma, actor, party", NOUN_AGENTS, ids=[f"{r[0][:36]}-{r[2]}" for r in NOUN_AGENTS])
def test_noun_event_takes_its_agent_from_the_clause_or_the_phrase(extract, text, lemma, actor, party):
    ev = noun_event(extract(text), lemma, actor)
    assert ev.recipient is not None and party in ev.recipient.text
    assert ev.modality == "asserted" and not ev.negated


# Guards for precision: a noun event the clause already reports, a disowned one, and one
# whose clause subject suffered it give no second event of the noun.
NO_NOUN_EVENT = [
    ("The rebels launched an attack on the convoy.", "attack"),
    ("The ministry denied responsibility for the attack on the convoy.", "attack"),
    ("Three soldiers were killed in an attack on the convoy.", "attack"),
    ("Police arrested four suspects in the attack on the convoy.", "attack"),
    ("Syria rejected claims by Israel that Damascus was behind the attack on the convoy.", "attack"),
    ("Jets struck the depot on Monday, the third such raid on the militia.", "raid"),
]


@pytest.mark.parametrize("text, lemma", NO_NOUN_EVENT, ids=[r[0][:40] for r in NO_NOUN_EVENT])
def test_no_noun_event_the_clause_reports_or_disowns(extract, text, lemma):
    assert not [e for e in extract(text) if "rule=noun-event" in e.explanation]
