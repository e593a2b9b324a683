"""Where the parser misreads a clause's subject, and how the clause rules read past it: a
name tagged as an adverb before its verb ("USAID/RB deployed teams"), a relative clause hung
on a place inside a place phrase ("the attacks in the town of X in Y Province, which
killed …": the attacks killed)."""
from __future__ import annotations

from spacy.tokens import Token

from .locations import is_place
from .slots import names_country


#: Prepositions of a place phrase a relative clause may be read past ("the attacks in the
#: town of X in Y Province, which killed …": the attacks killed).
PLACE_PHRASE_PREPS = frozenset({"in", "of", "at", "near", "inside", "outside"})


def relative_antecedent(verb: Token) -> Token:
    """The noun a relative clause describes: the parser hangs it on the nearest noun, but a
    place inside a place phrase ("in the town of Tel Tamer in Hasaka Province, which
    targeted …") does nothing; the noun the place phrase belongs to does."""
    noun = verb.head
    while is_place(noun) and noun.dep_ == "pobj" and noun.head.lower_ in PLACE_PHRASE_PREPS \
            and noun.head.head.pos_ in ("NOUN", "PROPN") and not names_country(noun):
        noun = noun.head.head
    return noun


def misread_subject(verb: Token) -> Token | None:
    """A name the tagger took for an adverb or adjective before a finite verb with no
    subject ("USAID/RB deployed seven teams", "…, USAID/JJ provided shelter"): an acronym
    or a named actor right before the verb is its subject."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    if before.dep_ in ("advmod", "amod", "npadvmod") and before.head == verb and (
            before.is_upper and before.is_alpha and len(before) > 1
            or before.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")):
        return before
    return None
