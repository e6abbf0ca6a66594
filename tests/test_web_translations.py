"""The German catalogue is complete and its placeholders match, so no page shows English to a German reader."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from tests.factories import shipped_site_texts

LOCALE = Path(__file__).resolve().parent.parent / "quizzes" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\w*\}")


def german_catalogue():
    return polib.pofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.po"))


def test_both_interface_languages_have_a_catalogue():
    assert (LOCALE / "de" / "LC_MESSAGES" / "django.po").exists()
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("language", ["de", "en"])
def test_each_message_is_defined_once_with_a_translation_field(language):
    # GNU msgfmt (compilemessages) refuses a catalogue with a message defined twice or without its
    # msgstr; polib, which compiles ours, accepted both and hid them.
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    keys = [(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path))]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    without_msgstr, awaiting = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("msgid "):
            if awaiting:
                without_msgstr.append(awaiting)
            awaiting = number
        elif line.startswith("msgstr"):
            awaiting = None
    assert duplicated == [] and without_msgstr == [] and awaiting is None


def test_every_german_message_is_translated_and_not_fuzzy():
    catalogue = german_catalogue()
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_german_messages_keep_the_placeholders_of_the_english_ones():
    mismatched = []
    for entry in german_catalogue().translated_entries():
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            # A singular German form may leave out a placeholder (e.g. "one attempt"); it may not invent one.
            if set(PLACEHOLDER.findall(translation)) - set(PLACEHOLDER.findall(source)):
                mismatched.append(entry.msgid)
    assert mismatched == []


# English messages that German says with the same words on purpose.
GERMAN_SYNONYMS = [
    {"choices", "answers"},
    {"choice", "answer"},
    {"Score", "Result"},
]


def test_different_messages_have_different_german_translations():
    # A translation pasted onto the wrong message shows a German reader something else entirely
    # ("No page with this number." once read "Kein Quiz mit diesem Kürzel.").
    messages_by_german = {}
    for entry in german_catalogue().translated_entries():
        german = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        messages_by_german.setdefault(german, set()).add(entry.msgid)
    shared = [
        messages
        for messages in messages_by_german.values()
        if len({message.casefold() for message in messages}) > 1 and messages not in GERMAN_SYNONYMS
    ]
    assert shared == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "expected"), [("de-DE,de;q=0.9", "Quizze zur Abschaltung"), ("en-GB,en;q=0.9", "Quizzes about")]
)
def test_pages_follow_the_browsers_language(client, accept_language, expected):
    shipped_site_texts()
    page = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert expected in page


@pytest.mark.django_db
def test_the_language_switcher_overrides_the_browser(client):
    shipped_site_texts()
    response = client.get(reverse("web:language"), {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302
    assert "Quizzes about" in client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
