"""Issue 10: who acts, and on whom. One table per construction, on the real English
pipeline; the sentences are written for these tests."""
import pytest
from spacy.tokens import Doc, Span

from kgbuild.extract.events import DocMeta, events_from_doc


def event(events, lemma, actor=None):
    """The first event with this action lemma (and actor label/country/text), or fail."""
    for e in events:
        if e.action.lemma == lemma and (actor is None or actor in (e.actor.label, e.actor.country, e.actor.text)):
            return e
    raise AssertionError(f"no {actor} -{lemma}-> in "
                         f"{[(e.actor.label, e.action.lemma, e.target and e.target.text) for e in events]}")


def pinned_events(nlp, ents=(), **parse):
    """Events of a hand-built one-sentence Doc (the parse pinned, so the rule is tested)."""
    doc = Doc(nlp.vocab, sent_starts=[True] + [False] * (len(parse["words"]) - 1), **parse)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return events_from_doc(doc, DocMeta(id="pinned"))


def words(entity):
    return "" if entity is None else f"{entity.label} {entity.text}"


# 1. Parties in prepositional phrases: sentence, lemma, actor, target word, recipient word.
PP_PARTIES = [
    ("Iraqi troops launched an offensive on the rebel town.", "launch", "IRQ", "offensive", "town"),
    ("Government forces carried out raids against militants.", "carry out", None, "raids", "militants"),
    ("The foreign minister held talks with the Iranian envoy.", "hold", None, "talks", "envoy"),
    ("Canada granted asylum to the defectors.", "grant", "Canada", "asylum", "defectors"),
    ("Washington lifted the embargo on Cuban goods.", "lift", "USA", "embargo", "Cuban goods"),
    ("The opposition filed a complaint against the ministry.", "file", None, "complaint", "ministry"),
    ("The president expressed condolences to the victims' families.", "express", None, "condolences",
     "families"),
    ("The king hosted a dinner for the visiting premier.", "host", None, "dinner", "premier"),
    ("Egypt broke off relations with Qatar.", "break off", "Egypt", "relations", "Qatar"),
    ("The EU imposed new sanctions on Iran.", "impose", "EU", "sanctions", "Iran"),
    ("Japan sent food aid to North Korea.", "send", "Japan", "aid", "North Korea"),
    ("The army withdrew its troops from Lebanon.", "withdraw", None, "troops", "Lebanon"),
]


@pytest.mark.parametrize("text, lemma, actor, target, recipient", PP_PARTIES,
                         ids=[row[0][:40] for row in PP_PARTIES])
def test_parties_in_prepositional_phrases(extract, text, lemma, actor, target, recipient):
    ev = event(extract(text), lemma, actor)
    assert target in words(ev.target), "the direct object stays the target"
    assert recipient in words(ev.recipient)


def test_a_place_after_a_motion_verb_stays_the_location(extract):
    ev = event(extract("Russia sent troops to Syria."), "send", "RUS")
    assert "Syria" in words(ev.location)
    assert ev.recipient == ev.location, "issue 24: the place, not a party named as one"


# 2. Actors whose head is a common noun: sentence, lemma, country, role, type.
COMMON_NOUN_ACTORS = [
    ("Israeli tanks shelled the village.", "shell", "ISR", "MIL", "ArmedForce"),
    ("Swiss doctors treated the wounded.", "treat", "CHE", "HLH", "Person"),
    ("Thousands of Tamil protesters marched on the capital.", "march", None, "CVL", "Group"),
    ("Members of the junta met the envoy.", "meet", None, "MIL", "Government"),
    ("A French lawyer sued the company.", "sue", "FRA", "JUD", "Person"),
    ("Hundreds of Turkish soldiers crossed the border.", "cross", "TUR", "MIL", "ArmedForce"),
]


@pytest.mark.parametrize("text, lemma, country, role, kind", COMMON_NOUN_ACTORS,
                         ids=[row[0][:40] for row in COMMON_NOUN_ACTORS])
