"""Clause rules over the dependency parse: which tokens fill which event slot.

A `Clause` is the spaCy-level result (tokens, not normalized entities); `events.py`
turns clauses into `Event`s. Rules follow the grammar (subjects, objects, control and
raising, coordination, passives, relative clauses, reported speech), not example
sentences. Label sets are the UD-ish ClearNLP labels that spaCy's English pipelines use.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from .parties import (accounted_act, is_party, is_reciprocal, mutual_partners, noun_event, noun_topic, object_agent,
                      topic_party)
from .objects import is_verbal_noun, split_targets
from .slots import is_actorish, slots
from .subjects import according_to, subject_of
from .tokens import OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, arg_span, children_of, conjuncts, is_passive, is_predicate, pobj
from .modality import modality_of
from .predicatives import attitude_of, attitude_topic, is_copula, stative_participle
from .word_classes import ASPECT_VERBS, INSTRUMENT_VERBS, INTENT_VERBS, RELATIVE_PRONOUNS, SPEECH_VERBS, STOP_VERBS


@dataclass
class Clause:
    """One predicate with the tokens that fill its slots (heads of noun phrases)."""

    verb: Token
    actor: Token
    target: Token | None = None
    recipient: Token | None = None
    location: Token | None = None
    times: list[Span] = field(default_factory=list)
    modality: str = "asserted"
    negated: bool = False
    speaker: Token | None = None
    light_object: Token | None = None
    rule: str = ""
    path: str = ""
    target_prep: Token | None = None
    target_clause: Span | None = None
    event_noun: Token | None = None  # the attitude noun whose topic became the target


def prepositional_phrases(verb: Token, used: set[int]) -> list[Span]:
    """The verb's prepositional phrases (with their preposition) not already used as a slot,
    for open-IE output ("for nearly five hours")."""
    out = []
    for prep in children_of(verb, frozenset({"prep"})):
        obj = pobj(prep)
        if obj is None or obj.i in used:
            continue
        span = arg_span(obj, full=True)
        out.append(verb.doc[prep.i: span.end])
    return out


def light_object(verb: Token, target: Token | None, phrases: frozenset[str]) -> Token | None:
    """The object of a light-verb construction ("take countermeasures", "open fire")."""
    if target is not None and f"{verb.lemma_.lower()} {target.lemma_.lower()}" in phrases:
        return target
    return None


def predicates(sent: Span, *, open_ie: bool = False, phrases: frozenset[str] = frozenset()) -> list[Token]:
    """Every verb in the sentence that can carry an event, in textual order (with
    `open_ie`, copular clauses too; else copular attitudes, "X is skeptical about Y")."""
    out = []
    for tok in sent:
        if not (is_predicate(tok) or (open_ie and is_copula(tok)) or attitude_of(tok, phrases)):
            continue
        if tok.dep_ == "xcomp" and tok.head.lemma_ in ("be",):
            continue
        out.append(tok)
    return out


def _has_event_object(verb: Token) -> bool:
    """A light "have" with an event noun as object is that event ("had lunch with X")."""
    return verb.lemma_ == "have" and any(noun_event(o) is not None for o in children_of(verb, OBJECT_DEPS))


def carries_own_event(verb: Token, *, open_ie: bool = False) -> bool:
    """False for heads whose xcomp is the real event ("plans to", "began to", "has to")."""
    if verb.lemma_ in STOP_VERBS and not open_ie:
        return False
    if verb.lemma_ in INSTRUMENT_VERBS and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "acl", "xcomp") \
            and (verb.head.pos_ == "VERB" or verb.head.dep_ in ("dobj", "obj")) and not open_ie:
        return False  # "attacked the base using car bombs": the means of that attack (also
        # when the parser hung the participle on the attack's object)
    if any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in verb.children):
        return verb.lemma_ not in INTENT_VERBS | ASPECT_VERBS
    return True


def speaker_of(verb: Token) -> Token | None:
    """For a verb inside reported speech, the token of the speaker (or the source of
    'according to X'), walking up through clause attachments."""
    tok = verb
    while tok.head != tok:
        head = tok.head
        if tok.dep_ in ("ccomp", "parataxis") and head.lemma_ in SPEECH_VERBS:
            path: list[str] = []
            return subject_of(head, path)
        if tok.dep_ not in ("conj", "xcomp", "ccomp", "advcl", "parataxis"):
            break
        tok = head
    return according_to(verb.sent)


def clauses_of(sent: Span, phrases: frozenset[str], *, open_ie: bool = False) -> list[Clause]:
    """All clauses of a sentence: one per predicate (`_base_clause`) and per conjoined
    subject and object (`_conjoined_clauses`), and the partner's side of a joint act
    (`reciprocal_clauses`)."""
    out: list[Clause] = []
    for verb in predicates(sent, open_ie=open_ie, phrases=phrases):
        attitude = attitude_of(verb, phrases)
        if attitude is None and not carries_own_event(verb, open_ie=open_ie) \
                and not _has_event_object(verb):
            continue
        base = _base_clause(verb, phrases, attitude, open_ie=open_ie)
        if base is None:
            continue
        subjects = conjuncts(base.actor)
        out += _conjoined_clauses(base, subjects)
        out += reciprocal_clauses(base, subjects)
    return out


def _base_clause(verb: Token, phrases: frozenset[str], attitude: Token | None, *,
                 open_ie: bool) -> Clause | None:
    """The predicate's clause with its slots filled, or None when it has no actor: the
    subject (`subject_of`), else a stative participle's ("Hamas is opposed to the deal"),
    else in open IE an agentless passive's subject ("5 boroughs were formed")."""
    path: list[str] = []
    actor = subject_of(verb, path)
    passive_subject = None
    if actor is None and (actor := stative_participle(verb, phrases)) is not None:
        path.append("stative-participle")  # "Hamas is opposed to the deal"
    if actor is None and open_ie and is_passive(verb):
        # Open IE keeps agentless passives: "5 boroughs were formed".
        found = children_of(verb, PASSIVE_SUBJECT_DEPS)
        actor = passive_subject = found[0] if found else None
        path.append("passive-subject")
    if actor is None:
        return None
    modality, negated = modality_of(verb)
    base = Clause(verb=verb, actor=actor, modality=modality, negated=negated,
                  speaker=speaker_of(verb), rule=_rule_name(path, passive_subject),
                  path=f"{verb.dep_}:{verb.lemma_}<-{'/'.join(path)}")
    slots(verb, base, skip=passive_subject)
    if path[-1] == "reduced-relative" and base.target is None:
        base.target = verb.head  # "groups backed by Iran": Iran backs the groups
    if open_ie and base.target is None:
        comps = children_of(verb, frozenset({"ccomp"}))
        if comps:  # "he said that …": the reported clause is the second argument
            base.target_clause = verb.doc[comps[0].left_edge.i: comps[0].right_edge.i + 1]
    _topic_as_target(base, phrases, attitude, stative="stative-participle" in path)
    _light_object_recipient(base)
    return base


