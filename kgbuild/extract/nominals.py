"""Events said with nouns: "Turkey's offensive against the YPG", "UN sanctions on Iran",
"the visit by the Sudanese minister to Bulgaria", "the ceasefire agreement between Armenia
and Azerbaijan".

A noun of the noun-event table (`data/noun_events.tsv`) becomes a clause of its own when
both of its parties are in the text: the agent from a possessor, a named compound or
nationality adjective, or a 'by'-phrase; the other party from the noun's prepositions.
Reciprocal nouns with "between A and B" give the pair both ways.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from .clauses import Clause, speaker_of
from .parties import noun_event, noun_party
from .tokens import conjuncts, pobj

#: Entity labels that make a modifier of an event noun its agent ("UN sanctions").
AGENT_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})


def nominal_agent(noun: Token) -> Token | None:
    """The agent of an event noun: a named possessor, compound or adjective, or a 'by'-phrase
    (a pronoun possessor, "their attacks", is left to the clause that governs the noun)."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod") and child.ent_type_ in AGENT_ENTS \
                and child.i < noun.i:
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            return pobj(child)
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


def nominal_clauses(sent: Span) -> list[Clause]:
    """One clause per event noun whose agent and other party are both named."""
    out: list[Clause] = []
    for noun in sent:
        if noun.pos_ not in ("NOUN", "PROPN", "VERB"):
            continue
        entry = noun_event(noun)
        if entry is None or _scare_quoted(noun):
            continue
        found = noun_party(noun, depth=0)
        if found is None:
            continue
        prep, party = found
        agent = nominal_agent(noun)
        if agent is None and noun.dep_ in ("dobj", "obj"):
            continue  # "launched an attack on X": the verb's clause already has the party
        speaker = speaker_of(_governing_verb(noun))
        base = dict(verb=noun, target=None, modality="asserted", negated=False, speaker=speaker,
                    rule="noun-event", path=f"{noun.dep_}:{noun.lemma_}<-{prep.lower_}")
        if agent is not None and agent.i != party.i:
            out.extend(Clause(actor=agent, recipient=obj, **base) for obj in conjuncts(party))
        elif entry.reciprocal and prep.lower_ == "between":
            sides = conjuncts(party)  # "the agreement between Armenia and Azerbaijan"
            out.extend(Clause(actor=a, recipient=b, **base) for a in sides for b in sides if a != b)
    return out
