"""Who does what a verb says: the subject rules, tried in order (`SUBJECT_RULES`), the first
that applies deciding. A verb's own subject or passive agent first; else one inherited over
the link that attaches the verb: coordination, control and raising (by an object, a
passive subject, an adjective or an intent noun's owner), a gerund after a preposition, an
adverbial participle or purpose clause, a participle or relative clause on a noun."""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from .parties import is_party
from .repairs import misread_subject, relative_antecedent
from .tokens import (OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, agent_of, children_of, is_bare_participle,
                     is_object_controlled, is_passive, per_span, pobj)
from .word_classes import (ACCUSE_VERBS, ADDRESSED_NOUNS, APPRAISAL_VERBS, CITING_VERBS, CONTROL_NOUNS,
                           INTENT_ADJECTIVES, INTENT_NOUNS, OBJECT_CONTROL_VERBS, OBJECT_GERUND_PREPS,
                           RELATIVE_PRONOUNS, REQUEST_NOUNS, SPEECH_VERBS)


class _NoRule:
    """What a subject rule returns when it does not apply (its None means: no subject)."""


NO_RULE = _NoRule()
SubjectRule = Callable[[Token, list[str]], "Token | None | _NoRule"]


def _nearest_subject(subjects: list[Token]) -> Token:
    """Of two subjects the parser gave one verb, the one after a comma: the first is then a
    fronted adverbial it misread ("Near Ar Raqqah, five strikes destroyed …")."""
    first, last = subjects[0], subjects[-1]
    if last.i > first.i and any(t.text == "," for t in first.doc[first.i:last.left_edge.i]):
        return last
    return first


def subject_of(verb: Token, path: list[str]) -> Token | None:
    """The actor token: own subject, passive agent, or one inherited through coordination,
    control/raising, participle or relative-clause attachment (SUBJECT_RULES, in order: the
    first that applies decides; each appends the links it follows to `path`)."""
    for rule in SUBJECT_RULES:
        found = rule(verb, path)
        if not isinstance(found, _NoRule):
            return found
    return None


