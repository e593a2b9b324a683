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
from .actors import normalize_actor, normalize_place, normalize_thing, object_class
from .instruments import instrument_actor
from .confidence import scored
from .coding import (accusation_type, classify, frame_of, framed_type, intent_type, is_material,
                     light_phrases, names_no_event, nominal_type, polarity_type, stated_duty_type,
                     verb_preps)
from .coref import (COLLECTIVE_TYPES, FIRST_PLURAL, PERSON_PRONOUNS, PLURAL_PRONOUNS, PRONOUNS, THING_PRONOUNS,
                    DocumentContext, bound_to_object, is_expletive, thing_antecedent)
from .lexicon import event_types, lemma_fixes, word_class
from .governed import duty_frame_of, fill_from_content, fold
from .nominals import nominal_clauses
from .parties import noun_event
from .speech import accused_party, accuses, duty_topic
from .places import is_place_name
from .predicatives import predicate_word
from .tokens import arg_span, cached_entities, entities_in, pobj
from .word_classes import OBLIGATION_AUX, RELATIVE_PRONOUNS, SPEECH_VERBS
from .timex import normalize_time

#: Sentences that are page furniture, not news.
BOILERPLATE = re.compile(
    r"^\W*(click to follow|additional reporting by|reporting by|editing by|writing by|"
    r"follow us|follow @|sign up|subscribe|read more|share this|copyright|all rights reserved|©|"
    r"related:|advertisement|for more information|media (?:may|can|should) contact|"
    r"media contact|press contact)", re.I)
QUOTE_CHARS = "\"“”'‘’"
DOUBLE_QUOTES = "\"“”"
COUNTRY_NOUNS = frozenset({"country", "nation", "government", "state", "people", "army",
                           "military"})
log = logging.getLogger("kgbuild")
#: Longest sentence the rules read: parse trees of run-on text (tables, lists, text without
#: punctuation) are not sentences, and some rules look across the whole sentence.
MAX_SENTENCE_TOKENS = 400
#: Words spelled like pronouns that name actors ("US" is the country, never "us").
NOT_PRONOUNS = frozenset({"US", "U.S", "U.S."})
#: Pronoun-like quantifiers that head a noun phrase of their own ("some of the
#: peacekeepers", "those affected", "each of the providers"): not resolved as pronouns.
QUANTIFIERS = frozenset({"some", "many", "most", "all", "each", "both", "several", "few", "those",
                         "these", "any", "none", "one", "others", "either", "neither"})
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
        self.named = frozenset(e.key for _, e in self.pending if e.key)  # actors this sentence names

    def advance(self, upto: int) -> None:
        while self.pending and self.pending[0][0] <= upto:
            self.ctx.remember(self.pending.pop(0)[1])

    def finish(self) -> None:
        self.advance(10**9)


def _resolve(tok: Token, state: _Sentence, speaker: Entity | None, *, thing: bool,
             full: bool = False, direct: bool = False) -> Entity | None:
    ctx = state.ctx
    if tok.lower_ in RELATIVE_PRONOUNS:
        return None
    if (tok.lower_ in PRONOUNS or tok.pos_ == "PRON" and tok.lower_ not in QUANTIFIERS) \
            and tok.text not in NOT_PRONOUNS:
        if speaker is None and tok.lower_ in THING_PRONOUNS and (
                is_expletive(tok) or thing_antecedent(tok, state.date)):
            return None
        state.advance(tok.i)
        found = ctx.resolve(tok.lower_, tok.text, tok.idx, tok.idx + len(tok.text), speaker,
                            direct=direct)
        if found is None and speaker is None and tok.lower_ in FIRST_PLURAL and not _quoted(
                _paragraph(tok, state.text)):
            found = ctx.author_voice(tok.text, tok.idx, tok.idx + len(tok.text), state.named)
        if found is None and thing and full:  # open IE keeps "him", "it" as written
            return Entity(text=tok.text, label=tok.text, type=EntityType.THING, key=thing_key(tok.lower_),
                          start=tok.idx, end=tok.idx + len(tok.text))
        return found
    span = arg_span(tok, full=full)
    poss = [c for c in tok.children if c.dep_ == "poss" and c.lower_ in PRONOUNS]
    if poss and tok.lemma_.lower() in COUNTRY_NOUNS:
        owner = ctx.resolve(poss[0].lower_, poss[0].text, None, None, speaker, direct=direct)
        if owner is not None and owner.type == EntityType.COUNTRY:
            return replace(owner, text=span.text, start=span.start_char, end=span.end_char)
        return ctx.country_of(owner, span.text, span.start_char, span.end_char)
    entity = normalize_thing(span, state.date) if thing else normalize_actor(span, state.date)
    if entity is not None:
        entity = ctx.canonical(entity)
    return entity


