"""Which tokens fill the target, recipient, location and time slots of a clause: direct
objects, datives, prepositional parties and places (on the verb, its object or an event
noun), with motion and giving verbs telling a place from a recipient.

The location, in order: a place acted on (the object of an attack or a visit: "shelled
Homs", "visited Moscow"); a place phrase on the verb, its object or its subject ("clashes
near Damascus", "a car bomb in Kiev killed"), also inside an event phrase ("during a visit
to Ramallah"); else the place of the clause it belongs to ("carried out strikes in Mosul,
killing dozens", "killed six soldiers and wounded four in Sumisip"). A name the gazetteer
knows is a place in these slots whatever the entity recognizer calls it (`is_place_name`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .actors import object_class, quantity_of
from .coding import is_material
from .parties import (GIVING_VERBS, OBJECT_PARTY_PREPS, RECEIVING_VERBS, WITHDRAWAL_VERBS, clausal_party,
                      is_party, noun_event, noun_party, object_agent, object_modifier_preps, owner_as_party,
                      reattached_party)
from .gazetteer import gazetteer
from .locations import (EVENT_DEPTH, EVENT_PREPS, LOCATION_PREPS, OBJECT_LOCATION_PREPS, PLACE_OBJECT_ROOTS,
                        acts_on_place, find_place, is_named, is_place, party_place, shared_place, specific_place,
                        subject_preps)
from .places import is_place_name, name_of
from .speech import accused_party, demand_addressee, duty_topic
from .tokens import (COPULA_COMPLEMENTS, OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, agent_of,
                     children_of, conjuncts, entities_in, is_passive, is_predicate, pobj)
from .lexicon import word_class
from .word_classes import SPEECH_VERBS

if TYPE_CHECKING:
    from .clauses import Clause

#: Prepositions that point an action at a party ("sanctions against Iran").
RECIPIENT_PREPS = frozenset({"to", "with", "against", "on", "at", "toward", "towards", "upon",
                             "into", "onto"})
#: Verbs that move their object (data/word_classes.tsv): "to" + a place is where it goes.
MOTION_VERBS = word_class("motion_verb")
#: Verbs that take no object (data/word_classes.tsv): they share none with a conjoined verb.
INTRANSITIVE_VERBS = word_class("intransitive_verb")
#: Object classes of things given rather than moved: "to" + a state is their recipient.
GIVEN_CLASSES = frozenset({"aid", "money", "weapon"})
#: Object classes that are moved, not handed over: "to" + a state is where they go.
MOVED_CLASSES = frozenset({"force", "peacekeeper", "diplomat"})
#: Nouns whose relative clause says when or how, not what is acted on ("in case the army
#: attacked", "the first time they met").
CIRCUMSTANCE_NOUNS = frozenset({"case", "event", "time", "moment", "day", "year", "way", "reason",
                                "extent", "point", "manner", "period", "week", "month", "night"})


def _attack_on(verb: Token, head: Token, clause: Clause) -> bool:
    """A party is attacked ("shelled the embassy in Kabul", "launched an attack on the
    embassy in Kabul"), not talked about ("sanctions against entities in Uganda",
    "complained about a raid on a group in Cairo"): its place is then the event's."""
    if acts_on_place(verb):
        return True
    noun = clause.target if head == verb else head  # "launched an assault | on X"
    entry = noun_event(noun) if noun is not None and clause.target_prep is None else None
    return entry is not None and entry.code[:2] in PLACE_OBJECT_ROOTS


def _object_preps(obj: Token) -> list[Token]:
    """Prepositions on an object that may carry the event's place or a party: PP attachment
    is ambiguous ("deploy missiles in Kaliningrad", "sanctions against Iran", "aid to
    refugees"), and so are participles on the object ("a ban imposed on X")."""
    inner = quantity_of(obj)  # "returned dozens of artifacts | to Peru"
    return [p for p in children_of(obj, frozenset({"prep"}))
            if p.lower_ in OBJECT_LOCATION_PREPS | OBJECT_PARTY_PREPS] + object_modifier_preps(obj) + (
        _object_preps(inner) if inner is not None else [])