def _rule_name(path: list[str], passive_subject: Token | None) -> str:
    """The rule label of how the actor was found: an open-IE passive subject, a passive
    agent, the verb's own subject, a noun the predicate modifies, else an inherited one."""
    if passive_subject is not None:
        return "passive-subject"
    if "agent" in path:
        return "passive-agent"
    if path in (["nsubj"], ["csubj"], ["stative-participle"]):
        return "active-subject"
    if path[-1] in ("reduced-relative", "participle-modifier", "noun-owner"):
        return "noun-modifier"  # the actor is a noun modified by the predicate
    return "inherited-subject"


def _topic_as_target(base: Clause, phrases: frozenset[str], attitude: Token | None, *, stative: bool) -> None:
    """What a nominal or attitude acts on becomes the target: the topic of a light verb's or
    verbal noun's object ("expressed concern about the escalation"), the act one claims
    responsibility for, an attitude's or stative participle's topic ("is skeptical about
    the scheme", "is opposed to the deal"), with the topic's party as recipient."""
    verb = base.verb
    base.light_object = light_object(verb, base.target, phrases)
    if base.target is not None and base.recipient is None and (
            base.light_object == base.target or is_verbal_noun(base.target)):
        topic = noun_topic(base.target)
        if topic is not None:  # "expressed concern about the escalation": the topic is acted on
            if base.light_object is None:
                base.event_noun = base.target
            base.target = topic
            base.recipient = topic_party(topic)
    base.target = accounted_act(base.light_object) or base.target  # "claimed responsibility for X"
    if attitude is not None:  # "is skeptical about the scheme": the topic is the target
        base.light_object, base.target = attitude, attitude_topic(attitude)
    if stative:  # "is opposed to the deal": what it opposes
        base.target, base.recipient = attitude_topic(verb), None
    if (attitude is not None or stative) and base.target is not None:
        base.location = None if base.location == base.target else base.location
        base.recipient = None if base.recipient == base.target else base.recipient
        if base.recipient is None and not is_party(base.target):  # "opposed to talks with X"
            base.recipient = topic_party(base.target)


