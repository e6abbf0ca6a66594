"""Deadlines are the server's: overdue attempts are scored from what was saved in time, exactly once."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from quizzes.errors import DeadlinePassed
from quizzes.models import Attempt, AttemptState, Choice
from quizzes.services import AnswerInput, Owner, save_answer, start_attempt, submit_attempt
from tests.factories import UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

TIME_LIMIT = 60


def right_choice(question_id):
    return Choice.objects.get(question_id=question_id, is_correct=True).pk


def started_attempt(*, started_ago, questions=2, owner=None):
    quiz = quiz_with_questions(questions, time_limit_seconds=TIME_LIMIT)
    owner = owner or Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner, now=timezone.now() - started_ago)
    return attempt, owner


def expire_command():
    out = StringIO()
    call_command("expire_attempts", stdout=out)
    return out.getvalue()


def test_expire_attempts_scores_overdue_attempts_from_answers_saved_in_time():
    attempt, owner = started_attempt(started_ago=timedelta(minutes=10))
    first, second = attempt.question_order
    save_answer(
        attempt_id=attempt.pk, owner=owner, question_id=first, choice_ids=[right_choice(first)],
        now=attempt.started_at + timedelta(seconds=30),
    )

    assert "Expired 1 overdue attempt(s)." in expire_command()

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.score == Decimal("1.00")
    assert attempt.percent == Decimal("50.00")
    assert attempt.submitted_at is not None
    assert attempt.answers.get(question_id=first).score == Decimal("1.00")


def test_expire_attempts_leaves_attempts_within_their_time_and_grace_alone(settings):
    settings.QUIZSITE_DEADLINE_GRACE_SECONDS = 30
    # Deadline passed 10 seconds ago, but the grace is 30 seconds.
    in_grace, _ = started_attempt(started_ago=timedelta(seconds=TIME_LIMIT + 10))
    running, _ = started_attempt(started_ago=timedelta(seconds=5))
    untimed, _ = start_attempt(
        quiz=quiz_with_questions(1), owner=Owner(user_id=UserFactory().pk),
        now=timezone.now() - timedelta(days=3),
    )

    assert "Expired 0 overdue attempt(s)." in expire_command()

    assert set(Attempt.objects.values_list("state", flat=True)) == {AttemptState.IN_PROGRESS}


def test_expire_attempts_run_twice_scores_each_attempt_once():
    attempt, _ = started_attempt(started_ago=timedelta(minutes=10))
    expire_command()
    attempt.refresh_from_db()
    first_close = attempt.submitted_at

    assert "Expired 0 overdue attempt(s)." in expire_command()

    attempt.refresh_from_db()
    assert attempt.submitted_at == first_close


def test_expire_attempts_does_not_touch_submitted_attempts():
    attempt, owner = started_attempt(started_ago=timedelta(minutes=10))
    submit_attempt(attempt_id=attempt.pk, owner=owner, now=attempt.started_at + timedelta(seconds=20))

    assert "Expired 0 overdue attempt(s)." in expire_command()

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED


def test_a_save_after_the_deadline_is_refused_and_the_attempt_is_scored_from_earlier_answers():
    attempt, owner = started_attempt(started_ago=timedelta(minutes=10))
    first, second = attempt.question_order
    save_answer(
        attempt_id=attempt.pk, owner=owner, question_id=first, choice_ids=[right_choice(first)],
        now=attempt.started_at + timedelta(seconds=10),
    )

    with pytest.raises(DeadlinePassed):
        save_answer(attempt_id=attempt.pk, owner=owner, question_id=second, choice_ids=[right_choice(second)])

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.score == Decimal("1.00")
    # The late choice was not stored: the second question closed unanswered, worth 0.
    late = attempt.answers.get(question_id=second)
    assert (late.choice_ids, late.score) == ([], Decimal("0.00"))


def test_a_save_within_the_grace_after_the_deadline_still_counts(settings):
    settings.QUIZSITE_DEADLINE_GRACE_SECONDS = 5
    attempt, owner = started_attempt(started_ago=timedelta(minutes=10))
    first = attempt.question_order[0]
    late_but_in_grace = attempt.deadline + timedelta(seconds=3)

    save_answer(
        attempt_id=attempt.pk, owner=owner, question_id=first, choice_ids=[right_choice(first)], now=late_but_in_grace
    )
    submitted = submit_attempt(attempt_id=attempt.pk, owner=owner, now=late_but_in_grace)

    assert submitted.state == AttemptState.SUBMITTED
    assert submitted.score == Decimal("1.00")


def test_a_late_submit_with_answers_is_refused_and_scores_only_what_was_saved_in_time():
    attempt, owner = started_attempt(started_ago=timedelta(minutes=10))
    first, second = attempt.question_order

    with pytest.raises(DeadlinePassed):
        submit_attempt(
            attempt_id=attempt.pk, owner=owner,
            answers=[AnswerInput(question_id=second, choice_ids=(right_choice(second),))],
        )

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.score == Decimal("0.00")
    # None of the late answers was stored: both questions closed unanswered, worth 0.
    assert sorted((answer.question_id, answer.choice_ids, answer.score) for answer in attempt.answers.all()) == [
        (question_id, [], Decimal("0.00")) for question_id in sorted((first, second))
    ]


def test_starting_again_after_an_untouched_overdue_attempt_expires_it_first():
    attempt, owner = started_attempt(started_ago=timedelta(minutes=10))

    new_attempt, created = start_attempt(quiz=attempt.quiz, owner=owner)

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert created and new_attempt.number == 2
