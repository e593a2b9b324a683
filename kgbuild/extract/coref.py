"""Document-level coreference for actors: pronouns, surnames and "his country".

A deliberately small, rule-based resolver: it remembers the entities mentioned so far in
the document and maps a pronoun to the most recent compatible one; first-person plural
pronouns inside a quote go to the speaker's country or organization.
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from ..model import UNIDENTIFIED_AGENT, Entity, EntityType, country_key
from .actors import normalize_actor
from .lexicon import country_name
from .tokens import arg_span, is_passive

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS | FIRST_PLURAL | FIRST_SINGULAR
COLLECTIVE_TYPES = frozenset({EntityType.COUNTRY, EntityType.INTERNATIONAL_ORGANIZATION, EntityType.ORGANIZATION,
                              EntityType.GOVERNMENT, EntityType.ARMED_FORCE, EntityType.GROUP, EntityType.MEDIA})
#: Collectives whose own statements say "we" (states, their forces, organizations).
VOICE_TYPES = COLLECTIVE_TYPES - {EntityType.GROUP, EntityType.MEDIA}


class DocumentContext:
    """What has been said about whom so far in one document."""

    def __init__(self) -> None:
        self.history: list[Entity] = []
        self.people: dict[str, Entity] = {}
        self.subjects: list[tuple[int, Entity]] = []
        self.acted_on: set[str | None] = set()
        self.sentence = 0

    def next_sentence(self) -> None:
        """Advance the sentence counter (subjects stay salient for one more sentence)."""
        self.sentence += 1

    def remember_subject(self, entity: Entity) -> None:
        """Record the actor of an event: subjects are the most salient antecedents."""
        if entity.key:
            self.subjects.append((self.sentence, entity))
            self.remember(entity)

    def remember_party(self, entity: Entity) -> None:
        """Record a collective an event was aimed at: a party the text talks about, never
        the issuer of its statements (`author_voice`)."""
        self.acted_on.add(entity.key)
        self.remember(entity)

    def remember(self, entity: Entity | None) -> None:
        """Record a resolved mention (most recent last)."""
        if entity is None or not entity.key:
            return
        self.history.append(entity)
        if entity.type == EntityType.PERSON and " " in entity.label:
            self.people.setdefault(entity.label.split()[-1].casefold(), entity)

    def canonical(self, entity: Entity) -> Entity:
        """Merge a person known by surname only ("Mr Ozerov") with the full name seen before
        (also when NER took the bare surname for an organization)."""
        guessable = entity.type == EntityType.PERSON or (entity.key or "").startswith("org/")
        if guessable and " " not in entity.label:
            full = self.people.get(entity.label.casefold())
            if full is not None:
                return replace(full, text=entity.text, start=entity.start, end=entity.end)
        return entity

    def resolve(self, word: str, text: str, start: int | None, end: int | None,
                speaker: Entity | None = None, *, direct: bool = False) -> Entity | None:
        """The entity a pronoun (or "his country") refers to, or None if unsure.

        Args:
            speaker: who is reported as saying the clause, if anyone.
            direct: the clause is a direct quote (the speaker is "I"/"we" there, never "he").
        """
        low = word.casefold()
        found: Entity | None
        if speaker is not None and not direct and _compatible(low, speaker):
            # "Rwanda said it had no role": a third-person pronoun in reported speech
            # most often refers back to the speaker.
            return replace(speaker, text=text, start=start, end=end)
        if low in FIRST_PLURAL or low in FIRST_SINGULAR:
            if speaker is None:
                return None
            found = speaker if low in FIRST_SINGULAR else _collective_of(speaker)
            if low in FIRST_PLURAL and found.type == EntityType.PERSON:
                # A speaker of unknown affiliation: "we" is the institution they last named.
                found = self.author_voice(text, start, end) or found
        elif low in PERSON_PRONOUNS:
            found = self._last(lambda e: e.type == EntityType.PERSON)
        elif low in THING_PRONOUNS:
            found = self._last(lambda e: e.type in COLLECTIVE_TYPES)
        elif low in PLURAL_PRONOUNS:
            found = self._last(lambda e: e.type in COLLECTIVE_TYPES - {EntityType.COUNTRY})
        else:
            return None
        if found is None:
            return None
        return replace(found, text=text, start=start, end=end)

    def author_voice(self, text: str, start: int | None, end: int | None,
                     named_here: frozenset[str] = frozenset()) -> Entity | None:
        """Whom an unquoted "we" stands for in an institution's own statement ("The UK has
        worked … We are targeting …"): the collective that was the subject of this or one of
        the two sentences before, else the one named collective (a country or organization,
        not a role noun such as "forces") that has been a subject so far. None when that is
        doubtful: several named ones and none recent, only groups (armed groups, rebels,
        ethnic or religious groups do not issue the statements this reads), a party the text
        has aimed an event at (the regime it presses, the group it condemns), an
        organization no table knows and no role names (a people, "this group of Syrians"), or a
        candidate the sentence itself names (`named_here`: "We are consulting with the
        Government of Iraq" is not the Government of Iraq)."""
        known = [(n, e) for n, e in self.subjects if e.type in VOICE_TYPES
                 and e.key != UNIDENTIFIED_AGENT and e.key not in self.acted_on
                 and (e.table or e.role or e.type != EntityType.ORGANIZATION)]  # not "Syrians", a people
        recent = [e for n, e in known if n >= self.sentence - 2]
        voices = {e.key: e for _, e in known if not (e.key or "agent/").startswith("agent/")}
        found = recent[-1] if recent else next(iter(voices.values())) if len(voices) == 1 else None
        if found is None or found.key in named_here:
            return None
        return replace(found, text=text, start=start, end=end)

    def country_of(self, entity: Entity | None, text: str, start: int | None,
                   end: int | None) -> Entity | None:
        """The country of an actor, for "his country" / "its country"."""
        if entity is None or not entity.country:
            return None
        for e in reversed(self.history):
            if e.type == EntityType.COUNTRY and e.country == entity.country:
                return replace(e, text=text, start=start, end=end, role="GOV",
                               key=country_key(entity.country))
        return Entity(text=text, label=country_name(entity.country), type=EntityType.COUNTRY, country=entity.country,
                      role="GOV", key=country_key(entity.country), start=start, end=end)

    def _last(self, ok) -> Entity | None:
        """The most recent compatible subject of this or the previous sentence, else the
        most recent compatible mention (a centering-style salience order)."""
        # what this sentence calls "we"/"I" is not what it calls "it"/"they"/"he"
        speaking = {e.key for n, e in self.subjects
                    if n == self.sentence and e.text.casefold() in FIRST_PLURAL | FIRST_SINGULAR}
        for n, e in reversed(self.subjects):
            if n < self.sentence - 1:
                break
            if ok(e) and e.key not in speaking:
                return e
        for e in reversed(self.history):
            if ok(e) and e.key not in speaking:
                return e
        return None


def _compatible(pronoun: str, entity: Entity) -> bool:
    if pronoun in PERSON_PRONOUNS:
        return entity.type == EntityType.PERSON
    if pronoun in THING_PRONOUNS:
        return entity.type in COLLECTIVE_TYPES
    if pronoun in PLURAL_PRONOUNS:
        return entity.type in COLLECTIVE_TYPES - {EntityType.COUNTRY}
    return False


def _collective_of(speaker: Entity) -> Entity:
    """Whom a speaker's "we" stands for: a person's country, else the speaker itself."""
    if speaker.type == EntityType.PERSON and speaker.country:
        return Entity(text=speaker.text, label=country_name(speaker.country), type=EntityType.COUNTRY,
                      country=speaker.country, role="GOV", key=country_key(speaker.country))
    return speaker


def is_expletive(tok: Token) -> bool:
    """"It is recommended to dial in", "it was agreed that …", "it is important to …": an
    "it" whose clause puts its real subject after the verb refers to nothing."""
    head = tok.head
    if tok.lower_ != "it" or tok.dep_ not in ("nsubj", "nsubjpass") or not (
            is_passive(head) or head.lemma_ == "be"):
        return False
    heads = [head] + [c for c in head.children if c.dep_ == "acomp"]
    return any(c.dep_ in ("xcomp", "ccomp") and c.i > head.i for h in heads for c in h.children)


def thing_antecedent(tok: Token, date: str | None) -> bool:
    """True when the nearest subject before an "it" (in its sentence or the one before) is a
    thing, not an actor: "The report makes grim reading: it details attacks", "Although the
    deterioration will be a setback, it will not change …" — "it" is then that thing."""
    sent_start = tok.sent.start
    first = tok.doc[sent_start - 1].sent.start if sent_start > 0 else 0
    for t in reversed(tok.doc[first:tok.i]):
        if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ not in THING_PRONOUNS:
            return t.pos_ == "NOUN" and normalize_actor(arg_span(t), date) is None
    return False


def bound_to_object(actor: Entity, verb: Token, parties: tuple[Entity | None, ...]) -> bool:
    """A pronoun subject resolved to what its own verb acts on ("as they confront ISIL and
    its violence", "they" resolved to ISIL): the resolution is doubtful, as a plain pronoun
    object never means its clause's subject either. Checked by key against the resolved
    parties and by name against the words of every object phrase of the verb."""
    if any(p is not None and p.key == actor.key for p in parties):
        return True
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative", "attr")] + [
        o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    name = re.compile(rf"\b{re.escape(actor.label)}\b", re.IGNORECASE)
    return any(name.search(verb.doc[n.left_edge.i:n.i + 1].text)  # the phrase up to its head
               for o in objects for n in [o, *o.conjuncts])
