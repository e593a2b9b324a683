"""The modality and negation of a clause: auxiliaries, negation, conditions, and what a
complement takes from the verb, adjective or noun that governs it ("plans to send" is
intended, "urged Iran to halt" requested, "refused to meet" negated)."""
from __future__ import annotations

from spacy.tokens import Token

from .tokens import OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, children_of, is_object_controlled
from .word_classes import (ADVICE_AUX, ALLEGATION_NOUNS, COMMITMENT_VERBS, CONDITION_MARKS,
                           CONSIDER_VERBS, CONTROL_NOUNS, DUTY_VERBS, FUTURE_AUX, HOPE_VERBS, INTENT_ADJECTIVES,
                           INTENT_NOUNS, INTENT_VERBS, NECESSITY_ADJECTIVES, NEGATION_WORDS,
                           OBJECT_CONTROL_VERBS, OBLIGATION_AUX, POSSIBLE_AUX, REQUEST_VERBS, SPEECH_VERBS)


def _aux_words(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg")]


def modality_of(verb: Token) -> tuple[str, bool]:
    """(modality, negated) from auxiliaries, negation, `if`, and governing verbs/nouns."""
    words = {t.lower_ for t in _aux_words(verb)}
    negated = bool(words & NEGATION_WORDS) or any(c.dep_ == "neg" for c in verb.children)
    modality = "asserted"
    if words & OBLIGATION_AUX:
        modality = "requested"  # events.py: what the speaker says they must do is intended
    elif words & FUTURE_AUX:
        modality = "possible" if is_hypothetical(verb, words) else "future"
    elif words & POSSIBLE_AUX:
        modality = "possible"
    elif "going" in {c.lower_ for c in verb.head.children} and verb.dep_ == "xcomp":
        modality = "future"
    if _has_condition(verb) or any(_has_condition(c) for c in verb.children if c.dep_ == "advcl"):
        modality = "conditional"
    head = verb.head
    if (verb.dep_ == "xcomp" or is_object_controlled(verb, OBJECT_CONTROL_VERBS)) and head != verb:
        head_mod, head_neg = modality_of(head)
        if head.lemma_ == "go" and head.tag_ == "VBG":
            return "future", head_neg or negated
        if head.pos_ == "ADJ" and head.lemma_ in INTENT_ADJECTIVES:
            gov_mod, gov_neg = modality_of(head.head) if head.head != head else ("asserted", False)
            mod = gov_mod if gov_mod != "asserted" else ("intended" if modality == "asserted" else modality)
            return mod, negated or gov_neg or any(c.dep_ == "neg" for c in head.children)
        if head.lemma_ in REQUEST_VERBS and children_of(head, OBJECT_DEPS) and modality == "asserted":
            return "requested", negated or head_neg  # "urged Iran to halt": asked of Iran
        if head.lemma_ in INTENT_VERBS | COMMITMENT_VERBS | REQUEST_VERBS | CONSIDER_VERBS:
            modality = "intended" if modality == "asserted" else modality
            if head.lemma_ in ("refuse", "decline"):
                negated = not negated
            return (head_mod if head_mod != "asserted" else modality), negated or head_neg
        if head.lemma_ == "fail":
            return head_mod, not negated
        return (head_mod if modality == "asserted" else modality), negated or head_neg
    if is_allowed_time(verb) and modality == "asserted":
        return "requested", negated  # "gave the Front 72 hours to surrender": an ultimatum
    if verb.dep_ == "acl" and head.lemma_ in INTENT_NOUNS and not is_done_participle(verb):
        noun_neg = any(c.lower_ == "no" for c in head.children)
        gov_mod, gov_neg = modality_of(head.head) if head.head.pos_ in ("VERB", "AUX") else ("asserted", False)
        return "intended", negated or noun_neg or gov_neg
    if modality == "asserted" and (inherited := _governing_modality(verb, words)) is not None:
        return inherited[0], negated or inherited[1]
    own_subject = any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in verb.children)
    if is_purpose(verb) and modality == "asserted":
        return "intended", negated  # "sent ships to help the island": a goal, not a report
    if verb.dep_ == "conj" and not words and head.pos_ == "VERB" and not own_subject:
        head_mod, head_neg = modality_of(head)
        return head_mod, negated or head_neg
    if verb.dep_ == "ccomp" and head.lemma_ in HOPE_VERBS and modality in ("asserted", "future"):
        return "possible", negated  # "hopes Japan will persuade him": wished for, not reported
    if modality == "asserted" and verb.dep_ == "acl" and head.lemma_ in ALLEGATION_NOUNS \
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children):
        return "possible", negated  # "denied allegations that it had shelled the village"
    if modality in ("asserted", "future") and is_yes_no_question(verb):
        return "possible", negated  # "Will the US take part in the meeting?": asked, not said
    if modality == "asserted" and is_stated_necessity(verb):
        return "requested", negated  # "it is imperative for all parties to coordinate"
    return modality, negated


