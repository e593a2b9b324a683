"""Normalizing argument spans to entities: countries by name, capital, demonym and
metonym; organizations; persons with role and affiliation; things by their head noun."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from ..model import (Entity, EntityType, agent_key, country_key, organization_key, person_key, place_key,
                     slug, thing_key)
from .aliases import PLACE_ENTS, alias_in, country_by_name, lookup
from .lexicon import (ActorEntry, AgentNoun, agent_nouns, load_actor_index, object_classes, role_nouns,
                      word_class)
from .parties import role_lemma
from .persons import strip_honorific, table_beats_ner, with_affiliation
from .tokens import arg_span, entities_in, hyphenated, per_span, pobj

#: Entity labels that name actors; places; things.
ACTOR_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
THING_TYPES = {"weapon": EntityType.WEAPON, "facility": EntityType.FACILITY, "force": EntityType.ARMED_FORCE}
#: Heads that stand for a part of the group named in their "of" phrase ("members of the
#: junta", "thousands of protesters", "a delegation of the ruling party").
PARTITIVES = frozenset({"member", "delegation", "thousand", "hundred", "dozen", "score", "million",
                        "number", "some", "many", "most", "all", "part", "section", "team",
                        "group", "contingent", "unit", "wing", "faction", "representative",
                        "band", "couple", "handful", "majority", "minority", "rest", "remnant",
                        "one", "two", "three", "several", "few", "each", "both", "none"})
#: Nouns that measure or group what their "of" phrase names ("tons of medicine").
QUANTITY_NOUNS = PARTITIVES | frozenset({"ton", "tonne", "kilogram", "kg", "shipment", "batch",
                                         "consignment", "load", "convoy", "package", "billion",
                                         "cargo", "quantity", "amount", "lot", "set", "squad",
                                         "platoon", "company", "fleet"})
#: Attacks and weapons as subjects ("an airstrike killed …"): CAMEO roots of the violence
#: they can do (17 coerce, e.g. destroy property; 18 assault; 19 fight; 20 mass violence).
ATTACK_ROOTS = frozenset({"17", "18", "19", "20"})


def entity_from_entry(entry: ActorEntry, span: Span, role: str | None = None,
                      name: Span | None = None) -> Entity:
    kind = entry.type
    if entry.source == "phoenix" and kind != EntityType.COUNTRY and name is not None:
        # Phoenix codes, kgbuild or the text names: "Sergei Lavrov", not Phoenix's "Sergey Lavrov"
        own = [e for e in load_actor_index()[entry.alias.casefold()] if e.source != "phoenix"]
        label = own[0].label if own else strip_honorific(name).removeprefix("the ").removeprefix("The ")
        entry = replace(entry, label=label, wikidata=own[0].wikidata if own else None)
    if kind == EntityType.PERSON:
        key = person_key(entry.label)
    elif kind == EntityType.COUNTRY:
        key = country_key(entry.country)
    else:
        key = organization_key(entry.label)
    role = role or entry.role
    if kind == EntityType.COUNTRY and role and role != "GOV":
        key = country_key(entry.country, role)
    return Entity(text=span.text, label=entry.label, type=kind, country=entry.country,
                  role=role, cameo_org=entry.cameo_org if role == entry.role else None,
                  key=key, wikidata=entry.wikidata, start=span.start_char, end=span.end_char,
                  table=entry.source)


def _head_words(span: Span) -> list[Token]:
    head = span.root
    keep = [t for t in span if t.i < head.i and t.head.i >= t.i and
            (t.dep_ == "compound" or t.pos_ == "PROPN") and t.ent_type_ not in ("CARDINAL",)]
    return [t for t in keep if t.head == head or t.head in keep] + [head]


def head_noun_phrase(span: Span) -> str:
    """A short label: proper nouns and compounds before the head, then the head
    ('nuclear-capable Iskander missiles' -> 'Iskander missiles')."""
    return " ".join(t.text for t in _head_words(span))


def head_noun_key(span: Span) -> str:
    """An identity for a thing that ignores number and modifiers: the head-noun phrase
    with the head lemmatized ('the new Iskander missiles' -> 'iskander-missile')."""
    words = _head_words(span)
    return slug(" ".join([t.text for t in words[:-1]] + [words[-1].lemma_ or words[-1].text]))


#: Person nouns that take their role from a role-noun modifier ("militia leader"); the
#: collective nouns whose role says too little to pass on ("party leader", "group head").
OFFICE_HEADS = word_class("office_head")
COLLECTIVE_NOUNS = frozenset({"party", "group", "organization", "organisation", "movement",
                              "faction", "state", "country", "nation", "family"})
#: Longest Phoenix agent phrase tried, in words ("anti government political activist").
AGENT_WORDS = 5


def _role_of(span: Span, agents: bool = True) -> tuple[str, str, str] | None:
    """(role, type, noun) from the first role noun in the span ('prime minister' first);
    with `agents`, a Phoenix agent phrase of several words that the span's head ends comes
    before the head alone ("peacekeeping troops" before "troops"), and a one-word agent
    after kgbuild's nouns (see `_agent_of`)."""
    nouns = role_nouns()
    lemmas = [t.lemma_.lower() for t in span]
    for i in range(len(lemmas) - 1):
        pair = f"{lemmas[i]} {lemmas[i + 1]}"
        if pair in nouns:
            return (*nouns[pair], pair)
    agent = _agent_of(span) if agents else None
    if agent and " " in agent[0]:
        return agent[1].role, agent[1].type, agent[0]
    head = role_lemma(span.root)
    if head in OFFICE_HEADS:  # "militia leader", "police spokesman": the modifier's role
        for tok in span.root.children:
            word = tok.lemma_.lower()
            if tok.dep_ == "compound" and word in nouns and word not in COLLECTIVE_NOUNS:
                return (nouns[word][0], nouns[head][1], head)
    if head is not None:
        return (*nouns[head], head)
    root = span.root.i
    for tok in span:  # premodifiers: "Secretary General Jens Stoltenberg", "Gen. Haftar"
        if tok.i < root and tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in nouns:
            return (*nouns[tok.lemma_.lower()], tok.lemma_.lower())
        title = agent_nouns().get(tok.lower_) if tok.i < root and tok.text.endswith(".") else None
        if title is not None:  # a Phoenix agent's abbreviated title
            return title.role, title.type, tok.lower_
    return (agent[1].role, agent[1].type, agent[0]) if agent else None


