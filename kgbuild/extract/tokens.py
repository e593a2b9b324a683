"""Small helpers over spaCy tokens shared by the extraction rules: children by label,
prepositional objects, noun-phrase spans, coordination, and a per-document entity cache."""
from __future__ import annotations

import functools
from bisect import bisect_left
from contextlib import contextmanager

from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl",
                         "parataxis", "pcomp"})
COPULA_COMPLEMENTS = frozenset({"attr", "acomp"})
#: Dependents cut from an argument phrase: coordinated, relative, appositive parts.
_CUT_FROM_ARG = frozenset({"conj", "cc", "relcl", "acl", "appos", "punct", "advcl", "parataxis",
                           "prep", "preconj"})


_ENTS: dict[int, tuple[list[int], list[Span]]] = {}


_MEMO: dict[int, dict] = {}


@contextmanager
def cached_entities(doc: Doc):
    """Within the block, `entities_in` reads the document's entities from one list instead
    of letting spaCy rebuild `Doc.ents` for every span (which grows with document length),
    and functions decorated with `per_span` compute once per span."""
    ents = list(doc.ents) if doc.has_annotation("ENT_IOB") else []
    _ENTS[id(doc)] = ([e.start for e in ents], ents)
    _MEMO[id(doc)] = {}
    try:
        yield
    finally:
        _ENTS.pop(id(doc), None)
        _MEMO.pop(id(doc), None)


def per_span(func):
    """Memoize `func(span_or_token, *args)` per span or token of the document being
    processed (inside `cached_entities`); outside it, just call `func`."""
    @functools.wraps(func)
    def wrapper(span, *args):
        memo = _MEMO.get(id(span.doc))
        if memo is None:
            return func(span, *args)
        where = (span.start, span.end) if isinstance(span, Span) else (span.i,)
        key = (func.__name__, *where, *args)
        if key not in memo:
            memo[key] = func(span, *args)
        return memo[key]
    return wrapper


def entities_in(span: Span) -> list[Span]:
    """The named entities inside `span` (cached inside `cached_entities`)."""
    cached = _ENTS.get(id(span.doc))
    if cached is None:
        return list(span.ents)
    starts, ents = cached
    i = bisect_left(starts, span.start)
    out = []
    while i < len(ents) and ents[i].start < span.end:
        if ents[i].end <= span.end:
            out.append(ents[i])
        i += 1
    return out


def arg_span(head: Token, *, keep_of: bool = True, full: bool = False) -> Span:
    """The noun phrase headed by `head`, without coordinated, relative or appositive parts
    (with `full`, prepositional modifiers are kept: "four countries in Europe")."""
    doc = head.doc
    keep = {head.i}
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ == "prep" and (full or (keep_of and child.lower_ == "of" and tok == head)):
                pass
            elif child.dep_ in _CUT_FROM_ARG:
                continue
            keep.add(child.i)
            stack.append(child)
    lo, hi = min(keep), max(keep)
    if head.ent_iob_ in ("B", "I"):  # never split the head's named entity ("Omar al-Bashir"
        start, end = head.i, head.i  # parsed as three subjects)
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I":
            end += 1
        lo, hi = min(lo, start), max(hi, end)
    while lo < hi and (doc[lo].is_punct or doc[lo].dep_ == "cc"):
        lo += 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    return doc[lo: hi + 1]


def conjuncts(tok: Token) -> list[Token]:
    """`tok` and the tokens coordinated with it ("S-400 … and Iskander missiles")."""
    out = [tok]
    for c in tok.conjuncts:
        if c.i > tok.i and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X"):
            out.append(c)
    return out


