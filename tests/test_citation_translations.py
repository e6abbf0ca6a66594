"""A citation's translation: in the API result, first on the result page, labelled, with the original under it."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import QuestionFactory, QuizFactory, SourceFactory, StaffFactory, UserFactory
from tests.pages import start

pytestmark = pytest.mark.django_db

QUOTE = "Amazon stellte Parler den Strom ab."
TRANSLATION = "Amazon pulled the plug on Parler."


@pytest.fixture
def english_quiz():
    quiz = QuizFactory(slug="english", language="en")
    QuestionFactory(
        quiz=quiz, position=1, citation__source=SourceFactory(language="de"), citation__quote=QUOTE,
        citation__translation=TRANSLATION, citation__note="The article gives no year.",
    )
    return quiz


def submitted_result_page(client, quiz):
    attempt = start(client, quiz)
    client.post(reverse("web:attempt", kwargs={"attempt_id": attempt.pk}), {"action": "submit", "confirm_incomplete": "1"})
    return client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()


def test_the_api_result_gives_the_translation_beside_the_verbatim_quote(english_quiz):
    api = APIClient()
    api.force_authenticate(UserFactory())
    attempt = api.post(f"/api/v1/quizzes/{english_quiz.slug}/attempts/").json()

    result = api.post(f"/api/v1/attempts/{attempt['id']}/submit/", {}, format="json").json()

    citation = result["results"][0]["citations"][0]
    assert (citation["quote"], citation["translation"], citation["note"]) == (
        QUOTE, TRANSLATION, "The article gives no year."
    )


def test_the_result_page_shows_the_translation_first_labelled_and_the_original_under_it(client, english_quiz):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = submitted_result_page(client, english_quiz)

    assert page.index("Translation (English)") < page.index(TRANSLATION) < page.index("Original (German)") < page.index(QUOTE)
    assert f'<blockquote lang="en"><p>{TRANSLATION}</p></blockquote>' in page
    assert f'<blockquote lang="de"><p>{QUOTE}</p></blockquote>' in page
    assert "The article gives no year." in page


def test_the_labels_follow_the_interface_language(client, english_quiz):
    page = submitted_result_page(client, english_quiz)

    assert "Übersetzung (Englisch)" in page and "Original (Deutsch)" in page


def test_a_citation_without_translation_shows_only_the_quote(client):
    quiz = QuizFactory(slug="deutsch", language="de")
    QuestionFactory(quiz=quiz, position=1, citation__quote=QUOTE)

    page = submitted_result_page(client, quiz)

    assert QUOTE in page and "citation-label" not in page and "Übersetzung (" not in page


def test_editors_write_the_translation_in_the_citation_inline(client, english_quiz):
    client.force_login(StaffFactory())
    question = english_quiz.questions.get()

    page = client.get(reverse("admin:quizzes_question_change", args=[question.pk])).content.decode()

    assert 'name="citations-0-translation"' in page and TRANSLATION in page
