"""From a parsed spaCy Doc to `Event`s: clauses, normalized slots, coreference,
attribution, event types, confidence and an explanation for each event."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from ..model import NON_PARTIES, Action, Entity, EntityType, Event, EventType, Sentence, TimeRef, clause_key, thing_key
from . import clauses as cl
from .actors import normalize_place, normalize_thing, object_class
from .instruments import instrument_actor
from .coding import classify, is_material, light_phrases, names_no_event, nominal_type, verb_preps
from .coref import COLLECTIVE_TYPES, PLURAL_PRONOUNS, DocumentContext, bound_to_object
from .lexicon import lemma_fixes, word_class
from .drafts import Draft, finish
from .mentions import SentenceMentions, is_quoted, named_as_place, named_place, resolve, unbound
from .nominals import nominal_clauses
from .speech import accused_party, accuses, duty_topic
from .predicatives import predicate_word
from .tokens import arg_span, cached_entities
from .word_classes import OBLIGATION_AUX, RELATIVE_PRONOUNS, SPEECH_VERBS
from .timex import normalize_time

#: Sentences that are page furniture, not news.
BOILERPLATE = re.compile(
    r"^\W*(click to follow|additional reporting by|reporting by|editing by|writing by|"
    r"follow us|follow @|sign up|subscribe|read more|share this|copyright|all rights reserved|©|"
    r"related:|advertisement|for more information|media (?:may|can|should) contact|"
    r"media contact|press contact)", re.I)
QUOTE_CHARS = "\"“”'‘’"
log = logging.getLogger("kgbuild")
#: Longest sentence the rules read: parse trees of run-on text (tables, lists, text without
#: punctuation) are not sentences, and some rules look across the whole sentence.
MAX_SENTENCE_TOKENS = 400
#: Rules whose actor is not the subject of a clause, so not a salient antecedent.
NON_SALIENT_RULES = frozenset({"noun-event", "noun-modifier", "reciprocal"})


@dataclass(frozen=True)
class DocMeta:
    """What the component needs to know about the document a Doc came from."""

    id: str = "doc"
    date: str | None = None
    offset: int = 0


def is_boilerplate(text: str) -> bool:
    """True for page furniture such as "Click to follow" or "Additional reporting by"."""
    return bool(BOILERPLATE.match(text))


def _action(verb: Token, light: Token | None, prep: Token | None = None) -> Action:
    parts = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt")] + [verb]
    if light is not None:
        parts.append(light)
    if prep is not None:  # "reacted to", "ranged from": the preposition belongs to the relation
        parts.append(prep)
    parts.sort(key=lambda t: t.i)
    lemma = " ".join([verb.lemma_.lower()] + [c.lower_ for c in verb.children if c.dep_ == "prt"])
    verb_end = max(t.idx + len(t.text) for t in parts if t is not prep)
    return Action(text=" ".join(t.text for t in parts), lemma=lemma,
                  start=parts[0].idx, end=verb_end)


def _open_extra(c: cl.Clause) -> dict:
    """Open-IE extras: the verb's other prepositional phrases, as written."""
    used = {t.i for t in (c.target, c.recipient, c.location) if t is not None}
    return {"args": [p.text for p in cl.prepositional_phrases(c.verb, used)]}


def shifted(entity, offset: int):
    """An entity or action with its character offsets moved by `offset` (a Doc's place in
    its document)."""
    if entity is None or offset == 0 or getattr(entity, "start", None) is None:
        return entity
    return replace(entity, start=entity.start + offset, end=entity.end + offset)


#: Verbs that report what others did or said; without an addressee they are attribution.
REPORTING_VERBS = word_class("reporting_verb")


def _is_report(lemma: str, etype: EventType | None, target: Entity | None,
               recipient: Entity | None) -> bool:
    """A bare reporting verb ("officials said", "the agency reported"): a plain statement
    (CAMEO 010) with no addressee. "X told Y", "briefed Y" keep their party."""
    if lemma not in REPORTING_VERBS or etype is None or etype.code != "010":
        return False
    return all(p is None or p.type in NON_PARTIES for p in (target, recipient))


def _open_argument(tok: Token, date: str | None) -> Entity | None:
    """Open-IE mode: any noun phrase may be the first argument (never a relative pronoun)."""
    if tok.lower_ in RELATIVE_PRONOUNS:
        return None
    if tok.pos_ == "PRON":
        return Entity(text=tok.text, label=tok.text, type=EntityType.THING, key=thing_key(tok.lower_),
                      start=tok.idx, end=tok.idx + len(tok.text))
    return normalize_thing(arg_span(tok, full=True), date)