def _light_object_recipient(base: Clause) -> None:
    """"mounted an invasion of South Lebanon": the light object's of/against/on object, when
    an actor or a place, is the party acted on (if the clause has no recipient yet)."""
    if base.light_object is not None and base.recipient is None:
        for prep in children_of(base.light_object, frozenset({"prep"})):
            obj = pobj(prep)
            if prep.lower_ in ("of", "against", "on") and obj is not None and (
                    is_actorish(obj) or obj.ent_type_ in ("GPE", "LOC")):
                base.recipient = obj
                break


def _conjoined_clauses(base: Clause, subjects: list[Token]) -> list[Clause]:
    """One clause per conjoined subject and object ("A and B shelled X and Y"); subjects of
    a reciprocal act are each other's partners ("A and B signed a treaty"), each object its
    own agent's and, when the object is the place, its own event's place."""
    out = []
    mutual = len(subjects) > 1 and base.recipient is None and is_reciprocal(base.verb, base.target)
    for subj in subjects:
        targets = split_targets(base.target)
        # "A and B signed a treaty": each is the other's partner (CAMEO codes both ways).
        partners = [o for o in subjects if o != subj] if mutual else [base.recipient]
        for obj in targets:
            for partner in partners:
                if partner is None and obj is not None and obj is not base.target:
                    # "condemned the act and the threats made by X": each object its own
                    partner = object_agent(obj)
                # "shelled Benghazi and Misrata": each place acted on is its event's place
                place = obj if obj is not None and base.location == base.target else base.location
                out.append(Clause(**{**base.__dict__, "actor": subj, "target": obj,
                                     "recipient": partner, "location": place}))
    return out


def reciprocal_clauses(base: Clause, subjects: list[Token]) -> list[Clause]:
    """The other direction of an act one named subject does together with a party ("A met
    with B", "A held talks with B", "A met B": also B -> A); a pronoun subject is left
    alone, so a coreference slip is not doubled. An act only intended or asked of the
    subject is not the partner's ("accepted an invitation to meet with B": B did not)."""
    if len(subjects) != 1 or subjects[0].pos_ == "PRON" or subjects[0].lower_ in RELATIVE_PRONOUNS:
        return []
    if modality_of(base.verb)[0] in ("intended", "requested"):
        return []
    out = []
    for partner in mutual_partners(base.verb, base.target, base.recipient):
        target = None if partner.i in {t.i for t in conjuncts(base.target or partner)} else base.target
        out.append(Clause(**{**base.__dict__, "actor": partner, "target": target, "recipient": subjects[0],
                             "rule": "reciprocal", "path": base.path + "/reciprocal"}))
    return out
