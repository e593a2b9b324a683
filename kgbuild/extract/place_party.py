"""The place as the other party of an event whose target is naturally a place.

Event coders code the place of an attack, a visit, a deployment or a sanction as its
target actor: "the Israeli army shelled Gaza" is Israel → Palestine, "Iran's foreign
minister visited Moscow" Iran → Russia. kgbuild keeps such a place as the event's
`location` and, after geocoding (the place's country must be known), also puts it in the
`recipient` slot when the event has no other party: the recipient is then the very
entity of the location, which is how a reader (and the event table's `actor2_slot`,
`place`) tells a party that came from a place from a party named as one. The explanation
says `recipient=place <label>`.

Which events: CAMEO roots 18-20 (assault, fight, mass violence: shelling, air strikes,
blockades, invasions, occupation) and the codes of `PLACE_PARTY_CODES` (a visit, a
deployment, sanctions). A visit, deployment or sanction in the actor's own country is no
dyad ("Russia deployed missiles in Kaliningrad"), nor one by a party of no known country
("116 people arrived in X"); an attack there is, when it hits the place or a site in it
(the army shelling a town of its own country acts on that town). The place is where, not
whom, when the target is the attack itself ("Coalition forces conducted strikes in Iraq":
they support Iraq's government) or a thing whose words name its owner ("strikes against
ISIL targets in Iraq", "engaged ISIL tactical units near Mosul"): no place party.
"""
from __future__ import annotations

from dataclasses import replace

from ..model import ACTOR_TYPES, Entity, EntityType, Event
from .aliases import lookup

#: CAMEO roots whose events act on a place: assault, fight, unconventional mass violence.
PLACE_PARTY_ROOTS = frozenset({"18", "19", "20"})
#: CAMEO codes whose events go to a place: make a visit, mobilize or increase armed forces
#: (a deployment), impose embargo, boycott or sanctions.
PLACE_PARTY_CODES = frozenset({"042", "154", "163"})
#: Codes whose target is what the actor moves, never the other party ("sent troops to X").
MOVED_TARGET_CODES = frozenset({"154"})
#: Actor types that are no organ of a state: their attacks at home are on the state's ground.
NON_STATE_TYPES = frozenset({EntityType.GROUP})


def _place_directed(event: Event) -> bool:
    etype = event.event_type
    return etype is not None and (etype.root in PLACE_PARTY_ROOTS or etype.code in PLACE_PARTY_CODES)


def _has_party(event: Event) -> bool:
    """The event already names its other party: a recipient, or a target that is an actor
    (not the place itself, "shelled Homs", and not the forces a deployment moves)."""
    target, place = event.target, event.location
    assert event.event_type is not None and place is not None  # place_party checked both
    if event.recipient is not None:
        return True
    if target is None or target.type not in ACTOR_TYPES or event.event_type.code in MOVED_TARGET_CODES:
        return False
    return not _is_place(target, place) or target.type == EntityType.COUNTRY  # "attacked Russia": a party


def _across(event: Event, place: Entity) -> bool:
    """The place is another party than the actor: a visit, deployment or sanction by a
    known state or body to another country; an attack anywhere, but by a state's own
    organs at home only on the place itself or a site in it ("the army shelled Homs",
    "troops attacked a base near the capital"), not a fight against an abstract target or
    in a place the clause only inherits ("combat terrorism" at a meeting in the capital)."""
    actor = event.actor
    home = actor is not None and actor.country == place.country
    assert event.event_type is not None  # place_party checked it
    if event.event_type.root not in PLACE_PARTY_ROOTS:
        return actor is not None and bool(actor.country or actor.cameo_org) and not home
    target = event.target
    if target is not None and (_owned(target) or _is_attack(target)):
        return False  # "strikes against ISIL targets in Iraq", "conducted strikes in Iraq"
    if not home or actor.type in NON_STATE_TYPES:
        return True  # insurgents, militias: their attacks at home are on the state's ground
    return target is not None


#: Nouns of the attack itself: "conducted strikes in Iraq" says where, not whom it hit.
ATTACK_NOUNS = frozenset({"strike", "airstrike", "attack", "raid", "operation", "bombardment",
                          "offensive", "assault", "bombing", "shelling", "sortie", "mission"})


def _is_attack(target: Entity) -> bool:
    words = target.label.casefold().split()
    return bool(words) and words[-1].removesuffix("s") in ATTACK_NOUNS


def _owned(target: Entity) -> bool:
    """A thing acted on whose words name its owner ("ISIL targets", "Taliban positions",
    "ISIL tactical units"): that owner, not the place, is the other party."""
    words = target.text.split()
    return target.type not in ACTOR_TYPES and any(
        lookup(" ".join(words[i:j])) is not None
        for i in range(len(words) - 1) for j in range(i + 1, min(len(words), i + 4)))


def _is_place(entity: Entity, place: Entity) -> bool:
    """The entity is the place's own words (the target "Homs" of "shelled Homs")."""
    return entity.start is not None and (entity.start, entity.end) == (place.start, place.end)


def place_party(event: Event) -> Event:
    """The event with its location as recipient when the convention of this module
    applies (see the module docstring), else the event unchanged."""
    place = event.location
    if place is None or not place.country or not _place_directed(event) or _has_party(event):
        return event
    if not _across(event, place):
        return event
    return replace(event, recipient=place,
                   explanation=f"{event.explanation}; recipient=place {place.label}")


def place_parties(events: list[Event]) -> list[Event]:
    """`place_party` of each event (after geocoding, so that places have their country)."""
    return [place_party(event) for event in events]
