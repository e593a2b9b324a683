"""Time expressions resolved against the document date (pure Python)."""
import pytest

from kgbuild.extract.timex import date_from_text, normalize_time


@pytest.mark.parametrize("text, date, future, expected", [
    ("on Monday", "2016-11-21", False, "2016-11-21"),          # the doc date is a Monday
    ("on Friday", "2016-11-21", False, "2016-11-18"),
    ("on Friday", "2016-11-21", True, "2016-11-25"),
    ("In October", "2016-11-21", False, "2016-10"),
    ("in December", "2016-11-21", False, "2015-12"),
    ("in December", "2016-11-21", True, "2016-12"),
    ("earlier this month", "2016-11-21", False, "2016-11-01/2016-11-21"),
    ("last week", "2016-11-23", False, "2016-11-14/2016-11-20"),
    ("yesterday", "2016-11-21", False, "2016-11-20"),
    ("March 4, 2024", None, False, "2024-03-04"),
    ("4 March 2024", None, False, "2024-03-04"),
    ("in 2015", None, False, "2015"),
    ("2024-05-16", None, False, "2024-05-16"),
])
def test_normalize_time_resolves(text, date, future, expected):
    assert normalize_time(text, date, future=future) == expected


@pytest.mark.parametrize("text", ["on Monday", "earlier this month", "recently"])
def test_normalize_time_without_date_is_unresolved(text):
    assert normalize_time(text, None) is None


@pytest.mark.parametrize("text, expected", [  # issue 23, item 4
    ("MOSCOW, March 3, 2019 (Reuters) - Russia expelled two British diplomats on 12 May 2020.",
     ("2019-03-03", "MOSCOW, March 3, 2019 (Reuters)")),
    ("KYIV, Ukraine, Feb. 24, 2022 (AP) — Russian forces attacked.",
     ("2022-02-24", "KYIV, Ukraine, Feb. 24, 2022 (AP)")),
    ("LONDON, 12 May 2020 – The talks ended.", ("2020-05-12", "LONDON, 12 May 2020")),
    ("Turkey shelled Kurdish positions on 12 May 2020, officials said on 14 May 2020.",
     ("2020-05-12", "12 May 2020")),
    ("BEIRUT (Reuters) - On Sept. 4, 2019 the army moved.", ("2019-09-04", "Sept. 4, 2019")),
    ("Talks on 31 June 2020 were planned; they met on July 1st, 2020.", ("2020-07-01", "July 1st, 2020")),
    ("Reported 2021-03-01.", ("2021-03-01", "2021-03-01")),
])
def test_date_from_text_reads_a_dateline_or_the_first_full_date(text, expected):
    assert date_from_text(text) == expected


@pytest.mark.parametrize("text", [
    "Russia expelled two diplomats on Monday.",          # relative: needs a date to resolve
    "The fighting began in May 2020 and went on in 2021.",  # a month, a year: no day
    "MOSCOW (Reuters) - Russia expelled two diplomats.",  # a dateline without a date
    "",
])
def test_date_from_text_without_a_full_date_is_none(text):
    assert date_from_text(text) is None
