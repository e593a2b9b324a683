"""A clause's tokens to entities in their sentence: pronouns through the document's
coreference context (only actors named earlier count), other noun phrases normalized as
actors or things, a pronoun object never its own clause's subject, and a place name that
no actor table knows kept as a place."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from ..model import Entity, EntityType, thing_key
from .actors import normalize_actor, normalize_place, normalize_thing
from .coref import (FIRST_PLURAL, PERSON_PRONOUNS, PRONOUNS, THING_PRONOUNS, DocumentContext, is_expletive,
                    thing_antecedent)
from .places import is_place_name
from .tokens import arg_span, entities_in, pobj
from .word_classes import RELATIVE_PRONOUNS

#: Marks that open or close a quotation ("we" inside one is the speaker, not the author).
DOUBLE_QUOTES = "\"“”"
#: Nouns a possessive pronoun makes its owner's state ("their government", "its army").
COUNTRY_NOUNS = frozenset({"country", "nation", "government", "state", "people", "army",
                           "military"})
#: Words spelled like pronouns that name actors ("US" is the country, never "us").
NOT_PRONOUNS = frozenset({"US", "U.S", "U.S."})
#: Pronoun-like quantifiers that head a noun phrase of their own ("some of the
#: peacekeepers", "those affected", "each of the providers"): not resolved as pronouns.
QUANTIFIERS = frozenset({"some", "many", "most", "all", "each", "both", "several", "few", "those",
                         "these", "any", "none", "one", "others", "either", "neither"})


class SentenceMentions:
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


def resolve(tok: Token, state: SentenceMentions, speaker: Entity | None, *, thing: bool,
             full: bool = False, direct: bool = False) -> Entity | None:
    """The entity a token stands for: a pronoun through coreference (the author for an
    unquoted "we"), a country noun with a pronoun possessor as its owner's state, else the
    noun phrase normalized as an actor (or, with `thing`, as a thing)."""
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
        if found is None and speaker is None and tok.lower_ in FIRST_PLURAL and not is_quoted(
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


def named_as_place(verb: Token) -> bool:
    """"recognized Jerusalem as Israel's capital": the object is the city, not the state
    its name stands for elsewhere ("Jerusalem said")."""
    return any(c.dep_ == "prep" and c.lower_ == "as" and (o := pobj(c)) is not None
               and o.lemma_.lower() in PLACE_ROLE_NOUNS for c in verb.children)


def unbound(tok: Token | None, party: Entity | None, actor: Entity, ctx: DocumentContext) -> Entity | None:
    """A plain pronoun object never means its own clause's subject ("called Scholz to congratulate
    him": not the caller, only "himself" would be): the most recent other person, else none."""
    if party is None or tok is None or tok.pos_ != "PRON" or tok.lower_.endswith(("self", "selves")):
        return party
    if party.key != actor.key or tok.lower_ not in PERSON_PRONOUNS:
        return None if party.key == actor.key else party
    return ctx.resolve(tok.lower_, tok.text, tok.idx, tok.idx + len(tok.text), besides=actor.key)


def named_place(tok: Token | None, entity: Entity | None, date: str | None) -> Entity | None:
    """A party slot filled by a place name that no actor table knows ("shelled Homs",
    "sanctions on Crimea", which the recognizer may call an organization or a person): the
    place, to be geocoded (see `place_party`), not an actor of no country."""
    if tok is None or entity is None or entity.type not in (EntityType.ORGANIZATION, EntityType.PERSON) \
            or entity.country or entity.wikidata or entity.cameo_org or not is_place_name(tok):
        return entity
    return normalize_place(arg_span(tok), date)


def is_quoted(text: str) -> bool:
    return any(q in text for q in DOUBLE_QUOTES)


def _paragraph(tok: Token, text: str) -> str:
    """The text of the paragraph (between line breaks) around a token."""
    start = text.rfind("\n", 0, tok.idx) + 1
    end = text.find("\n", tok.idx)
    return text[start: end if end >= 0 else len(text)]
