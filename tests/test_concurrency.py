"""Parallel requests on one attempt: real threads, real transactions, one database.

Each thread has its own database connection (as a separate worker process would), lines up on a
barrier so the calls really overlap, and closes its connection at the end. On SQLite the test
database is a file, so the threads contend for its write lock exactly as in production.
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.errors import AttemptClosed, NoAttemptsLeft
from quizzes.models import Answer, Attempt, AttemptState, Choice
from quizzes.services import (
    AnswerInput,
    Owner,
    expire_overdue_attempts,
    flag_questions,
    save_answer,
    start_attempt,
    submit_attempt,
)
from tests.factories import PASSWORD, StaffFactory, UserFactory, quiz_with_questions

PARALLEL = 8

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_parallel(calls):
    """Run each zero-argument callable in its own thread, all released at once.

    Returns one (result, exception) pair per call, in the order given.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = (call(), None)
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            outcomes[index] = (None, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a parallel call hung"
    return outcomes


def correct_choice_id(question_id):
    return Choice.objects.get(question_id=question_id, is_correct=True).pk


@pytest.mark.parametrize("round_number", range(4))
def test_parallel_starts_with_one_attempt_allowed_leave_exactly_one_attempt(round_number):
    # Regression: on PostgreSQL a start that lost the race used to be refused with NoAttemptsLeft
    # instead of resuming the attempt the winning start had just created. Several rounds make the
    # race likely.
    quiz = quiz_with_questions(3, max_attempts=1)
    owner = Owner(user_id=UserFactory().pk)

    outcomes = run_in_parallel([lambda: start_attempt(quiz=quiz, owner=owner) for _ in range(PARALLEL)])

    assert [error for _, error in outcomes if error is not None] == []
    assert Attempt.objects.filter(quiz=quiz).count() == 1
    attempt = Attempt.objects.get(quiz=quiz)
    assert {result[0].pk for result, _ in outcomes} == {attempt.pk}
    assert sum(1 for (_, created), _ in outcomes if created) == 1


def test_parallel_starts_after_the_only_attempt_is_used_are_all_refused():
    quiz = quiz_with_questions(2, max_attempts=1)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    submit_attempt(attempt_id=attempt.pk, owner=owner)

    outcomes = run_in_parallel([lambda: start_attempt(quiz=quiz, owner=owner) for _ in range(PARALLEL)])

    assert all(isinstance(error, NoAttemptsLeft) for _, error in outcomes)
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_parallel_starts_by_a_guest_leave_exactly_one_attempt():
    quiz = quiz_with_questions(2, max_attempts=1)
    owner = Owner(guest_key="guest-key-of-one-browser")

    outcomes = run_in_parallel([lambda: start_attempt(quiz=quiz, owner=owner) for _ in range(PARALLEL)])

    assert [error for _, error in outcomes if error is not None] == []
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_parallel_submits_score_the_attempt_exactly_once():
    quiz = quiz_with_questions(3)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    first_question = attempt.question_order[0]
    save_answer(
        attempt_id=attempt.pk, owner=owner, question_id=first_question, choice_ids=[correct_choice_id(first_question)]
    )
    # Each submit carries its own clock, so the stored submission time names the one that scored.
    base = timezone.now()
    moments = [base + timedelta(milliseconds=index) for index in range(PARALLEL)]

    outcomes = run_in_parallel(
        [lambda moment=moment: submit_attempt(attempt_id=attempt.pk, owner=owner, now=moment) for moment in moments]
    )

    successes = [index for index, (result, error) in enumerate(outcomes) if error is None]
    assert len(successes) == 1
    assert all(isinstance(error, AttemptClosed) for _, error in outcomes if error is not None)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.submitted_at == moments[successes[0]]
    assert attempt.score == Decimal("1.00")
    assert attempt.max_score == Decimal("3.00")


def test_parallel_submits_with_different_answers_keep_only_the_winners_answers():
    quiz = quiz_with_questions(1)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    question_id = attempt.question_order[0]
    choice_ids = list(Choice.objects.filter(question_id=question_id).values_list("id", flat=True))

    def submit_choosing(choice_id):
        return submit_attempt(
            attempt_id=attempt.pk,
            owner=owner,
            answers=[AnswerInput(question_id=question_id, choice_ids=(choice_id,))],
        )

    outcomes = run_in_parallel(
        [lambda choice_id=choice_ids[index % 3]: submit_choosing(choice_id) for index in range(PARALLEL)]
    )

    winners = [result for result, error in outcomes if error is None]
    assert len(winners) == 1
    attempt.refresh_from_db()
    answer = Answer.objects.get(attempt=attempt)
    assert list(answer.selected_choices.values_list("id", flat=True)) == list(
        winners[0].answers.get().selected_choices.values_list("id", flat=True)
    )
    assert attempt.score == answer.score


@pytest.mark.parametrize("round_number", range(6))
def test_a_save_racing_a_submit_is_either_scored_or_rejected_never_lost(round_number):
    quiz = quiz_with_questions(2)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    question_id = attempt.question_order[round_number % 2]
    right = correct_choice_id(question_id)

    save_outcome, submit_outcome = run_in_parallel(
        [
            lambda: save_answer(attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=[right]),
            lambda: submit_attempt(attempt_id=attempt.pk, owner=owner),
        ]
    )

    assert submit_outcome[1] is None
    attempt.refresh_from_db()
    if save_outcome[1] is None:
        # The save went through first, so the submit must have scored it.
        assert attempt.score == Decimal("1.00")
        assert Answer.objects.get(attempt=attempt, question_id=question_id).score == Decimal("1.00")
    else:
        # The save came too late and was told so; nothing half-written remains.
        assert isinstance(save_outcome[1], AttemptClosed)
        assert attempt.score == Decimal("0.00")
        assert all(answer.choice_ids == [] for answer in Answer.objects.filter(attempt=attempt))


def test_many_saves_racing_a_submit_are_each_scored_or_rejected():
    quiz = quiz_with_questions(PARALLEL - 1)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    saves = [
        lambda question_id=question_id: save_answer(
            attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=[correct_choice_id(question_id)]
        )
        for question_id in attempt.question_order
    ]

    outcomes = run_in_parallel(saves + [lambda: submit_attempt(attempt_id=attempt.pk, owner=owner)])

    assert outcomes[-1][1] is None
    accepted = sum(1 for _, error in outcomes[:-1] if error is None)
    assert all(isinstance(error, AttemptClosed) for _, error in outcomes[:-1] if error is not None)
    attempt.refresh_from_db()
    assert attempt.score == Decimal(accepted)
    # Every shown question closed with an answer; exactly the accepted saves carry a choice.
    answers = list(Answer.objects.filter(attempt=attempt))
    assert len(answers) == len(attempt.question_order)
    assert sum(1 for answer in answers if answer.choice_ids) == accepted


@pytest.mark.parametrize("round_number", range(3))
def test_the_expiry_job_racing_a_late_submit_closes_the_attempt_once(round_number):
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner, now=timezone.now() - timedelta(minutes=10))
    first = attempt.question_order[0]
    save_answer(
        attempt_id=attempt.pk, owner=owner, question_id=first, choice_ids=[correct_choice_id(first)],
        now=attempt.started_at + timedelta(seconds=5),
    )

    job, submit = run_in_parallel(
        [lambda: expire_overdue_attempts(), lambda: submit_attempt(attempt_id=attempt.pk, owner=owner)]
    )

    # Whichever came second found the attempt closed and left it as it was: the job counts nothing,
    # the submit is told the attempt is closed.
    assert job[1] is None
    assert submit[1] is None or isinstance(submit[1], AttemptClosed)
    assert job[0] == (1 if submit[1] is not None else job[0])
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.score == Decimal("1.00")
    if submit[1] is None:
        assert (submit[0].state, submit[0].score, submit[0].submitted_at) == (
            attempt.state, attempt.score, attempt.submitted_at
        )


