"""Time expressions resolved against the document date (pure Python)."""
import pytest

from kgbuild.extract.timex import normalize_time


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