#: Words that take a part of a whole ("some of its restrictions"): the whole is acted on.
PART_WORDS = frozenset({"some", "many", "most", "all", "few", "several", "each", "both", "part", "rest",
                        "dozen", "dozens", "hundreds", "thousands", "scores", "number"})


def whole_of_part(obj: Token) -> Token:
    """The whole a partitive object names ("eased some of its restrictions" -> restrictions)."""
    if obj.lower_ not in PART_WORDS:
        return obj
    return next((o for p in children_of(obj, frozenset({"prep"})) if p.lower_ == "of"
                 for o in [pobj(p)] if o is not None and o.pos_ in ("NOUN", "PROPN")), obj)


def shared_object(verb: Token) -> list[Token]:
    """The object a verb shares with the verb conjoined right after it, when it has no
    complement of its own ("attacked and burned the station": both act on the station)."""
    if verb.lemma_ in INTRANSITIVE_VERBS or verb.lemma_ in MOTION_VERBS or any(
            c.dep_ in ("prep", "ccomp", "xcomp", "dative", "attr", "acomp") for c in verb.children):
        return []
    nxt = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > verb.i), None)
    if nxt is None or not any(t.dep_ == "cc" for t in verb.doc[verb.i + 1: nxt.i]) or nxt.i - verb.i > 3:
        return []
    return children_of(nxt, frozenset({"dobj"}))


def restated_object(obj: Token) -> Token:
    """The noun an object restates when the object is only its modifier the parser took for
    a head ("condemns today's brutal, senseless terrorist attack": brutal, appos attack)."""
    appos = children_of(obj, frozenset({"appos"}))
    if not appos or is_party(obj) or noun_event(obj) is not None or obj.tag_ not in ("NN", "JJ") \
            or obj.i + 2 > appos[0].i or obj.doc[obj.i + 1].text != ",":
        return obj
    counted = frozenset({"det", "nummod"})  # a list of objects: "a tank, a mortar and …"
    if children_of(obj, counted) or children_of(appos[0], counted):
        return obj
    return appos[0] if noun_event(appos[0]) is not None or is_party(appos[0]) else obj


def is_time_idiom(prep: Token, obj: Token) -> bool:
    """A time adverbial made of a preposition and a bare noun ("to date", "at present")."""
    return not any(c.dep_ == "det" or c.dep_ == "poss" for c in obj.children) and (
        prep.lower_, obj.lower_) in (("to", "date"), ("at", "present"), ("at", "times"), ("in", "time"))


def is_object_gap(verb: Token) -> bool:
    """A relative clause with a subject of its own and no object (or a relative pronoun as
    object) describes its noun as what it acts on ("the bases it has seized", "the weapons that the rebels handed over"): the
    noun fills the object's gap. A verb that takes no object ("the city they fled to") is
    left alone by the parser's own attachment of the preposition."""
    if verb.dep_ != "relcl" or verb.head.pos_ not in ("NOUN", "PROPN") or verb.lemma_ in SPEECH_VERBS \
            or verb.head.lemma_ in CIRCUMSTANCE_NOUNS:
        return False
    subjects = children_of(verb, SUBJECT_DEPS)
    if not subjects or subjects[0].lower_ in ("who", "which", "that", "what"):
        return False
    if any(c.dep_ == "mark" or c.lower_ in ("where", "when", "why", "how") for c in verb.children):
        return False  # "charges that it tortured …" (a content clause), "November, when he met"
    objects = children_of(verb, OBJECT_DEPS | frozenset({"ccomp", "xcomp"})) + [
        o for conj in children_of(verb, frozenset({"conj"})) for o in children_of(conj, OBJECT_DEPS)]
    return not objects and not any(
        c.dep_ == "prep" and not children_of(c, frozenset({"pobj", "pcomp"})) for c in verb.children)


def names_country(tok: Token) -> bool:
    """A name of a country ("Russia", "the United States"), not of a city or region: "at"
    before it aims at the state ("fired missiles at Russia"), for "at" is no preposition
    of place before a country ("in Russia")."""
    return gazetteer().country_of_name(name_of(tok).text) is not None


