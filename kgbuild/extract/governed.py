"""One report, one event: which clauses are only the content of another clause's event.

"Thailand agreed to open its borders" reports one event, an agreement whose content is the
opening; "Poland urged Hungary to free the journalists" is an appeal to Hungary, not an
asserted release by Hungary; "Denmark accused Iran of harbouring the suspects" alleges the
harbouring. The governed clause becomes the `Content` of the governing event (see
`kgbuild.model.Content`) and is not emitted as an event of its own.

Rules, in order; each one looks at the governed verb and names the governing verb and how
the content is held (`Content.mode`):
1. `framed_infinitive`: the infinitive of a commitment, request or consideration verb
   ("agreed to open", "refused to meet", "threatened to shell", "urged Y to free",
   "is considering sending");
2. `demanded_clause`: the that-clause of a verb of demanding ("demanded that Y withdraw"),
   the for-clause of a verb of asking ("pushed for Y to withdraw");
3. `alleged_gerund`: the of/for/with-gerund of a verb of accusing ("accused Y of harbouring");
4. `considered_option`: the gerund of an option noun of a consideration verb ("is considering
   the possibility of providing");
5. `requested_by_noun`: the infinitive of a request noun ("rejected a request by Y to hold a
   rally"; its actor is the noun's owner, see `subjects.subject_of`);
6. `prevented_gerund`: the from-gerund of a verb with an object ("banned Y from holding
   office"): the act did not happen, so it is never an event of its own;
7. `demanded-in-speech`, `appealed-in-speech`: the clause of a stating verb that puts an
   act on another party as a duty ("X said Y must withdraw", "X said Y has to leave": X's
   demand on Y; "X said Y should release": X's appeal to Y; `SPEECH_FRAMES`). A duty the
   speaker puts on itself ("X said it must act") is its own intent and is not folded;
8. `conjoined`: a verb coordinated with a governed one that has no subject of its own
   ("agreed to allow access and facilitate movement"); `aspect`: the complement of a governed
   aspect verb ("accused Y of failing to respond").
Decision verbs ("decided to send") are not folded: the decision is the act.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Token

from ..model import Content
from .lexicon import word_class
from .modality import duty_clause, duty_frame
from .speech import stated_duty
from .tokens import OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, children_of
from .word_classes import (ACCUSE_VERBS, ASPECT_VERBS, COMMITMENT_VERBS, CONSIDER_VERBS,
                           CONTROL_NOUNS, INTENT_NOUNS, REQUEST_NOUNS, REQUEST_VERBS)

COMMITMENTS = COMMITMENT_VERBS - frozenset({"decide", "vote", "resolve"})
REQUESTS, CONSIDERS, ACCUSES = REQUEST_VERBS, CONSIDER_VERBS, ACCUSE_VERBS
DEMANDS = word_class("demand_that")
OPTION_NOUNS = CONTROL_NOUNS - INTENT_NOUNS
REFUSALS = frozenset({"refuse", "decline"})
#: CAMEO roots of verbal events (statements, appeals, intents, demands, disapproval,
#: rejections, threats): what a statement can carry.
VERBAL_ROOTS = frozenset({"01", "02", "03", "10", "11", "12", "13"})
ALLEGING_PREPS = frozenset({"of", "for", "with"})

Governor = tuple[Token, str]  # (governing verb, Content.mode)
#: The frame (coding.FRAME_ROOTS column) of a statement that states another's duty.
SPEECH_FRAMES = {"demanded-in-speech": "demand", "appealed-in-speech": "appeal"}


def _infinitive_mode(head: Token) -> str | None:
    lemma = head.lemma_
    if lemma in REFUSALS:
        return "refused"
    if lemma in CONSIDERS:
        return "considered"
    if lemma in REQUESTS and lemma not in COMMITMENTS:
        return "requested"
    if lemma in COMMITMENTS:
        return "intended"
    return None


def framed_infinitive(verb: Token) -> Governor | None:
    """"agreed to open", "urged Y to free", "is considering sending": the head's content."""
    if verb.dep_ != "xcomp" or verb.head == verb:
        return None
    mode = _infinitive_mode(verb.head)
    return (verb.head, mode) if mode is not None else None