def _agent_of(span: Span) -> tuple[str, AgentNoun] | None:
    """The longest Phoenix agent phrase that ends with the span's common-noun head, words
    as written and the head lemmatized ("human rights activists" -> human rights activist)."""
    root = span.root
    if root.pos_ != "NOUN":
        return None
    agents = agent_nouns()
    words = [t.lower_ for t in span.doc[max(span.start, root.i - AGENT_WORDS + 1): root.i]]
    for n in range(len(words), -1, -1):
        for head in dict.fromkeys((root.lemma_.lower(), root.lower_)):  # Phoenix lists "troops" too
            phrase = " ".join([*words[len(words) - n:], head])
            if phrase in agents:
                return phrase, agents[phrase]
    return None


def _agent_code(span: Span, country: str | None, role: str) -> tuple[str | None, str, str | None]:
    """(country, role, cameo_org) of a role noun with its affiliation: a Phoenix agent's
    finer code goes after the role (GOVBUS), and an agent coded `[IGO~]` puts the country
    after the role (IGO + IND)."""
    agent = _agent_of(span)
    if agent is None or agent[1].role != role:
        return country, role, None
    if agent[1].country_first:
        return country, role, agent[1].rest or None
    return None, role, (country or "") + agent[1].rest or None


#: Alias types that stand for a state, so a role noun they modify is that state's agent
#: ("IDF soldiers" are Israel's); a group's role nouns are the group's ("SDF forces").
STATE_TYPES = frozenset({EntityType.COUNTRY, EntityType.GOVERNMENT, EntityType.ARMED_FORCE})
#: Prepositions that open a fronted place adverbial ("Near Ar Raqqah, five strikes …").
PLACE_PREPOSITIONS = frozenset({"near", "in", "at", "outside", "inside", "around", "across",
                                "throughout", "within", "beyond"})


