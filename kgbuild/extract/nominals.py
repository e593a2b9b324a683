"""Events said with nouns: "Turkey's offensive against the YPG", "UN sanctions on Iran",
"the visit by the Sudanese minister to Bulgaria", "the ceasefire agreement between Armenia
and Azerbaijan".

A noun of the noun-event table (`data/noun_events.tsv`) becomes a clause of its own when
its agent and its other party are in the text. The agent, in order:
1. the noun phrase: a named possessor, a named compound or nationality adjective, a
   'by'-phrase, or an "of"-party when "of" is not one of the noun's own prepositions ("the
   visit of the minister to Kabul");
2. the clause, when its subject is said to do the noun's event (`CLAUSE_AGENT_RULES`):
   "X claimed responsibility for / is responsible for / is guilty of the attack on Y", "X is
   at war with Y", "X took part in / was involved in the raid on Y", "X killed twelve
   people in an attack on Y".
The other party comes from the noun's prepositions; failing that, an event whose target is
naturally a place (an attack, a visit, sanctions) takes the noun's place phrase as its
location ("air strikes in Raqqa by coalition aircraft"), which `place_party` makes the
other party. Reciprocal nouns with "between A and B" give the pair both ways, and so do
conjoined subjects of a reciprocal state ("A and B are at war").

An event noun that is the object of its clause's verb ("launched an attack on X") is that
clause's event, not a second one, unless the noun phrase names its own agent.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Span, Token

from .clauses import Clause, speaker_of
from .subjects import subject_of
from .coding import classify
from .modality import modality_of
from .parties import GENERIC_EVENT_HEADS, is_party, noun_event, noun_party
from .place_party import PLACE_PARTY_CODES, PLACE_PARTY_ROOTS
from .locations import OBJECT_LOCATION_PREPS, find_place, specific_place
from .tokens import (OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, children_of, conjuncts,
                     is_passive, pobj)
from .word_classes import (COPULA_VERBS, DISOWNING_VERBS, PART_TAKING_VERBS, RESPONSIBILITY_WORDS,
                           SPOKESPERSONS)

#: Entity labels that make a modifier of an event noun its agent ("UN sanctions").
AGENT_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})
#: CAMEO roots of violence (assault, fight, mass violence) and of events at a place.
VIOLENCE_ROOTS = PLACE_PARTY_ROOTS
#: Nouns of a standing relation: an event only when a verb acts on them ("established ties
#: with X"), not alone ("amid strained relations between X and Y", "the partnership between").
STANDING_NOUNS = frozenset({"relation", "tie", "partnership", "alliance", "friendship"})
#: Prepositions by which a copula makes an event noun its subject's state ("is at war
#: with X", "are in talks with X", "was behind the bombing of X").
STATE_PREPS = frozenset({"at", "in", "behind"})


def nominal_agent(noun: Token) -> Token | None:
    """The agent of an event noun named in its own phrase: a named possessor, compound or
    adjective, a 'by'-phrase, or a party in an "of" that is not the noun's own preposition
    ("the visit of the minister to Kabul"; a pronoun possessor, "their attacks", is left to
    the clause that governs the noun)."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod") and child.ent_type_ in AGENT_ENTS \
                and child.i < noun.i:
            return child
    entry = noun_event(noun)
    owned = any(c.dep_ == "poss" for c in noun.children)  # "its withdrawal of troops": its
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            return pobj(child)
        if child.dep_ == "prep" and child.lower_ == "of" and entry is not None and "of" not in entry.preps \
                and not owned:
            obj = pobj(child)
            if obj is not None and obj.pos_ != "PRON" and is_party(obj):
                return obj
    return None


def _first_conjunct(noun: Token) -> Token:
    """The first of conjoined nouns, which holds their attachment ("killings and rapes")."""
    while noun.dep_ == "conj" and noun.head != noun:
        noun = noun.head
    return noun


