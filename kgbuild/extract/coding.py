"""Event coding: the CAMEO type of a clause, from the verb lexicon, event nouns, the
governing verb of a framed event and the polarity of the clause.

Order of the decisions for one clause:
1. the lexicon (`verbs.tsv`): light-verb phrase, prepositional verb and object class
   first, then the verb alone; a light verb lends its event noun's code ("carried out
   raids" is the raid);
2. a frame: a verb whose own code is an appeal, intent, demand, rejection or threat and
   that governs an event (its infinitive, or an event noun as object) takes CAMEO's
   parallel code for that event from `frames.tsv` ("threatened to impose sanctions" 1312);
3. polarity: a negated cooperative event ("did not accept", "will not attend") takes the
   reject code of that event;
4. stated intent: a cooperative act only intended, or announced by its own actor for the
   future, is the expression of intent to do it (03x);
5. stated duty: a statement that puts an act on another party ("X said Y must withdraw",
   "X said Y should release") is a demand (10x) or an appeal (02x) for that act; one that
   lays a hostile act on another party ("X said Y attacked Z") is an accusation (112).
"""
from __future__ import annotations

import functools

from spacy.tokens import Token

from ..model import EventType
from .actors import ATTACK_ROOTS
from .lexicon import event_types, frame_codes, verb_codes, word_class
from .parties import noun_event
from .tokens import pobj
from .word_classes import COPULA_VERBS

#: Verbs that lend their clause the event of their object noun ("carried out raids").
LIGHT_VERBS = word_class("light_verb")
#: CAMEO roots of the verbs that frame another event, and the frame's column in frames.tsv.
FRAME_ROOTS = {"02": "appeal", "03": "intent", "10": "demand", "12": "reject", "13": "threat"}
#: The code of a frame when the table gives none for the governed event.
FRAME_DEFAULTS = {"appeal": "020", "intent": "030", "demand": "100", "reject": "120",
                  "threat": "130"}
#: CAMEO roots of cooperation, whose negation is a rejection.
COOPERATIVE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
NEGATIONS = frozenset({"not", "n't", "never"})
TIME_ENTITIES = frozenset({"DATE", "TIME"})
#: CAMEO roots of acts (not words) of cooperation: meeting, diplomatic and material
#: cooperation, aid, yielding; their stated intent is an 03x code.
MATERIAL_COOPERATION = frozenset({"04", "05", "06", "07", "08"})
#: Verbs whose infinitive is decided, not only intended.
DECISION_VERBS = word_class("decision_verb")


@functools.lru_cache(maxsize=1)
def light_phrases() -> frozenset[str]:
    """Multi-word lexicon entries ("take countermeasure", "open fire")."""
    return frozenset(phrase for phrase, _ in verb_codes() if " " in phrase)


def classify(lemma: str, light: str | None, obj_class: str | None,
             preps: tuple[str, ...] = (), *, to_actor: bool = False) -> EventType | None:
    """The CAMEO event type for an action: light-verb phrase, prepositional verb ("call
    for", "call on") and object class first, then the verb alone."""
    codes, types = verb_codes(), event_types()
    keys = []
    phrases = ([f"{lemma} {light}"] if light else []) + [f"{lemma} {p}" for p in preps]
    if light and lemma in COPULA_VERBS:  # "remained committed to": the 'be ADJ' row
        phrases.append(f"be {light}")
    for phrase in phrases + [lemma, lemma.split()[0]]:
        if to_actor and obj_class:
            keys.append((phrase, f"{obj_class}>actor"))
        keys += [(phrase, obj_class or "*"), (phrase, "*")]
    for key in keys:
        code = codes.get(key)
        if code == "-" and key[0] == f"{lemma} {light}":
            return None  # "gave them new hope": a figure of speech, no act of giving
        if code and code in types:
            return types[code]
    return None


def names_no_event(lemma: str, light: str | None = None) -> bool:
    """Verbs and light-verb phrases the lexicon marks '-': no event between parties
    ("ensure", "face", "leave", "give hope")."""
    codes = verb_codes()
    if light and codes.get((f"{lemma} {light}", "*")) == "-":
        return True
    own = codes.get((lemma, "*"))
    if own is None and " " in lemma:  # "take on": the verb without its particle
        own = codes.get((lemma.split()[0], "*"))
    return own == "-"