@per_span
def normalize_actor(span: Span, date: str | None = None) -> Entity | None:
    """An actor entity for a noun phrase, or None when it names no actor.

    Examples: "Moscow" -> Russia (RUS, GOV); "a pro-Kremlin lawmaker" -> lawmaker, RUS, LEG;
    "Russian President Vladimir Putin" -> Vladimir Putin, RUS, GOV; "Nato troops" -> NATO, MIL.
    A phrase that opens with a preposition the tagger took for a name ("Near Ar Raqqah, …")
    is a place adverbial, never an actor.

    In order: a partitive's group ("members of the junta"); the alias table's name with the
    role noun the phrase has (`_role_for`, `_origin_of`); a name the tagger missed after a
    state's adjective (`_title_name`); a person (`_person_actor`); an alias as itself or as
    a role noun's affiliation (`_alias_actor`); else a named entity, a role noun or an
    acronym (`_unlisted_actor`).
    """
    if span[0].lower_ in PLACE_PREPOSITIONS and len(span) > 1 and not span[1].like_num:
        return None  # (not "around 3,000 fighters": a quantity)
    inner = _partitive_of(span)
    if inner is not None:
        found = normalize_actor(inner, date)
        if found is not None:
            return replace(found, text=span.text, start=span.start_char, end=span.end_char)
    root = span.root
    persons = [e for e in entities_in(span) if e.label_ == "PERSON" and e.start <= root.i < e.end]
    found = alias_in(span, date)
    role = _role_for(span, found)
    if not found and not persons and role is not None:
        found = _origin_of(root, date)  # "troops from the United States": the origin's agents
    if found and not (found[1].start <= root.i < found[1].end) and role is None:
        title = _title_name(span, found[1].end)
        if title is not None:  # "the Israeli NGO Israel Flying Aid": a name the tagger missed
            return Entity(text=span.text, label=title, type=EntityType.ORGANIZATION, country=found[0].country,
                          key=organization_key(title), start=span.start_char, end=span.end_char)
        # "Russian missiles", "Iskander missiles": a modifier names an actor, the phrase does not.
        found = None
    if not found and not persons and object_class(root) == "facility":
        return None  # "Tiyas Military Airfield" (NER: ORG, "military" a role word): a facility
    person = _person_actor(span, found, persons, role, date)
    if person is not None:
        return person
    if found:
        return _alias_actor(span, found, role)
    return _unlisted_actor(span, role, date)


def _role_for(span: Span, found: tuple[ActorEntry, Span] | None) -> tuple[str, str, str] | None:
    """The phrase's role noun, a Phoenix agent only when something names its affiliation:
    "Kurdish elders", "Indian peacekeeping troops" keep it; "communities" alone does not."""
    role = _role_of(span)
    if role and role[2] not in role_nouns() and not found and not any(
            e.label_ in ACTOR_ENTS for e in entities_in(span)):
        role = _role_of(span, agents=False)
    return role