def test_common_noun_actors_get_affiliation_and_role(extract, text, lemma, country, role, kind):
    ev = event(extract(text), lemma)
    assert ev.actor.role == role and ev.actor.type == kind
    if country is not None:
        assert ev.actor.country == country
    assert text.startswith(ev.actor.text), "the actor keeps the words as written"


# 3. Attacks and weapons as subjects: sentence, lemma, actor (label or country), instrument.
INSTRUMENTS = [
    ("An airstrike killed twelve people in the village.", "kill", "unidentified attacker", "airstrike"),
    ("A car bomb near the embassy wounded five guards.", "wound", "unidentified attacker", "car bomb"),
    ("Missiles fired by the navy hit a fuel depot.", "hit", "navy", "Missiles"),
    ("Shelling by government forces destroyed the bridge.", "destroy", "forces", "Shelling"),
    ("Syrian air strikes hit the market.", "hit", "SYR", "air strikes"),
]


@pytest.mark.parametrize("text, lemma, actor, instrument", INSTRUMENTS,
                         ids=[row[0][:40] for row in INSTRUMENTS])
def test_instruments_are_kept_and_not_made_actors(extract, text, lemma, actor, instrument):
    ev = event(extract(text), lemma)
    assert actor in words(ev.actor) or ev.actor.country == actor
    assert ev.instrument is not None and instrument in ev.instrument.text
    assert ev.to_dict()["instrument"]["text"] == ev.instrument.text


def test_a_non_violent_verb_does_not_make_an_instrument_an_actor(extract):
    assert not [e for e in extract("The airstrike showed the weakness of the defences.")
                if e.action.lemma == "show"]


# 4. Subjects carried into non-finite predicates: sentence, lemma, actor, modality.
NON_FINITE = [
    ("Pakistan is ready to withdraw its troops.", "withdraw", "PAK", "intended"),
    ("The police opened fire to disperse the crowd.", "disperse", "police", None),
    ("Britain is committed to defeating the insurgents.", "defeat", "GBR", None),
    ("After meeting the minister, the Chinese envoy left Kabul.", "meet", "CHN", None),
    ("Rebels attacked the base, killing dozens of soldiers.", "kill", "Rebels", None),
    ("Militias backed by Iran attacked the convoy.", "back", "IRN", None),
]


@pytest.mark.parametrize("text, lemma, actor, modality", NON_FINITE,
                         ids=[row[0][:40] for row in NON_FINITE])
def test_subjects_carried_into_non_finite_predicates(extract, text, lemma, actor, modality):
    ev = event(extract(text), lemma, actor)
    if modality is not None:
        assert ev.modality == modality


def test_reduced_relative_targets_the_modified_noun(extract):
    ev = event(extract("Militias backed by Iran attacked the convoy."), "back", "IRN")
    assert "Militias" in ev.target.text


def test_raising_adjective_with_expletive_it_gives_no_event(extract):
    assert not [e for e in extract("It is too early to normalise relations with Iran.")
                if e.action.lemma == "normalise"]


# 5. The addressee of demands, appeals and warnings: sentence, lemma, actor, addressee.
ADDRESSEES = [
    ("Washington demanded that Pyongyang halt its missile tests.", "demand", "USA", "North Korea"),
    ("Britain pressed for Russia to use its influence.", "press", "GBR", "Russia"),
]


@pytest.mark.parametrize("text, lemma, actor, addressee", ADDRESSEES, ids=[row[0][:40] for row in ADDRESSEES])
def test_addressee_of_a_demand_is_its_recipient(extract, text, lemma, actor, addressee):
    events = extract(text)
    ev = event(events, lemma, actor)
    assert addressee in words(ev.recipient)