def events_from_doc(doc: Doc, meta: DocMeta | None = None, *, open_ie: bool = False,
                    statements: bool = False) -> list[Event]:
    """All events of one parsed document (or one chunk of a long document).

    With `open_ie`, also clauses whose subject is not an actor (any noun phrase) and
    copular clauses, as an open information extractor would (used for CaRB).

    A bare reporting verb ("officials said", "the agency reported") is the `attribution`
    of the events it reports, not an event; with `statements` (and with `open_ie`) it is
    also an event of its own, CAMEO 010 Make statement.

    Lemmas listed in `data/lemma_fixes.tsv` (known slips of the small pipeline, "hoped" ->
    "hop") are corrected on the Doc first.
    """
    fixes = lemma_fixes()
    present = doc.count_by(LOWER)  # scan in C; most documents have none of the words
    if any(doc.vocab.strings[word] in present for word, _ in fixes):
        for tok in doc:  # known lemmatizer slips ("hoped" -> "hop") would hide lexicon entries
            fixed = fixes.get((tok.lower_, tok.pos_))
            if fixed is not None:
                tok.lemma_ = fixed
    with cached_entities(doc):
        return _events_from_doc(doc, meta, open_ie, statements or open_ie)


@dataclass
class _Voices:
    """Speakers whose word carries past their own sentence: the last speaker of a quote
    (a quote that opens one of the next two sentences is theirs) and an 'X said:' speaker
    (to the end of its paragraph), each with the sentence or paragraph it was set in."""

    last: tuple[int, Entity] | None = None
    colon: tuple[int, Entity] | None = None


@dataclass
class _Reading:
    """One sentence being read: its state, index, text and paragraph start, the call's
    settings, and what its clauses share (their resolved speakers, the events seen)."""

    state: SentenceMentions
    index: int
    text: str
    para: int
    meta: DocMeta
    open_ie: bool
    statements: bool
    quoted: bool
    speakers: dict[int, Entity | None] = field(default_factory=dict)
    seen: set[tuple] = field(default_factory=set)


def _events_from_doc(doc: Doc, meta: DocMeta | None, open_ie: bool, statements: bool) -> list[Event]:
    """Each readable sentence's clauses (`clauses_of`, `nominal_clauses`; reported ones
    first) drafted in turn (`_draft`) and finished (`drafts.finish`), with one coreference
    context and the speakers that carry over from sentence to sentence (`_Voices`)."""
    meta = meta or DocMeta()
    ctx = DocumentContext()
    phrases = light_phrases()
    out: list[Event] = []
    doc_text = doc.text  # Doc.text joins every token: build it once per document
    voices = _Voices()
    for si, sent in enumerate(doc.sents):
        text = _readable_text(sent, meta)
        if text is None:
            continue
        para = doc_text.rfind("\n", 0, sent.start_char) + 1
        reading = _Reading(SentenceMentions(sent, ctx, meta.date, doc_text), si, text, para, meta, open_ie,
                           statements, is_quoted(text))
        found = cl.clauses_of(sent, phrases, open_ie=open_ie) + nominal_clauses(sent)
        found.sort(key=lambda c: (c.verb.i if c.speaker is None else -1, c.actor.i))
        drafts = [d for c in found if (d := _draft(c, reading, voices)) is not None]
        out.extend(finish(drafts))
        reading.state.finish()
        ctx.next_sentence()
    return out


def _readable_text(sent: Span, meta: DocMeta) -> str | None:
    """The sentence's text, or None when no events are taken from it: a run-on "sentence"
    of more than MAX_SENTENCE_TOKENS (tables, lists, lost punctuation; logged), an empty
    one, or page furniture."""
    if len(sent) > MAX_SENTENCE_TOKENS:
        log.warning("%s: a sentence of %d tokens at character %d is longer than %d; "
                    "no events are taken from it", meta.id, len(sent),
                    sent.start_char + meta.offset, MAX_SENTENCE_TOKENS)
        return None
    text = sent.text.strip()
    if not text or is_boilerplate(text):
        return None
    return text