#: Nouns that make the object of "recognize X as …", "declare X …" a place.
PLACE_ROLE_NOUNS = frozenset({"capital", "city", "territory", "province", "region", "zone"})


def _named_as_place(verb: Token) -> bool:
    """"recognized Jerusalem as Israel's capital": the object is the city, not the state
    its name stands for elsewhere ("Jerusalem said")."""
    return any(c.dep_ == "prep" and c.lower_ == "as" and (o := pobj(c)) is not None
               and o.lemma_.lower() in PLACE_ROLE_NOUNS for c in verb.children)


def _unbound(tok: Token | None, party: Entity | None, actor: Entity, ctx: DocumentContext) -> Entity | None:
    """A plain pronoun object never means its own clause's subject ("called Scholz to congratulate
    him": not the caller, only "himself" would be): the most recent other person, else none."""
    if party is None or tok is None or tok.pos_ != "PRON" or tok.lower_.endswith(("self", "selves")):
        return party
    if party.key != actor.key or tok.lower_ not in PERSON_PRONOUNS:
        return None if party.key == actor.key else party
    return ctx.resolve(tok.lower_, tok.text, tok.idx, tok.idx + len(tok.text), besides=actor.key)


def _named_place(tok: Token | None, entity: Entity | None, date: str | None) -> Entity | None:
    """A party slot filled by a place name that no actor table knows ("shelled Homs",
    "sanctions on Crimea", which the recognizer may call an organization or a person): the
    place, to be geocoded (see `place_party`), not an actor of no country."""
    if tok is None or entity is None or entity.type not in (EntityType.ORGANIZATION, EntityType.PERSON) \
            or entity.country or entity.wikidata or entity.cameo_org or not is_place_name(tok):
        return entity
    return normalize_place(arg_span(tok), date)


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


@dataclass
class _Draft:
    """A clause turned into event fields, before its type is final (a frame or a negation
    may recode it once the sentence's other events are known)."""

    clause: cl.Clause
    etype: EventType | None
    specific: bool  # typed by a lexicon row for this object class or light-verb phrase
    self_reported: bool  # the actor says it ("the rebels said they will release …")
    lemma: str
    preps: tuple[str, ...]
    fields: dict = field(default_factory=dict)


def _governed(d: _Draft, by_verb: dict[int, _Draft]) -> tuple[EventType | None, _Draft | None]:
    """The event a framing verb governs: its infinitive's event ("threatened to impose"),
    else its event-noun object ("demanded the release", "called for a ceasefire")."""
    for x in d.clause.verb.children:
        if x.dep_ == "xcomp" and x.i in by_verb:
            return by_verb[x.i].etype, by_verb[x.i]
    target = d.clause.target
    if target is not None and not d.specific:
        entry = noun_event(target)
        if entry is not None:
            return event_types().get(entry.code), None
    return None, None


def _actor_row(actor: Entity) -> str:
    """Where the actor's code comes from: "; actor_code=RUSGOV (phoenix row)"."""
    return f"; actor_code={actor.cameo} ({actor.table} row)" if actor.table and actor.cameo else ""


