"""Which objects of a clause make its events: conjoined objects are one event each only when
they are parties or things ("attacked the court and a ministry"), and a noun of saying or
feeling hands its topic to the verb ("expressed concern about the escalation")."""
from __future__ import annotations

from spacy.tokens import Token

from .actors import object_class
from .parties import is_party, noun_event, object_agent
from .tokens import conjuncts


def is_verbal_noun(noun: Token) -> bool:
    """An event noun of saying or feeling (CAMEO roots 01-13: concern, optimism, criticism,
    appeal), whose topic is what its verb is aimed at ("expressed concern about the
    escalation"); a material event noun is itself acted on ("postponed a protest over the
    delays": the protest is postponed, not the delays)."""
    entry = noun_event(noun)
    return entry is not None and entry.code[:2] <= "13"


def split_targets(target: Token | None) -> list[Token | None]:
    """One event per conjoined object when the objects are parties or things ("attacked the
    court and a ministry", "destroyed a tank and a mortar"); abstract objects of one act are
    one event ("ready to contribute to the normalization … and the creation of …", "froze
    their assets and property"): the first holds it."""
    if target is None:
        return [None]
    found = conjuncts(target)
    if any(is_party(t) or object_agent(t) is not None for t in found) or all(
            object_class(t) is not None or t.ent_type_ or t.pos_ == "PROPN" for t in found):
        return list(found)  # (a party among them: "condemned the act and the threats made by X")
    return [target]