def _draft(c: cl.Clause, r: _Reading, voices: _Voices) -> Draft | None:
    """A clause's event fields, or None when it gives no event: no actor (`_actor`), a
    pronoun bound to its own object (`_parties`), no event between parties, an event the
    sentence already has, or a bare report ("officials said") without `statements`."""
    meta, state = r.meta, r.state
    speaker, direct = _speaker(c, r, voices)
    actor, instrument = _actor(c, r, speaker, direct)
    if actor is None:
        return None
    if c.modality == "requested" and (speaker is None or speaker.key == actor.key) and any(
            a.lower_ in OBLIGATION_AUX for a in c.verb.children):
        c.modality = "intended"  # "we must act" is one's own intent, "Y must act" a demand
    state.advance(c.actor.i + 1)
    if c.rule not in NON_SALIENT_RULES:  # a possessor or modified noun is no subject,
        (state.ctx.remember if c.modality == "requested" else state.ctx.remember_subject)(actor)  # nor one addressed
    parties = _parties(c, r, speaker, direct, actor)
    if parties is None:
        return None
    target, recipient = parties
    location = normalize_place(arg_span(c.location), meta.date) if c.location is not None else None
    action = _action(c.verb, c.light_object or c.event_noun, c.target_prep)
    light = predicate_word(c.light_object) if c.light_object is not None else None
    etype, preps = _event_type(c, action, light, target, recipient)
    if etype is None and not r.open_ie and names_no_event(action.lemma, light):
        return None  # "ensured fairness", "faced charges": no event between parties
    key = (actor.key, action.lemma, target.key if target else None, c.verb.i)
    if key in r.seen:
        return None
    r.seen.add(key)
    time = None
    if c.times:
        time = TimeRef(text=c.times[0].text, value=normalize_time(
            c.times[0].text, meta.date, future=c.modality == "future"))
    _note_speaker(c, r, voices, actor)
    off = meta.offset
    if not r.statements and _is_report(action.lemma, etype, target, recipient) \
            and not (c.target is not None and c.target == duty_topic(c.verb)):
        return None  # "officials said": only the attribution of the events they report
    sent = state.sent
    return Draft(c, etype, self_reported=speaker is not None and speaker.key == actor.key,
                 specific=light is not None or etype != classify(
        action.lemma, None, None, preps), lemma=action.lemma, preps=preps, fields=dict(
        doc=meta.id,
        sentence=Sentence(text=r.text, start=sent.start_char + off, end=sent.end_char + off),
        actor=shifted(actor, off), action=shifted(action, off), target=shifted(target, off),
        recipient=shifted(recipient, off), location=shifted(location, off), time=time,
        negated=c.negated,
        attribution=shifted(speaker, off) if speaker is not None and speaker.key != actor.key else None,
        instrument=shifted(instrument, off), doc_date=meta.date,
        extra=_open_extra(c) if r.open_ie else {}))


def _speaker(c: cl.Clause, r: _Reading, voices: _Voices) -> tuple[Entity | None, bool]:
    """(speaker, direct): the clause's own speaker (resolved once a sentence), else the last
    quote's speaker for a quote opening one of the next two sentences, else an 'X said:'
    speaker of the same paragraph; `direct` when the words are the speaker's own."""
    speaker = None
    direct = r.quoted
    if c.speaker is not None:
        if c.speaker.i not in r.speakers:
            r.speakers[c.speaker.i] = resolve(c.speaker, r.state, None, thing=False)
        speaker = r.speakers[c.speaker.i]
    elif voices.last and r.index - voices.last[0] <= 2 and r.text[:1] in QUOTE_CHARS:
        speaker, direct = voices.last[1], True
    elif voices.colon and voices.colon[0] == r.para:
        speaker, direct = voices.colon[1], True
    return speaker, direct


def _actor(c: cl.Clause, r: _Reading, speaker: Entity | None, direct: bool) -> tuple[Entity | None, Entity | None]:
    """(actor, instrument): a plural pronoun reported by a plural speaker is that speaker;
    else the subject resolved; else the actor behind an attack or weapon as subject ("an
    airstrike killed"); in open IE, any noun phrase."""
    actor: Entity | None
    if speaker is not None and not direct and c.actor.lower_ in PLURAL_PRONOUNS and c.speaker is not None \
            and c.speaker.tag_ in ("NNS", "NNPS"):
        # "officials claimed that they had attacked": number agreement with the speaker
        actor = replace(speaker, text=c.actor.text, start=c.actor.idx, end=c.actor.idx + len(c.actor))
    else:
        actor = resolve(c.actor, r.state, speaker, thing=False, full=r.open_ie, direct=direct)
    instrument = None
    if actor is None and (c.actor.pos_ in ("NOUN", "PROPN") or c.actor.tag_ == "VBG") \
            and is_material(c.verb):
        tool = instrument_actor(arg_span(c.actor), r.meta.date)  # "an airstrike killed"
        if tool is not None:
            actor, instrument = tool
    if actor is None and r.open_ie:
        actor = _open_argument(c.actor, r.meta.date)
    return actor, instrument


