"""The interface language, decided once (languages.interface_language) for the pages, review and the site's texts."""

import pytest
from django.utils import translation

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
