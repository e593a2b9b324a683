"""Issue 24 item 2: demands, appeals and accusations carried in speech, on the real English
pipeline; the sentences are written for these tests."""
from __future__ import annotations

import pytest


def lemmas(events) -> list[str]:
    return [e.action.lemma for e in events]


def said_by(events, speaker: str):
    """The one event whose actor is the speaker (label, country or text)."""
    found = [e for e in events if speaker in (e.actor.label, e.actor.country, e.actor.text)]
    assert len(found) == 1, f"want one event by {speaker} in {[(e.actor.label, e.action.lemma) for e in events]}"
    return found[0]


def names(entity, words: str) -> bool:
    return entity is not None and (words in entity.text or words == entity.country)


# A duty stated for another party is the speaker's demand (10) or appeal (02) on it, one
# event with the duty's act as content: (sentence, speaker, addressee, CAMEO root, content
# lemma or None when the act gives no event, the act's lemma that must not be an event).
STATED_DUTIES = [
    ("Norway said Sweden must close the disputed fishing grounds.", "NOR", "SWE", "10", "close", "close"),
    ("The Chilean foreign minister said Bolivia has to withdraw its soldiers from the border.",
     "CHL", "BOL", "10", "withdraw", "withdraw"),
    ("Kenya says Ethiopia needs to release the detained aid workers.", "KEN", "ETH", "10", "release",
     "release"),
    ("Mexico declared that Guatemala should free the jailed reporters.", "MEX", "GTM", "02", "free", "free"),
    ("Portugal said Spain must be ready to send firefighters to the region.", "PRT", "ESP", "10", "send",
     "send"),
    ("Austria said Hungary must lift the ban and reopen the border crossings.", "AUT", "HUN", "10", "lift",
     "reopen"),
    ("Hungary must reopen its embassy, the Czech foreign minister said on Monday.", "CZE", "HUN", "10",
     "reopen", "reopen"),
    ("Finland said the Estonian government has to leave the talks.", "FIN", "EST", "10", None, "leave"),
]


@pytest.mark.parametrize("text, speaker, addressee, root, content, absent", STATED_DUTIES,
                         ids=[r[0][:40] for r in STATED_DUTIES])
def test_stated_duty_is_a_demand_on_the_other_party(extract, text, speaker, addressee, root, content, absent):
    events = extract(text)
    event = said_by(events, speaker)
    assert names(event.target, addressee) or names(event.recipient, addressee)
    assert event.event_type is not None and event.event_type.root == root
    if content is not None:
        assert event.content is not None and event.content.lemma == content
        assert event.content.mode == "requested" and names(event.content.actor, addressee)
    assert absent not in lemmas(events)


def test_stated_duty_of_a_thing_is_demanded_of_the_thing(extract):
    event = said_by(extract("Ireland said the blockade of the port must end."), "IRL")
    assert "blockade" in event.target.text and event.event_type.root == "10"


# Not a demand: the speaker's own duty (its intent), a past necessity (what happened), a
# guess ("must have"), a forecast of a thing ("should"), a denial: (sentence, lemma of the
# act, its modality; no event by the speaker)
NOT_DEMANDS = [
    ("Italy said it must strengthen its naval patrols.", "strengthen", "intended"),
    ("Peru said the army had to retreat from the town.", "retreat", "asserted"),
]


@pytest.mark.parametrize("text, lemma, modality", NOT_DEMANDS, ids=[r[0][:40] for r in NOT_DEMANDS])
def test_own_or_past_duty_is_no_demand(extract, text, lemma, modality):
    events = extract(text)
    assert [e.modality for e in events if e.action.lemma == lemma] == [modality]
    assert all(e.event_type is None or e.event_type.root not in ("02", "10") for e in events)


@pytest.mark.parametrize("text", [
    "Officials said the rebels must have planned the ambush for weeks.",
    "Brazil said the talks should resume next week.",
    "Chile denied that Argentina must pay the debt.",
])
def test_guess_forecast_or_denial_is_no_demand(extract, text):
    assert all(e.event_type is None or e.event_type.root not in ("02", "10") for e in extract(text))


# A statement that lays a hostile act on another side is its accusation (112) of that side;
# the reported act stays an event with the speaker as its attribution: (sentence, speaker,
# accused, the reported act's lemma or None when the clause only lays blame)
ACCUSATIONS = [
    ("Armenia said Azerbaijani troops shelled a border village.", "ARM", "AZE", "shell"),
    ("Hezbollah claimed Israeli drones bombed a market in Tyre.", "Hezbollah", "ISR", "bomb"),
    ("Kenya claimed Somalia was behind the bombing of the bus station.", "KEN", "SOM", None),
    ("Georgia said Russia was responsible for the attack on the pipeline.", "GEO", "RUS", None),
]


@pytest.mark.parametrize("text, speaker, accused, act", ACCUSATIONS, ids=[r[0][:40] for r in ACCUSATIONS])
def test_hostile_act_in_speech_is_an_accusation(extract, text, speaker, accused, act):
    events = extract(text)
    accusation = [e for e in events if e.event_type is not None and e.event_type.code == "112"]
    assert len(accusation) == 1 and speaker in (accusation[0].actor.label, accusation[0].actor.country)
    assert names(accusation[0].target, accused)
    if act is not None:
        reported = [e for e in events if e.action.lemma == act]
        assert len(reported) == 1 and reported[0].attribution is not None
        assert speaker in (reported[0].attribution.label, reported[0].attribution.country)


@pytest.mark.parametrize("text", [
    "The Turkish defence ministry said Turkish jets struck militant positions.",
    "Police said gunmen killed four farmers.",
    "Militants raided a convoy near the border, the group said.",
    "Israel said Hamas will attack again.",
])
def test_own_side_reporter_or_forecast_is_no_accusation(extract, text):
    assert all(e.event_type is None or e.event_type.code != "112" for e in extract(text))
