"""Which tokens fill the target, recipient, location and time slots of a clause: direct
objects, datives, prepositional parties and places (on the verb, its object or an event
noun), with motion and giving verbs telling a place from a recipient."""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .actors import object_class, quantity_of
from .parties import (GIVING_VERBS, OBJECT_PARTY_PREPS, WITHDRAWAL_VERBS, clausal_party,
                      demand_addressee, is_party, is_role_noun, noun_event, noun_party,
                      object_agent, object_modifier_preps, reattached_party)
from .tokens import (COPULA_COMPLEMENTS, OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, agent_of, children_of,
                     entities_in, is_passive, is_predicate, pobj)

if TYPE_CHECKING:
    from .clauses import Clause

#: Prepositions that point an action at a party ("sanctions against Iran").
RECIPIENT_PREPS = frozenset({"to", "with", "against", "on", "at", "toward", "towards", "upon",
                             "into", "onto"})
LOCATION_PREPS = frozenset({"in", "at", "near", "inside", "across", "along", "within", "around",
                            "outside", "off", "over", "throughout", "from", "on", "to", "into",
                            "towards", "toward", "via", "through", "beyond", "behind"})
#: Prepositions on an object that give the event's place ("missiles in Kaliningrad").
OBJECT_LOCATION_PREPS = frozenset({"in", "at", "near", "inside", "along", "within", "outside"})
PLACE_NOUNS = frozenset({"border", "region", "city", "town", "village", "area", "province",
                         "coast", "sea", "exclave", "capital", "territory", "frontier",
                         "district", "island", "peninsula", "zone", "front", "port", "strait",
                         "waters", "airspace", "country", "state", "camp", "base"})
MOTION_VERBS = frozenset({"send", "move", "deploy", "station", "dispatch", "transfer", "deliver",
                          "ship", "fly", "sail", "travel", "return", "go", "come", "arrive",
                          "relocate", "redeploy", "bring", "withdraw", "pull", "head", "march",
                          "advance", "position", "fire", "launch"})
#: Object classes of things given rather than moved: "to" + a state is their recipient.
GIVEN_CLASSES = frozenset({"aid", "money", "weapon"})
#: Object classes that are moved, not handed over: "to" + a state is where they go.
MOVED_CLASSES = frozenset({"force", "peacekeeper", "diplomat"})


def is_place(tok: Token) -> bool:
    """A noun phrase that names or describes a place: a place entity or place noun as head,
    or a head linked by "of" to one ("the heart of East Mosul"); a place word used as a
    modifier ("the US missile shield") does not count."""
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return True
    if tok.lemma_.lower() in PLACE_NOUNS:
        return True
    if is_role_noun(tok):  # "the government of Peru" is a party, not a place
        return False
    for prep in children_of(tok, frozenset({"prep"})):
        if prep.lower_ == "of":
            obj = pobj(prep)
            if obj is not None and obj.ent_type_ in ("GPE", "LOC", "FAC"):
                return True
    return False


def find_place(tok: Token, depth: int = 2) -> Token | None:
    """`tok` if it is a place, else the first place down its prepositional chain
    ("the margins of the UNGA meeting in New York" -> New York's phrase)."""
    if is_place(tok):
        return tok
    if depth == 0:
        return None
    for prep in children_of(tok, frozenset({"prep"})):
        if prep.lower_ in LOCATION_PREPS | {"of"}:
            obj = pobj(prep)
            found = find_place(obj, depth - 1) if obj is not None else None
            if found is not None:
                return found
    return None


def _object_preps(obj: Token) -> list[Token]:
    """Prepositions on an object that may carry the event's place or a party: PP attachment
    is ambiguous ("deploy missiles in Kaliningrad", "sanctions against Iran", "aid to
    refugees"), and so are participles on the object ("a ban imposed on X")."""
    inner = quantity_of(obj)  # "returned dozens of artifacts | to Peru"
    return [p for p in children_of(obj, frozenset({"prep"}))
            if p.lower_ in OBJECT_LOCATION_PREPS | OBJECT_PARTY_PREPS] + object_modifier_preps(obj) + (
        _object_preps(inner) if inner is not None else [])


def is_actorish(tok: Token) -> bool:
    """A noun phrase that probably names an actor (a person, organization or country)."""
    return tok.ent_type_ in ("PERSON", "ORG", "NORP") or (
        tok.ent_type_ == "GPE" and tok.pos_ == "PROPN") or tok.pos_ == "PRON"


def _time_spans(verb: Token) -> list[Span]:
    out = []
    for ent in entities_in(verb.sent):
        if ent.label_ not in ("DATE", "TIME"):
            continue
        tok = ent.root
        while tok.head != tok and tok != verb and not (is_predicate(tok) and tok != ent.root):
            tok = tok.head
        if tok == verb:
            out.append(ent)
    return out


