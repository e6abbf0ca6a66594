"""The interface language, decided once (languages.interface_language) for the pages, review and the site's texts,
and the date formats each language shows."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from quizzes.languages import interface_language


@pytest.mark.parametrize(("active", "expected"), [("de", "de"), ("en", "en"), ("en-gb", "en"), ("de-at", "de")])
def test_the_active_language_is_one_of_the_sites(active, expected):
    with translation.override(active):
        assert interface_language() == expected


@pytest.mark.parametrize("active", ["fr", "es-mx"])
def test_a_language_the_site_does_not_speak_falls_back_to_german(active):
    # Before, the site's texts asked for "fr" (and found none) while review and topics fell back to German.
    with translation.override(active):
        assert interface_language() == "de"


def test_no_active_language_is_the_sites_default():
    with translation.override(None):
        assert interface_language() == "de"


def test_english_dates_are_british_and_unambiguous_german_ones_stay_djangos():
    # A tester read "12/04/2026 7:09 p.m." (Django's American "en") on pages whose English is British.
    moment = datetime.datetime(2026, 12, 4, 19, 9)
    with translation.override("en"):
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "4 Dec 2026, 19:09"
        assert date_format(moment, "DATE_FORMAT") == "4 December 2026"
        assert date_format(moment, "SHORT_DATE_FORMAT") == "4 Dec 2026"
    with translation.override("de"):
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "04.12.2026 19:09"
