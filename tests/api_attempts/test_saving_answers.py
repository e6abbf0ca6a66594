"""Saving answers through the API (the autosave): replacing, refusing bad input, deadlines, ownership."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from quizzes.models import Answer, Attempt, AttemptState
from tests.api_attempts.calls import client_for, correct_ids, detail, questions_of, save, start, submit, wrong_ids
from tests.factories import QuestionFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def test_saving_an_answer_stores_it_and_shows_it_on_the_attempt(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    question = questions_of(quiz)[2]
    picked = correct_ids(question)

    response = save(user_client, attempt_id, question.pk, picked)

    assert response.status_code == 200
    assert response.data["question"] == question.pk
    assert response.data["choices"] == picked
    shown = detail(user_client, attempt_id).data["answers"]
    assert shown[0]["saved_at"] == response.data["saved_at"]
    assert [(answer["question"], sorted(answer["choices"])) for answer in shown] == [(question.pk, sorted(picked))]


def test_saving_again_replaces_the_answer(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    question = questions_of(quiz)[0]
    save(user_client, attempt_id, question.pk, wrong_ids(question)[:1])

    save(user_client, attempt_id, question.pk, correct_ids(question))

    assert Answer.objects.get().choice_ids == correct_ids(question)


@pytest.mark.parametrize(
    "make_choices, message_part",
    [
        (lambda own, other, multi: [other[0]], "does not belong"),
        (lambda own, other, multi: own[:2], "only one"),
        (lambda own, other, multi: [own[0], own[0]], "more than once"),
    ],
    ids=["choice-of-another-question", "two-choices-on-single", "duplicate-choice"],
)
def test_saving_an_invalid_answer_is_400_and_writes_nothing(user_client, quiz, make_choices, message_part):
    attempt_id = start(user_client, quiz).data["id"]
    single, _true_false, multiple = questions_of(quiz)
    own = sorted(single.choices.values_list("id", flat=True))
    other = sorted(multiple.choices.values_list("id", flat=True))

    response = save(user_client, attempt_id, single.pk, make_choices(own, other, multiple))

    assert response.status_code == 400
    assert "detail" in response.data
    assert not Answer.objects.exists()


def test_saving_an_answer_to_an_unknown_question_is_400(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    stranger = QuestionFactory()

    response = save(user_client, attempt_id, stranger.pk, [stranger.choices.first().pk])

    assert response.status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"choices": "1"}, {"choices": ["x"]}, {}, {"choices": [0]}],
    ids=["not-a-list", "not-ids", "missing", "zero-id"],
)
def test_saving_a_malformed_body_is_400_naming_the_field(user_client, quiz, body):
    attempt_id = start(user_client, quiz).data["id"]

    response = user_client.put(
        f"/api/v1/attempts/{attempt_id}/answers/{questions_of(quiz)[0].pk}/", body, format="json"
    )

    assert response.status_code == 400
    assert "choices" in response.data
    assert not Answer.objects.exists()


def test_malformed_json_is_400(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]

    response = user_client.put(
        f"/api/v1/attempts/{attempt_id}/answers/{questions_of(quiz)[0].pk}/",
        data='{"choices": [1,',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "detail" in response.data


def test_saving_on_a_submitted_attempt_is_409(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    submit(user_client, attempt_id)
    question = questions_of(quiz)[0]

    response = save(user_client, attempt_id, question.pk, correct_ids(question))

    assert response.status_code == 409
    assert not Answer.objects.filter(choice_ids__isnull=False).exclude(choice_ids=[]).exists()


def test_saving_after_the_deadline_is_409_and_expires_the_attempt_from_what_was_saved(user_client):
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    first, second = questions_of(quiz)
    attempt_id = start(user_client, quiz).data["id"]
    save(user_client, attempt_id, first.pk, correct_ids(first))
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=30))

    response = save(user_client, attempt_id, second.pk, correct_ids(second))

    assert response.status_code == 409
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.score == Decimal("1.00")
    assert attempt.percent == Decimal("50.00")



def test_submitting_an_expired_attempt_is_409_saying_the_time_limit_passed(user_client):
    """Regression: a submit after expiry said "already submitted", which the learner never did."""
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    attempt_id = start(user_client, quiz).data["id"]
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=30))
    assert detail(user_client, attempt_id).data["state"] == "expired"

    user_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = submit(user_client, attempt_id)

    assert response.status_code == 409
    assert "time limit" in response.data["detail"]
    assert "already been submitted" not in response.data["detail"]


def test_saving_within_the_grace_after_the_deadline_still_counts(user_client):
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    [question] = questions_of(quiz)
    attempt_id = start(user_client, quiz).data["id"]
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=1))

    assert save(user_client, attempt_id, question.pk, correct_ids(question)).status_code == 200


def test_another_users_attempt_is_404_everywhere(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    question = questions_of(quiz)[0]
    stranger = client_for(UserFactory())

    assert detail(stranger, attempt_id).status_code == 404
    # Someone else's attempt reads exactly like one that does not exist.
    unknown = detail(stranger, "6b0f9a8e-1111-4222-8333-444455556666")
    assert detail(stranger, attempt_id).data == unknown.data
    assert submit(stranger, attempt_id).data == unknown.data
    assert save(stranger, attempt_id, question.pk, correct_ids(question)).status_code == 404
    assert submit(stranger, attempt_id).status_code == 404
    assert not Answer.objects.exists()
    assert Attempt.objects.get().state == AttemptState.IN_PROGRESS


def test_an_unknown_attempt_id_is_404(user_client):
    assert detail(user_client, "6b0f9a8e-1111-4222-8333-444455556666").status_code == 404
    assert user_client.get("/api/v1/attempts/not-a-uuid/").status_code == 404
