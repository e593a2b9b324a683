"""Copular and adjectival predicates that are events: "X is skeptical about Y" (a comment),
"Hamas is opposed to the deal", "Iran is hostile to Israel", "Germany remained committed
to NATO".

A predicate adjective is an event when the verb lexicon has a 'be ADJ' row for it
(`data/verbs.tsv`), after any copula of the `copula_verb` word class ("is", "remained",
"stays", "has become"); what it is about is its prepositional object ("hostile to
Israel") or the subject of its clause ("skeptical that the talks will succeed"). A
participle the parser read as a passive with no agent ("is opposed to the deal") is the
same predicate: its subject holds the attitude. An intent adjective that governs a verb
("is committed to rebuilding the schools") frames that verb's event and is none itself.

Event nouns as predicates ("is at war with X", "is responsible for the attack on Y") are
events of the noun: see `nominals`.
"""
from __future__ import annotations

from spacy.tokens import Token

from .parties import is_party, noun_event
from .tokens import (CLAUSE_DEPS, COPULA_COMPLEMENTS, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS,
                     agent_of, children_of, pobj)
from .word_classes import ATTITUDE_PREPS, COPULA_VERBS, INTENT_ADJECTIVES


def is_copula(tok: Token) -> bool:
    """A clause-heading "be" with a predicate nominal or adjective ("X is defensive")."""
    return tok.lemma_ == "be" and tok.pos_ == "AUX" and tok.dep_ in CLAUSE_DEPS and any(
        c.dep_ in COPULA_COMPLEMENTS for c in tok.children)


def _links(verb: Token) -> bool:
    """A clause-heading copula: "be" as an auxiliary, or "remain", "stay", "become"."""
    if verb.lemma_ == "be":
        return is_copula(verb)
    return verb.lemma_ in COPULA_VERBS and verb.dep_ in CLAUSE_DEPS


def attitude_of(verb: Token, phrases: frozenset[str]) -> Token | None:
    """The adjective of a copular attitude ("X is skeptical about Y", "X remained committed
    to Y"): a copula whose adjective forms a 'be ADJ' phrase of the verb lexicon; not an
    intent adjective with no nominal topic ("is committed to rebuilding")."""
    if not _links(verb):
        return None
    for adj in children_of(verb, frozenset({"acomp"})):
        if f"be {predicate_word(adj)}" not in phrases:
            continue
        if predicate_word(adj) in INTENT_ADJECTIVES and not _commitment_to(adj):
            continue
        return adj
    return None


def _commitment_to(adj: Token) -> bool:
    """An intent adjective is an event of its own only towards a party or an event
    ("committed to NATO", "committed to the ceasefire"), not to a verb ("committed to
    rebuilding", whose event it frames) nor to an aim ("committed to that goal")."""
    for prep in children_of(adj, frozenset({"prep"})):
        obj = pobj(prep)
        if obj is not None and prep.lower_ in ATTITUDE_PREPS and (is_party(obj) or noun_event(obj)):
            return True
    return False


def predicate_word(tok: Token) -> str:
    """The lexicon word of a predicate: a participle as written ("opposed", not "oppose"),
    other words by lemma."""
    return tok.lower_ if tok.tag_ == "VBN" else tok.lemma_.lower()


def stative_participle(verb: Token, phrases: frozenset[str]) -> Token | None:
    """The subject of a participle read as an agentless passive that is a 'be ADJ' attitude
    ("Hamas is opposed to the deal" -> Hamas), else None."""
    if verb.tag_ != "VBN" or agent_of(verb) is not None or f"be {verb.lower_}" not in phrases:
        return None
    if not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    if verb.lower_ in INTENT_ADJECTIVES and not _commitment_to(verb):
        return None  # "is committed to rebuilding": the gerund is the event
    subjects = children_of(verb, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
    return subjects[0] if subjects else None


def attitude_topic(adj: Token) -> Token | None:
    """What an attitude is about: "skeptical about the scheme", "hostile to Israel",
    "pessimistic that the Olympics will go ahead" (the subject of the clause)."""
    for prep in children_of(adj, frozenset({"prep"})):
        obj = pobj(prep)
        if obj is not None and prep.lower_ in ATTITUDE_PREPS:
            return obj
    for comp in children_of(adj, frozenset({"ccomp"})) + children_of(adj.head, frozenset({"ccomp"})):
        subj = children_of(comp, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
        if subj and subj[0].pos_ != "PRON":
            return subj[0]
    return None
