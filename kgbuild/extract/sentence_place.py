"""The place of the sentence, for an event whose own clause names no place it can geocode.

Event coders locate an event at the place its sentence names when the clause itself says
nothing of where (ICEWS and Phoenix geocode by sentence): "Protest leaders in Sudan agreed
to end the strike" happened in Sudan, "the Taliban claimed the attack in Kandahar" is
placed at Kandahar. After the clause rules, geocoding and place parties, an event whose
location is missing or could not be geocoded takes, in order:

1. the nearest place inside its own location's phrase ("the town of Sumisip, Basilan" ->
   Basilan, "Afghanistan's area of Parcha" -> Afghanistan): a name the gazetteer lacks is
   placed at the place around it;
2. when it has no location, the place of the sentence nearest to its verb in the
   dependency tree (one in the verb's own phrases before one up the tree at the same
   distance); when its location is a generic noun ("the border", "two camps") or a site no
   gazetteer knows ("Amirabad Prison"), the nearest such place of its own clause only (not
   of a relative clause, a participle describing a noun, or a clause with its own subject
   below it: "clashed on the streets of the capital after the court ordered the release of
   an ex-president living in exile in Britain" is not in Britain).
Never up out of a clause with its own subject: "troops remained on alert in Manila after
gunmen tried to set off bombs" does not put the bombs in Manila.

The places of a sentence (`sentence_places`) are its names that stand as places:
- after a preposition of place ("in Syria", "near Damascus"; "to" where someone goes: "a
  visit to Paris", "sent troops to Mali"), as the object of an attack or a visit ("hits
  Beirut"), as the modifier of an attack ("the Ghazni attack"), or as the possessor,
  modifier, apposition or "of" of such a phrase ("Saudi Arabia's Jizan region", "the city
  of Homs", "Kabul, Afghanistan"): any name the gazetteer knows, whatever the entity
  recognizer calls it, but not "the North" and not part of a longer name ("the Republic of
  Korea");
- elsewhere, a city or region of a country that the recognizer tags as a place and that is
  neither a subject nor a modifier ("aid deliveries to Gaza", not "Europe would follow" or
  "a Utah man"), and never a name the actor table reads as a state or its government
  ("talks with Washington", "Moscow blocked the push"): those stand for a party there.
A name inside the event's actor is never its place. A place found this way is only the
location, never a party (those come from the clause, `place_party`); the explanation says
`location=the sentence's place: <name> -> ...`.
"""
from __future__ import annotations

from collections import deque
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..model import Event
from .actors import normalize_place
from .aliases import lookup
from .events import shifted
from .gazetteer import gazetteer
from .parties import noun_event
from .places import COMPASS, PLACE_ENTS, REGION_WORDS, DocumentPlaces, is_place_name, name_of, resolve_place
from .locations import PLACE_OBJECT_ROOTS, acts_on_place, is_place
from .slots import MOTION_VERBS, names_country
from .tokens import OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, children_of

#: Prepositions after which a name is where something is or happens.
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout",
                         "within", "around", "along", "off", "into", "nearby", "beside"})
#: Nouns after which "to" a place is where someone goes ("a visit to Paris").
DESTINATION_NOUNS = frozenset({"visit", "trip", "journey", "tour", "flight", "return", "mission",
                               "delegation", "deployment"})
#: Links from a name to the place phrase it belongs to ("Saudi Arabia's | Jizan region",
#: "the city of | Homs", "Kabul, | Afghanistan", "Somalia, | Ethiopia and Kenya").
_INNER = frozenset({"compound", "poss", "nmod", "appos", "conj", "npadvmod"})
#: Roles in which a name outside a phrase of place stands for a party or describes its head
#: ("Europe would follow", "a Utah man", "Kirkuk's governor"), not for where things happen.
NOT_PLACE_DEPS = SUBJECT_DEPS | frozenset({"compound", "poss", "amod", "nmod"})
#: Clause links a sentence's place is not looked for across, going down the tree: a clause
#: with a subject of its own, a relative clause, a participle describing a noun ("a
#: journalist who vanished in Istanbul", "an ex-president living in exile in Britain").
OWN_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "conj", "parataxis", "csubj"})
NOTE = "the sentence's place"


def _in_place_phrase(tok: Token) -> bool:
    """The name `tok` is part of a phrase of place: after a preposition of place (through
    the links of _INNER and "the city of"), or the modifier of an event noun ("the Ghazni
    attack")."""
    head = tok
    while head.head != head:
        up = head.head
        if head.dep_ == "pobj":
            prep = up.lower_
            if prep in PLACE_PREPS:
                return not (prep == "at" and names_country(head))  # "fired at Russia": the state
            if prep == "to":
                return up.head.lemma_.lower() in DESTINATION_NOUNS or (
                    up.head.pos_ == "VERB" and up.head.lemma_.lower() in MOTION_VERBS)
            if prep == "of" and is_place(up.head):  # "the city of Homs"
                head = up.head
                continue
            return False
        if head.dep_ in OBJECT_DEPS and acts_on_place(up):
            return True  # "hits Beirut": the place acted on (as in the clause rules)
        if head.dep_ == "compound" and up.pos_ == "NOUN" and _is_attack(up):
            return True  # "the Ghazni attack" (but "US funding", "Iran sanctions": a party's)
        if head.dep_ in _INNER and (head.dep_ == "conj" or is_place(up)):
            head = up
            continue
        return False
    return False


def _is_attack(noun: Token) -> bool:
    entry = noun_event(noun)
    return entry is not None and entry.code[:2] in PLACE_OBJECT_ROOTS


