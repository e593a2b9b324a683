"""Attacks and weapons standing as subjects ("an airstrike killed …", "a car bomb
exploded"): which noun phrases are instruments, and the actor behind one."""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..model import UNIDENTIFIED_AGENT, Entity, EntityType, organization_key, thing_key
from .actors import ATTACK_ROOTS, entity_from_entry, head_noun_key, head_noun_phrase, normalize_actor, object_class
from .aliases import alias_in
from .parties import noun_event
from .tokens import arg_span, entities_in, pobj

#: Nouns of an attack that stand as its instrument ("an explosion killed …").
INSTRUMENT_NOUNS = frozenset({"explosion", "blast", "gunfire", "shellfire", "barrage",
                              "firing", "detonation", "attack"})
#: Modifiers that make "fire" weapon fire ("sniper fire", "heavy fire"); a bare "fire" is a
#: blaze ("a fire in Dhaka killed 19"), no attack.
FIRE_MODIFIERS = frozenset({"gun", "sniper", "machine", "heavy", "hostile", "enemy", "cross",
                            "live", "friendly", "return"})


def is_instrument(tok: Token) -> bool:
    """An attack or a weapon standing as a subject ("a car bomb", "air strikes")."""
    entry = noun_event(tok)
    if tok.lemma_.lower() == "fire":
        return any(c.dep_ in ("compound", "amod") and (c.lemma_.lower() in FIRE_MODIFIERS
                                                       or object_class(c) == "weapon")
                   for c in tok.children)
    return (object_class(tok) == "weapon" or tok.lemma_.lower() in INSTRUMENT_NOUNS
            or (entry is not None and entry.code[:2] in ATTACK_ROOTS))


def _instrument_agent(root: Token) -> Token | None:
    """The agent of an attack or weapon: "a bombing by X", "missiles fired by X"."""
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            return pobj(child)
        if child.dep_ == "acl" and child.tag_ == "VBN":
            for agent in child.children:
                if agent.dep_ == "agent":
                    return pobj(agent)
    return None


def instrument_actor(span: Span, date: str | None = None) -> tuple[Entity, Entity] | None:
    """(actor, instrument) for a subject that is an attack or a weapon, or None.

    The actor is the 'by'-agent ("a car bombing by the Islamic State group"), else the
    affiliation among the modifiers ("Syrian regime air strikes", "a Taliban-claimed car
    bomb"), else an unidentified attacker (the attack is real, its author unknown).
    """
    root = span.root
    if not is_instrument(root):
        return None
    instrument = Entity(text=span.text, label=head_noun_phrase(span),
                        type=EntityType.WEAPON if object_class(root) == "weapon" else EntityType.THING,
                        key=thing_key(head_noun_key(span)), start=span.start_char, end=span.end_char)
    agent = _instrument_agent(root)
    if agent is not None:
        actor = normalize_actor(arg_span(agent), date)
        if actor is not None:
            return actor, instrument
    found = alias_in(span.doc[span.start: root.i], date) if root.i > span.start else None
    if found is not None:
        entry = found[0]
        actor = entity_from_entry(entry, span, "MIL" if entry.type == EntityType.COUNTRY else None, found[1])
        return actor, instrument
    named = [e for e in entities_in(span) if e.label_ in ("ORG", "NORP") and e.end <= root.i]
    if named:
        label = named[-1].text.removeprefix("the ")
        return Entity(text=span.text, label=label, type=EntityType.ORGANIZATION, key=organization_key(label),
                      start=span.start_char, end=span.end_char), instrument
    return Entity(text=span.text, label="unidentified attacker", type=EntityType.GROUP, role="UAF",
                  key=UNIDENTIFIED_AGENT, start=span.start_char, end=span.end_char), instrument
