"""Who else takes part in a clause: parties reached through prepositions (on the verb, on
its object, on an event noun), and reciprocal partners (the addressee of a demand is
`speech.demand_addressee`).

"launched an assault on the rebel town", "held talks with the envoy", "granted asylum to
the defectors", "A and B signed a treaty".
"""
from __future__ import annotations

from spacy.tokens import Token

from .lexicon import NounEvent, noun_events, role_nouns, word_class
from .tokens import children_of, conjuncts, hyphenated, per_span, pobj

#: Entity labels whose words make a noun phrase a party ("Palestinian workers").
PARTY_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: Prepositions on a direct object that may introduce a party of the event
#: ("aid to refugees", "relations with Qatar", "dinner for the premier", "visit by X").
#: Prepositions that give what an attitude or statement is about; their object is a party
#: only when it names one ("concern about Iran", not "concern about the escalation").
TOPIC_PREPS = frozenset({"about", "over", "regarding", "concerning", "at"})
OBJECT_PARTY_PREPS = frozenset({"to", "with", "for", "against", "on", "upon", "between", "by",
                                "from", "toward", "towards"})
#: Prepositions of a participle on the object that point at a party ("imposed on X",
#: "sent to X", "destined for X"; not "engraved with the image of X").
MODIFIER_PARTY_PREPS = frozenset({"on", "upon", "against", "to", "for", "toward", "towards"})
#: Verbs of judging or hoping whose clausal complement's subject is what they are about
#: ("hoped the government would change", "welcomed that Iran had agreed"), and causatives
#: whose complement's subject is acted on ("helped the refugees return").
CAUSATIVE_VERBS = word_class("causative_verb")
COMMENT_VERBS = word_class("comment_verb") | CAUSATIVE_VERBS
#: Verbs that leave a place or a party, or take one from a party: their "from" object is the
#: party yielded to or taken from ("withdrew its troops from Syria", "seized the town from X").
WITHDRAWAL_VERBS = word_class("withdrawal_verb")
#: Verbs that hand something over: "to" names who receives it ("returned the artifacts to
#: Peru"), whatever the object is, unless it is a force being moved.
GIVING_VERBS = word_class("giving_verb")
#: Verbs that take what a party hands over: their "from" object is the giver, not a place.
RECEIVING_VERBS = word_class("receiving_verb")
#: Verbs that relate conjoined subjects both ways ("A and B signed a treaty", "clashed").
RECIPROCAL_VERBS = word_class("reciprocal_verb")
#: Reciprocal verbs whose "with" partner does the act as much as the subject ("met with",
#: "negotiated with", "clashed with"); not "agree with" (a view: "agree with X that …") nor
#: "fight with" (also "alongside").
MUTUAL_WITH_VERBS = RECIPROCAL_VERBS - {"agree", "fight", "battle", "ally", "partner"}
#: Verbs that do a reciprocal event noun with a "with" partner together (data/word_classes.tsv).
JOINT_VERBS = word_class("joint_verb")
#: Modifiers that make an object something its conjoined subjects do together.
JOINT_WORDS = frozenset({"joint", "bilateral"})
#: Reciprocal verbs whose direct object is the partner ("A met B").
MUTUAL_OBJECT_VERBS = frozenset({"meet"})
#: Heads that take their event from a compound noun ("mediation efforts", "aid package").
GENERIC_EVENT_HEADS = frozenset({"effort", "process", "package", "initiative", "programme",
                                 "program", "mission", "plan", "measure"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod"})


@per_span
def noun_event(tok: Token) -> NounEvent | None:
    """The noun-event entry of a noun ("air strike", "talks"), if any."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        # a gerund standing for its noun: "Shelling by government forces destroyed …"
        return noun_events().get(tok.lower_) if tok.tag_ == "VBG" else None
    table = noun_events()
    lemma = tok.lemma_.lower()
    split = hyphenated(tok)  # "cease-fire"
    if split is not None and split in table:
        return table[split]
    for child in tok.children:
        if child.dep_ == "compound" and child.i == tok.i - 1:
            found = table.get(f"{child.lemma_.lower()} {lemma}")
            if found is None and lemma in GENERIC_EVENT_HEADS:  # "mediation efforts"
                found = table.get(child.lemma_.lower())
            if found is not None:
                return found
    return table.get(lemma) or table.get(tok.lower_)


def role_lemma(tok: Token) -> str | None:
    """The role-noun table key of a word ("troops" -> "troop"; capitalized plurals the
    lemmatizer leaves alone, "Rebels" -> "rebel"), or None."""
    nouns = role_nouns()
    for word in (tok.lemma_.lower(), tok.lower_):
        if word in nouns:
            return word
    if tok.lower_.endswith("s") and tok.lower_[:-1] in nouns:
        return tok.lower_[:-1]
    return None


def is_role_noun(tok: Token) -> bool:
    """A noun that names actors by what they are ("refugees", "the junta", "officials")."""
    nouns = role_nouns()
    if role_lemma(tok) is not None:
        return True
    return any(c.dep_ == "compound" and f"{c.lemma_.lower()} {tok.lemma_.lower()}" in nouns
               for c in tok.children)


def is_party(tok: Token) -> bool:
    """A noun phrase that names a party: a person, organization or state, a role noun
    ("the victims' families", "officials"), or a noun modified by a named actor
    ("Palestinian workers", "the Kurdish enclave", "Iran's parliament")."""
    if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"):
        return False
    if tok.ent_type_ in PARTY_ENTS or tok.pos_ == "PRON" and tok.lower_ not in ("it", "this", "that"):
        return True
    if is_role_noun(tok):
        return True
    if any(c.dep_ in _MODIFIER_DEPS and c.ent_type_ in PARTY_ENTS for c in tok.children):
        return True
    # "family members of six farmers", "the people of Yemen"
    for prep in children_of(tok, frozenset({"prep"})):
        obj = pobj(prep)
        if prep.lower_ == "of" and obj is not None and (obj.ent_type_ in PARTY_ENTS or is_role_noun(obj)):
            return True
    return False


def noun_topic(noun: Token) -> Token | None:
    """What an attitude or statement noun is about when that is no party ("concern about the
    escalation", "optimism at the prospect of a deal")."""
    for prep in children_of(noun, frozenset({"prep"})):
        obj = pobj(prep) or gerund_object(prep)
        if prep.lower_ in TOPIC_PREPS and obj is not None and not is_party(obj) \
                and obj.ent_type_ not in ("GPE", "LOC", "DATE", "TIME"):
            return obj
    return None


def gerund_object(prep: Token) -> Token | None:
    """The object of a preposition's gerund ("pessimism over holding negotiations with X"
    -> negotiations, "about bringing the standoff to an end" -> standoff)."""
    return next((o for c in prep.children if c.dep_ == "pcomp" and c.tag_ == "VBG"
                 for o in c.children if o.dep_ == "dobj"), None)


#: Nouns of answering for an act: "claimed responsibility for the attack" is aimed at the act.
ACCOUNT_NOUNS = frozenset({"responsibility", "credit", "blame"})


def accounted_act(noun: Token | None) -> Token | None:
    """The act a noun of answering for names ("responsibility for the attack" -> attack)."""
    if noun is None or noun.lemma_.lower() not in ACCOUNT_NOUNS:
        return None
    return next((obj for prep in children_of(noun, frozenset({"prep"})) if prep.lower_ == "for"
                 for obj in [pobj(prep)] if obj is not None), None)


#: Prepositions that lead from a topic to the parties it is about ("the escalation of fighting
#: between Armenia and Azerbaijan", "the prospect of a deal with Pakistan").
TOPIC_PARTY_PREPS = frozenset({"of", "between", "with", "against", "on", "to", "toward", "towards"})


def topic_party(topic: Token, depth: int = 3) -> Token | None:
    """The first party a topic phrase names ("concern about the escalation of fighting
    between Armenia and Azerbaijan" -> Armenia): a statement about a topic is aimed at the
    parties of the topic, not at the topic (the target keeps the topic)."""
    for prep in children_of(topic, frozenset({"prep"})):
        obj = pobj(prep)
        if prep.lower_ not in TOPIC_PARTY_PREPS or obj is None:
            continue
        if is_party(obj) and obj.pos_ in ("PROPN", "NOUN"):
            return obj
        found = topic_party(obj, depth - 1) if depth > 1 else None
        if found is not None:
            return found
    return None


def noun_party(noun: Token, depth: int = 2) -> tuple[Token, Token] | None:
    """(preposition, party) of an event noun ("an assault on the town" -> on, town), also
    through a nested event noun ("the army for a ground assault against X")."""
    entry = noun_event(noun)
    for prep in children_of(noun, frozenset({"prep"})):
        obj = pobj(prep)
        if obj is None or obj.ent_type_ in ("DATE", "TIME"):
            continue
        if entry is not None and prep.lower_ in entry.preps:
            if prep.lower_ in TOPIC_PREPS and not (is_party(obj) or obj.ent_type_ in ("GPE", "LOC")):
                owner = [c for c in obj.children if c.dep_ == "poss" and is_party(c)]
                if owner:  # "pessimism about the government's plans": the owner is the party
                    return prep, owner[0]
                continue  # "concern about the escalation": a topic, not a party
            deeper = thing_party(obj, depth) if not is_party(obj) else None
            return deeper or (prep, obj)
        if depth and prep.lower_ in ("for", "of", "in") and noun_event(obj) is not None:
            found = noun_party(obj, depth - 1)
            if found is not None:
                return found
    return None


def thing_party(thing: Token, depth: int = 1) -> tuple[Token, Token] | None:
    """The party a thing acted on is bound for or comes from, when the thing is no party
    itself: "restrictions on aid to North Korea", "a ban on arms exports to Saudi Arabia",
    "sanctions on oil exports from Venezuela" -> the state, not the aid or the exports."""
    deeper = noun_party(thing, depth - 1) if depth else None
    if deeper is not None and is_party(deeper[1]):
        return deeper
    return next(((prep, obj) for prep in children_of(thing, frozenset({"prep"}))
                 if prep.lower_ in ("to", "from") for obj in [pobj(prep)]
                 if obj is not None and obj.ent_type_ in PARTY_ENTS), None)


def owner_as_party(target: Token | None, recipient: Token | None, material: bool) -> Token | None:
    """The recipient, or the named owner of the thing given as recipient ("an attack on the
    army's sites" -> army) or of the thing a material act hits ("shelled the rebels'
    positions" -> rebels). A pronoun owner is left alone ("expressed its concern"), and so
    is the owner of what a statement is about ("condemned the government's decision": the
    decision stands for its owner already)."""
    thing = recipient if recipient is not None else target if material else None
    if thing is None or is_party(thing):
        return recipient
    owner = next((c for c in thing.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
    return owner if owner is not None and is_party(owner) else recipient


def reattached_party(verb: Token, noun: Token) -> Token | None:
    """A party of an object event noun that the parser hung on the verb instead ("launched
    an offensive | on the town"): the verb's PP with one of the noun's prepositions."""
    entry = noun_event(noun)
    if entry is None:
        return None
    for prep in children_of(verb, frozenset({"prep"})):
        obj = pobj(prep)
        if prep.lower_ in entry.preps - {"in", "of"} and obj is not None \
                and obj.ent_type_ not in ("DATE", "TIME"):
            return obj
    return None


def object_agent(obj: Token) -> Token | None:
    """The agent of a nominal or participle on an object ("the visit by X", "an appeal
    lodged by X"), when it is a party."""
    for child in obj.children:
        agent = None
        if child.dep_ == "prep" and child.lower_ == "by":
            agent = pobj(child)
        elif child.dep_ == "acl" and child.tag_ == "VBN":
            agent = next((pobj(a) for a in child.children if a.dep_ == "agent"), None)
        if agent is not None and is_party(agent):
            return agent
    return None


def object_modifier_preps(obj: Token) -> list[Token]:
    """Prepositions of a participle that modifies the object ("a travel ban imposed on
    Chadian citizens", "aid sent to the region")."""
    return [p for acl in children_of(obj, frozenset({"acl"})) if acl.tag_ == "VBN"
            for p in children_of(acl, frozenset({"prep"})) if p.lower_ in MODIFIER_PARTY_PREPS]


def clausal_party(verb: Token, noun: Token | None = None) -> Token | None:
    """The subject of the clause a judging, hoping or causative verb governs, or (with
    `noun`) that its attitude noun governs ("expressed hope that the government …")."""
    if verb.lemma_ not in COMMENT_VERBS:
        return None
    comps = children_of(verb, frozenset({"ccomp"}))
    if noun is not None:
        comps = comps + children_of(noun, frozenset({"acl", "ccomp"})) if noun_event(noun) else []
    for comp in comps:
        subj = children_of(comp, frozenset({"nsubj", "nsubjpass"}))
        # what one hopes or fears about need not be an actor ("hoped the timeline holds")
        if subj and subj[0].pos_ in ("NOUN", "PROPN") and (verb.lemma_ not in CAUSATIVE_VERBS or is_party(subj[0])):
            return subj[0]
    return None


def is_reciprocal(verb: Token, target: Token | None) -> bool:
    """Verbs and objects that relate conjoined subjects both ways ("A and B met", "A and B
    signed a treaty", "A and B held joint drills"); other verbs get their reciprocity from a
    reciprocal event noun or a joint object."""
    entry = noun_event(target) if target is not None else None
    return verb.lemma_ in RECIPROCAL_VERBS or bool(entry and entry.reciprocal) or is_joint(target)


def is_joint(noun: Token | None) -> bool:
    """An object done together: "held joint drills", "issued a joint statement"."""
    return noun is not None and any(c.dep_ in ("amod", "compound") and c.lower_ in JOINT_WORDS
                                    for c in noun.children)


def mutual_partners(verb: Token, target: Token | None, recipient: Token | None) -> list[Token]:
    """The other side of an act one subject does together with a party: its "with" partner
    after a reciprocal verb or event noun ("A met with B", "A negotiated with B", "A held
    talks with B"), or the object of "meet" ("A met B"); each of conjoined partners."""
    if recipient is not None and _with_object(recipient, verb) and verb.lemma_ in MUTUAL_WITH_VERBS:
        partner = recipient
    elif recipient is not None and target is not None and verb.lemma_ in JOINT_VERBS \
            and _with_object(recipient, verb, target) and is_reciprocal(verb, target):
        partner = recipient  # "held talks with X", not "refused talks with X"
    elif recipient is None and target is not None and _with_object(target, verb) and verb.lemma_ in MUTUAL_WITH_VERBS:
        partner = target  # "clashed with protesters": the verb's only party
    elif recipient is None and target is not None and verb.lemma_ in MUTUAL_OBJECT_VERBS:
        partner = target
    else:
        return []
    return [p for p in conjuncts(partner) if p.pos_ != "PRON" and is_party(p)]


def _with_object(tok: Token, *heads: Token) -> bool:
    """`tok` is the object of a "with" on one of `heads` ("met | with X", "talks | with X";
    not "discussed the disputes | with X")."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "with" and any(tok.head.head == h for h in heads)