def nominal_type(verb: Token, noun: Token | None, *, light_object: bool, obj_class: str | None,
                 is_noun_event: bool) -> EventType | None:
    """The type an event noun gives: the noun of a noun event, or the object of a light
    verb ("carried out attacks on X", "expressed pessimism about Y") unless the lexicon
    codes that verb phrase or that verb with that object class itself."""
    if noun is None:
        return None
    if not is_noun_event:
        lemma = verb.lemma_.lower()
        if lemma not in LIGHT_VERBS or light_object or (lemma, obj_class or "") in verb_codes():
            return None
    entry = noun_event(noun)
    return event_types().get(entry.code) if entry is not None else None


def is_material(verb: Token) -> bool:
    """A verb an attack or weapon can do: typed as force or violence ("killed", "hit")."""
    etype = classify(verb.lemma_.lower(), None, None)
    return etype is not None and etype.root in ATTACK_ROOTS


def verb_preps(verb: Token) -> tuple[str, ...]:
    """The verb's prepositions that can make a prepositional verb ("call on X", "call for
    Y"), not those of a time ("called on Monday", "on Nov. 18")."""
    out = []
    for prep in verb.children:
        if prep.dep_ == "advmod" and prep.lower_ == "together":  # "work together": a joint act
            out.append("together")
        if prep.dep_ in ("advcl", "ccomp"):  # "called for Britain to stay": 'for' marks the clause
            out += [m.lower_ for m in prep.children if m.dep_ == "mark" and m.lower_ == "for"]
        if prep.dep_ != "prep":
            continue
        obj = pobj(prep)
        if obj is not None and obj.ent_type_ in TIME_ENTITIES:
            continue
        out.append(prep.lower_)
    return tuple(out)


def frame_of(lemma: str, preps: tuple[str, ...] = ()) -> str | None:
    """The frame a verb sets up by its own code ("threaten" 130 -> threat), else None."""
    own = classify(lemma, None, None, preps)
    return FRAME_ROOTS.get(own.root) if own is not None else None


def framed_type(frame: str, governed: EventType) -> EventType | None:
    """CAMEO's code for `frame` of the governed event (threat + 163 -> 1312)."""
    table = frame_codes()
    code = governed.code
    for size in range(len(code), 1, -1):
        row = table.get(code[:size])
        if row is not None:
            found = row.get(frame)
            return event_types().get(found or FRAME_DEFAULTS[frame])
    return event_types().get(FRAME_DEFAULTS[frame])


def stated_duty_type(frame: str, statement: EventType | None,
                     governed: EventType | None) -> EventType | None:
    """A statement (CAMEO 01) of another's duty is that frame of the act ("said Y must
    withdraw" 106, "said Y should release" 0253); another verb keeps its own code."""
    if statement is not None and statement.root != "01":
        return None
    if governed is None:
        return event_types().get(FRAME_DEFAULTS[frame])
    return framed_type(frame, governed)


def accusation_type(statement: EventType | None) -> EventType | None:
    """A statement (CAMEO 01) that lays a hostile act on a party is an accusation (112:
    "said Y attacked Z", "claimed Y was behind the bombing"); another verb keeps its code."""
    if statement is not None and statement.root != "01":
        return None
    return event_types().get("112")


def own_negation(verb: Token) -> bool:
    """The verb itself is negated ("did not accept"), not only a verb that governs it."""
    return any(c.dep_ == "neg" or (c.dep_ in ("aux", "auxpass") and c.lower_ in NEGATIONS)
               for c in verb.children)


def polarity_type(verb: Token, etype: EventType | None) -> EventType | None:
    """A negated cooperative event is a rejection of it ("did not accept the proposal")."""
    if etype is not None and etype.root in COOPERATIVE_ROOTS and own_negation(verb):
        return framed_type("reject", etype)
    return None


def intent_type(verb: Token, etype: EventType | None, modality: str, negated: bool, *,
                self_reported: bool) -> EventType | None:
    """A cooperative act that is only intended ("is willing to withdraw", "is ready to
    provide") or that its actor says it will do ("the rebels said they will release") is
    CAMEO's expression of intent to do it (03x); a scheduled future ("forces will join the
    exercise") keeps its code."""
    if etype is None or negated or etype.root not in MATERIAL_COOPERATION:
        return None
    if verb.dep_ == "xcomp" and verb.head.lemma_ in DECISION_VERBS:
        return None  # "Japan decided to ease sanctions": the decision is the act
    if verb.dep_ == "advcl":
        return None  # "sent ships to help": a purpose, not a stated intent
    if modality == "intended" or (modality == "future" and self_reported):
        return framed_type("intent", etype)
    return None
