"""Where a clause's event happens: which noun phrases are places (`is_place`), the named
place a place phrase stands for (`specific_place`), the place of a party acted on
(`party_place`), and the place a clause shares with the clause it belongs to
(`shared_place`). `slots` fills the location slot with these, in the order its module
docstring gives."""
from __future__ import annotations

from spacy.tokens import Token

from .actors import ATTACK_ROOTS
from .coding import classify
from .parties import is_party, is_role_noun
from .places import is_place_name
from .tokens import OBJECT_DEPS, SUBJECT_DEPS, children_of, pobj

#: Prepositions whose object may be where the event happens ("clashes near Damascus").
LOCATION_PREPS = frozenset({"in", "at", "near", "inside", "across", "along", "within", "around",
                            "outside", "off", "over", "throughout", "from", "on", "to", "into",
                            "towards", "toward", "via", "through", "beyond", "behind"})
#: Prepositions on an object that give the event's place ("missiles in Kaliningrad").
OBJECT_LOCATION_PREPS = frozenset({"in", "at", "near", "inside", "along", "within", "outside"})
#: Head nouns that describe a place ("the border", "a village").
PLACE_NOUNS = frozenset({"border", "region", "city", "town", "village", "area", "province",
                         "coast", "sea", "exclave", "capital", "territory", "frontier",
                         "district", "island", "peninsula", "zone", "front", "port", "strait",
                         "waters", "airspace", "country", "state", "camp", "base", "governorate",
                         "oblast", "county", "prefecture", "fence", "countryside", "outskirts",
                         "outskirt", "suburb", "neighbourhood", "neighborhood"})
#: CAMEO codes of verbs whose object, when a place, is where the event happens: force and
#: violence ("shelled Homs", "seized Crimea") and visits ("visited Moscow").
PLACE_OBJECT_ROOTS = ATTACK_ROOTS
PLACE_OBJECT_CODES = frozenset({"042"})
#: Prepositions of an event phrase whose own place is the clause's ("during a visit to X").
EVENT_PREPS = frozenset({"during", "after", "before"})
#: How far down a chain of phrases a place is looked for ("during a week of bombardment of
#: an enclave near Damascus").
EVENT_DEPTH = 3
#: Clause links over which a clause without a place or subject of its own takes its head's:
#: a participle ("…, killing dozens"), an infinitive ("to help"), a conjoined verb ("killed
#: six and wounded four in X"). A clause with its own subject ("after X called") does not.
SHARED_PLACE_DEPS = frozenset({"advcl", "xcomp", "conj"})


def is_place(tok: Token) -> bool:
    """A noun phrase that names or describes a place: a place entity or place noun as head,
    or a head linked by "of" to one ("the heart of East Mosul"); a place word used as a
    modifier ("the US missile shield") does not count."""
    if is_place_name(tok):
        return True
    if tok.lemma_.lower() in PLACE_NOUNS:
        return True
    if is_role_noun(tok):  # "the government of Peru" is a party, not a place
        return False
    for prep in children_of(tok, frozenset({"prep"})):
        if prep.lower_ == "of":
            obj = pobj(prep)
            if obj is not None and obj.ent_type_ in ("GPE", "LOC", "FAC"):
                return True
    return False


def find_place(tok: Token, depth: int = 2, *, own: bool = True) -> Token | None:
    """`tok` if it is a place (with `own`), else the first place down its prepositional
    chain ("the margins of the UNGA meeting in New York" -> New York's phrase)."""
    if own and is_place(tok):
        return tok
    if depth == 0:
        return None
    for prep in children_of(tok, frozenset({"prep"})):
        if prep.lower_ in LOCATION_PREPS | {"of"}:
            obj = pobj(prep)
            found = find_place(obj, depth - 1) if obj is not None else None
            if found is not None:
                return found
    return None


def is_named(tok: Token) -> bool:
    """A place phrase that names its place ("Kandahar", "the province of Herat")."""
    return is_place_name(tok) or any(
        prep.lower_ == "of" and (obj := pobj(prep)) is not None and is_place_name(obj)
        for prep in children_of(tok, frozenset({"prep"})))


