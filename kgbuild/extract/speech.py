"""What speech carries besides its words: the party a demand is made of ("demanded that
Pyongyang halt its tests"), the duty a statement puts on another ("X said Y must withdraw":
X's demand on Y; "X said Y should release": an appeal), and the party a statement accuses
("X said Y attacked Z", "X claimed Y was behind the bombing": X -> Y, CAMEO 112; the
reported attack stays an event of its own with X as its attribution).

A duty the speaker puts on its own side ("we must act", "it has to leave") is its intent,
not a demand: a pronoun subject is left out here (`events.py` reads "Y must" said by Y as
intended).
"""
from __future__ import annotations

from spacy.tokens import Token

from ..model import Entity, EntityType
from .actors import ATTACK_ROOTS
from .coding import classify
from .modality import duty_frame, modality_of
from .parties import is_party
from .tokens import children_of
from .word_classes import INTENT_ADJECTIVES, STATING_VERBS

#: CAMEO roots of the reported acts that accuse their doer: assault, fight, mass violence
#: (coercion, 17, is also what police and courts lawfully do: "said police arrested").
ACCUSING_ROOTS = ATTACK_ROOTS - {"17"}
#: CAMEO roles of parties outside a state's own forces: a state speaker can accuse them
#: ("the Syrian government said rebels shelled Aleppo").
NON_STATE_ROLES = frozenset({"REB", "OPP", "INS", "SEP", "UAF", "CRM"})
#: Actor types that name a side without a country ("the Kurds", "Hezbollah").
NAMED_SIDES = frozenset({EntityType.ORGANIZATION, EntityType.GROUP})
#: Adjectives of a copular clause that lay blame ("Y was responsible for the attack").
BLAME_ADJECTIVES = frozenset({"responsible", "guilty", "culpable", "complicit", "to blame"})
#: Prepositions of a copular clause that lay blame ("Y was behind the bombing").
BLAME_PREPS = frozenset({"behind"})

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


def _lays_blame(comp: Token) -> bool:
    """A stated clause that blames its subject: a hostile act reported as done ("Y
    attacked Z", "Y had shelled the town"; not "Y will attack", "Y could strike") or a
    copula of blame ("Y was behind the bombing", "Y is responsible for the attack")."""
    if comp.lemma_ == "be":
        return any(c.dep_ == "prep" and c.lower_ in BLAME_PREPS or c.dep_ == "acomp"
                   and c.lower_ in BLAME_ADJECTIVES for c in comp.children)
    etype = classify(comp.lemma_.lower(), None, None) if comp.pos_ == "VERB" else None
    return etype is not None and etype.root in ACCUSING_ROOTS and modality_of(comp) == ("asserted", False)


def accused_party(verb: Token) -> Token | None:
    """The party a statement accuses (`_lays_blame`): the named subject of its clause, not a
    pronoun nor a party the pronoun of a possessor makes the speaker's own ("its troops",
    "our forces"), nor an agentless passive ("Z was attacked")."""
    if verb.lemma_ not in STATING_VERBS:
        return None
    for comp in children_of(verb, frozenset({"ccomp"})):
        subj = children_of(comp, frozenset({"nsubj"}))
        if not subj or subj[0].pos_ not in ("NOUN", "PROPN") or not is_party(subj[0]) or any(
                c.dep_ == "poss" and c.pos_ == "PRON" for c in subj[0].children):
            continue
        if _lays_blame(comp):
            return subj[0]
    return None


def accuses(speaker: Entity, accused: Entity | None, said_by: Token) -> bool:
    """Whether a statement that lays a hostile act on `accused` is the speaker's accusation:
    the speaker (token `said_by`) is named, not a pronoun (whose antecedent may be the victim
    of the act itself), and names a side (an actor of a country, or an organization or group
    named by a proper noun: not "police" or "officials" of nowhere, who report what they saw,
    nor "the group" that claims its own attack); the accused is not of its own side ("the
    Russian defence ministry said Russian jets struck": its own report)."""
    if accused is None or accused.key == speaker.key or said_by.pos_ == "PRON" or not (
            speaker.country or speaker.cameo_org or speaker.type in NAMED_SIDES and said_by.pos_ == "PROPN"):
        return False
    return not (speaker.country and speaker.country == accused.country and accused.role not in NON_STATE_ROLES)