# ---------------------------------------------------------------------------------------------
# A database that stays busy (the busy_database fixture is in conftest.py)


def test_an_api_submit_on_a_database_that_stays_busy_gives_503_with_retry_after(busy_database):
    quiz = quiz_with_questions(2)
    user = UserFactory()
    attempt, _ = start_attempt(quiz=quiz, owner=Owner(user_id=user.pk))
    client = APIClient()
    client.force_authenticate(user)
    busy_database.hold(Attempt, Answer)

    response = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json")

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS


def test_a_retry_after_the_database_is_free_again_submits(busy_database):
    quiz = quiz_with_questions(2)
    user = UserFactory()
    attempt, _ = start_attempt(quiz=quiz, owner=Owner(user_id=user.pk))
    client = APIClient()
    client.force_authenticate(user)
    busy_database.hold(Attempt, Answer)
    assert client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json").status_code == 503

    busy_database.release()
    response = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == AttemptState.SUBMITTED


def test_an_admin_login_on_a_database_that_stays_busy_gives_503_with_retry_after(busy_database):
    editor = StaffFactory()
    busy_database.hold(get_user_model(), Session)

    response = Client(raise_request_exception=False).post(
        "/admin/login/?next=/admin/", {"username": editor.username, "password": PASSWORD}
    )

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


