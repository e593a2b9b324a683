"""What speech carries besides its words: the party a demand is made of ("demanded that
Pyongyang halt its tests"), the duty a statement puts on another ("X said Y must withdraw":
X's demand on Y; "X said Y should release": an appeal).

A duty the speaker puts on its own side ("we must act", "it has to leave") is its intent,
not a demand: a pronoun subject is left out here (`events.py` reads "Y must" said by Y as
intended).
"""
from __future__ import annotations

from spacy.tokens import Token

from .modality import duty_frame
from .parties import is_party
from .tokens import children_of
from .word_classes import INTENT_ADJECTIVES, STATING_VERBS

#: Verbs whose clausal complement names the party that must act ("demanded that X halt").
DEMAND_VERBS = frozenset({"demand", "urge", "ask", "call", "insist", "appeal", "press",
                          "request", "warn", "order", "instruct", "recommend"})


def stated_duty(verb: Token) -> list[Token]:
    """The clauses a stating verb governs that put an act on another's named subject as a
    duty ("X said Y must withdraw", "X said Y has to leave", "X said Y should release"),
    headed by an act ("must withdraw") or by a copula of intent ("must be ready to send"),
    not by a bare copula ("must be exhausted": a guess, not a demand). A pronoun subject
    ("we must act", "it has to leave") is most often the speaker's own side: left out."""
    if verb.lemma_ not in STATING_VERBS:
        return []
    return [comp for comp in children_of(verb, frozenset({"ccomp"})) if duty_frame(comp) is not None and (
        comp.pos_ == "VERB" or any(a.dep_ == "acomp" and a.lemma_ in INTENT_ADJECTIVES for a in comp.children))
        and (subj := children_of(comp, frozenset({"nsubj", "nsubjpass"}))) and subj[0].pos_ in ("NOUN", "PROPN")]


def duty_topic(verb: Token) -> Token | None:
    """Who or what a statement makes a demand of, party or thing ("X said Y must
    withdraw", "X said the oppression must end", "X said the law has to be changed"): the
    subject of a stated "must"/"has to" clause ("should" of a thing is mostly a forecast,
    so an appeal needs a party: `demand_addressee`)."""
    for comp in stated_duty(verb):
        if duty_frame(comp) == "demand":
            return children_of(comp, frozenset({"nsubj", "nsubjpass"}))[0]
    return None


def demand_addressee(verb: Token) -> Token | None:
    """The subject of the clause a demand verb governs ("demanded that Pyongyang halt"),
    or of the duty a stating verb states ("said that Pyongyang must halt")."""
    duties = stated_duty(verb)
    if verb.lemma_ not in DEMAND_VERBS and not duties:
        return None
    # the passive subject of a stated duty is acted on ("said X must be freed"), not asked
    deps = frozenset({"nsubj"}) if duties else frozenset({"nsubj", "nsubjpass"})
    for comp in duties or children_of(verb, frozenset({"ccomp", "advcl"})):
        if comp.dep_ == "advcl" and not any(c.dep_ == "mark" and c.lower_ == "for" for c in comp.children):
            continue  # "pressed for Russia to use its influence"
        subj = children_of(comp, deps)
        if subj and subj[0].pos_ != "PRON" and is_party(subj[0]):
            return subj[0]
    return None