def _parties(c: cl.Clause, r: _Reading, speaker: Entity | None, direct: bool,
             actor: Entity) -> tuple[Entity | None, Entity | None] | None:
    """(target, recipient) resolved (`_target`), a pronoun never its own clause's subject,
    a place name no table knows as the place; None when the subject is a pronoun bound to
    one of them ("as they confront ISIL" is not ISIL)."""
    ctx = r.state.ctx
    target = _target(c, r, speaker, direct, actor)
    recipient = (resolve(c.recipient, r.state, speaker, thing=True, direct=direct)
                 if c.recipient is not None else None)
    recipient = unbound(c.recipient, recipient, actor, ctx)
    if c.actor.pos_ == "PRON" and bound_to_object(actor, c.verb, (target, recipient)):
        return None  # "as they confront ISIL" is not ISIL: a doubtful pronoun, no actor
    target = named_place(c.target, target, r.meta.date)
    recipient = named_place(c.recipient, recipient, r.meta.date)
    for party in (target, recipient):  # "pressure to the regime until it reassesses"
        if party is not None and party.type in COLLECTIVE_TYPES and c.rule not in NON_SALIENT_RULES:
            ctx.remember_party(party)
    return target, recipient


def _target(c: cl.Clause, r: _Reading, speaker: Entity | None, direct: bool, actor: Entity) -> Entity | None:
    """The target resolved: none for a party accused in a mere report, the city for a
    state's name recognized as a place ("recognized Jerusalem as its capital"), the clause
    itself for a reported clause (open IE)."""
    target = (resolve(c.target, r.state, speaker, thing=True, full=r.open_ie, direct=direct)
              if c.target is not None else None)
    target = unbound(c.target, target, actor, r.state.ctx)
    if c.target is not None and c.target == accused_party(c.verb) and not accuses(actor, target, c.actor):
        target = None  # "police said gunmen killed", "the army said its jets struck": a report
    if target is not None and c.target is not None and target.type == EntityType.COUNTRY and named_as_place(c.verb):
        target = normalize_place(arg_span(c.target), r.meta.date) or target
    if target is None and c.target_clause is not None:
        span = c.target_clause
        target = Entity(text=span.text, label=span.text, type=EntityType.THING,
                        key=clause_key(span.start_char), start=span.start_char,
                        end=span.end_char)
    return target


def _event_type(c: cl.Clause, action: Action, light: str | None, target: Entity | None,
                recipient: Entity | None) -> tuple[EventType | None, tuple[str, ...]]:
    """(event type, the verb's prepositions): a nominal's type, else the lexicon's for the
    verb, its light object, the object's class ("actor" for a party as direct object), its
    prepositions and whether a party receives the act."""
    obj_class = object_class(c.event_noun or c.target) if c.target is not None else None
    if obj_class is None and target is not None and target.type not in NON_PARTIES:
        obj_class = "actor"  # "called Erdogan": a party as the direct object
    preps = verb_preps(c.verb)
    to_actor = recipient is not None and recipient.type not in NON_PARTIES | {None}
    etype = nominal_type(c.verb, c.verb if c.rule == "noun-event" else c.event_noun or c.target,
                         light_object=c.light_object is not None, obj_class=obj_class,
                         is_noun_event=c.rule == "noun-event") \
        or classify(action.lemma, light, obj_class, preps, to_actor=to_actor)
    return etype, preps


def _note_speaker(c: cl.Clause, r: _Reading, voices: _Voices, actor: Entity) -> None:
    """A speech verb's actor speaks on: in the sentences after a quote, and to the end of
    the paragraph after 'X said:'."""
    if c.verb.lemma_ in SPEECH_VERBS:
        if r.quoted:  # a quote that opens a later sentence goes on what they said,
            voices.last = (r.index, actor)  # not on "ISIL claimed the attack"
        nxt = c.verb.nbor(1) if c.verb.i + 1 < len(c.verb.doc) else None
        if nxt is not None and nxt.text == ":":
            voices.colon = (r.para, actor)
