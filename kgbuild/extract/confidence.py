"""How likely an event is right: a probability, not a score.

`confidence` is a logistic model over what the event record itself shows about how the
event was found (which clause rule gave the actor, whether the actor is a pronoun or an
unresolved role noun, which parties were filled, the modality, how many other events the
same sentence gave). The weights live in `data/confidence.tsv` and are fitted by
`scripts/fit_confidence.py` on hand-judged events, where "right" means actor, action and
parties right, the modality right and no second event for the same report. The README's
calibration table says how well the probability matches the judged share.

Features come from the `Event` alone (plus its sentence's other events), so a user can
recompute them from `extract` output, and the fit sees exactly what the extractor sees.
"""
from __future__ import annotations

import functools
import math
from dataclasses import replace
from importlib import resources

from ..model import NON_PARTIES, EntityType, Event
from .coref import PRONOUNS

#: Clause rules named in `Event.explanation` ("rule=passive-agent; ..."); others count as
#: `rule_other`. "active-subject" is the reference level (no feature).
RULES = ("passive-agent", "inherited-subject", "noun-modifier", "noun-event")
#: Every feature the model reads, in the order of `data/confidence.tsv`.
FEATURES = ("bias",) + tuple(f"rule_{r}" for r in RULES) + (
    "rule_other", "actor_pronoun", "actor_unresolved", "actor_person", "untyped", "statement",
    "no_party", "thing_target_only", "party_recipient", "not_asserted", "content",
    "same_actor_events", "same_verb_events", "sentence_events", "long_sentence")


def rule_of(event: Event) -> str:
    """The clause rule that found the event, read from its explanation."""
    head = event.explanation.split(";", 1)[0].strip()
    return head[len("rule="):] if head.startswith("rule=") else ""


def features(event: Event, sentence_events: list[Event]) -> dict[str, float]:
    """The model's inputs for one event; `sentence_events` are all events of its sentence
    (the event itself included)."""
    rule, actor = rule_of(event), event.actor
    others = [e for e in sentence_events if e is not event]
    parties = [p for p in (event.target, event.recipient) if p is not None]
    out = dict.fromkeys(FEATURES, 0.0)
    out["bias"] = 1.0
    if rule in RULES:
        out[f"rule_{rule}"] = 1.0
    elif rule != "active-subject":
        out["rule_other"] = 1.0
    out["actor_pronoun"] = float(actor.text.casefold() in PRONOUNS)
    out["actor_unresolved"] = float(not (actor.country or actor.cameo_org or actor.wikidata
                                         or actor.type == EntityType.INTERNATIONAL_ORGANIZATION))
    out["actor_person"] = float(actor.type == EntityType.PERSON)
    out["untyped"] = float(event.event_type is None)
    out["statement"] = float(event.event_type is not None and event.event_type.root == "01")
    out["no_party"] = float(not parties)
    out["thing_target_only"] = float(event.recipient is None and event.target is not None
                                     and event.target.type in NON_PARTIES)
    out["party_recipient"] = float(event.recipient is not None and event.recipient.type not in NON_PARTIES)
    out["not_asserted"] = float(event.modality != "asserted")
    out["content"] = float(event.content is not None)
    out["same_actor_events"] = float(min(2, sum(e.actor.key == actor.key for e in others)))
    out["same_verb_events"] = float(min(2, sum(e.action.start == event.action.start for e in others)))
    out["sentence_events"] = math.log1p(len(others))
    out["long_sentence"] = float(len(event.sentence.text) > 200)
    return out


@functools.cache
def weights() -> dict[str, float]:
    """The fitted weights of `data/confidence.tsv` (a missing feature weighs 0)."""
    table = resources.files("kgbuild.extract").joinpath("data", "confidence.tsv")
    out = dict.fromkeys(FEATURES, 0.0)
    with table.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            name, value = line.rstrip("\n").split("\t")[:2]
            if name in out:
                out[name] = float(value)
    return out


def probability(feats: dict[str, float], w: dict[str, float] | None = None) -> float:
    """The logistic model's probability for one event's features."""
    w = weights() if w is None else w
    z = sum(w.get(name, 0.0) * value for name, value in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def scored(events: list[Event]) -> list[Event]:
    """The events of one sentence, each with its fitted confidence (two decimals)."""
    return [replace(e, confidence=round(probability(features(e, events)), 2)) for e in events]


def rescored(events: list[Event]) -> list[Event]:
    """`scored` sentence by sentence, for the events of a whole document (after a later step
    such as `place_party` changed them), in their order."""
    by_sentence: dict[tuple, list[Event]] = {}
    for e in events:
        by_sentence.setdefault((e.doc, e.sentence.start), []).append(e)
    fresh = {id(old): new for group in by_sentence.values() for old, new in zip(group, scored(group))}
    return [fresh[id(e)] for e in events]