def slots(verb: Token, clause: Clause, skip: Token | None = None) -> None:
    """Fill target, recipient, location and times of `clause` from `verb`'s dependents
    (`skip`: a token already used as the actor)."""
    passive = is_passive(verb)
    objs = children_of(verb, PASSIVE_SUBJECT_DEPS) if passive else children_of(verb, OBJECT_DEPS)
    objs = [o for o in objs if skip is None or o.i != skip.i]
    if not objs and verb.lemma_ == "be":
        objs = children_of(verb, COPULA_COMPLEMENTS)
    if objs:
        clause.target = objs[0]
    datives = children_of(verb, frozenset({"dative"}))
    if datives and datives[0].pos_ != "ADP":  # "gave Ukraine weapons"
        if clause.target is None:
            clause.target = datives[0]
        else:
            clause.recipient = datives[0]
    motion = verb.lemma_ in MOTION_VERBS
    if clause.target is not None and clause.recipient is None:
        # "welcomed the visit by X", "rejected an appeal lodged by X": the nominal's agent
        # is the other party; else the noun's own party ("launched an assault on the town").
        found = noun_party(clause.target)
        clause.recipient = object_agent(clause.target) or (
            found[1] if found is not None else reattached_party(verb, clause.target))
    # Material sent to a state is given to it ("send aid to Kyrgyzstan"), troops go there.
    obj_class = object_class(clause.target) if clause.target is not None else None
    given = clause.target is not None and (obj_class in GIVEN_CLASSES or (
        verb.lemma_ in GIVING_VERBS and obj_class not in MOVED_CLASSES))
    preps = [c for c in verb.children if c.dep_ == "prep" or (c.dep_ == "dative" and c.pos_ == "ADP")]
    for adv in children_of(verb, frozenset({"advmod", "npadvmod"})):
        preps += children_of(adv, frozenset({"prep"}))  # "closer to Europe"
    agent = agent_of(verb) if passive else None
    if agent is not None:
        preps += [p for p in children_of(agent, frozenset({"prep"})) if p.lower_ in OBJECT_LOCATION_PREPS]
    if clause.target is not None:
        preps += _object_preps(clause.target)
    for prep in preps:
        obj = pobj(prep)
        if obj is None or obj.ent_type_ in ("DATE", "TIME") or obj == clause.recipient:
            continue
        word = prep.lower_
        if word == "from" and verb.lemma_ in WITHDRAWAL_VERBS and clause.recipient is None \
                and (is_place(obj) or is_party(obj)):
            clause.recipient = obj  # "withdrew its troops from Syria": the party yielded to
        # A named state reached through a directional preposition is a party, not a place
        # ("sanctions on Iran", "hand over the islands to Britain"), except after motion
        # verbs ("send troops to Syria").
        country_like = obj.ent_type_ == "GPE" and (
            word in ("against", "on", "with", "upon", "for") or (word == "to" and (not motion or given)))
        locative = word in LOCATION_PREPS and not country_like
        direct = locative and is_place(obj)
        if not direct and motion and not given and word in ("to", "into", "towards", "toward") \
                and obj.pos_ == "PROPN" and obj.ent_type_ not in ("PERSON", "ORG", "NORP"):
            direct = True  # "sends missiles to Kaliningrad", whatever NER calls Kaliningrad
        if direct:
            if clause.location is None:
                clause.location = obj
            continue
        nested = find_place(obj) if locative else None
        if nested is not None and clause.location is None:
            clause.location = nested  # "speaking to a meeting in Istanbul"
        on_verb = prep.head == verb or prep.head.head == verb and prep.head.dep_ in ("advmod", "npadvmod")
        # Without a direct object a verb's PP is its target unless it names an actor
        # ("spoke to a meeting"); beside an object, any party is the recipient.
        party = is_party(obj) if clause.target is not None else is_actorish(obj)
        party = party or (word == "to" and clause.target is not None and verb.lemma_ in GIVING_VERBS)
        party_prep = word in RECIPIENT_PREPS if on_verb else word in OBJECT_PARTY_PREPS
        if party_prep and clause.recipient is None and party:
            clause.recipient = obj  # "talked with X", "aid to refugees", "a visit by X"
        elif word in RECIPIENT_PREPS | {"as", "from", "for", "about", "over", "of"} \
                and clause.target is None and prep.head == verb:
            clause.target = obj  # "reacted to the expansion", "ranged from 8 %"
            clause.target_prep = prep
            preps += _object_preps(obj)
            found = noun_party(obj) if clause.recipient is None else None
            if found is not None:  # "called for an offensive against X"
                clause.recipient = found[1]
    if clause.recipient is None:  # "mobilized troops for a ground assault against X"
        clause.recipient = next((found[1] for prep in preps if prep.lower_ in ("for", "in", "during")
                                 for obj in [pobj(prep)] if obj is not None and noun_event(obj)
                                 for found in [noun_party(obj)] if found is not None), None)
    if clause.target is None:
        clause.target = clausal_party(verb)  # "hoped the government would change course"
    elif clause.recipient is None:
        clause.recipient = clausal_party(verb, clause.target)  # "expressed hope that X …"
    addressee = demand_addressee(verb) if clause.recipient is None else None
    if addressee is not None:  # "demanded that Pyongyang halt its tests"
        clause.recipient = addressee
        if clause.target is None:
            clause.target = addressee
    clause.times = _time_spans(verb)