# ---------------------------------------------------------------------------------------------
# The same races through the API, as a double click or many tabs send them.


def api_client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_parallel_api_starts_with_one_attempt_allowed_give_one_201_and_the_same_attempt_to_all():
    cache.clear()
    quiz = quiz_with_questions(2, max_attempts=1)
    user = UserFactory()

    outcomes = run_in_parallel(
        [lambda: api_client_for(user).post(f"/api/v1/quizzes/{quiz.slug}/attempts/") for _ in range(PARALLEL)]
    )

    statuses = sorted(response.status_code for response, _ in outcomes)
    assert statuses == [200] * (PARALLEL - 1) + [201]
    assert len({response.json()["id"] for response, _ in outcomes}) == 1
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_parallel_api_submits_give_one_200_and_409s_never_a_500():
    cache.clear()
    quiz = quiz_with_questions(2)
    user = UserFactory()
    attempt, _ = start_attempt(quiz=quiz, owner=Owner(user_id=user.pk))

    outcomes = run_in_parallel(
        [
            lambda: api_client_for(user).post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json")
            for _ in range(PARALLEL)
        ]
    )

    statuses = sorted(response.status_code for response, _ in outcomes)
    assert statuses == [200] + [409] * (PARALLEL - 1)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED


def test_parallel_flags_on_different_questions_are_all_kept():
    # Each flag rewrites the attempt's list of flagged questions: under the attempt's lock none is lost.
    quiz = quiz_with_questions(PARALLEL)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _created = start_attempt(quiz=quiz, owner=owner)

    outcomes = run_in_parallel(
        [
            lambda question_id=question_id: flag_questions(attempt_id=attempt.pk, owner=owner, flags={question_id: True})
            for question_id in attempt.question_order
        ]
    )

    assert [error for _, error in outcomes if error is not None] == []
    attempt.refresh_from_db()
    assert attempt.flagged_questions == attempt.question_order


def test_a_flag_racing_a_submit_is_either_kept_before_it_or_refused_after_it():
    quiz = quiz_with_questions(3)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _created = start_attempt(quiz=quiz, owner=owner)
    question_id = attempt.question_order[0]

    (_, flag_error), (_, submit_error) = run_in_parallel(
        [
            lambda: flag_questions(attempt_id=attempt.pk, owner=owner, flags={question_id: True}),
            lambda: submit_attempt(attempt_id=attempt.pk, owner=owner),
        ]
    )

    assert submit_error is None
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.score == 0
    if flag_error is None:
        assert attempt.flagged_questions == [question_id]
    else:
        assert isinstance(flag_error, AttemptClosed) and attempt.flagged_questions == []