def test_the_demanded_party_acts_in_the_demand_content(extract):
    demand = event(extract("Washington demanded that Pyongyang halt its missile tests."), "demand")
    assert demand.content.lemma == "halt" and demand.content.actor.country == "PRK"
    assert demand.recipient.country == "PRK"
    urge = event(extract("The UN urged Kabul to release the prisoners."), "urge")
    assert urge.content.lemma == "release" and urge.content.actor.country == "AFG"
    assert urge.target.country == "AFG"


# 6. Events said with nouns, and reciprocity.
def test_possessor_of_an_event_noun_is_its_agent(extract):
    ev = event(extract("Turkey's offensive against the YPG drew criticism."), "offensive", "TUR")
    assert "YPG" in words(ev.recipient) and ev.event_type.root == "19"


def test_named_compound_of_an_event_noun_is_its_agent(extract):
    ev = event(extract("The diplomats discussed the UN sanctions on Iran."), "sanction")
    assert ev.actor.label == "UN" or "United Nations" in ev.actor.label
    assert ev.recipient.country == "IRN"


@pytest.mark.parametrize("text, lemma", [
    ("The agreement between Armenia and Azerbaijan held for a month.", "agreement"),
    ("Armenia and Azerbaijan signed a peace treaty.", "sign"),
    ("Armenia and Azerbaijan met in Moscow.", "meet"),
])
def test_reciprocal_nouns_and_verbs_give_the_pair_both_ways(extract, text, lemma):
    pairs = {(e.actor.country, e.recipient.country) for e in extract(text)
             if e.action.lemma == lemma and e.recipient is not None}
    assert {("ARM", "AZE"), ("AZE", "ARM")} <= pairs


def test_non_reciprocal_verb_keeps_conjoined_subjects_apart(extract):
    events = [e for e in extract("Britain and France opposed the resolution.") if e.action.lemma == "oppose"]
    assert len(events) == 2 and all(e.recipient is None for e in events)


def test_scare_quoted_event_noun_is_not_an_event(extract):
    assert not [e for e in extract('Critics said Syria\'s "war" on the rebels was a sham.')
                if e.action.lemma == "war"]


# 7. Coreference that does not lose the actor.
@pytest.mark.parametrize("text", ["The US imposed tariffs on steel.", "The U.S. imposed tariffs on steel."])
def test_us_is_the_country_not_the_pronoun(extract, text):
    assert event(extract(text), "impose").actor.country == "USA"


def test_unknown_acronym_subject_is_an_organization(extract):
    # (ICE is in kgbuild's table since issue 25: an acronym no table lists)
    ev = event(extract("KPZ returned the stolen paintings to Peru."), "return")
    assert ev.actor.label == "KPZ" and ev.actor.type == "Organization"
    assert ev.recipient.country == "PER", "things handed back go to a recipient, not a place"


def test_pinned_parse_event_noun_object_passes_its_party_to_the_recipient(nlp):
    """Regression (issue 10): 'launched an assault on X' lost X; parse pinned by hand."""
    tokens = ["Iraq", "launched", "an", "assault", "on", "the", "town", "."]
    events = pinned_events(
        nlp, ents=[(0, 1, "GPE")], words=tokens, spaces=[True] * 6 + [False, False],
        heads=[1, 1, 3, 1, 3, 6, 4, 1], deps=["nsubj", "ROOT", "det", "dobj", "prep", "det", "pobj", "punct"],
        pos=["PROPN", "VERB", "DET", "NOUN", "ADP", "DET", "NOUN", "PUNCT"],
        tags=["NNP", "VBD", "DT", "NN", "IN", "DT", "NN", "."],
        lemmas=["Iraq", "launch", "an", "assault", "on", "the", "town", "."])
    (ev,) = events
    assert ev.actor.country == "IRQ" and ev.target.text == "an assault"
    assert ev.recipient.text == "the town" and ev.event_type.root == "19"


# Round two of issue 10: attitudes, statements that speak for their issuer, nominal agents.
ATTITUDES = [
    ("The ministry said it is skeptical about the new scheme.", "scheme"),
    ("Germany is pessimistic that the talks will succeed.", "talks"),
    ("The envoy expressed pessimism about the peace plan.", "plan"),
    ("The council expressed hope that the government would change course.", "government"),
]


