"""Issue 25 (figures) and issue 24 item 7: persons and organizations get their CAMEO actor
code from the words around the name (appositive role phrases, titles, the possessor, a
country modifier) and from the Phoenix rows under the spellings news use; a code that could
only be guessed stays empty."""
from __future__ import annotations

import pytest


def _actor_codes(extract, text: str, date: str | None) -> set[str | None]:
    return {e.actor.cameo for e in extract(text, date) if e.actor is not None}


@pytest.mark.parametrize("text, date, code", [
    # an appositive role phrase gives the country and the role
    ("Tomas Verhulst, a Belgian police spokesman, announced the arrests.", None, "BELCOP"),
    ("Joseph Okello, a Ugandan rebel commander, surrendered to the army.", None, "UGAREB"),
    # ... or the organization of its for/of phrase
    ("Marta Lindqvist, a spokeswoman for the European Commission, criticized the plan.", None,
     "IGOEUREEC"),
    ("Hana Petrova, the director of the Red Cross, condemned the bombing.", None, "NGOHLHIRC"),
    # the possessor and an abbreviated title (a Phoenix agent) before a name
    ("Sudan's deposed Gen. Ahmed Karim ordered the arrests.", None, "SDNMIL"),
    ("Sen. Tom Walker criticized the deal.", None, "LEG"),
    # an international organization before the name is the person's, not its role noun's
    ("World Bank President Elena Dumitru criticized the plan.", None, "IGOUNODEVWBK"),
    # Phoenix's "Al Jaafari" is the text's "al-Jaafari"
    ("Ibrahim al-Jaafari criticized the plan.", "2005-06-01", "IRQGOV"),
    # a block of Phoenix names sharing the codes below it
    ("Boris Yeltsin criticized the plan.", "1995-01-01", "RUSGOV"),
    # kgbuild's row for the whole name beats the recognizer's PERSON label
    ("The Houthis attacked a tanker in the Red Sea.", None, "YEMREB"),
])
def test_person_codes_come_from_the_words_around_the_name(extract, text, date, code):
    assert code in _actor_codes(extract, text, date)


@pytest.mark.parametrize("text", [
    "Nawaz Malik, the party leader, criticized the deal.",   # which country's party?
    "Nawaz Malik, a spokesman, criticized the deal.",        # a role without a country
])
def test_a_person_code_that_would_be_a_guess_stays_empty(extract, text):
    assert _actor_codes(extract, text, None) == {None}


@pytest.mark.parametrize("text, code", [
    # a country's name before a body Phoenix lists under that country gives way to it
    ("The U.S. Bureau of Land Management fined two ranchers.", "USAGOV"),
    # an organization no table lists takes the country its name opens with ...
    ("The Canadian Wheat Board criticized the tariffs.", "CAN"),
    ("The Kenyan Football Federation suspended the referee.", "KEN"),
    # ... and people named by a plural demonym, also inside a partitive, their country
    ("About 2,000 Somalis attacked the camp.", "SOM"),
    ("Hundreds of Eritreans protested outside the embassy.", "ERI"),
    # kgbuild's rows of the US federal agencies news name by acronym
    ("ICE deported 40 men to Guatemala.", "USAGOV"),
    ("DHS criticized the court ruling.", "USAGOV"),
])
def test_organization_codes_come_from_their_name_and_the_tables(extract, text, code):
    assert code in _actor_codes(extract, text, None)


def test_an_organization_named_without_a_country_stays_uncoded(extract):
    assert _actor_codes(extract, "The Wrestling Federation condemned the decision.", None) == {None}