def _finish(drafts: list[_Draft]) -> list[Event]:
    """Final types (frames, polarity, stated intent), governed content, confidence and
    explanation for a sentence's drafts."""
    by_verb: dict[int, _Draft] = {}
    for d in drafts:
        by_verb.setdefault(d.clause.verb.i, d)
    framed: dict[int, tuple[str, EventType, _Draft | None]] = {}  # draft index -> (frame, governed, its draft)
    for n, d in enumerate(drafts):
        frame = frame_of(d.lemma, d.preps)
        governed, inner = _governed(d, by_verb) if frame else (None, None)
        if frame and governed is not None:
            framed[n] = (frame, governed, inner)
    inner_verbs = {inner.clause.verb.i for _, _, inner in framed.values() if inner is not None}
    contents, dropped = fold(drafts)
    co_actors: dict[int, set] = {}
    for d in drafts:
        co_actors.setdefault(d.clause.verb.i, set()).add(d.fields["actor"].key)
    out = []
    for n, d in enumerate(drafts):
        if n in dropped:
            continue
        c, etype, fields, how = d.clause, d.etype, d.fields, ""
        if n in framed:
            frame, governed, inner = framed[n]
            etype, how = framed_type(frame, governed), f"; frame={frame} of {governed.code}"
        elif (recoded := polarity_type(c.verb, etype)) is not None:
            etype, how = recoded, f"; polarity=negated {d.etype and d.etype.code}"
        elif c.verb.i not in inner_verbs and (recoded := intent_type(
                c.verb, etype, c.modality, c.negated, self_reported=d.self_reported)) is not None:
            etype, how = recoded, f"; stated intent of {d.etype and d.etype.code}"
        content, rule = contents.get(n, (None, None))
        if content is not None:
            how += f"; content={rule}:{content.mode} {content.lemma}"
            fields = fill_from_content(fields, content, rule, co_actors.get(c.verb.i, set()))
        frame = duty_frame_of(c.verb, (c.target, c.recipient), rule)
        duty = stated_duty_type(frame, etype, content.event_type if content else None) if frame else None
        if duty is not None:  # "said Y must withdraw": a demand on Y (106)
            etype, how = duty, how + f"; frame={frame} of {content.lemma if content else 'duty'}"
        elif fields["target"] is not None and c.target is not None and c.target == accused_party(c.verb):
            etype, how = accusation_type(etype) or etype, how + "; accusation in speech"
        explanation = (f"rule={c.rule}; path={c.path}; modality={c.modality}"
                       f"{'; instrument=' + fields['instrument'].text if fields['instrument'] else ''}"
                       f"{'; negated' if c.negated else ''}{how}{_actor_row(fields['actor'])}"
                       f"{'; event_type=' + etype.code if etype else '; event_type=unknown'}")
        out.append(Event(**fields, modality=c.modality, event_type=etype, content=content,
                         explanation=explanation))
    return scored(out)


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