@pytest.mark.parametrize("text, about", ATTITUDES, ids=[row[0][:40] for row in ATTITUDES])
def test_attitudes_name_what_they_are_about(extract, text, about):
    ev = next(e for e in extract(text) if e.event_type is not None and e.event_type.code in ("012", "013"))
    assert about in words(ev.target) + words(ev.recipient)


def test_plain_copula_is_still_no_event(extract):
    assert not [e for e in extract("The minister is tall.") if e.action.lemma == "be"]


@pytest.mark.parametrize("text, lemma, actor, party", [
    ("Amnesty issued a statement calling on Egypt to free the journalists.", "call", "Amnesty", "Egypt"),
    ("The court rejected an appeal lodged by the opposition party.", "reject", "court", "party"),
    ("Poland welcomed the visit by the Japanese prime minister.", "welcome", "POL", "minister"),
    ("The French president had lunch with the Indian premier.", "have", None, "premier"),
])
def test_statement_participles_nominal_agents_and_light_have(extract, text, lemma, actor, party):
    ev = event(extract(text), lemma, actor)
    assert party in words(ev.target) + words(ev.recipient)


def test_participle_on_a_party_noun_has_that_noun_as_actor(extract):
    ev = event(extract("The coalition struck militants firing on the convoy."), "fire")
    assert "militants" in ev.actor.text and "convoy" in words(ev.target) + words(ev.recipient)


def test_subject_hung_on_the_auxiliary_is_found(nlp):
    """Regression (issue 10): 'X however have opposed' put the subject on 'have'; pinned."""
    tokens = ["France", "however", "has", "opposed", "the", "resolution", "."]
    events = pinned_events(
        nlp, ents=[(0, 1, "GPE")], words=tokens, spaces=[True] * 5 + [False, False],
        heads=[2, 3, 3, 3, 5, 3, 3], deps=["nsubj", "advmod", "aux", "ROOT", "det", "dobj", "punct"],
        pos=["PROPN", "ADV", "AUX", "VERB", "DET", "NOUN", "PUNCT"],
        tags=["NNP", "RB", "VBZ", "VBN", "DT", "NN", "."],
        lemmas=["France", "however", "have", "oppose", "the", "resolution", "."])
    (ev,) = events
    assert ev.actor.country == "FRA" and ev.action.lemma == "oppose"


def test_participle_with_an_object_under_a_root_noun_is_a_finite_clause(nlp):
    """Regression (issue 10): 'The air force carried out strikes' parsed as a noun phrase."""
    tokens = ["The", "Iraqi", "air", "force", "carried", "out", "strikes", "."]
    events = pinned_events(
        nlp, ents=[(1, 2, "NORP")], words=tokens, spaces=[True] * 6 + [False, False],
        heads=[3, 3, 3, 3, 3, 4, 4, 3], deps=["det", "amod", "compound", "ROOT", "acl", "prt", "dobj", "punct"],
        pos=["DET", "ADJ", "NOUN", "NOUN", "VERB", "ADP", "NOUN", "PUNCT"],
        tags=["DT", "JJ", "NN", "NN", "VBN", "RP", "NNS", "."],
        lemmas=["the", "iraqi", "air", "force", "carry", "out", "strike", "."])
    (ev,) = events
    assert ev.actor.country == "IRQ" and ev.action.lemma == "carry out"


def test_it_is_not_what_the_same_sentence_calls_we(extract):
    events = extract("Britain imposed new sanctions on Syria. "
                     "We will increase the pressure on the regime until it changes course.")
    assert event(events, "increase").actor.country == "GBR"
    assert "regime" in event(events, "change").actor.label, "'it' is the regime, not 'we'"