def specific_place(tok: Token, depth: int = 2) -> Token:
    """The named place a place phrase stands for, when it has one below it: "an army base
    in Kandahar province" -> Kandahar province, "an island near Istanbul" -> Istanbul, "the
    capital Mogadishu" -> Mogadishu, "the Gaza fence" -> Gaza, "Yemen's southern
    governorates" -> Yemen; else `tok` itself."""
    if is_named(tok):
        return tok
    if is_role_noun(tok):  # "the Congo government", "US troops": a party, not a place
        return tok
    for deps in (("appos", "compound"), ("poss",)):
        for child in tok.children:
            if child.dep_ in deps and is_place_name(child):
                return child
    if depth > 0:
        for prep in children_of(tok, frozenset({"prep"})):
            obj = pobj(prep)
            if prep.lower_ in OBJECT_LOCATION_PREPS and obj is not None:
                found = specific_place(obj, depth - 1)
                if is_named(found):
                    return found
    return tok


def party_place(party: Token) -> Token | None:
    """Where a party acted on is: "an attack on the embassy in Kabul", "an assault on the
    old-city area of Mosul"; a party's "of" is its own ("the government of Sierra Leone",
    "President Zelenskyy of Ukraine", "the Republic of San Marino")."""
    if not is_party(party) or (is_place(party) and not party.ent_type_):
        return find_place(party, own=False)
    for prep in children_of(party, frozenset({"prep"})):
        obj = pobj(prep)
        if prep.lower_ in OBJECT_LOCATION_PREPS and obj is not None:
            found = find_place(obj)
            if found is not None:
                return found
    return None


def acts_on_place(verb: Token) -> bool:
    """A verb whose object, when a place, is where the event happens (PLACE_OBJECT_ROOTS)."""
    etype = classify(verb.lemma_.lower(), None, None)
    return etype is not None and (etype.root in PLACE_OBJECT_ROOTS or etype.code in PLACE_OBJECT_CODES)


def subject_preps(verb: Token) -> list[Token]:
    """Place and event phrases on the verb's subject ("a car bomb in Kiev killed", "the
    office during a briefing in Islamabad welcomed")."""
    return [p for subj in children_of(verb, SUBJECT_DEPS) for p in children_of(subj, frozenset({"prep"}))
            if p.lower_ in OBJECT_LOCATION_PREPS | EVENT_PREPS]


def own_place(verb: Token) -> Token | None:
    """The place an in/near/at phrase on the verb, its object or its subject names (for
    SHARED_PLACE_DEPS)."""
    preps = children_of(verb, frozenset({"prep"})) + subject_preps(verb)
    for obj in children_of(verb, OBJECT_DEPS):
        if acts_on_place(verb) and is_place(obj):
            return obj
        preps += children_of(obj, frozenset({"prep"}))
    for prep in preps:
        named = pobj(prep)
        if prep.lower_ in OBJECT_LOCATION_PREPS and named is not None and named.ent_type_ not in ("DATE", "TIME"):
            found = find_place(named)
            if found is not None:
                return found
    return None


def shared_place(verb: Token, depth: int = 3) -> Token | None:
    """The place of the clause `verb` belongs to: its heads' over SHARED_PLACE_DEPS ("struck
    Gaza, killing one and injuring four"), the noun a relative clause describes ("a rocket
    attack in Iraq that killed", "Paris, where he gave a speech"), or a conjoined verb's
    ("killed six soldiers and wounded four others in an ambush in X")."""
    tok = verb
    for _ in range(depth):
        if tok.dep_ == "relcl" and tok.head != tok:
            noun = tok.head
            where = any(c.lower_ == "where" for c in tok.children)
            return noun if where and is_place(noun) else party_place(noun)
        if tok.dep_ not in SHARED_PLACE_DEPS or tok.head == tok or children_of(tok, SUBJECT_DEPS):
            break
        tok = tok.head
        found = own_place(tok)
        if found is not None:
            return found
    for conj in children_of(verb, frozenset({"conj"})):
        if conj.pos_ in ("VERB", "AUX") and not children_of(conj, SUBJECT_DEPS):
            found = own_place(conj)
            if found is not None:
                return found
    return None
