"""Event coding on the real pipeline: reporting as attribution, framed events and
polarity, lexicon coverage, and the frame table itself (issue 11, items 1-3)."""
from __future__ import annotations

import pytest

from kgbuild import Document, extract_events
from kgbuild.extract.coding import FRAME_DEFAULTS, FRAME_ROOTS, framed_type
from kgbuild.extract.lexicon import event_types, frame_codes, verb_codes


def _events(nlp, text: str, **options):
    return list(extract_events([Document(id="t", text=text)], nlp=nlp, **options))


def _find(events, lemma: str):
    found = [e for e in events if e.action.lemma == lemma]
    assert found, f"no '{lemma}' event in {[(e.actor.label, e.action.lemma) for e in events]}"
    return found[0]


# 1. Reporting is attribution: (sentence, reporting lemma, reported lemma, attribution text)
REPORTS = [
    ("Officials said the army shelled the village.", "say", "shell", "Officials"),
    ("The agency reported that rebels had seized the airport.", "report", "seize", "The agency"),
    ("A monitor said government forces bombed the market.", "say", "bomb", "A monitor"),
    ("The ministry stated that Iraq would expel the diplomats.", "state", "expel", "The ministry"),
]


@pytest.mark.parametrize("text, reporting, reported, speaker", REPORTS)
def test_bare_reporting_verb_is_attribution_not_event(nlp, text, reporting, reported, speaker):
    events = _events(nlp, text)
    assert all(e.action.lemma != reporting for e in events)
    assert _find(events, reported).attribution.text == speaker


def test_statements_option_keeps_reporting_as_make_statement(nlp):
    events = _events(nlp, "Officials said the army shelled the village.", statements=True)
    assert _find(events, "say").event_type.code == "010"
    assert _find(events, "shell").attribution.text == "Officials"


# Statements with an addressee or content of their own stay events: (sentence, lemma, code, party)
STATEMENTS = [
    ("The minister told the ambassador that the border would stay closed.", "tell", "010", "ambassador"),
    ("The general briefed the defence committee on the offensive.", "brief", "010", "committee"),
    ("Egypt condemned the bombing of the embassy.", "condemn", "111", None),
    ("The president praised the agreement.", "praise", "051", None),
    ("The spokesman denied the allegations.", "deny", "016", None),
    ("Turkey accused Greece of provocations.", "accuse", "112", "Greece"),
    ("The prime minister apologized to the families of the victims.", "apologize", "055", None),
]


@pytest.mark.parametrize("text, lemma, code, party", STATEMENTS)
def test_statements_with_addressee_or_content_stay_events(nlp, text, lemma, code, party):
    ev = _find(_events(nlp, text), lemma)
    assert ev.event_type is not None and ev.event_type.code == code
    if party:
        slots = [s for s in (ev.target, ev.recipient) if s is not None]
        assert any(party in (s.text + " " + s.label) for s in slots)


# 2. Typed by the governing verb and polarity: (sentence, lemma, code, party word or None)
FRAMED = [
    ("Iran threatened to impose sanctions on Israel.", "threaten", "1312", "Israel"),
    ("The rebels refused to meet the envoy.", "refuse", "125", "envoy"),
    ("Turkey offered to mediate between the two sides.", "offer", "039", None),
    ("The militants agreed to withdraw their fighters.", "agree", "0356", None),
    ("The council called for a ceasefire.", "call", "107", None),
    ("Amnesty demanded the release of the journalists.", "demand", "1053", "journalists"),
    ("Hamas vowed to attack Israel.", "vow", "1384", "Israel"),
    ("The opposition urged the government to release the prisoners.", "urge", "0253", "government"),
    ("Russia did not accept the proposal.", "accept", "120", None),
    ("Iraq will not attend the talks.", "attend", "125", None),
]


@pytest.mark.parametrize("text, lemma, code, party", FRAMED)
def test_governing_verb_and_polarity_set_the_code(nlp, text, lemma, code, party):
    ev = _find(_events(nlp, text), lemma)
    assert ev.event_type is not None and ev.event_type.code == code, ev.explanation
    if party:
        slots = [s for s in (ev.target, ev.recipient) if s is not None]
        assert any(party in (s.text + " " + s.label) for s in slots), "the frame keeps the party"


# Stated intent: (sentence, lemma, code); a scheduled future or a decision keeps the act's code.
INTENT = [
    ("Pakistan is willing to withdraw its troops from the border.", "withdraw", "0356"),
    ("The rebels said they will release the hostages.", "release", "0353"),
    ("Norway is ready to provide humanitarian aid to Sudan.", "provide", "0333"),
    ("American forces will join Jordan in the exercise.", "join", "060"),
    ("Japan decided to ease sanctions on North Korea.", "ease", "085"),
]


@pytest.mark.parametrize("text, lemma, code", INTENT)
def test_intended_cooperation_is_an_expression_of_intent(nlp, text, lemma, code):
    ev = _find(_events(nlp, text), lemma)
    assert ev.event_type is not None and ev.event_type.code == code, ev.explanation


def test_governed_event_is_content_of_the_frame(nlp):
    # issue 22: the framed act is the frame's content (type and mode), not a second event
    events = _events(nlp, "Iran threatened to impose sanctions on Israel.")
    threat = _find(events, "threaten")
    assert threat.content.event_type.code == "163" and threat.content.mode == "intended"
    assert threat.event_type.code == "1312" and not [e for e in events if e.action.lemma == "impose"]
    refused = _find(_events(nlp, "The rebels refused to meet the envoy."), "refuse")
    assert refused.content.event_type.root == "04" and refused.content.mode == "refused"
    assert refused.event_type.code == "125"