def _stands_as_place(tok: Token) -> bool:
    """A name that stands as a place in its sentence (see the module docstring)."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "PROPN":
        return False  # part of a longer name: "the Republic of Korea", "University of Aleppo"
    if _in_place_phrase(tok):
        return is_place_name(tok)
    if tok.dep_ in NOT_PLACE_DEPS or tok.ent_type_ not in PLACE_ENTS:
        return False
    text = name_of(tok).text.removeprefix("the ")
    found = gazetteer().candidates(text)
    return lookup(text) is None and bool(found) and all(f.country for f in found)


def sentence_places(sent: Span) -> list[Token]:
    """The last token of every name of `sent` that stands as a place."""
    out = []
    for tok in sent:
        if not (tok.ent_iob_ in ("B", "I") or tok.pos_ == "PROPN"):
            continue
        name = name_of(tok)
        if name[-1] == tok and name[0].text[:1].isupper() and name.text.removeprefix(
                "the ").casefold() not in COMPASS and _stands_as_place(tok):  # not "the North"
            out.append(tok)
    return out


def _own_subject(tok: Token) -> bool:
    """A clause with a subject of its own under another clause ("after gunmen tried to …")."""
    return tok.dep_ in OWN_CLAUSE_DEPS and bool(children_of(tok, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS))


def _closed(tok: Token) -> bool:
    """A clause of its own, which a sentence place is not looked for in (OWN_CLAUSE_DEPS)."""
    return tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBG")) or _own_subject(tok)


def _distances(start: Token, *, own_clause: bool) -> dict[int, int]:
    """Dependency-tree distance from `start` to the tokens of its sentence, never up out of
    a clause with its own subject (the place of "remained on alert in Manila" is not that
    of "after gunmen tried to set off bombs"); with `own_clause`, never down into a clause
    of its own either."""
    sent = start.sent
    seen = {start.i: 0}
    queue = deque([start])
    while queue:
        tok = queue.popleft()
        up = () if _own_subject(tok) else (tok.head,)
        for nxt in (*(c for c in tok.children if not (own_clause and _closed(c))), *up):
            if nxt.i not in seen and sent.start <= nxt.i < sent.end:
                seen[nxt.i] = seen[tok.i] + 1
                queue.append(nxt)
    return seen


def _ranked(start: Token, places: list[Token], *, inside: bool = False,
            own_clause: bool = False) -> list[Token]:
    """`places` nearest `start` first (its own subtree before the rest at one distance);
    with `inside`, only those of its subtree; with `own_clause`, see `_distances`."""
    dist = _distances(start, own_clause=own_clause)
    below = {t.i for t in start.subtree}
    kept = [p for p in places if p.i in dist and (not inside or p.i in below)]
    return sorted(kept, key=lambda p: (dist[p.i], p.i not in below, p.i))


def _phrase_head(span: Span) -> Token:
    """The head of the noun phrase a location's words belong to ("Buner" -> "district")."""
    head = span.root
    while head.dep_ in ("compound", "poss", "nmod") and head.head != head:
        head = head.head
    return head


def _place_span(tok: Token) -> Span:
    """The name of a place with the region word after it ("Baghlan province")."""
    name = name_of(tok)
    head = tok.head
    if head.i == name.end and head.dep_ != "ROOT" and head.lemma_.lower() in REGION_WORDS:
        return tok.doc[name.start: head.i + 1]
    return name


def _span(doc: Doc, start: int | None, end: int | None, offset: int) -> Span | None:
    if start is None or end is None:
        return None
    return doc.char_span(start - offset, end - offset, alignment_mode="expand")


def _needs_place(event: Event) -> bool:
    loc = event.location
    return loc is None or loc.lat is None


def locate_by_sentence(doc: Doc, events: list[Event], doc_id: str, date: str | None = None,
                       offset: int = 0) -> list[Event]:
    """The events of one Doc, those without a geocoded location placed by their sentence
    (see the module docstring). `offset` is the Doc's character offset in its document."""
    if not any(_needs_place(e) for e in events):
        return events
    where: DocumentPlaces | None = None
    by_sentence: dict[int, list[Token]] = {}
    out = []
    for event in events:
        verb = _span(doc, event.action.start, event.action.end, offset) if _needs_place(event) else None
        if verb is None:
            out.append(event)
            continue
        sent = verb.root.sent
        if sent.start not in by_sentence:
            by_sentence[sent.start] = sentence_places(sent)
        actor = _span(doc, event.actor.start, event.actor.end, offset)
        places = [p for p in by_sentence[sent.start]
                  if actor is None or not actor.start <= p.i < actor.end]
        loc = event.location
        own = _span(doc, loc.start, loc.end, offset) if loc is not None else None
        order = _ranked(_phrase_head(own), places, inside=True) if own is not None else []
        if loc is None or own is None or own.root.pos_ != "PROPN" or not gazetteer().candidates(loc.label):
            # none, "the border", "two LTTE camps", a site no gazetteer knows ("Amirabad Prison")
            order += [p for p in _ranked(verb.root, places, own_clause=own is not None) if p not in order]
        for place in order:
            where = where or DocumentPlaces(doc, doc_id, date, gazetteer())
            span = _place_span(place)
            named = normalize_place(span, date)
            if span[-1].lemma_.lower() in REGION_WORDS:  # "Idlib province", not the city
                named = replace(named, label=span.text.removeprefix("the "))
            named = shifted(named, offset)
            found, note = resolve_place(named, where, offset)
            if found.lat is not None:
                event = replace(event, location=found,
                                explanation=f"{event.explanation}; location={NOTE}: {note}")
                break
        out.append(event)
    return out

