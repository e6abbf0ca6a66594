"""Answering in spaced review is rate limited per learner (a guest per address), like starting and
submitting attempts: a script answering in a loop gets 429 with Retry-After, other learners do not."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from quizzes import throttles
from tests.factories import MemoryStateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_answer_a_minute(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setattr(throttles.ReviewAnswerThrottle, "THROTTLE_RATES", {"review": "1/minute"})
    cache.clear()
    yield
    cache.clear()


def learner_with_a_due_question():
    state = MemoryStateFactory()
    client = APIClient()
    client.force_authenticate(state.user)
    return client, state.question_id


def answer(client, question_id):
    return client.post(f"/api/v1/me/review/{question_id}/", {"choices": []}, format="json")


def test_a_second_answer_within_the_limit_is_refused_with_429_and_retry_after():
    client, question_id = learner_with_a_due_question()

    assert answer(client, question_id).status_code == 200
    refused = answer(client, question_id)

    assert refused.status_code == 429
    assert "Retry-After" in refused.headers


def test_one_learners_answers_do_not_use_up_anothers_limit():
    client, question_id = learner_with_a_due_question()
    other, other_question_id = learner_with_a_due_question()

    assert answer(client, question_id).status_code == 200
    assert answer(client, question_id).status_code == 429
    assert answer(other, other_question_id).status_code == 200


def test_the_limit_is_the_review_scope_of_the_settings(settings):
    # The rate an operator sets (QUIZSITE_THROTTLE_REVIEW) is the one the view's throttle applies.
    assert "review" in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert throttles.ReviewAnswerThrottle.scope == "review"


def test_the_queue_is_not_throttled_by_answers():
    client, question_id = learner_with_a_due_question()

    assert answer(client, question_id).status_code == 200
    assert answer(client, question_id).status_code == 429
    assert client.get("/api/v1/me/review/").status_code == 200


def test_the_schema_says_an_answer_may_be_refused_with_429():
    import yaml

    schema = yaml.safe_load(APIClient().get("/api/schema/").content)

    assert "429" in schema["paths"]["/api/v1/me/review/{question_id}/"]["post"]["responses"]
