"""Reading results and history through the API: answer visibility, percentiles, the attempt history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Attempt
from tests.api_attempts.calls import client_for, correct_ids, detail, questions_of, start, submit
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def test_correct_answers_follow_the_quizs_visibility_setting(user_client):
    hidden = quiz_with_questions(1, slug="hidden", answer_visibility="never")
    attempt_id = start(user_client, hidden).data["id"]

    [result] = submit(user_client, attempt_id).data["results"]

    assert result["correct"] is None
    assert result["explanation"] is None
    assert result["feedback"] is None
    assert result["citations"] is None


def test_after_last_attempt_reveals_answers_only_when_no_attempts_are_left(user_client):
    quiz = quiz_with_questions(1, answer_visibility="after_last_attempt", max_attempts=2)
    first_id = start(user_client, quiz).data["id"]
    first = submit(user_client, first_id).data
    assert first["results"][0]["correct"] is None
    assert first["reveals_answers"] is False

    second_id = start(user_client, quiz).data["id"]
    second = submit(user_client, second_id).data

    assert second["results"][0]["correct"] == correct_ids(quiz.questions.get())
    assert detail(user_client, first_id).data["results"][0]["correct"] == correct_ids(quiz.questions.get())


def test_percentile_is_the_share_of_other_learners_attempts_beaten(user_client, user):
    quiz = quiz_with_questions(2)
    first, second = questions_of(quiz)
    for picks in ([], [first], [first, second]):
        other = client_for(UserFactory())
        other_id = start(other, quiz).data["id"]
        submit(other, other_id, [{"question": q.pk, "choices": correct_ids(q)} for q in picks])

    attempt_id = start(user_client, quiz).data["id"]
    response = submit(user_client, attempt_id, [{"question": first.pk, "choices": correct_ids(first)}])

    # Beats the 0 % attempt, ties the 50 % one, loses to the 100 % one: 1 of 3.
    assert response.data["percentile"] == "33.33"


def test_percentile_is_null_without_other_learners(user_client):
    quiz = quiz_with_questions(1)
    attempt_id = start(user_client, quiz).data["id"]

    assert submit(user_client, attempt_id).data["percentile"] is None


def test_history_lists_own_attempts_newest_first_and_filters_by_quiz(user_client, user):
    parler = quiz_with_questions(1, slug="parler")
    other_quiz = quiz_with_questions(1, slug="other")
    first = start(user_client, parler).data["id"]
    submit(user_client, first)
    Attempt.objects.filter(pk=first).update(started_at=timezone.now() - timedelta(hours=1))
    second = start(user_client, parler).data["id"]
    third = start(user_client, other_quiz).data["id"]
    Attempt.objects.filter(pk=third).update(started_at=timezone.now() + timedelta(seconds=1))
    start(client_for(UserFactory()), parler)

    everything = user_client.get("/api/v1/attempts/")
    only_parler = user_client.get("/api/v1/attempts/", {"quiz": "parler"})

    assert everything.status_code == 200
    assert [item["id"] for item in everything.data["results"]] == [third, second, first]
    assert [item["id"] for item in only_parler.data["results"]] == [second, first]
    closed = only_parler.data["results"][1]
    assert closed["score"] == "0.00" and closed["percent"] == "0.00" and closed["passed"] is False
    assert "score" not in only_parler.data["results"][0]


def test_history_needs_an_account(api_client):
    assert api_client.get("/api/v1/attempts/").status_code == 401