def is_actorish(tok: Token) -> bool:
    """A noun phrase that probably names an actor (a person, organization or country)."""
    return tok.ent_type_ in ("PERSON", "ORG", "NORP") or (
        tok.ent_type_ == "GPE" and tok.pos_ == "PROPN") or tok.pos_ == "PRON"


def _time_spans(verb: Token) -> list[Span]:
    out = []
    for ent in entities_in(verb.sent):
        if ent.label_ not in ("DATE", "TIME"):
            continue
        tok = ent.root
        while tok.head != tok and tok != verb and not (is_predicate(tok) and tok != ent.root):
            tok = tok.head
        if tok == verb:
            out.append(ent)
    return out


def slots(verb: Token, clause: Clause, skip: Token | None = None) -> None:
    """Fill target, recipient, location and times of `clause` from `verb`'s dependents
    (`skip`: a token already used as the actor): the object (`_fill_object`), a dative, the
    object's own party, then each prepositional phrase (`_candidate_preps`, `_read_prep`),
    then the parties a clause or demand names (`_fill_fallback_parties`), the place
    (`_fill_location`) and the times."""
    passive = is_passive(verb)
    acted_on = _fill_object(verb, clause, _objects(verb, passive, skip))
    datives = children_of(verb, frozenset({"dative"}))
    if datives and datives[0].pos_ != "ADP":  # "gave Ukraine weapons"
        if clause.target is None:
            clause.target = datives[0]
        else:
            clause.recipient = datives[0]
    motion = verb.lemma_ in MOTION_VERBS
    if clause.target is not None and clause.recipient is None:
        # "welcomed the visit by X", "rejected an appeal lodged by X": the nominal's agent
        # is the other party; else the noun's own party ("launched an assault on the town").
        found = noun_party(clause.target)
        clause.recipient = object_agent(clause.target) or (
            found[1] if found is not None else reattached_party(verb, clause.target))
    # Material sent to a state is given to it ("send aid to Kyrgyzstan"), troops go there.
    obj_class = object_class(clause.target) if clause.target is not None else None
    given = clause.target is not None and (obj_class in GIVEN_CLASSES or (
        verb.lemma_ in GIVING_VERBS and obj_class not in MOVED_CLASSES))
    preps = _candidate_preps(verb, clause, passive, motion, skip)
    for prep in preps:
        _read_prep(prep, verb, clause, preps, motion=motion, given=given)
    _fill_fallback_parties(verb, clause, preps)
    _fill_location(verb, clause, acted_on)
    clause.times = _time_spans(verb)