def demanded_clause(verb: Token) -> Governor | None:
    """"demanded that Y withdraw", "pushed for Y to withdraw": the clause is asked for."""
    head = verb.head
    if head.pos_ != "VERB":
        return None
    if verb.dep_ == "ccomp" and head.lemma_ in DEMANDS:
        return head, "requested"
    if verb.dep_ in ("ccomp", "advcl") and head.lemma_ in DEMANDS | REQUESTS and any(
            c.dep_ == "mark" and c.lower_ == "for" for c in verb.children):
        return head, "requested"
    return None


def alleged_gerund(verb: Token) -> Governor | None:
    """"accused Y of harbouring", "blamed Y for attacking": the gerund is alleged."""
    prep = verb.head
    if verb.dep_ != "pcomp" or prep.lower_ not in ALLEGING_PREPS:
        return None
    if prep.head.lemma_ in ACCUSES:
        return prep.head, "alleged"
    if prep.head.dep_ in OBJECT_DEPS and prep.head.head.lemma_ in ACCUSES:  # "accused Y of …"
        return prep.head.head, "alleged"
    return None


def considered_option(verb: Token) -> Governor | None:
    """"is considering the possibility of providing": the option is only weighed."""
    prep = verb.head
    noun = prep.head
    if verb.dep_ == "pcomp" and prep.lower_ == "of" and noun.lemma_ in OPTION_NOUNS \
            and noun.dep_ in OBJECT_DEPS and noun.head.lemma_ in CONSIDERS:
        return noun.head, "considered"
    return None


def requested_by_noun(verb: Token) -> Governor | None:
    """"rejected a request by Y to hold a rally": the clause that holds the noun."""
    noun = verb.head
    if verb.dep_ == "acl" and noun.lemma_ in REQUEST_NOUNS and noun.head != noun:
        return noun.head, "requested"
    return None


def prevented_gerund(verb: Token) -> Governor | None:
    """"banned Y from holding office", "prevented agencies from providing aid": the act
    did not happen; it is the content of the ban."""
    prep = verb.head
    if verb.dep_ == "pcomp" and prep.lower_ == "from" and prep.head.pos_ == "VERB" \
            and children_of(prep.head, OBJECT_DEPS):
        return prep.head, "prevented"
    return None


def _stated_duty(verb: Token, frame: str) -> Governor | None:
    """The stating verb whose clause puts `verb`'s act on its subject as a duty of `frame`."""
    found = duty_clause(verb)
    if found is None or found[1] != frame:
        return None
    top = found[0]
    return (top.head, "requested") if top.dep_ == "ccomp" and top in stated_duty(top.head) else None


def duty_frame_of(verb: Token, parties: tuple[Token | None, ...], rule: str | None) -> str | None:
    """The frame of the duty a statement states (`SPEECH_FRAMES`): from the rule that made
    its content, or, when the duty's act gave no event of its own ("X said the army has to
    leave"), from the stated clause whose subject is one of the statement's parties."""
    if rule is not None:
        return SPEECH_FRAMES.get(rule)
    duties = stated_duty(verb)
    return next((duty_frame(p.head) for p in parties if p is not None and p.head in duties), None)


def demanded_in_speech(verb: Token) -> Governor | None:
    """"X said Y must withdraw", "X said Y has to leave": the act is X's demand on Y."""
    return _stated_duty(verb, "demand")


def appealed_in_speech(verb: Token) -> Governor | None:
    """"X said Y should release the prisoners": the act is X's appeal to Y."""
    return _stated_duty(verb, "appeal")


RULES: tuple[tuple[str, Callable[[Token], Governor | None]], ...] = (
    ("framed-infinitive", framed_infinitive),
    ("demanded-clause", demanded_clause),
    ("alleged-gerund", alleged_gerund),
    ("considered-option", considered_option),
    ("requested-by-noun", requested_by_noun),
    ("prevented-gerund", prevented_gerund),
    ("demanded-in-speech", demanded_in_speech),
    ("appealed-in-speech", appealed_in_speech),
)