def _passive_agent(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """A passive verb or bare participle: its by-agent, else no subject at all."""
    if not (is_passive(verb) or is_bare_participle(verb)):
        return NO_RULE
    agent = agent_of(verb)
    if agent is not None:
        path.append("agent")
        return agent
    return None


def _own_subject(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """The verb's own subject, or one the parser hung on its auxiliary ("X however have
    opposed"); a relative pronoun stands for the noun its clause describes."""
    subj = children_of(verb, SUBJECT_DEPS) or [
        s for aux in children_of(verb, frozenset({"aux"})) for s in children_of(aux, SUBJECT_DEPS)]
    if not subj:
        return NO_RULE
    tok = _nearest_subject(subj)
    if tok.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        path.append("relcl-antecedent")
        return relative_antecedent(verb)
    path.append(tok.dep_)
    return tok


def _misread(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """A subject the parser misread (`repairs.misread_subject`)."""
    misread = misread_subject(verb)
    if misread is None:
        return NO_RULE
    path.append("misread-subject")
    return misread


def _conjoined(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """A conjoined verb shares its head verb's subject."""
    if not (verb.dep_ == "conj" and verb.head != verb):
        return NO_RULE
    path.append("conj")
    return subject_of(verb.head, path)


def _passive_control(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """"Russia was forced to react": the passive subject controls the complement."""
    head = verb.head
    if not (verb.dep_ == "xcomp" and is_passive(head) and children_of(head, PASSIVE_SUBJECT_DEPS)):
        return NO_RULE
    path.append("passive-control")
    return children_of(head, PASSIVE_SUBJECT_DEPS)[0]


def _adjective_control(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """"is ready to withdraw", "was willing to provide": the copula's subject."""
    head = verb.head
    if not (verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.lemma_ in INTENT_ADJECTIVES
            and head.dep_ in ("acomp", "xcomp", "conj")):
        return NO_RULE
    path.append("adjective-control")
    return subject_of(head.head, path) if head.head != head else None


def _gerund(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """A gerund after a preposition ("after meeting the minister", "committed to defeating",
    "by donating supplies"): the owner of an intent noun, the object of "accused Y of", else
    the governing verb's or adjective's subject ("quoted X as saying" is the quote itself,
    not a second event)."""
    head = verb.head
    if not (verb.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ != "as"):
        return NO_RULE
    gov = head.head
    owner = noun_owner(gov) if gov.pos_ == "NOUN" and gov.lemma_ in INTENT_NOUNS | CONTROL_NOUNS else None
    if owner is not None:  # "welcomed Norway's commitment to training police": Norway trains
        path.append("noun-owner")
        return owner
    for _ in range(3):  # "is ready to …", "explored the possibility of transferring …"
        if gov.pos_ == "ADJ" and gov.dep_ in ("acomp", "amod") or gov.pos_ == "NOUN" \
                and gov.lemma_ in CONTROL_NOUNS and gov.dep_ in ("dobj", "pobj", "attr"):
            gov = gov.head.head if gov.dep_ == "pobj" else gov.head
        else:
            break
    objs = children_of(gov, OBJECT_DEPS) if gov == head.head else []
    if gov == head.head and gov.dep_ in OBJECT_DEPS and gov.head.lemma_ in ACCUSE_VERBS:
        objs = [gov]  # "accused the colonel of ordering", the of-phrase on the object
    if head.lower_ == "for" and objs and objs[0].lemma_ in REQUEST_NOUNS:
        return None  # "filed petitions for recognizing the party": asked of someone else
    if head.lower_ in OBJECT_GERUND_PREPS and objs and is_party(objs[0]):
        path.append("object-gerund")  # "accused Y of harbouring", "barred Y from holding"
        return objs[0]
    if gov.pos_ in ("VERB", "AUX", "ADJ"):
        path.append("gerund")
        passive_subj = children_of(gov, PASSIVE_SUBJECT_DEPS)
        if passive_subj and agent_of(gov) is None:
            return passive_subj[0]  # "Britain is committed to defeating …"
        return subject_of(gov, path)
    return None


def _control(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """An infinitive complement: the object of an object-control verb ("urged X to"), else
    the head verb's subject."""
    head = verb.head
    if not (verb.dep_ == "xcomp" or is_object_controlled(verb, OBJECT_CONTROL_VERBS)):
        return NO_RULE
    objs = children_of(head, OBJECT_DEPS) + [
        o for p in children_of(head, frozenset({"prep"})) if p.lower_ in ("on", "upon")
        for o in [pobj(p)] if o is not None]
    if objs and head.lemma_ in OBJECT_CONTROL_VERBS:
        path.append("object-control")
        return objs[0]
    path.append("xcomp")
    return subject_of(head, path)


def _intent_owner(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """"a request by X to hold", "NATO's decision to send": the intent noun's owner (not
    for nouns addressed to someone else; none found, the next rules decide)."""
    head = verb.head
    if not (verb.dep_ == "acl" and head.lemma_ in INTENT_NOUNS - ADDRESSED_NOUNS):
        return NO_RULE
    owner = noun_owner(head)
    if owner is None:
        return NO_RULE
    path.append("noun-owner")
    return owner


def _intent_object(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """An intent noun as object ("agreed a plan to withdraw"): the subject of its verb, but
    only the noun's owner when that verb appraises it ("rejected calls to resign": not the
    rejecter's; "rejected a request by the mayor to hold": the mayor's)."""
    head = verb.head
    if not (verb.dep_ == "acl" and head.lemma_ in INTENT_NOUNS and head.dep_ in OBJECT_DEPS | {"attr"}):
        return NO_RULE
    if head.head.lemma_ in APPRAISAL_VERBS:
        owner = noun_owner(head)
        if owner is not None:
            path.append("noun-owner")
        return owner
    path.append("intent-noun")
    return subject_of(head.head, path)


def _adverbial(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """"…, killing dozens" (participle), "opened fire to disperse the crowd" (purpose): the
    head verb's subject, or its dative for a purpose, or the subject of the speech it
    reports; none for "citing Y" after "according to X"."""
    head = verb.head
    if not (verb.dep_ == "advcl" and head.pos_ in ("VERB", "AUX") and (
            verb.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))):
        return NO_RULE
    source = according_to(verb.sent)
    if verb.lemma_ in CITING_VERBS and source is not None and head.i < source.i < verb.i:
        return None  # "banned X, according to Reuters, citing Y": the report's source, no event
    path.append("participle" if verb.tag_ == "VBG" else "purpose")
    given = [c for c in head.children if c.dep_ == "dative" and c.pos_ != "ADP"]
    if verb.tag_ != "VBG" and given:  # "giving the rebels 72 hours to surrender": they do
        path.append("dative-control")
        return given[0]
    reported = [c for c in children_of(head, frozenset({"ccomp"})) if c.i < head.i < verb.i] \
        if head.lemma_ in SPEECH_VERBS else []
    if reported:  # "X overran the base, officials said, killing 17": X kills, not officials
        path.append("reported")
        return subject_of(reported[0], path)
    return subject_of(head, path)


def _misparsed_finite(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """A participle cannot take an object: "The air force carried out strikes" misparsed as
    a noun phrase with a reduced relative is a finite clause with head as subject."""
    head = verb.head
    if not (verb.dep_ == "acl" and head.dep_ == "ROOT" and head.pos_ in ("NOUN", "PROPN")
            and children_of(verb, OBJECT_DEPS)):
        return NO_RULE
    path.append("misparsed-finite")
    return head


def _participle_modifier(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """"fighters firing on Iraqi forces": the party a participle modifies."""
    if not (verb.dep_ == "acl" and verb.tag_ == "VBG" and is_party(verb.head)):
        return NO_RULE
    path.append("participle-modifier")
    return verb.head


def _statement_participle(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """"issued a statement calling on X": the statement speaks for whoever issued it."""
    head = verb.head
    if not (verb.dep_ == "acl" and verb.tag_ == "VBG" and head.dep_ in OBJECT_DEPS and head.head.pos_ == "VERB"):
        return NO_RULE
    path.append("statement-participle")
    return subject_of(head.head, path)


def _reduced_relative(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """"groups backed by Iran": the by-agent of a past participle modifying a noun."""
    if not (verb.dep_ == "acl" and verb.tag_ == "VBN" and agent_of(verb) is not None):
        return NO_RULE
    path.append("reduced-relative")
    return agent_of(verb)


def _infinitival_relative(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """An infinitival relative says what the noun is for, not who does it: "the operation
    to eliminate ISIL", "a mission to train Iraqi forces"; only its owner does it."""
    head = verb.head
    if not (verb.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
        return NO_RULE
    owner = noun_owner(head) if head.lemma_ in INTENT_NOUNS - ADDRESSED_NOUNS else None
    if owner is not None:
        path.append("noun-owner")
    return owner


def _relative(verb: Token, path: list[str]) -> Token | None | _NoRule:
    """A relative clause without a subject of its own: the noun it describes."""
    if not (verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN")):
        return NO_RULE
    path.append("relcl-antecedent")
    return relative_antecedent(verb)


#: The subject rules in the order they are tried.
SUBJECT_RULES: tuple[SubjectRule, ...] = (
    _passive_agent, _own_subject, _misread, _conjoined, _passive_control, _adjective_control, _gerund,
    _control, _intent_owner, _intent_object, _adverbial, _misparsed_finite, _participle_modifier,
    _statement_participle, _reduced_relative, _infinitival_relative, _relative)


def noun_owner(noun: Token) -> Token | None:
    """The party whose plan, decision or request a noun is: its possessor ("NATO's
    decision"), a name before it ("the UK commitment", "a US decision") or its by/from
    phrase ("a request by X", "a demand from X")."""
    for c in noun.children:
        if c.dep_ == "poss" and c.pos_ != "PRON":
            return c
        if c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ in ("GPE", "ORG", "NORP", "PERSON"):
            return c
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            obj = pobj(c)
            if obj is not None and is_party(obj):
                return obj
    return None


@per_span
def according_to(sent: Span) -> Token | None:
    """The source of "according to X" in a sentence, if any."""
    doc = sent.doc
    for prep in sent:
        if prep.lower_ == "according" and prep.i + 1 < len(doc) and doc[prep.i + 1].lower_ == "to":
            obj = pobj(doc[prep.i + 1])
            if obj is not None:
                return obj
    return None
