"""Starting an attempt through the API: questions without answers, resuming, attempts left, throttles."""

import pytest

from quizzes.models import Attempt
from tests.api_attempts.calls import client_for, questions_of, save, start, submit
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def test_starting_returns_201_with_the_attempts_questions_and_no_answers(user_client, quiz):
    response = start(user_client, quiz)

    assert response.status_code == 201
    body = response.data
    assert set(body) == {
        "id", "quiz", "quiz_title", "number", "state", "started_at", "deadline", "submitted_at", "questions", "answers"
    }
    assert body["quiz"] == "parler"
    assert body["number"] == 1
    assert body["state"] == "in_progress"
    assert body["deadline"] is None
    assert [question["id"] for question in body["questions"]] == [question.pk for question in questions_of(quiz)]
    assert body["answers"] == []


def test_starting_again_returns_the_attempt_in_progress_with_200(user_client, quiz):
    first = start(user_client, quiz)
    shown = first.data["questions"][0]
    save(user_client, first.data["id"], shown["id"], [shown["choices"][0]["id"]])

    again = start(user_client, quiz)

    assert again.status_code == 200
    assert again.data["id"] == first.data["id"]
    assert again.data["answers"][0]["question"] == first.data["questions"][0]["id"]
    assert Attempt.objects.count() == 1


def test_starting_follows_the_quizs_subset_and_shuffle(user_client):
    quiz = quiz_with_questions(6, questions_per_attempt=3, shuffle_choices=True, time_limit_seconds=300)

    response = start(user_client, quiz)

    assert response.status_code == 201
    assert len(response.data["questions"]) == 3
    attempt = Attempt.objects.get()
    assert [question["id"] for question in response.data["questions"]] == attempt.question_order
    for question in response.data["questions"]:
        assert [choice["id"] for choice in question["choices"]] == attempt.choice_order[str(question["id"])]
    assert response.data["deadline"] is not None


def test_starting_without_attempts_left_is_403_with_a_message(user_client):
    quiz = quiz_with_questions(1, max_attempts=1)
    attempt_id = start(user_client, quiz).data["id"]
    submit(user_client, attempt_id)

    response = start(user_client, quiz)

    assert response.status_code == 403
    assert "attempts" in response.data["detail"].lower() or "versuche" in response.data["detail"].lower()
    assert Attempt.objects.count() == 1


def test_starting_needs_an_account(api_client, quiz):
    response = start(api_client, quiz)

    assert response.status_code == 401
    assert "detail" in response.data
    assert not Attempt.objects.exists()


def test_starting_an_unpublished_quiz_is_404(user_client):
    quiz = quiz_with_questions(1, is_published=False)

    assert start(user_client, quiz).status_code == 404
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("throttle_name", ["StartAttemptThrottle", "SubmitAttemptThrottle"])
def test_starting_and_submitting_are_throttled_per_user_with_429(user_client, quiz, monkeypatch, throttle_name):
    from django.core.cache import cache

    from quizzes import throttles

    throttle = getattr(throttles, throttle_name)
    monkeypatch.setattr(throttle, "THROTTLE_RATES", {throttle.scope: "1/minute"})
    cache.clear()
    attempt_id = start(user_client, quiz).data["id"]

    if throttle is throttles.StartAttemptThrottle:
        refused = start(user_client, quiz)
    else:
        assert submit(user_client, attempt_id).status_code == 200
        refused = submit(user_client, attempt_id)

    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert start(client_for(UserFactory()), quiz).status_code == 201
