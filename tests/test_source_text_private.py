"""A source's full text is for editors: no API response, learner page, cache entry or export carries it."""

import pickle

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.models import Citation
from tests.factories import QuestionFactory, QuizFactory, SourceFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SENTENCE = "Only-editors-read-this-sentence of the article."
QUOTE = "the quoted part"


@pytest.fixture
def cache_writes(monkeypatch):
    """Everything written to the shared cache during the test, pickled as the backends store it."""
    written = []
    for method in ("set", "add", "set_many"):
        original = getattr(cache, method)

        def record(*args, _original=original, **kwargs):
            written.append(pickle.dumps((args, kwargs)))
            return _original(*args, **kwargs)

        monkeypatch.setattr(cache, method, record)
    return written


@pytest.fixture
def quiz():
    source = SourceFactory(text=f"Before {QUOTE} and after. {SENTENCE}")
    quiz = QuizFactory(slug="private")
    for position in (1, 2):
        question = QuestionFactory(quiz=quiz, position=position, citation=False)
        Citation.objects.create(question=question, position=1, source=source, quote=QUOTE)
    return quiz


def learner_responses(quiz):
    api = APIClient()
    api.force_authenticate(UserFactory())
    yield "quiz list", api.get("/api/v1/quizzes/")
    yield "quiz detail", api.get(f"/api/v1/quizzes/{quiz.slug}/")
    attempt = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")
    yield "start", attempt
    attempt_id = attempt.json()["id"]
    yield "submit", api.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")
    yield "attempt", api.get(f"/api/v1/attempts/{attempt_id}/")
    yield "history", api.get("/api/v1/attempts/")
    yield "progress", api.get("/api/v1/me/progress/")
    guest = Client()
    yield "home page", guest.get(reverse("web:home"))
    yield "quiz page", guest.get(reverse("web:quiz", kwargs={"slug": quiz.slug}))
    started = guest.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    attempt_page = guest.get(started.url)
    yield "attempt page", attempt_page
    result = guest.post(started.url, {"action": "submit"}, follow=True)
    yield "result page", result
    yield "progress page", guest.get(reverse("web:progress"))
    editor_api = APIClient()
    editor_api.force_authenticate(StaffFactory())
    yield "statistics", editor_api.get(f"/api/v1/quizzes/{quiz.slug}/statistics/")
    yield "report", editor_api.get(f"/api/v1/quizzes/{quiz.slug}/report/")
    for file_format in ("gift", "xml"):
        yield f"API export as {file_format}", editor_api.get(f"/api/v1/quizzes/{quiz.slug}/export/",
                                                             {"format": file_format})


def test_no_response_and_no_cache_entry_carries_the_sources_text(quiz, cache_writes):
    shown_quote = False
    for where, response in learner_responses(quiz):
        body = response.content.decode()
        assert response.status_code in (200, 201), where
        assert "Only-editors-read-this-sentence" not in body, where
        shown_quote = shown_quote or QUOTE in body
    assert shown_quote  # the quote itself is shown: the check looks where the text would be
    assert cache_writes
    assert not [entry for entry in cache_writes if b"Only-editors-read-this-sentence" in entry]


@pytest.mark.parametrize("file_format", ["gift", "xml"])
def test_the_export_command_leaves_the_text_out(quiz, file_format, tmp_path):
    path = tmp_path / f"export.{file_format}"
    call_command("export_questions", quiz.slug, "--format", file_format, "--output", str(path))
    content = path.read_text(encoding="utf-8")
    assert QUOTE in content and "Only-editors-read-this-sentence" not in content


def test_the_api_schema_has_no_field_for_it(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    source = schema["components"]["schemas"]["Source"]["properties"]
    assert "text" not in source
