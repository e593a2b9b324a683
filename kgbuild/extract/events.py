"""From a parsed spaCy Doc to `Event`s: clauses, normalized slots, coreference,
attribution, event types, confidence and an explanation for each event."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from ..model import Action, Entity, Event, EventType, Sentence, TimeRef
from . import clauses as cl
from .actors import ATTACK_ROOTS, instrument_actor, normalize_actor, normalize_place, normalize_thing, object_class
from .coref import COLLECTIVE_TYPES, FIRST_PLURAL, PLURAL_PRONOUNS, PRONOUNS, DocumentContext
from .lexicon import event_types, lemma_fixes, verb_codes
from .nominals import nominal_clauses
from .tokens import arg_span, cached_entities, entities_in
from .parties import noun_event
from .timex import normalize_time

#: Sentences that are page furniture, not news.
BOILERPLATE = re.compile(
    r"^\W*(click to follow|additional reporting by|reporting by|editing by|writing by|"
    r"follow us|follow @|sign up|subscribe|read more|share this|copyright|all rights reserved|©|"
    r"related:|advertisement)", re.I)
QUOTE_CHARS = "\"“”'‘’"
DOUBLE_QUOTES = "\"“”"
COUNTRY_NOUNS = frozenset({"country", "nation", "government", "state", "people", "army",
                           "military"})
#: Verbs that lend their clause the event of their object noun ("carried out raids").
LIGHT_VERBS = frozenset({"launch", "carry", "conduct", "stage", "mount", "hold", "make", "issue",
                         "express", "give", "offer", "take", "begin", "start", "continue",
                         "impose", "announce", "step", "intensify", "resume", "undertake",
                         "wage", "extend", "pledge", "provide", "send", "file", "lodge"})
#: Words spelled like pronouns that name actors ("US" is the country, never "us").
NOT_PRONOUNS = frozenset({"US", "U.S", "U.S."})
#: Pronoun-like quantifiers that head a noun phrase of their own ("some of the
#: peacekeepers", "those affected", "each of the providers"): not resolved as pronouns.
QUANTIFIERS = frozenset({"some", "many", "most", "all", "each", "both", "several", "few", "those",
                         "these", "any", "none", "one", "others", "either", "neither"})
#: Base confidence by how the actor was found; penalties are applied on top.
RULE_CONFIDENCE = {"active-subject": 0.85, "passive-agent": 0.8, "inherited-subject": 0.7,
                   "noun-modifier": 0.65, "noun-event": 0.65, "passive-subject": 0.6}
#: Rules whose actor is not the subject of a clause, so not a salient antecedent.
NON_SALIENT_RULES = frozenset({"noun-event", "noun-modifier"})


@dataclass(frozen=True)
class DocMeta:
    """What the component needs to know about the document a Doc came from."""

    id: str = "doc"
    date: str | None = None
    offset: int = 0


def is_boilerplate(text: str) -> bool:
    """True for page furniture such as "Click to follow" or "Additional reporting by"."""
    return bool(BOILERPLATE.match(text))


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
    for phrase in phrases + [lemma, lemma.split()[0]]:
        if to_actor and obj_class:
            keys.append((phrase, f"{obj_class}>actor"))
        keys += [(phrase, obj_class or "*"), (phrase, "*")]
    for key in keys:
        code = codes.get(key)
        if code and code in types:
            return types[code]
    return None


class _Sentence:
    """Per-sentence state: the named actors in order, so pronouns see only earlier ones."""

    def __init__(self, sent: Span, ctx: DocumentContext, date: str | None, text: str):
        self.sent, self.ctx, self.date, self.text = sent, ctx, date, text
        self.pending: list[tuple[int, Entity]] = []
        for ent in entities_in(sent):
            if ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                found = normalize_actor(ent, date)
                if found is not None:
                    self.pending.append((ent.end, ctx.canonical(found)))

    def advance(self, upto: int) -> None:
        while self.pending and self.pending[0][0] <= upto:
            self.ctx.remember(self.pending.pop(0)[1])

    def finish(self) -> None:
        self.advance(10**9)


def _resolve(tok: Token, state: _Sentence, speaker: Entity | None, *, thing: bool,
             full: bool = False, direct: bool = False) -> Entity | None:
    ctx = state.ctx
    if tok.lower_ in cl.RELATIVE_PRONOUNS:
        return None
    if (tok.lower_ in PRONOUNS or tok.pos_ == "PRON" and tok.lower_ not in QUANTIFIERS) \
            and tok.text not in NOT_PRONOUNS:
        state.advance(tok.i)
        found = ctx.resolve(tok.lower_, tok.text, tok.idx, tok.idx + len(tok.text), speaker,
                            direct=direct)
        if found is None and speaker is None and tok.lower_ in FIRST_PLURAL and not _quoted(
                _paragraph(tok, state.text)):
            found = ctx.author_voice(tok.text, tok.idx, tok.idx + len(tok.text))
        if found is None and thing and full:  # open IE keeps "him", "it" as written
            return Entity(text=tok.text, label=tok.text, type="Thing", key=f"thing/{tok.lower_}",
                          start=tok.idx, end=tok.idx + len(tok.text))
        return found
    span = arg_span(tok, full=full)
    poss = [c for c in tok.children if c.dep_ == "poss" and c.lower_ in PRONOUNS]
    if poss and tok.lemma_.lower() in COUNTRY_NOUNS:
        owner = ctx.resolve(poss[0].lower_, poss[0].text, None, None, speaker, direct=direct)
        if owner is not None and owner.type == "Country":
            return replace(owner, text=span.text, start=span.start_char, end=span.end_char)
        return ctx.country_of(owner, span.text, span.start_char, span.end_char)
    entity = normalize_thing(span, state.date) if thing else normalize_actor(span, state.date)
    if entity is not None:
        entity = ctx.canonical(entity)
    return entity


def _nominal_type(c: cl.Clause, obj_class: str | None) -> EventType | None:
    """The type an event noun gives: the noun of a noun event, or the object of a light
    verb ("carried out attacks on X", "expressed pessimism about Y") unless the lexicon
    codes that verb phrase or that verb with that object class itself."""
    noun = c.verb if c.rule == "noun-event" else c.target
    if noun is None:
        return None
    if noun is c.target:
        lemma = c.verb.lemma_.lower()
        if lemma not in LIGHT_VERBS or c.light_object is not None or (lemma, obj_class or "") in verb_codes():
            return None
    entry = noun_event(noun)
    return event_types().get(entry.code) if entry is not None else None


def _material(verb: Token) -> bool:
    """A verb an attack or weapon can do: typed as force or violence ("killed", "hit")."""
    etype = classify(verb.lemma_.lower(), None, None)
    return etype is not None and etype.root in ATTACK_ROOTS


def _quoted(text: str) -> bool:
    return any(q in text for q in DOUBLE_QUOTES)


def _paragraph(tok: Token, text: str) -> str:
    """The text of the paragraph (between line breaks) around a token."""
    start = text.rfind("\n", 0, tok.idx) + 1
    end = text.find("\n", tok.idx)
    return text[start: end if end >= 0 else len(text)]


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


def _confidence(c: cl.Clause, actor: Entity, actor_tok: Token, etype: EventType | None) -> float:
    score = RULE_CONFIDENCE.get(c.rule, 0.6)
    if actor_tok.pos_ == "PRON":
        score -= 0.1
    if actor.type in ("Person", "Country", "InternationalOrganization") and (actor.country or actor.wikidata):
        score += 0.05
    if not actor.country and actor.type not in ("InternationalOrganization",):
        score -= 0.1
    if etype is None:
        score -= 0.15
    if c.modality != "asserted":
        score -= 0.05
    return round(min(0.99, max(0.05, score)), 2)


def _open_extra(c: cl.Clause) -> dict:
    """Open-IE extras: the verb's other prepositional phrases, as written."""
    used = {t.i for t in (c.target, c.recipient, c.location) if t is not None}
    return {"args": [p.text for p in cl.prepositional_phrases(c.verb, used)]}


