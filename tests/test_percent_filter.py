"""The pages' percent filter: one decimal at most, none when the rounded value is whole."""

from decimal import Decimal

import pytest
from django.utils import translation

from quizzes.templatetags.quiz_pages import percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("40"), "40\u00a0%"),
        (Decimal("14.29"), "14.3\u00a0%"),
        (Decimal("77.65"), "77.7\u00a0%"),
        # A chance of 99.96 % was shown as "100.0 %" beside a whole "100 %".
        (Decimal("99.96"), "100\u00a0%"),
        (Decimal("0.04"), "0\u00a0%"),
        (None, "–"),
    ],
)
def test_percent(value, shown):
    with translation.override("en"):
        assert percent(value) == shown


def test_percent_speaks_the_interface_language():
    with translation.override("de"):
        assert percent(Decimal("14.29")) == "14,3\u00a0%"