#: Nouns of a time allowed for an act ("72 hours to surrender", "a deadline to withdraw").
ALLOWED_TIME_NOUNS = frozenset({"hour", "day", "week", "month", "deadline", "time", "ultimatum"})
#: Verbs that allow a party that time ("gave X 72 hours", "set a deadline").
ALLOWING_VERBS = frozenset({"give", "grant", "set", "issue", "allow"})


def is_allowed_time(verb: Token) -> bool:
    """An infinitive on a time allowed for it ("giving them 15 days to accept the charter",
    "set a deadline to withdraw"): the act is demanded of the party, not intended by it."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    head = verb.head
    if verb.dep_ == "advcl":  # the parser hangs it on the verb: "giving them | 15 days | to accept"
        return head.lemma_ in ALLOWING_VERBS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in ALLOWED_TIME_NOUNS for c in head.children)
    return verb.dep_ in ("relcl", "acl") and head.lemma_.lower() in ALLOWED_TIME_NOUNS \
        and head.head.lemma_ in ALLOWING_VERBS


def is_done_participle(verb: Token) -> bool:
    """A bare past participle on a noun says what was done to it ("the offer proposed in
    February", "threats made by X"), unlike a that-clause ("a proposal that X be allowed")
    or a participle of purpose ("an effort designed to help")."""
    return verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass", "mark", "xcomp") for c in verb.children)


def is_hypothetical(verb: Token, words: set[str]) -> bool:
    """A main clause with "would" that no speech verb reports: a hypothetical ("France would
    support a ban"), not a future in the past ("said it would send troops")."""
    if "would" not in words or verb.dep_ != "ROOT":
        return False
    return not any(c.dep_ in ("ccomp", "parataxis") and c.lemma_ in SPEECH_VERBS for c in verb.children)


def is_yes_no_question(verb: Token) -> bool:
    """A clause asked as a yes/no question: its auxiliary before its subject, a question
    mark at the end and no wh-word ("Will the US take part?"; "Why are we reacting?" asks
    about a reported act and is left alone)."""
    sent = verb.sent
    if sent[-1].text != "?" or any(t.tag_ in ("WDT", "WP", "WP$", "WRB") for t in sent):
        return False
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
    return bool(subjects) and any(c.dep_ in ("aux", "auxpass") and c.i < subjects[0].i for c in verb.children)


def is_stated_necessity(verb: Token) -> bool:
    """The for-clause of an adjective of necessity ("it is imperative for all parties to
    coordinate", "it is essential for Iran to comply"): asked of its subject, not reported."""
    head = verb.head
    if verb.dep_ == "conj" and head != verb:  # "… to coordinate and to provide for …"
        return is_stated_necessity(head)
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in verb.children) \
        and any(c.dep_ == "acomp" and c.lemma_ in NECESSITY_ADJECTIVES for c in head.children)


#: Prepositions whose gerund is the goal of what governs them ("aimed at easing", "committed
#: to defeating"), unlike time and manner ("after agreeing", "by sending").
GOAL_PREPS = frozenset({"at", "to", "toward", "towards", "into"})


def _governing_modality(verb: Token, words: set[str]) -> tuple[str, bool] | None:
    """The modality a complement without tense of its own takes from what governs it, when
    that is not asserted: a bare infinitive ("sent troops to help the country patrol its
    borders": patrolling is as intended as helping), a gerund after a goal preposition ("an
    agreement aimed at easing the dispute", "is ready to contribute to strengthening") and
    the second verb of "try and do"."""
    head = verb.head
    if verb.dep_ == "conj" and verb.tag_ == "VB" and head.tag_ == "VB" and head.lemma_ in INTENT_VERBS \
            and not words:
        return "intended", False  # "to try and curb the spread": what is tried
    if verb.dep_ == "ccomp" and verb.tag_ == "VB" and not words and head.pos_ == "VERB":
        governor = head
    elif verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep" \
            and head.head.pos_ == "NOUN" and head.head.lemma_ in INTENT_NOUNS | CONTROL_NOUNS:
        return "intended", False  # "its commitment to training police", "plans for building"
    elif verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep" \
            and head.lower_ == "in" and head.head.pos_ == "VERB":
        governor = head.head  # "called on X to assist in responding": as asked as assisting
    elif verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep" \
            and head.lower_ in GOAL_PREPS and head.head.pos_ in ("VERB", "ADJ"):
        governor = head.head
        if governor.lemma_ in INTENT_VERBS | COMMITMENT_VERBS or governor.lower_ in INTENT_ADJECTIVES or (
                governor.pos_ == "ADJ" and governor.lemma_ in INTENT_ADJECTIVES):
            return "intended", False  # "aimed at easing", "committed to defeating"
        if governor.pos_ == "ADJ":
            return None
    else:
        return None
    mod, neg = modality_of(governor)
    return None if mod == "asserted" else (mod, neg)


def is_purpose(verb: Token) -> bool:
    """A purpose infinitive without a subject of its own ("sent ships to help", "in order
    to curb"): it names what the main act is for."""
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
        and not any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in verb.children)