def _person_actor(span: Span, found: tuple[ActorEntry, Span] | None, persons: list[Span],
                  role: tuple[str, str, str] | None, date: str | None) -> Entity | None:
    """A person, when the phrase names one: the alias table's person first, else the name
    the recognizer tagged unless the table's entry for the phrase beats it; None otherwise."""
    if found and found[0].type == EntityType.PERSON:
        person = entity_from_entry(found[0], span, role[0] if role else None,
                                   persons[-1] if persons else found[1])
        return _appositive_affiliation(with_affiliation(person, span.doc[span.start: found[1].start], date), span, date)
    if persons and not (found and table_beats_ner(found, persons[-1])):
        name = strip_honorific(persons[-1])
        country = found[0].country if found else None
        person = Entity(text=span.text, label=name, type=EntityType.PERSON, country=country,
                        role=role[0] if role else None, key=person_key(name),
                        start=span.start_char, end=span.end_char)
        return _appositive_affiliation(with_affiliation(person, span.doc[span.start: persons[-1].start], date), span, date)
    return None


def _alias_actor(span: Span, found: tuple[ActorEntry, Span], role: tuple[str, str, str] | None) -> Entity:
    """An alias the tables know: the affiliation of the role noun it modifies ("a
    pro-Kremlin lawmaker", "Nato troops"), else the alias's own entity."""
    entry, sub = found
    if role and sub.root != span.root and role[2] != "state":
        kind = role[1] if role[1] != EntityType.COUNTRY else entry.type
        label = f"{_role_word(span, role)} ({entry.label})"
        # keyed by the state for a state's alias ("Russian troops", "pro-Kremlin lawmaker"),
        # by the organization otherwise ("SDF forces" are not Syria's forces)
        owner = entry.country if entry.type in STATE_TYPES and entry.country else slug(entry.label)
        key = agent_key(role[0], role[2], owner)
        country, code, rest = _agent_code(span, entry.country, role[0])
        return Entity(text=span.text, label=label, type=kind, country=country,
                      role=code, cameo_org=rest, key=key, wikidata=None,
                      start=span.start_char, end=span.end_char, table=entry.source)
    return entity_from_entry(entry, span, name=sub)


def _unlisted_actor(span: Span, role: tuple[str, str, str] | None, date: str | None) -> Entity | None:
    """An actor no table lists: a named entity the recognizer tagged (`_named_actor`), else
    a role noun ("protesters"), else an unknown acronym ("ICE returned …"); None otherwise."""
    root = span.root
    named = [e for e in entities_in(span) if e.label_ in ACTOR_ENTS and (e.start <= root.i < e.end or role)]
    if named and object_class(root) == "weapon" and not role:
        named = []  # "a VBIED" tagged ORG: a weapon, whatever the recognizer says
    if named:
        return _named_actor(span, named[-1], role, date)
    if role:
        label = head_noun_phrase(span)
        _, code, rest = _agent_code(span, None, role[0])
        return Entity(text=span.text, label=label, type=role[1], role=code, cameo_org=rest,
                      key=agent_key(role[0], label),
                      start=span.start_char, end=span.end_char)
    if _is_acronym(root) and object_class(root) is None:
        # "ICE returned …": an unknown acronym names an organization (not "an IED", "a UAV")
        return Entity(text=span.text, label=root.text, type=EntityType.ORGANIZATION, key=organization_key(root.text),
                      start=span.start_char, end=span.end_char)
    return None


def _named_actor(span: Span, ent: Span, role: tuple[str, str, str] | None, date: str | None) -> Entity:
    """A named entity no table lists: the affiliation of a role noun ("Tamil protesters"),
    a country by its name, else an organization (ORG, NORP) or a place."""
    root = span.root
    by_name = country_by_name(ent.text) if ent.label_ == "GPE" else None
    label = ent.text.removeprefix("the ").removeprefix("The ")
    if role and not (ent.start <= root.i < ent.end):
        # "Tamil protesters", "Hamas fighters": the entity is the affiliation of a role noun.
        country, code, rest = _agent_code(span, by_name[0] if by_name else None, role[0])
        return Entity(text=span.text, label=f"{_role_word(span, role)} ({label})", type=role[1],
                      country=country, role=code, cameo_org=rest,
                      key=agent_key(role[0], role[2], by_name[0] if by_name else slug(label)),
                      start=span.start_char, end=span.end_char)
    if by_name:
        return Entity(text=span.text, label=by_name[1], type=EntityType.COUNTRY, country=by_name[0],
                      role="GOV", key=country_key(by_name[0]),
                      start=span.start_char, end=span.end_char)
    kind = EntityType.ORGANIZATION if ent.label_ in ("ORG", "NORP") else EntityType.PLACE
    return Entity(text=span.text, label=label, type=kind, role=role[0] if role else None,
                  country=_country_of_name(span, date) if kind != EntityType.PLACE else None,
                  key=organization_key(label), start=span.start_char, end=span.end_char)


