"""Submitting writes each shown question's answer once, and holds the write lock only to write.

The attempt is read, the answers validated and the scoring keys looked up before the write
transaction; under the lock the state is checked again and the rows are written. These tests pin
what a learner sees of that: when answers were saved, what a bad or late submit gets while the
database is busy with another writer, and questions or choices removed while the attempt was open.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.models import Answer, Attempt, AttemptState, Choice, Question, Selection
from quizzes.services import (
    AnswerInput,
    Owner,
    save_answer,
    start_attempt,
    submit_attempt,
)
from tests.factories import UserFactory, quiz_with_questions


def correct_choice_id(question_id):
    return Choice.objects.get(question_id=question_id, is_correct=True).pk


def wrong_choice_id(question_id):
    return Choice.objects.filter(question_id=question_id, is_correct=False).first().pk


@pytest.mark.django_db
def test_submit_keeps_when_autosaved_answers_were_saved_and_stamps_sent_answers_with_the_submit_time():
    quiz = quiz_with_questions(3)
    owner = Owner(user_id=UserFactory().pk)
    started_at = timezone.now() - timedelta(minutes=5)
    attempt, _ = start_attempt(quiz=quiz, owner=owner, now=started_at)
    autosaved, replaced, sent = attempt.question_order
    saved_at = started_at + timedelta(minutes=1)
    save_answer(
        attempt_id=attempt.pk, owner=owner, question_id=autosaved, choice_ids=[correct_choice_id(autosaved)],
        now=saved_at,
    )
    save_answer(
        attempt_id=attempt.pk, owner=owner, question_id=replaced, choice_ids=[wrong_choice_id(replaced)],
        now=saved_at,
    )
    submitted_at = started_at + timedelta(minutes=2)

    closed = submit_attempt(
        attempt_id=attempt.pk,
        owner=owner,
        answers=[
            AnswerInput(question_id=replaced, choice_ids=(correct_choice_id(replaced),)),
            AnswerInput(question_id=sent, choice_ids=(wrong_choice_id(sent),)),
        ],
        now=submitted_at,
    )

    answers = {answer.question_id: answer for answer in Answer.objects.filter(attempt=attempt)}
    assert closed.score == Decimal("2.00")
    assert answers[autosaved].saved_at == saved_at
    assert answers[replaced].saved_at == submitted_at
    assert answers[sent].saved_at == submitted_at
    assert answers[replaced].choice_ids == [correct_choice_id(replaced)]
    assert [answers[q].score for q in (autosaved, replaced, sent)] == [Decimal("1.00"), Decimal("1.00"), Decimal("0")]
    assert sorted(Selection.objects.filter(answer__attempt=attempt).values_list("choice_id", flat=True)) == sorted(
        [correct_choice_id(autosaved), correct_choice_id(replaced), wrong_choice_id(sent)]
    )


@pytest.mark.django_db
def test_a_closed_attempt_answers_409_before_the_answers_are_checked():
    quiz = quiz_with_questions(1)
    user = UserFactory()
    attempt, _ = start_attempt(quiz=quiz, owner=Owner(user_id=user.pk))
    submit_attempt(attempt_id=attempt.pk, owner=Owner(user_id=user.pk))
    client = APIClient()
    client.force_authenticate(user)

    response = client.post(
        f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": [{"question": 999999, "choices": [1]}]}, format="json"
    )

    assert response.status_code == 409


@pytest.mark.django_db
def test_a_choice_deleted_after_it_was_saved_is_neither_scored_nor_kept_as_a_selection():
    quiz = quiz_with_questions(1)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    question_id = attempt.question_order[0]
    right = correct_choice_id(question_id)
    save_answer(attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=[right])
    Choice.objects.filter(pk=right).delete()

    closed = submit_attempt(attempt_id=attempt.pk, owner=owner)

    assert closed.score == Decimal("0.00")
    assert Answer.objects.get(attempt=attempt).choice_ids == []
    assert not Selection.objects.filter(answer__attempt=attempt).exists()


@pytest.mark.django_db(transaction=True)
def test_a_question_deleted_while_the_attempt_was_open_is_left_out_when_it_closes():
    # Regression: closing wrote an empty answer for every shown question, also for one deleted since
    # the start, and the foreign key refused the whole submit.
    quiz = quiz_with_questions(2)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    kept, deleted = attempt.question_order
    Question.objects.filter(pk=deleted).delete()

    closed = submit_attempt(
        attempt_id=attempt.pk, owner=owner, answers=[AnswerInput(question_id=kept, choice_ids=(correct_choice_id(kept),))]
    )

    assert closed.state == AttemptState.SUBMITTED
    assert closed.score == Decimal("1.00")
    assert list(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == [kept]


# ---------------------------------------------------------------------------------------------
# While another connection holds the write lock (on SQLite: the whole database file).


@pytest.fixture
def learner_with_attempt(transactional_db):
    cache.clear()
    quiz = quiz_with_questions(2)
    user = UserFactory()
    attempt, _ = start_attempt(quiz=quiz, owner=Owner(user_id=user.pk))
    client = APIClient()
    client.force_authenticate(user)
    return client, attempt


def test_a_submit_with_bad_answers_is_refused_with_400_without_waiting_for_a_busy_database(
    learner_with_attempt, busy_database
):
    client, attempt = learner_with_attempt
    busy_database.hold(Attempt, Answer)

    response = client.post(
        f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": [{"question": 999999, "choices": [1]}]}, format="json"
    )

    assert response.status_code == 400
    assert "999999" in response.json()["detail"]


def test_a_second_submit_is_refused_with_409_without_waiting_for_a_busy_database(
    learner_with_attempt, busy_database
):
    client, attempt = learner_with_attempt
    assert client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json").status_code == 200
    busy_database.hold(Attempt, Answer)

    response = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json")

    assert response.status_code == 409


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", ["after_submission", "never"])
def test_the_submit_response_shows_the_same_result_as_reading_it_afterwards(visibility):
    # The submit response is built from the answers submitting has just written, not read back.
    cache.clear()
    quiz = quiz_with_questions(3, answer_visibility=visibility)
    user = UserFactory()
    owner = Owner(user_id=user.pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    autosaved, sent, unanswered = attempt.question_order
    save_answer(attempt_id=attempt.pk, owner=owner, question_id=autosaved, choice_ids=[correct_choice_id(autosaved)])
    client = APIClient()
    client.force_authenticate(user)

    submitted = client.post(
        f"/api/v1/attempts/{attempt.pk}/submit/",
        {"answers": [{"question": sent, "choices": [wrong_choice_id(sent)]}]},
        format="json",
    )
    read_back = client.get(f"/api/v1/attempts/{attempt.pk}/")

    assert submitted.status_code == 200
    assert submitted.json() == read_back.json()
    results = {result["question"]: result for result in submitted.json()["results"]}
    # A quiz that never shows its answers shows no mark per question either (rules.reveals_answers).
    reveals = visibility == "after_submission"
    assert results[autosaved]["selected"] == [correct_choice_id(autosaved)]
    assert results[autosaved]["score"] == ("1.00" if reveals else None)
    assert results[sent]["selected"] == [wrong_choice_id(sent)]
    assert results[sent]["score"] == ("0.00" if reveals else None)
    assert results[unanswered]["selected"] == []


@pytest.mark.django_db
def test_answers_to_every_question_replace_everything_that_was_autosaved():
    quiz = quiz_with_questions(2)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    first, second = attempt.question_order
    save_answer(attempt_id=attempt.pk, owner=owner, question_id=first, choice_ids=[correct_choice_id(first)])
    submitted_at = timezone.now() + timedelta(seconds=1)

    closed = submit_attempt(
        attempt_id=attempt.pk,
        owner=owner,
        answers=[
            AnswerInput(question_id=first, choice_ids=(wrong_choice_id(first),)),
            AnswerInput(question_id=second, choice_ids=(correct_choice_id(second),)),
        ],
        now=submitted_at,
    )

    answers = {answer.question_id: answer for answer in Answer.objects.filter(attempt=attempt)}
    assert closed.score == Decimal("1.00")
    assert answers[first].choice_ids == [wrong_choice_id(first)]
    assert {answer.saved_at for answer in answers.values()} == {submitted_at}
    assert Selection.objects.filter(answer__attempt=attempt).count() == 2