def _has_condition(verb: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in verb.children)


#: Tags of a duty verb in the present ("has to", "need to"), not the past ("had to").
PRESENT_TAGS = frozenset({"VBZ", "VBP", "VB"})


def duty_frame(top: Token) -> str | None:
    """How a clause puts its act on its subject as a duty: "demand" for "must", "ought
    to", "has to", "needs to"; "appeal" for "should"; None otherwise, and for a duty in the
    past or perfect ("had to leave", "must have known", "should have acted": a report or a
    reproach, not a demand)."""
    words = {t.lower_ for t in _aux_words(top)}
    if "have" in words or "'ve" in words:
        return None
    if words & OBLIGATION_AUX:
        return "demand"
    if words & ADVICE_AUX:
        return "appeal"
    if top.lemma_ in DUTY_VERBS and top.pos_ in ("VERB", "AUX") and top.tag_ in PRESENT_TAGS and any(
            c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in top.children):
        return "demand"
    return None


def duty_clause(verb: Token, depth: int = 3) -> tuple[Token, str] | None:
    """(clause head, frame) of the duty `verb`'s act belongs to (`duty_frame`): its own
    clause, or the one it is the infinitive of ("Y has to withdraw", "Y must be ready to
    send"). The clause head is the verb, the duty verb or the copula."""
    tok = verb
    for _ in range(depth):
        frame = duty_frame(tok)
        if frame is not None:
            return tok, frame
        head = tok.head
        if tok.dep_ != "xcomp" or head == tok:
            return None
        if head.pos_ == "ADJ" and head.lemma_ in INTENT_ADJECTIVES and head.dep_ == "acomp":
            head = head.head  # "must be ready to send": the copula's clause
        tok = head
    return None