def _objects(verb: Token, passive: bool, skip: Token | None) -> list[Token]:
    """The verb's objects: its (passive) subject for a passive, a conjoined passive's head's
    subject, the noun a relative clause's gap stands for, else an object shared with a
    conjoined verb or a copula's complement; never the actor (`skip`)."""
    objs = children_of(verb, PASSIVE_SUBJECT_DEPS) if passive else children_of(verb, OBJECT_DEPS)
    if passive and not objs and verb.dep_ == "conj":  # "X shelled the town and was condemned"
        objs = children_of(verb.head, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
    if not passive and verb.dep_ == "relcl" and (
            is_object_gap(verb) if not objs else objs[0].lower_ in ("that", "which", "whom")):
        objs = [verb.head]  # "the weapons (that) they seized from the army": the weapons are seized
    objs = [o for o in objs if skip is None or o.i != skip.i]
    if not objs and not passive:
        objs = shared_object(verb)
    if not objs and verb.lemma_ == "be":
        objs = children_of(verb, COPULA_COMPLEMENTS)
    return objs


def _fill_object(verb: Token, clause: Clause, objs: list[Token]) -> Token | None:
    """The first object is the target (the whole of a part, the noun an object restates); a
    place it acts on ("shelled Homs") is returned, and is the location when named."""
    acted_on = None
    if objs:
        clause.target = restated_object(whole_of_part(objs[0]))
        if acts_on_place(verb) and is_place(objs[0]):
            acted_on = objs[0]  # "shelled Homs": the place acted on (still the target)
            if is_named(specific_place(acted_on)):
                clause.location = acted_on
    return acted_on


def _candidate_preps(verb: Token, clause: Clause, passive: bool, motion: bool, skip: Token | None) -> list[Token]:
    """The prepositions that may fill a slot: the verb's (and its adverbs', "closer to
    Europe"), a passive agent's place, the target's and its conjuncts' (`_object_preps`),
    and the subject's place or event phrases."""
    preps = [c for c in verb.children if c.dep_ == "prep" or (c.dep_ == "dative" and c.pos_ == "ADP")]
    for adv in children_of(verb, frozenset({"advmod", "npadvmod"})):
        preps += children_of(adv, frozenset({"prep"}))  # "closer to Europe"
    agent = agent_of(verb) if passive else None
    if agent is not None:
        preps += [p for p in children_of(agent, frozenset({"prep"})) if p.lower_ in OBJECT_LOCATION_PREPS]
    if clause.target is not None:
        preps += _object_preps(clause.target)
        for other in conjuncts(clause.target)[1:]:  # "attacked the court and a ministry in X", "sent
            preps += [p for p in _object_preps(other) if p.lower_ in OBJECT_LOCATION_PREPS  # tanks and a team of
                      or p.lower_ == "to" and (motion or verb.lemma_ in GIVING_VERBS)]  # medics to X"
    if skip is None and clause.actor.head == verb:
        preps += subject_preps(verb)
    return preps


def _read_prep(prep: Token, verb: Token, clause: Clause, preps: list[Token], *, motion: bool, given: bool) -> None:
    """What one prepositional phrase fills: nothing for a time, a weapon ("with artillery")
    or the recipient itself (whose place an attack's location is); a giver or a party
    withdrawn from (`_from_party`); a place, directly or down its phrase (`_place_of_prep`);
    else a party as recipient or, without a target, the target (whose own phrases are then
    read too, appended to `preps`)."""
    obj = pobj(prep)
    if obj is None or obj.ent_type_ in ("DATE", "TIME") or is_time_idiom(prep, obj):
        return
    word = prep.lower_
    if word == "with" and object_class(obj) == "weapon":
        return  # "pounded the hideouts with artillery": the means, not a party
    if obj == clause.recipient:  # "an attack on the embassy in Kabul": the party's place
        if clause.location is None and _attack_on(verb, prep.head, clause):
            clause.location = party_place(obj)
        return
    if _from_party(verb, clause, word, obj):
        return
    if _place_of_prep(prep, verb, clause, obj, motion=motion, given=given):
        return
    on_verb = prep.head == verb or prep.head.head == verb and prep.head.dep_ in ("advmod", "npadvmod")
    # Without a direct object a verb's PP is its target unless it names an actor
    # ("spoke to a meeting"); beside an object, any party is the recipient.
    party = is_party(obj) if clause.target is not None else is_actorish(obj)
    party = party or (word == "to" and clause.target is not None and verb.lemma_ in GIVING_VERBS)
    party_prep = word in RECIPIENT_PREPS if on_verb else word in OBJECT_PARTY_PREPS
    if party_prep and clause.recipient is None and party:
        clause.recipient = obj  # "talked with X", "aid to refugees", "a visit by X"
    elif word in RECIPIENT_PREPS | {"as", "from", "for", "about", "over", "of"} \
            and clause.target is None and prep.head == verb:
        clause.target = obj  # "reacted to the expansion", "ranged from 8 %"
        clause.target_prep = prep
        preps += _object_preps(obj)
        found = noun_party(obj) if clause.recipient is None else None
        if found is not None:  # "called for an offensive against X"
            clause.recipient = found[1]


def _from_party(verb: Token, clause: Clause, word: str, obj: Token) -> bool:
    """A "from" phrase as recipient: the giver after a receiving verb ("bought jets from
    France"; True: the phrase is used up), the party yielded to after a withdrawal verb
    ("withdrew its troops from Syria"; False: it may still be the place)."""
    if word == "from" and verb.lemma_ in RECEIVING_VERBS and clause.recipient is None \
            and obj != clause.target and (is_place_name(obj) or is_party(obj)):
        clause.recipient = obj  # "bought jets from France": the giver, not where
        return True
    if word == "from" and verb.lemma_ in WITHDRAWAL_VERBS and clause.recipient is None and obj != clause.target \
            and (is_place(obj) or is_party(obj)):
        clause.recipient = obj  # "withdrew its troops from Syria": the party yielded to
    return False


def _place_of_prep(prep: Token, verb: Token, clause: Clause, obj: Token, *, motion: bool, given: bool) -> bool:
    """A place phrase: True when its object is the place itself (the location, if none yet);
    else the location may be a place down its phrase ("speaking to a meeting in Istanbul")
    or a named facility ("at the Kabul airport"), and False lets it still name a party. A
    named state after a directional preposition is a party ("sanctions on Iran"), except
    after motion verbs ("send troops to Syria")."""
    word = prep.lower_
    country_like = obj.ent_type_ not in ("LOC", "FAC") and is_place_name(obj) and (
        word in ("against", "on", "with", "upon", "for") or (word == "to" and (not motion or given))
        or (word == "at" and names_country(obj)))
    locative = word in LOCATION_PREPS and not country_like
    direct = locative and is_place(obj)
    if not direct and motion and not given and word in ("to", "into", "towards", "toward") \
            and obj.pos_ == "PROPN" and obj.ent_type_ not in ("PERSON", "ORG", "NORP"):
        direct = True  # "sends missiles to Kaliningrad", whatever NER calls Kaliningrad
    if direct:
        if clause.location is None:
            clause.location = obj
        return True
    nested = find_place(obj, EVENT_DEPTH) if locative or word in EVENT_PREPS else None
    if nested is None and word in OBJECT_LOCATION_PREPS and object_class(obj) == "facility" \
            and is_named(specific_place(obj)):
        nested = obj  # "at the Kabul airport"
    if nested is not None and clause.location is None and nested != clause.recipient:
        clause.location = nested  # "speaking to a meeting in Istanbul"; not "a ban on exports to X"
    return False


def _fill_fallback_parties(verb: Token, clause: Clause, preps: list[Token]) -> None:
    """Parties no phrase gave: the party of an event noun in a for/in/during phrase
    ("mobilized troops for a ground assault against X"), an owner as party, the party a
    reported clause or hope names, a demand's addressee, the topic of a stated duty or the
    party accused in speech."""
    if clause.recipient is None:  # "mobilized troops for a ground assault against X"
        clause.recipient = next((found[1] for prep in preps if prep.lower_ in ("for", "in", "during")
                                 for obj in [pobj(prep)] if obj is not None and noun_event(obj)
                                 for found in [noun_party(obj)] if found is not None
                                 and is_party(found[1])), None)  # not "for attacks on hotels"
    clause.recipient = owner_as_party(clause.target, clause.recipient, is_material(verb))
    if clause.target is None:
        clause.target = clausal_party(verb)  # "hoped the government would change course"
    elif clause.recipient is None:
        clause.recipient = clausal_party(verb, clause.target)  # "expressed hope that X …"
    addressee = demand_addressee(verb) if clause.recipient is None else None
    if addressee is not None:  # "demanded that Pyongyang halt its tests"
        clause.recipient = addressee
        if clause.target is None:
            clause.target = addressee
    if clause.target is None:  # "said the oppression must end", "said Y attacked Z": Y
        clause.target = duty_topic(verb) or accused_party(verb)


def _fill_location(verb: Token, clause: Clause, acted_on: Token | None) -> None:
    """The place, when no named one was found yet: the place the clause shares with the one
    it belongs to (a named one beats "remote areas", "the border"), else the place acted on;
    then the named place the phrase stands for (`specific_place`)."""
    if clause.location is None or not is_named(specific_place(clause.location)):
        # "attacked an army camp"; a named place beats "remote areas", "the border"
        shared = shared_place(verb)
        if shared is not None and (clause.location is None or is_named(specific_place(shared))):
            clause.location = shared
        clause.location = clause.location or acted_on
    if clause.location is not None:
        clause.location = specific_place(clause.location)