def _title_name(span: Span, after: int) -> str | None:
    """The capitalized words (two or more) after a state's modifier up to the head, when the
    head is capitalized mid-sentence and the recognizer tagged no name there: the name of an
    organization ("Israeli NGO Israel Flying Aid" -> NGO Israel Flying Aid), not a common noun
    ("Russian missiles") nor a name the recognizer knows ("China Merchants Port")."""
    root = span.root
    words = [t for t in span.doc[after: root.i + 1] if not t.is_punct]
    if len(words) < 2 or root.is_sent_start or root.ent_type_ or root.tag_ not in ("NN", "NNS") or not all(
            t.is_title or t.is_upper for t in words) or all(t.is_upper for t in words):
        return None
    return " ".join(t.text for t in words)


def _origin_of(root: Token, date: str | None) -> tuple[ActorEntry, Span] | None:
    """The state or organization a role noun comes from ("troops from the United States",
    "doctors from Médecins Sans Frontières"): the alias its "from" phrase names."""
    for prep in root.children:
        obj = pobj(prep) if prep.dep_ == "prep" and prep.lower_ == "from" else None
        if obj is not None and obj.ent_type_ in ("GPE", "NORP", "ORG"):
            return alias_in(root.doc[obj.left_edge.i: obj.i + 1], date)
    return None


def _country_of_name(span: Span, date: str | None) -> str | None:
    """The country a group or organization the tables do not list is named by: a country's
    name or adjective before its head ("the U.S. Chamber of Commerce", "Iraqi Christians"),
    or a plural demonym as its head ("Nigerians")."""
    root = span.root
    before = alias_in(span.doc[span.start: root.i], date) if root.i > span.start else None
    if before is not None and before[0].type == EntityType.COUNTRY:
        return before[0].country
    entry = lookup(root.text[:-1], date) if root.text.endswith("s") and root.ent_type_ == "NORP" else None
    return entry.country if entry is not None and entry.type == EntityType.COUNTRY and not entry.role else None


def _is_acronym(tok: Token) -> bool:
    """An all-capital word of 2-6 letters in a sentence that is not itself all capitals."""
    word = tok.text.replace(".", "")
    return (2 <= len(word) <= 6 and word.isalpha() and word.isupper()
            and not tok.sent.text.isupper() and tok.ent_type_ not in PLACE_ENTS)


def _role_word(span: Span, role: tuple[str, str, str]) -> str:
    """The role noun as the mention has it ("rebels" for "Communist rebels"; the key stays
    singular), so a label says what the text said."""
    if " " in role[2] and role[2] not in role_nouns():  # a Phoenix agent phrase, as written
        n = role[2].count(" ") + 1
        return " ".join(t.lower_ for t in span.doc[max(span.start, span.root.i - n + 1): span.root.i + 1])
    return span.root.lower_ if role_lemma(span.root) == role[2] else role[2]


def _partitive_of(span: Span) -> Span | None:
    """The group a partitive head stands for ("members of the junta" -> "the junta")."""
    root = span.root
    if root.lemma_.lower() not in PARTITIVES and root.pos_ != "NUM":
        return None
    for prep in root.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            obj = pobj(prep)
            if obj is not None and span.start <= obj.i < span.end:
                inner = arg_span(obj)
                start = max(inner.start, root.i + 1)  # never the partitive itself ("Bank of X")
                return span.doc[start: min(inner.end, span.end)] if start < min(inner.end, span.end) else None
    return None