def _events_from_doc(doc: Doc, meta: DocMeta | None, open_ie: bool, statements: bool) -> list[Event]:
    meta = meta or DocMeta()
    ctx = DocumentContext()
    phrases = light_phrases()
    out: list[Event] = []
    doc_text = doc.text  # Doc.text joins every token: build it once per document
    last_speaker: tuple[int, Entity] | None = None
    colon_speaker: tuple[int, Entity] | None = None  # 'X said:' opens speech to paragraph end
    for si, sent in enumerate(doc.sents):
        if len(sent) > MAX_SENTENCE_TOKENS:  # a run-on "sentence" (tables, lists, lost punctuation)
            log.warning("%s: a sentence of %d tokens at character %d is longer than %d; "
                        "no events are taken from it", meta.id, len(sent),
                        sent.start_char + meta.offset, MAX_SENTENCE_TOKENS)
            continue
        text = sent.text.strip()
        if not text or is_boilerplate(text):
            continue
        para = doc_text.rfind("\n", 0, sent.start_char) + 1
        state = _Sentence(sent, ctx, meta.date, doc_text)
        seen: set[tuple] = set()
        drafts: list[_Draft] = []
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
            actor: Entity | None
            if speaker is not None and not direct and c.actor.lower_ in PLURAL_PRONOUNS and c.speaker is not None \
                    and c.speaker.tag_ in ("NNS", "NNPS"):
                # "officials claimed that they had attacked": number agreement with the speaker
                actor = replace(speaker, text=c.actor.text, start=c.actor.idx, end=c.actor.idx + len(c.actor))
            else:
                actor = _resolve(c.actor, state, speaker, thing=False, full=open_ie, direct=direct)
            instrument = None
            if actor is None and (c.actor.pos_ in ("NOUN", "PROPN") or c.actor.tag_ == "VBG") \
                    and is_material(c.verb):
                tool = instrument_actor(arg_span(c.actor), meta.date)  # "an airstrike killed"
                if tool is not None:
                    actor, instrument = tool
            if actor is None and open_ie:
                actor = _open_argument(c.actor, meta.date)
            if actor is None:
                continue
            if c.modality == "requested" and (speaker is None or speaker.key == actor.key) and any(
                    a.lower_ in OBLIGATION_AUX for a in c.verb.children):
                c.modality = "intended"  # "we must act" is one's own intent, "Y must act" a demand
            state.advance(c.actor.i + 1)
            if c.rule not in NON_SALIENT_RULES:  # a possessor or modified noun is no subject,
                (ctx.remember if c.modality == "requested" else ctx.remember_subject)(actor)  # nor one addressed
            target = (_resolve(c.target, state, speaker, thing=True, full=open_ie, direct=direct)
                      if c.target is not None else None)
            target = _unbound(c.target, target, actor, ctx)
            if c.target is not None and c.target == accused_party(c.verb) and not accuses(actor, target, c.actor):
                target = None  # "police said gunmen killed", "the army said its jets struck": a report
            if target is not None and c.target is not None and target.type == EntityType.COUNTRY and _named_as_place(c.verb):
                target = normalize_place(arg_span(c.target), meta.date) or target
            if target is None and c.target_clause is not None:
                span = c.target_clause
                target = Entity(text=span.text, label=span.text, type=EntityType.THING,
                                key=clause_key(span.start_char), start=span.start_char,
                                end=span.end_char)
            recipient = (_resolve(c.recipient, state, speaker, thing=True, direct=direct)
                         if c.recipient is not None else None)
            recipient = _unbound(c.recipient, recipient, actor, ctx)
            if c.actor.pos_ == "PRON" and bound_to_object(actor, c.verb, (target, recipient)):
                continue  # "as they confront ISIL" is not ISIL: a doubtful pronoun, no actor
            target = _named_place(c.target, target, meta.date)
            recipient = _named_place(c.recipient, recipient, meta.date)
            for party in (target, recipient):  # "pressure to the regime until it reassesses"
                if party is not None and party.type in COLLECTIVE_TYPES and c.rule not in NON_SALIENT_RULES:
                    ctx.remember_party(party)
            location = normalize_place(arg_span(c.location), meta.date) if c.location is not None else None
            action = _action(c.verb, c.light_object or c.event_noun, c.target_prep)
            light = predicate_word(c.light_object) if c.light_object is not None else None
            obj_class = object_class(c.event_noun or c.target) if c.target is not None else None
            if obj_class is None and target is not None and target.type not in NON_PARTIES:
                obj_class = "actor"  # "called Erdogan": a party as the direct object
            preps = verb_preps(c.verb)
            to_actor = recipient is not None and recipient.type not in NON_PARTIES | {None}
            etype = nominal_type(c.verb, c.verb if c.rule == "noun-event" else c.event_noun or c.target,
                                 light_object=c.light_object is not None, obj_class=obj_class,
                                 is_noun_event=c.rule == "noun-event") \
                or classify(action.lemma, light, obj_class, preps, to_actor=to_actor)
            if etype is None and not open_ie and names_no_event(action.lemma, light):
                continue  # "ensured fairness", "faced charges": no event between parties
            key = (actor.key, action.lemma, target.key if target else None, c.verb.i)
            if key in seen:
                continue
            seen.add(key)
            time = None
            if c.times:
                time = TimeRef(text=c.times[0].text, value=normalize_time(
                    c.times[0].text, meta.date, future=c.modality == "future"))
            if c.verb.lemma_ in SPEECH_VERBS:
                if quoted:  # a quote that opens a later sentence goes on what they said,
                    last_speaker = (si, actor)  # not on "ISIL claimed the attack"
                nxt = c.verb.nbor(1) if c.verb.i + 1 < len(doc) else None
                if nxt is not None and nxt.text == ":":
                    colon_speaker = (para, actor)
            off = meta.offset
            if not statements and _is_report(action.lemma, etype, target, recipient) \
                    and not (c.target is not None and c.target == duty_topic(c.verb)):
                continue  # "officials said": only the attribution of the events they report
            drafts.append(_Draft(c, etype, self_reported=speaker is not None and speaker.key == actor.key,
                                 specific=light is not None or etype != classify(
                action.lemma, None, None, preps), lemma=action.lemma, preps=preps, fields=dict(
                doc=meta.id,
                sentence=Sentence(text=text, start=sent.start_char + off, end=sent.end_char + off),
                actor=shifted(actor, off), action=shifted(action, off), target=shifted(target, off),
                recipient=shifted(recipient, off), location=shifted(location, off), time=time,
                negated=c.negated,
                attribution=shifted(speaker, off) if speaker is not None and speaker.key != actor.key else None,
                instrument=shifted(instrument, off), doc_date=meta.date,
                extra=_open_extra(c) if open_ie else {})))
        out.extend(_finish(drafts))
        state.finish()
        ctx.next_sentence()
    return out