def governor_of(verb: Token) -> tuple[str, Token, str] | None:
    """(rule name, governing verb, content mode) when `verb`'s clause is only the content of
    another clause's event, else None. A verb coordinated with a governed verb and without a
    subject of its own is governed the same way (rule `conjoined`)."""
    for name, rule in RULES:
        found = rule(verb)
        if found is not None:
            return name, found[0], found[1]
    if verb.dep_ == "conj" and verb.head != verb and not children_of(
            verb, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS):
        outer = governor_of(verb.head)
        if outer is not None:  # (a conjoined stated duty is as much the speaker's demand)
            return outer[0] if outer[0] in SPEECH_FRAMES else "conjoined", outer[1], outer[2]
    if verb.dep_ == "xcomp" and verb.head.lemma_ in ASPECT_VERBS:  # "accused Y of failing to act"
        outer = governor_of(verb.head)
        if outer is not None:
            return "aspect", outer[1], outer[2]
    return None


def _content(inner: Any, mode: str, governor: Any) -> Content:
    """The governed clause as the content of the governing event."""
    verb = inner.clause.verb
    span = verb.doc[verb.left_edge.i: verb.right_edge.i + 1]
    f = inner.fields
    actor = f["actor"] if f["actor"].key != governor.fields["actor"].key else None
    if inner.clause.verb.dep_ == "acl":  # "a request by Y to hold": who holds it is unsaid
        actor = None
    return Content(text=span.text, lemma=inner.lemma, mode=mode, actor=actor, target=f["target"],
                   recipient=f["recipient"], event_type=inner.etype)


def fold(drafts: list[Any]) -> tuple[dict[int, tuple[Content, str]], set[int]]:
    """Which drafts are only the content of another draft's event (`governed.governor_of`):
    {governing draft index: (content, rule)} and the indexes of the drafts not to emit. A
    governed act whose governor gave no event stays an event, with the modality its mode
    gives ("requested"; an act alleged by no actor is "possible"). A statement vehicle ("issued a statement calling on X") is dropped
    for the appeal its participle reports."""
    by_verb: dict[int, list[int]] = {}
    for n, d in enumerate(drafts):
        by_verb.setdefault(d.clause.verb.i, []).append(n)
    contents: dict[int, tuple[Content, str]] = {}
    dropped: set[int] = set()
    for n, d in enumerate(drafts):
        found = governor_of(d.clause.verb)
        if found is not None:
            rule, head, mode = found
            governors = [g for g in by_verb.get(head.i, ()) if g not in dropped and not (
                rule in SPEECH_FRAMES and drafts[g].fields["actor"].key == d.fields["actor"].key)]
            if governors:
                dropped.add(n)
                for g in governors:
                    contents.setdefault(g, (_content(d, mode, drafts[g]), rule))
            elif mode == "prevented" or rule == "requested-by-noun":
                dropped.add(n)  # did not happen, or asked of someone the text leaves unsaid
            elif mode == "requested" and d.clause.modality in ("asserted", "intended") \
                    and rule not in SPEECH_FRAMES:  # "X said it must act": its own intent
                d.clause.modality = "requested"
            elif mode == "alleged" and d.clause.modality == "asserted":
                d.clause.modality = "possible"  # "a report accused Y of X": claimed, not known
        if "statement-participle" in d.clause.path and d.etype is not None \
                and d.etype.root in VERBAL_ROOTS:  # the vehicle restates the appeal it carries
            noun = d.clause.verb.head
            dropped.update(g for g in by_verb.get(noun.head.i, ())
                           if drafts[g].clause.target is not None and drafts[g].clause.target.i == noun.i
                           and (drafts[g].etype is None or drafts[g].etype.code == "010"))
    return contents, dropped


def fill_from_content(fields: dict, content: Content, rule: str | None, co_actors: set) -> dict:
    """The governing event's parties, completed from its content: "refused to meet the
    envoy" is aimed at the envoy; "A and B agreed to lift tariffs on Z" at Z before the
    co-actor; "is considering the possibility of providing experts": the option is the
    content; "urged Y to X", "pushed for Y to X": the one asked, Y (X -> Y, a request)."""
    target, recipient = content.target, content.recipient
    if content.mode == "requested" and content.actor is not None:
        target, recipient = content.actor, None
    option = rule == "considered-option" and target is not None
    partner = fields["recipient"] is not None and fields["recipient"].key in co_actors
    if recipient is not None and recipient.key == fields["actor"].key:
        recipient = None  # the content's party is the actor itself ("A and B agreed to sign")
    return {**fields,
            "target": target if fields["target"] is None or option else fields["target"],
            "recipient": recipient if recipient is not None and (
                fields["recipient"] is None or partner) else fields["recipient"]}