def _appositive_affiliation(person: Entity, span: Span, date: str | None) -> Entity:
    """A person of no known country or organization takes them, with the role, from an
    appositive role phrase: "Ali Kushayb, a Sudanese militia leader" (SDN, REB), "X, a
    spokesman for the WHO" (IGO, its code); a role phrase without them adds nothing."""
    if person.country or person.cameo_org or person.type != EntityType.PERSON:
        return person
    for child in span.root.children:
        if child.dep_ == "appos" and not span.start <= child.i < span.end:
            other = normalize_actor(arg_span(child), date)
            if other is None or not (other.key or "").startswith("agent/"):
                continue
            if other.country or other.cameo_org:
                return replace(person, country=other.country, role=other.role,
                               cameo_org=other.cameo_org)
            # "a spokesperson for the White House", "the president of the Red Cross"
            found = with_affiliation(replace(person, role=other.role), arg_span(child, full=True), date)
            if found.country or found.cameo_org:
                return found
    return person


def normalize_thing(span: Span, date: str | None = None) -> Entity:
    """A target: an actor when the phrase names one, otherwise a thing typed by its head."""
    actor = normalize_actor(span, date)
    if actor is not None:
        return actor
    label = head_noun_phrase(span)
    cls = object_class(span.root)
    return Entity(text=span.text, label=label, type=THING_TYPES.get(cls or "", EntityType.THING),
                  key=thing_key(head_noun_key(span)), start=span.start_char, end=span.end_char)


def object_class(head: Token) -> str | None:
    """The object class (weapon, force, aid, …) of a noun phrase's head, if known."""
    classes = object_classes()
    for word in (hyphenated(head), head.lemma_.lower(), head.text.lower()):
        if word in classes:
            return classes[word]
    for child in head.children:
        if child.dep_ == "compound" and child.lemma_.lower() in classes:
            return classes[child.lemma_.lower()]
    inner = quantity_of(head)
    return object_class(inner) if inner is not None else None


def quantity_of(head: Token) -> Token | None:
    """What a quantity or group noun measures ("13 tons of medicine", "a team of
    paratroopers", "dozens of artifacts"), else None."""
    if head.lemma_.lower() not in QUANTITY_NOUNS and head.pos_ != "NUM":
        return None
    return next((pobj(p) for p in head.children if p.dep_ == "prep" and p.lower_ == "of"), None)


def _named_of(span: Span) -> list[Span]:
    """The name in "the town of Tel Tamer" when the parser tagged no place in it."""
    for prep in span.root.children:
        obj = pobj(prep) if prep.dep_ == "prep" and prep.lower_ == "of" else None
        if obj is not None and obj.pos_ == "PROPN" and span.start <= obj.i < span.end:
            name = arg_span(obj)
            return [span.doc[max(name.start, obj.left_edge.i): min(name.end, span.end)]]
    return []


def normalize_place(span: Span, date: str | None = None) -> Entity:
    """A location: the named place inside the phrase if any ('the exclave of Kaliningrad'
    -> Kaliningrad), with its country when the alias table knows it."""
    places = [e for e in entities_in(span) if e.label_ in PLACE_ENTS] or _named_of(span)
    sub = places[-1] if places else span
    label = sub.text.removeprefix("the ") if places else head_noun_phrase(span)
    entry = lookup(sub.text, date)
    country = entry.country if entry else None
    if entry is None and places:
        by_name = country_by_name(sub.text)
        country = by_name[0] if by_name else None
    return Entity(text=span.text, label=label, type=EntityType.PLACE, country=country,
                  key=place_key(label), start=span.start_char, end=span.end_char)