def _responsibility(noun: Token) -> Token | None:
    """"X claimed responsibility for N", "X is responsible for N", "X is guilty of N": the
    verb or copula whose subject did N (not "denied responsibility for N")."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in ("for", "of"):
        return None
    word = prep.head
    if word.lemma_.lower() not in RESPONSIBILITY_WORDS:
        return None
    if word.pos_ == "NOUN" and word.dep_ in ("dobj", "obj") and word.head.lemma_ not in DISOWNING_VERBS:
        return word.head
    if word.dep_ == "acomp" and word.head.lemma_ in COPULA_VERBS:
        return word.head
    return None


def _copular_state(noun: Token) -> Token | None:
    """"X is at war with Y", "X and Y are in talks", "X was behind the bombing of Y": the
    copula whose subject is in that state."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in STATE_PREPS or prep.dep_ != "prep":
        return None
    copula = prep.head
    if copula.lemma_ not in COPULA_VERBS or children_of(copula, frozenset({"attr", "acomp"})):
        return None
    return copula


def _taking_part(noun: Token) -> Token | None:
    """"X took part in / was involved in the raid on Y", and "X killed
    twelve people in an attack on Y": the verb whose subject did the event."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "in":
        return None
    verb = prep.head
    if verb.lemma_ == "part" and verb.head.lemma_ == "take":
        return verb.head
    if verb.lemma_ == "take" and any(o.lemma_ == "part" for o in children_of(verb, frozenset({"dobj"}))):
        return verb
    if verb.lemma_ in PART_TAKING_VERBS or verb.lower_ in PART_TAKING_VERBS:
        return verb
    if verb.pos_ != "VERB" or is_passive(verb) or not _violent(verb):
        return None  # "detained suspects in the attack": in connection with it
    if any(noun_event(o) is not None for o in children_of(verb, OBJECT_DEPS)):
        return None  # "carried out a raid …, in the second such strike": the same event
    if noun_party(noun, depth=0) is None:
        return None  # "killed 48 people in two attacks in X": the killing told again, no party of its own
    return verb


def _violent(verb: Token) -> bool:
    """A verb of violence (CAMEO 18-20: "killed", "wounded", "destroyed")."""
    etype = classify(verb.lemma_.lower(), None, None)
    return etype is not None and etype.root in VIOLENCE_ROOTS


#: How a clause gives an event noun its agent, in order: (name, the verb or copula whose
#: subject did the noun's event, or None).
CLAUSE_AGENT_RULES: tuple[tuple[str, Callable[[Token], Token | None]], ...] = (
    ("responsibility", _responsibility),
    ("copular-state", _copular_state),
    ("taking-part", _taking_part),
)


def _hearsay(verb: Token) -> bool:
    """The clause is the content of a noun or of a disowning verb ("accusations that X was
    behind the attack", "denied that it was behind the attack"): not asserted."""
    tok = verb
    while tok.dep_ in ("ccomp", "acl", "conj", "xcomp", "advcl") and tok.head != tok:
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN") or tok.head.lemma_ in DISOWNING_VERBS:
            return True
        tok = tok.head
    return False


def _principal(agent: Token) -> Token:
    """The party a spokesperson speaks for ("a spokesman for the Taliban"), else the agent."""
    if agent.lemma_.lower() in SPOKESPERSONS:
        for prep in children_of(agent, frozenset({"prep"})):
            obj = pobj(prep)
            if prep.lower_ in ("for", "of") and obj is not None and is_party(obj):
                return obj
    return agent


def clause_agent(noun: Token) -> tuple[str, Token, Token] | None:
    """(rule name, governing verb, agent) when the clause says who did the noun's event."""
    anchor = _first_conjunct(noun)
    for name, rule in CLAUSE_AGENT_RULES:
        verb = rule(anchor)
        if verb is None or _hearsay(verb):
            continue
        if is_passive(verb):  # "were involved in the raid": the participle's own subject
            subjects = children_of(verb, PASSIVE_SUBJECT_DEPS) if verb.lower_ in PART_TAKING_VERBS else []
            agent = subjects[0] if subjects else None
        else:
            agent = subject_of(verb, [])
        if agent is not None:
            return name, verb, _principal(agent)
    return None


def noun_place(noun: Token) -> Token | None:
    """The place an event noun's in/near/at phrase names ("air strikes in Raqqa")."""
    for prep in children_of(noun, frozenset({"prep"})):
        obj = pobj(prep)
        if prep.lower_ in OBJECT_LOCATION_PREPS and obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
            found = find_place(obj)
            if found is not None:
                return specific_place(found)
    return None


def _party_of_agent(noun: Token, agent: Token | None) -> tuple[Token, Token] | None:
    """The noun's party that the parser hung on its "of"-agent ("the visit of the minister |
    to Kabul")."""
    entry = noun_event(noun)
    if agent is None or entry is None or agent.head.head != noun or agent.head.lower_ != "of":
        return None
    for prep in children_of(agent, frozenset({"prep"})):
        obj = pobj(prep)
        if prep.lower_ in entry.preps and obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
            return prep, obj
    return None


def _scare_quoted(noun: Token) -> bool:
    """A noun in quotation marks of its own ('Assad's "war" on ISIL') is not taken literally."""
    doc = noun.doc
    return (0 < noun.i < len(doc) - 1 and doc[noun.i - 1].text in QUOTES
            and doc[noun.i + 1].text in QUOTES)


def _governing_verb(noun: Token) -> Token:
    tok = noun
    while tok.head != tok and tok.pos_ not in ("VERB", "AUX"):
        tok = tok.head
    return tok


def _place_event(noun: Token, code: str, place: Token | None) -> bool:
    """An event noun with a place and no party that is an event of its own at that place:
    its target is naturally a place (`place_party`), it is no plan or effort ("a deployment
    plan in X"), and no instrument subject of its clause ("airstrikes in the area killed
    dozens" is the killing)."""
    if place is None or not (code[:2] in PLACE_PARTY_ROOTS or code in PLACE_PARTY_CODES):
        return False
    if noun.lemma_.lower() in GENERIC_EVENT_HEADS:
        return False
    return not (noun.dep_ in SUBJECT_DEPS and _violent(noun.head))


def nominal_clauses(sent: Span) -> list[Clause]:
    """One clause per event noun whose agent and other party (or place) are given."""
    out: list[Clause] = []
    for noun in sent:
        if noun.pos_ not in ("NOUN", "PROPN", "VERB"):
            continue
        entry = noun_event(noun)
        if entry is None or _scare_quoted(noun) or any(c.lower_ == "such" for c in noun.children):
            continue  # "the second such strike" restates an event already told
        agent, how, gov = nominal_agent(noun), "", _governing_verb(noun)
        found = noun_party(noun, depth=0) or _party_of_agent(noun, agent)
        place = noun_place(noun)
        if found is None and not _place_event(noun, entry.code, place):
            continue
        prep, party = found if found is not None else (None, None)
        if agent is None and (given := clause_agent(noun)) is not None:
            how, gov, agent = given
        if agent is None and noun.dep_ in ("dobj", "obj"):
            continue  # "launched an attack on X": the verb's clause already has the party
        between = entry.reciprocal and prep is not None and prep.lower_ == "between"
        if agent is None and (not between or noun.lemma_.lower() in STANDING_NOUNS):
            continue  # "amid strained relations between X and Y": a state, not an event
        modality, negated = modality_of(gov) if how else ("asserted", False)
        path = f"{noun.dep_}:{noun.lemma_}<-{prep.lower_ if prep is not None else 'place'}" + (
            f"/{how}:{gov.lemma_}" if how else "")
        base: dict[str, Any] = dict(verb=noun, target=None, modality=modality, negated=negated,
                                    speaker=speaker_of(gov), rule="noun-event", path=path, location=place)
        agents = [] if agent is None else conjuncts(agent) if how else [agent]
        if agents and party is not None and all(a.i != party.i for a in agents):
            out.extend(Clause(actor=a, recipient=obj, **base) for a in agents for obj in conjuncts(party))
            if how and entry.reciprocal and prep is not None and prep.lower_ == "with":  # "A is at war with B": B too
                out.extend(Clause(actor=obj, recipient=a, **base) for a in agents
                           for obj in conjuncts(party) if a.pos_ != "PRON")
        elif between:
            assert party is not None  # "between" is a preposition noun_party found with its object
            sides = conjuncts(party)  # "the agreement between Armenia and Azerbaijan"
            out.extend(Clause(actor=a, recipient=b, **base) for a in sides for b in sides if a != b)
        elif party is None and entry.reciprocal and len(agents) > 1:
            out.extend(Clause(actor=a, recipient=b, **base) for a in agents for b in agents if a != b)
        elif party is None:
            out.extend(Clause(actor=a, recipient=None, **base) for a in agents)
    return out