# Round three: nominal authors, control nouns, quantities, number agreement, repairs.
ROUND_THREE = [
    # sentence, lemma, actor (label/country/text), party word in target or recipient
    ("The ministry denied charges by the opposition party that it rigged the vote.", "deny", None, "party"),
    ("The mayor accepted an invitation to meet with the Chinese ambassador.", "meet", None, "ambassador"),
    ("Norway is considering the possibility of providing medical teams to Sudan.", "consider", "NOR", "Sudan"),
    ("The charity flew ten tons of medicine to Haiti.", "fly", None, "Haiti"),
    ("Israel mobilized reservists for a ground offensive against Hamas.", "mobilize", "ISR", "Hamas"),
    ("The agency returned dozens of stolen statues to the government of Peru.", "return", None, "Peru"),
    ("The senators said they hoped the president would veto the bill.", "hope", None, "president"),
]


@pytest.mark.parametrize("text, lemma, actor, party", ROUND_THREE, ids=[row[0][:40] for row in ROUND_THREE])
def test_round_three_parties(extract, text, lemma, actor, party):
    ev = event(extract(text), lemma, actor)
    assert party in words(ev.target) + words(ev.recipient)


def test_lemma_slips_are_repaired_before_the_rules(extract):
    ev = event(extract("Japan hoped that the talks would resume."), "hope", "JPN")
    assert ev.event_type is not None and ev.event_type.code == "013"


def test_they_in_reported_speech_agrees_with_a_plural_speaker(extract):
    ev = event(extract("Kurdish officials claimed that they had attacked two rebel camps."), "attack")
    assert ev.actor.text == "they" and "officials" in ev.actor.label


def test_quantifier_pronoun_heads_its_own_phrase(extract):
    ev = event(extract("Eritrea has expelled some of the UN peacekeepers."), "expel", "ERI")
    assert ev.target is not None and "peacekeepers" in ev.target.text


def test_each_conjoined_object_keeps_its_own_author(nlp):
    """Regression (issue 10): only the first of two conjoined objects got its nominal author."""
    tokens = ["Ministers", "condemned", "the", "blockade", "and", "threats", "made", "by", "rebels", "."]
    events = pinned_events(
        nlp, words=tokens, spaces=[True] * 8 + [False, False],
        heads=[1, 1, 3, 1, 3, 3, 5, 6, 7, 1],
        deps=["nsubj", "ROOT", "det", "dobj", "cc", "conj", "acl", "agent", "pobj", "punct"],
        pos=["NOUN", "VERB", "DET", "NOUN", "CCONJ", "NOUN", "VERB", "ADP", "NOUN", "PUNCT"],
        tags=["NNS", "VBD", "DT", "NN", "CC", "NNS", "VBN", "IN", "NNS", "."],
        lemmas=["minister", "condemn", "the", "blockade", "and", "threat", "make", "by", "rebel", "."])
    condemned = {e.target.text: e.recipient for e in events
                 if e.action.lemma == "condemn"}
    assert condemned["threats"] is not None and condemned["threats"].text == "rebels"
    assert condemned["the blockade"] is None


def test_a_named_entity_is_never_split(nlp):
    """Regression (issue 10): a flat name parsed as three subjects lost the person."""
    tokens = ["Omar", "al", "-", "Bashir", "expelled", "the", "envoys", "."]
    events = pinned_events(
        nlp, ents=[(0, 4, "PERSON")], words=tokens, spaces=[True, False, False, True, True, True, False, False],
        heads=[4, 4, 4, 4, 4, 6, 4, 4], deps=["nsubj", "nsubj", "nsubj", "nsubj", "ROOT", "det", "dobj", "punct"],
        pos=["PROPN"] * 4 + ["VERB", "DET", "NOUN", "PUNCT"],
        tags=["NNP"] * 4 + ["VBD", "DT", "NNS", "."],
        lemmas=["Omar", "al", "-", "Bashir", "expel", "the", "envoy", "."])
    (ev,) = events
    assert ev.actor.text == "Omar al-Bashir" and ev.actor.type == "Person"