def children_of(tok: Token, deps: frozenset[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


#: Participles that news writes as adjectives before a titled name ("the visiting Saudi
#: crown prince", "against outgoing President X"): the parser may take them for verbs.
PARTICIPIAL_ADJECTIVES = frozenset({"visit", "visiting", "outgoing", "outgo", "incoming",
                                    "warring", "war"})
#: Titles that show the name after such a participle is a person, not a place visited.
TITLES = frozenset({"president", "prime", "minister", "king", "prince", "crown", "chancellor",
                    "premier", "secretary", "general", "queen", "sheikh", "emir", "pope",
                    "foreign", "defence", "defense", "vice", "envoy", "leader"})


def pobj(prep: Token) -> Token | None:
    """The object of a preposition, also when a participial adjective the parser took for
    a verb stands between them ("a lawsuit against visiting Crown Prince X" -> X)."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if objs:
        return objs[0]
    named = [o for c in prep.children if is_participial_adjective(c)
             for o in c.children if o.dep_ == "dobj"]
    return named[0] if named else None


def is_participial_adjective(tok: Token) -> bool:
    """A participle used as an adjective before a titled name, which the parser read as a
    verb with the name as its object ("against visiting Saudi Crown Prince X"; not "accused
    of visiting Syria", where no title follows)."""
    if tok.tag_ != "VBG" or tok.lemma_.lower() not in PARTICIPIAL_ADJECTIVES:
        return False
    return any(o.dep_ == "dobj" and o.pos_ == "PROPN" and o.left_edge.i == tok.i + 1
               and any(t.lower_ in TITLES for t in tok.doc[tok.i + 1:o.i]) for o in tok.children)


def is_predicate(tok: Token) -> bool:
    """A verb that heads a clause of its own: a word the tagger tags as a verb (VB*), not a
    punctuation mark or the prefix of a hyphenated word ("re" of "re-open") it misread."""
    return tok.pos_ == "VERB" and tok.tag_.startswith("VB") and (
        tok.dep_ in CLAUSE_DEPS or tok.dep_ in SUBJECT_DEPS) and not is_word_piece(tok) \
        and not fails_agreement(tok) and not is_participial_adjective(tok)


def fails_agreement(verb: Token) -> bool:
    """A singular present verb (VBZ) with a plural subject is a plural noun the tagger
    misread ("about 4,300 Hopi and Navajo households", "two Kurdish villages"): coordinated
    subjects or a number above one cannot take "-s" ("Russia and China says" is no English)."""
    if verb.tag_ != "VBZ":
        return False
    for subj in children_of(verb, frozenset({"nsubj"})):
        if any(c.dep_ == "conj" for c in subj.children):
            return True
        if any(c.dep_ == "nummod" and c.like_num and c.lower_ not in ("one", "1") for c in subj.children):
            return True
    return False


def is_word_piece(tok: Token) -> bool:
    """A hyphen, or the part of a word before a hyphen ("re-open", "co-operate")."""
    if tok.is_punct or not tok.is_alpha:
        return True
    doc = tok.doc
    return not tok.whitespace_ and tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-"


def is_passive(verb: Token) -> bool:
    """A verb in the passive voice ("was attacked")."""
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)


def is_bare_participle(verb: Token) -> bool:
    """A past participle the parser took for the main verb of its noun: "Twelve sailors,
    held hostage for a month, were freed" (the sailors are held, they hold no one). It
    stands right after its subject and a comma, with no auxiliary, and is tagged VBN or has
    the real verb conjoined after it ("were freed"). (A bare VBN elsewhere is often an
    active past the tagger misread: "Trump reneged on the accord".)"""
    subjects = children_of(verb, frozenset({"nsubj"}))
    if not subjects or verb.tag_ not in ("VBD", "VBN") \
            or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    doc = verb.doc
    if not (verb.i > 0 and doc[verb.i - 1].text == "," and subjects[0].right_edge.i in (verb.i - 2, verb.i - 1)):
        return False
    return verb.tag_ == "VBN" or any(
        c.dep_ == "conj" and any(a.dep_ in ("aux", "auxpass") for a in c.children) for c in verb.children)


def is_object_controlled(verb: Token, control_verbs: frozenset[str]) -> bool:
    """An infinitive the parser hung as a purpose clause on an object-control verb with an
    object ("pressure the regime to lift the sieges"): it is the verb's complement, done by
    the object, as in "urged Iran to halt". ("called X to congratulate him" is a phone call
    with a purpose: "call" asks only with "on".)"""
    head = verb.head
    return verb.dep_ == "advcl" and head != verb and head.lemma_ in control_verbs - {"call"} \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
        and bool(children_of(head, frozenset({"dobj"}))) and not children_of(verb, SUBJECT_DEPS)


def agent_of(verb: Token) -> Token | None:
    """The object of a passive verb's `by`-agent ("attacked by rebels" -> rebels)."""
    for c in verb.children:
        if c.dep_ == "agent":
            objs = children_of(c, frozenset({"pobj"}))
            if objs:
                return objs[0]
    return None


def hyphenated(tok: Token) -> str | None:
    """The word a hyphen split into a compound and a head ("cease-fire" -> "cease-fire",
    parsed as compound "cease", "-", head "fire"), else None."""
    if tok.i < 2:
        return None
    hyphen, first = tok.doc[tok.i - 1], tok.doc[tok.i - 2]
    if hyphen.text == "-" and not hyphen.whitespace_ and not first.whitespace_ and first.head == tok:
        return f"{first.lower_}-{tok.lemma_.lower()}"
    return None
