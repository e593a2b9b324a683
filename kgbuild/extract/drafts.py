"""A sentence's event drafts to its events: the clause's type recoded by a frame, a
negation or a stated intent once the sentence's other drafts are known, governed content
folded into its governor's event, duties and accusations in speech, then confidence and
the explanation of each event."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Entity, Event, EventType
from . import clauses as cl
from .coding import accusation_type, frame_of, framed_type, intent_type, polarity_type, stated_duty_type
from .confidence import scored
from .governed import duty_frame_of, fill_from_content, fold
from .lexicon import event_types
from .parties import noun_event
from .speech import accused_party


@dataclass
class Draft:
    """A clause turned into event fields, before its type is final (a frame or a negation
    may recode it once the sentence's other events are known)."""

    clause: cl.Clause
    etype: EventType | None
    specific: bool  # typed by a lexicon row for this object class or light-verb phrase
    self_reported: bool  # the actor says it ("the rebels said they will release …")
    lemma: str
    preps: tuple[str, ...]
    fields: dict = field(default_factory=dict)


def _governed(d: Draft, by_verb: dict[int, Draft]) -> tuple[EventType | None, Draft | None]:
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


def finish(drafts: list[Draft]) -> list[Event]:
    """Final types (frames, polarity, stated intent), governed content, confidence and
    explanation for a sentence's drafts."""
    by_verb: dict[int, Draft] = {}
    for d in drafts:
        by_verb.setdefault(d.clause.verb.i, d)
    framed: dict[int, tuple[str, EventType, Draft | None]] = {}  # draft index -> (frame, governed, its draft)
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