def test_requested_event_is_content_of_the_appeal_not_asserted(nlp):
    events = _events(nlp, "The opposition urged the government to release the prisoners.")
    urge = _find(events, "urge")
    assert urge.content.lemma == "release" and urge.content.mode == "requested"
    assert urge.content.actor.label.startswith("government")
    assert not [e for e in events if e.action.lemma == "release"]


# 3. Coverage, object classes deciding: (sentence, lemma, code)
COVERAGE = [
    ("Washington lifted the embargo on Cuba.", "lift", "085"),
    ("The governor lifted the curfew in the capital.", "lift", "0813"),
    ("The army launched strikes on rebel positions.", "launch", "195"),
    ("The two governments launched talks in Geneva.", "launch", "046"),
    ("The government rejected the request of the opposition.", "reject", "120"),
    ("The ministry rejected the accusation of torture.", "reject", "016"),
    ("The donors contributed 40 million dollars to the relief effort.", "contribute", "071"),
    ("The regime eased restrictions on the press.", "ease", "081"),
    ("The European Union eased sanctions on Iran.", "ease", "085"),
    ("The union called off the strike.", "call off", "082"),
    ("The militia torched the village.", "torch", "171"),
    ("Canada accepted two thousand refugees from the camps.", "accept", "075"),
    ("The government accepted the demands of the strikers.", "accept", "080"),
    ("The hackers launched cyber warfare against the ministry.", "launch", "190"),
    ("The president called the Turkish leader on Monday.", "call", "041"),
    ("The president announced a cease-fire with the rebels.", "announce", "0871"),
    ("Nigeria announced the deployment of troops to Liberia.", "announce", "154"),
]


@pytest.mark.parametrize("text, lemma, code", COVERAGE)
def test_common_political_verbs_are_coded(nlp, text, lemma, code):
    ev = _find(_events(nlp, text), lemma)
    assert ev.event_type is not None and ev.event_type.code == code, ev.explanation


@pytest.mark.parametrize("text, lemma", [
    ("The minister faced charges of corruption.", "face"),
    ("Thousands of civilians fled the fighting.", "flee"),
    ("The government ensured transparency in the vote.", "ensure"),
])
def test_verbs_that_name_no_event_make_none(nlp, text, lemma):
    assert all(e.action.lemma != lemma for e in _events(nlp, text))


def test_frame_table_codes_are_cameo_codes():
    types = event_types()
    for prefix, row in frame_codes().items():
        assert prefix in types, f"frames.tsv: {prefix} is no CAMEO code"
        for frame, code in row.items():
            assert frame in FRAME_DEFAULTS and (code is None or code in types), (prefix, frame, code)
    assert set(FRAME_DEFAULTS) == set(FRAME_ROOTS.values())
    for frame, code in FRAME_DEFAULTS.items():
        assert types[code].root in FRAME_ROOTS and FRAME_ROOTS[types[code].root] == frame


def test_frame_lookup_takes_the_longest_prefix():
    types = event_types()
    assert framed_type("demand", types["0871"]).code == "107"   # ceasefire, not 087's 1056
    assert framed_type("demand", types["0872"]).code == "1056"  # falls back to 087
    assert framed_type("threat", types["010"]).code == "130"    # no row: the frame's own code


def test_lexicon_codes_exist():
    types = event_types()
    bad = [(k, c) for k, c in verb_codes().items() if c != "-" and c not in types]
    assert not bad, bad


def test_run_on_sentence_is_skipped_with_a_warning_and_the_rest_kept(nlp, caplog):
    from kgbuild.extract.events import MAX_SENTENCE_TOKENS

    run_on = " ".join(["troops moved east and"] * (MAX_SENTENCE_TOKENS // 4 + 10))
    text = run_on + " stopped.\n\nRussia deployed missiles in Kaliningrad."
    with caplog.at_level("WARNING", logger="kgbuild"):
        events = _events(nlp, text)
    assert any("longer than" in r.getMessage() and "t:" in r.getMessage() for r in caplog.records)
    assert [e.action.lemma for e in events] == ["deploy"]


def test_extract_text_takes_a_string_or_strings(nlp):
    from kgbuild.extract import extract_text

    one = extract_text("Moscow will deploy Iskander missiles in Kaliningrad.", date="2024-03-04", nlp=nlp)
    assert [(e.actor.country, e.action.lemma, e.doc) for e in one] == [("RUS", "deploy", "text")]
    two = extract_text(["Russia deployed missiles.", "Iran threatened Israel."], nlp=nlp)
    assert {e.doc for e in two} == {"text-1", "text-2"}
    with pytest.raises(TypeError, match="str or strings"):
        extract_text(42, nlp=nlp)
    with pytest.raises(TypeError, match="extract_events"):
        extract_text(Document(id="d", text="Russia deployed missiles."), nlp=nlp)


def test_public_api_is_what_dir_shows():
    import kgbuild

    shown = dir(kgbuild)
    assert "extract_text" in shown and "build_graph" in shown
    assert "TYPE_CHECKING" not in shown and "annotations" not in shown
    assert all(hasattr(kgbuild, name) for name in shown)
    assert kgbuild.extract_text.__module__ == "kgbuild.extract"


def test_component_names_a_wrong_document_metadata(nlp):
    from kgbuild.errors import InputError

    doc = nlp.make_doc("Russia deployed missiles.")
    doc._.kgbuild_meta = {"id": "d", "published": "2024-01-01"}
    with pytest.raises(InputError, match="unknown key 'published'.*date"):
        nlp.get_pipe("kgbuild_events")(nlp.get_pipe("parser")(nlp.get_pipe("tok2vec")(doc)))
    doc._.kgbuild_meta = "d"
    with pytest.raises(InputError, match="must be a dict"):
        nlp.get_pipe("kgbuild_events")(doc)