def _shift(entity, offset: int):
    if entity is None or offset == 0 or getattr(entity, "start", None) is None:
        return entity
    return replace(entity, start=entity.start + offset, end=entity.end + offset)


def _open_argument(tok: Token, date: str | None) -> Entity | None:
    """Open-IE mode: any noun phrase may be the first argument (never a relative pronoun)."""
    if tok.lower_ in cl.RELATIVE_PRONOUNS:
        return None
    if tok.pos_ == "PRON":
        return Entity(text=tok.text, label=tok.text, type="Thing", key=f"thing/{tok.lower_}",
                      start=tok.idx, end=tok.idx + len(tok.text))
    return normalize_thing(arg_span(tok, full=True), date)


def events_from_doc(doc: Doc, meta: DocMeta | None = None, *, open_ie: bool = False) -> list[Event]:
    """All events of one parsed document (or one chunk of a long document).

    With `open_ie`, also clauses whose subject is not an actor (any noun phrase) and
    copular clauses, as an open information extractor would (used for CaRB).

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
        return _events_from_doc(doc, meta, open_ie)


def _events_from_doc(doc: Doc, meta: DocMeta | None, open_ie: bool) -> list[Event]:
    meta = meta or DocMeta()
    ctx = DocumentContext()
    phrases = light_phrases()
    out: list[Event] = []
    doc_text = doc.text  # Doc.text joins every token: build it once per document
    last_speaker: tuple[int, Entity] | None = None
    colon_speaker: tuple[int, Entity] | None = None  # 'X said:' opens speech to paragraph end
    for si, sent in enumerate(doc.sents):
        text = sent.text.strip()
        if not text or is_boilerplate(text):
            continue
        para = doc_text.rfind("\n", 0, sent.start_char) + 1
        state = _Sentence(sent, ctx, meta.date, doc_text)
        seen: set[tuple] = set()
        found = cl.clauses_of(sent, phrases, open_ie=open_ie) + nominal_clauses(sent)
        found.sort(key=lambda c: (c.verb.i if c.speaker is None else -1, c.actor.i))
        speakers: dict[int, Entity | None] = {}
        quoted = _quoted(text)
        for c in found:
            speaker = None
            direct = quoted
            if c.speaker is not None:
                if c.speaker.i not in speakers:
                    speakers[c.speaker.i] = _resolve(c.speaker, state, None, thing=False)
                speaker = speakers[c.speaker.i]
            elif last_speaker and si - last_speaker[0] <= 2 and text[:1] in QUOTE_CHARS:
                speaker, direct = last_speaker[1], True
            elif colon_speaker and colon_speaker[0] == para:
                speaker, direct = colon_speaker[1], True
            if speaker is not None and not direct and c.actor.lower_ in PLURAL_PRONOUNS and c.speaker is not None \
                    and c.speaker.tag_ in ("NNS", "NNPS"):
                # "officials claimed that they had attacked": number agreement with the speaker
                actor = replace(speaker, text=c.actor.text, start=c.actor.idx, end=c.actor.idx + len(c.actor))
            else:
                actor = _resolve(c.actor, state, speaker, thing=False, full=open_ie, direct=direct)
            instrument = None
            if actor is None and (c.actor.pos_ in ("NOUN", "PROPN") or c.actor.tag_ == "VBG") \
                    and _material(c.verb):
                found = instrument_actor(arg_span(c.actor), meta.date)  # "an airstrike killed"
                if found is not None:
                    actor, instrument = found
            if actor is None and open_ie:
                actor = _open_argument(c.actor, meta.date)
            if actor is None:
                continue
            state.advance(c.actor.i + 1)
            if c.rule not in NON_SALIENT_RULES:  # a possessor or modified noun is no subject
                ctx.remember_subject(actor)
            target = (_resolve(c.target, state, speaker, thing=True, full=open_ie, direct=direct)
                      if c.target is not None else None)
            if target is None and c.target_clause is not None:
                span = c.target_clause
                target = Entity(text=span.text, label=span.text, type="Thing",
                                key=f"thing/clause-{span.start_char}", start=span.start_char,
                                end=span.end_char)
            recipient = (_resolve(c.recipient, state, speaker, thing=True, direct=direct)
                         if c.recipient is not None else None)
            for party in (target, recipient):  # "pressure to the regime until it reassesses"
                if party is not None and party.type in COLLECTIVE_TYPES and c.rule not in NON_SALIENT_RULES:
                    ctx.remember(party)
            location = normalize_place(arg_span(c.location), meta.date) if c.location is not None else None
            action = _action(c.verb, c.light_object, c.target_prep)
            light = c.light_object.lemma_.lower() if c.light_object is not None else None
            obj_class = object_class(c.target) if c.target is not None else None
            preps = tuple(p.lower_ for p in c.verb.children if p.dep_ == "prep")
            to_actor = recipient is not None and recipient.type not in (None, "Place", "Thing", "Weapon", "Facility")
            etype = _nominal_type(c, obj_class) or classify(action.lemma, light, obj_class, preps,
                                                            to_actor=to_actor)
            key = (actor.key, action.lemma, target.key if target else None, c.verb.i)
            if key in seen:
                continue
            seen.add(key)
            time = None
            if c.times:
                time = TimeRef(text=c.times[0].text, value=normalize_time(
                    c.times[0].text, meta.date, future=c.modality == "future"))
            if c.verb.lemma_ in cl.SPEECH_VERBS:
                last_speaker = (si, actor)
                nxt = c.verb.nbor(1) if c.verb.i + 1 < len(doc) else None
                if nxt is not None and nxt.text == ":":
                    colon_speaker = (para, actor)
            explanation = (f"rule={c.rule}; path={c.path}; modality={c.modality}"
                           f"{'; instrument=' + instrument.text if instrument else ''}"
                           f"{'; negated' if c.negated else ''}"
                           f"{'; event_type=' + etype.code if etype else '; event_type=unknown'}")
            off = meta.offset
            out.append(Event(
                doc=meta.id,
                sentence=Sentence(text=text, start=sent.start_char + off, end=sent.end_char + off),
                actor=_shift(actor, off), action=_shift(action, off), target=_shift(target, off),
                recipient=_shift(recipient, off), location=_shift(location, off), time=time,
                modality=c.modality, negated=c.negated,
                attribution=_shift(speaker, off) if speaker is not None and speaker.key != actor.key else None,
                instrument=_shift(instrument, off),
                event_type=etype, confidence=_confidence(c, actor, c.actor, etype),
                explanation=explanation, doc_date=meta.date,
                extra=_open_extra(c) if open_ie else {}))
        state.finish()
        ctx.next_sentence()
    return out
