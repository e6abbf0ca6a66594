"""The attempt services' rules, called directly with an Owner: start, save, submit, expire, claim."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from quizzes.errors import AttemptClosed, DeadlinePassed, InvalidAnswer, NoAttemptsLeft
from quizzes.models import Answer, AttemptState, Choice, Selection
from quizzes.services import (
    AnswerInput,
    AttemptNotFound,
    Owner,
    attempts_left,
    choose_questions,
    claim_guest_attempts,
    expire_overdue_attempts,
    save_answer,
    start_attempt,
    submit_attempt,
)
from tests.factories import QuestionFactory, QuizFactory, TopicFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def right(question):
    return list(question.choices.filter(is_correct=True).values_list("id", flat=True))


def wrong(question):
    return list(question.choices.filter(is_correct=False).values_list("id", flat=True))


@pytest.fixture
def owner(user):
    return Owner.of(user=user)


def test_owner_of_a_guest_needs_a_key():
    with pytest.raises(ValueError):
        Owner.of(guest_key="")
    assert Owner.of(guest_key="abc") == Owner(guest_key="abc")


def test_attempts_left_is_none_for_unlimited_and_never_negative():
    assert attempts_left(max_attempts=None, used=7) is None
    assert attempts_left(max_attempts=3, used=1) == 2
    assert attempts_left(max_attempts=3, used=5) == 0


def test_a_subset_draws_round_robin_across_topics():
    questions = [(index, index, "a" if index < 6 else "b") for index in range(8)]

    chosen = choose_questions(questions, count=4, shuffle=False, rng=random.Random(1))

    assert len(chosen) == 4
    assert sum(1 for question_id in chosen if question_id >= 6) == 2


def test_starting_numbers_attempts_and_resumes_the_one_in_progress(owner):
    quiz = quiz_with_questions(2)

    first, is_new = start_attempt(quiz=quiz, owner=owner)
    again, is_new_again = start_attempt(quiz=quiz, owner=owner)
    submit_attempt(attempt_id=first.pk, owner=owner)
    second, _ = start_attempt(quiz=quiz, owner=owner)

    assert (is_new, is_new_again) == (True, False)
    assert again.pk == first.pk
    assert (first.number, second.number) == (1, 2)
    assert first.max_score == Decimal("2.00")


def test_starting_beyond_the_maximum_is_refused(owner):
    quiz = quiz_with_questions(1, max_attempts=1)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    submit_attempt(attempt_id=attempt.pk, owner=owner)

    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, owner=owner)


def test_starting_after_an_overdue_attempt_expires_it_and_starts_a_new_one(owner):
    quiz = quiz_with_questions(1, time_limit_seconds=60, max_attempts=2)
    long_ago = timezone.now() - timedelta(hours=1)
    overdue, _ = start_attempt(quiz=quiz, owner=owner, now=long_ago)

    fresh, is_new = start_attempt(quiz=quiz, owner=owner)

    overdue.refresh_from_db()
    assert overdue.state == AttemptState.EXPIRED
    assert is_new and fresh.number == 2


def test_an_overdue_last_attempt_stays_expired_when_none_is_left(owner):
    quiz = quiz_with_questions(1, time_limit_seconds=60, max_attempts=1)
    overdue, _ = start_attempt(quiz=quiz, owner=owner, now=timezone.now() - timedelta(hours=1))

    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, owner=owner)

    overdue.refresh_from_db()
    assert overdue.state == AttemptState.EXPIRED


def test_a_guests_attempts_are_separate_from_a_users(owner):
    quiz = quiz_with_questions(1, max_attempts=1)
    guest = Owner.of(guest_key="guest-1")
    mine, _ = start_attempt(quiz=quiz, owner=owner)

    theirs, is_new = start_attempt(quiz=quiz, owner=guest)

    assert is_new and theirs.pk != mine.pk
    with pytest.raises(AttemptNotFound):
        save_answer(attempt_id=mine.pk, owner=guest, question_id=mine.question_order[0], choice_ids=[])


def test_saving_validates_against_what_the_attempt_showed(owner):
    quiz = QuizFactory()
    single = QuestionFactory(quiz=quiz)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    late_question = QuestionFactory(quiz=quiz)

    with pytest.raises(InvalidAnswer):
        save_answer(attempt_id=attempt.pk, owner=owner, question_id=late_question.pk, choice_ids=right(late_question))
    with pytest.raises(InvalidAnswer):
        save_answer(attempt_id=attempt.pk, owner=owner, question_id=single.pk, choice_ids=wrong(single))
    assert not Answer.objects.exists()


def test_submitting_scores_once_and_writes_selections(owner):
    quiz = QuizFactory(pass_mark=50)
    single = QuestionFactory(quiz=quiz)
    multiple = QuestionFactory(quiz=quiz, kind="multiple", points="2", choices__correct=2, choices__wrong=2)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    save_answer(attempt_id=attempt.pk, owner=owner, question_id=single.pk, choice_ids=right(single))

    closed = submit_attempt(
        attempt_id=attempt.pk,
        owner=owner,
        answers=[AnswerInput(question_id=multiple.pk, choice_ids=tuple(right(multiple)[:1] + wrong(multiple)[:1]))],
    )

    # Multiple: one of two right earns 1, one of two wrong costs 1: 0. Single right: 1. Total 1 of 3.
    assert closed.state == AttemptState.SUBMITTED
    assert closed.score == Decimal("1.00")
    assert closed.percent == Decimal("33.33")
    assert closed.passed is False
    assert Selection.objects.count() == 3
    with pytest.raises(AttemptClosed):
        submit_attempt(attempt_id=attempt.pk, owner=owner)
    with pytest.raises(AttemptClosed):
        save_answer(attempt_id=attempt.pk, owner=owner, question_id=single.pk, choice_ids=[])


def test_submitting_after_the_deadline_expires_from_saved_answers(owner):
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    first, second = quiz.questions.order_by("position")
    started_at = timezone.now() - timedelta(minutes=10)
    attempt, _ = start_attempt(quiz=quiz, owner=owner, now=started_at)
    save_answer(
        attempt_id=attempt.pk, owner=owner, question_id=first.pk, choice_ids=right(first),
        now=started_at + timedelta(seconds=30),
    )

    with pytest.raises(DeadlinePassed):
        submit_attempt(
            attempt_id=attempt.pk,
            owner=owner,
            answers=[AnswerInput(question_id=second.pk, choice_ids=tuple(right(second)))],
        )

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.score == Decimal("1.00")


def test_expire_overdue_attempts_closes_only_overdue_ones(owner):
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    overdue, _ = start_attempt(quiz=quiz, owner=owner, now=timezone.now() - timedelta(hours=1))
    running, _ = start_attempt(quiz=quiz, owner=Owner.of(guest_key="guest"))

    assert expire_overdue_attempts() == 1

    overdue.refresh_from_db()
    running.refresh_from_db()
    assert overdue.state == AttemptState.EXPIRED and overdue.percent == Decimal("0.00")
    assert running.state == AttemptState.IN_PROGRESS


def test_claiming_continues_numbers_and_keeps_only_one_attempt_in_progress():
    user = UserFactory()
    quiz = quiz_with_questions(1)
    other_quiz = quiz_with_questions(1)
    account = Owner.of(user=user)
    guest = Owner.of(guest_key="guest-key")
    own, _ = start_attempt(quiz=quiz, owner=account)
    guest_done, _ = start_attempt(quiz=quiz, owner=guest)
    submit_attempt(attempt_id=guest_done.pk, owner=guest)
    guest_running, _ = start_attempt(quiz=quiz, owner=guest)
    guest_elsewhere, _ = start_attempt(quiz=other_quiz, owner=guest)

    assert claim_guest_attempts(guest_key="guest-key", user=user) == 3

    for attempt in (own, guest_done, guest_running, guest_elsewhere):
        attempt.refresh_from_db()
    assert all(attempt.user_id == user.pk and attempt.guest_key == "" for attempt in (guest_done, guest_running))
    assert (own.number, guest_done.number, guest_running.number) == (1, 2, 3)
    # The user already had one in progress on this quiz: the guest's is closed, not kept alongside.
    assert own.state == AttemptState.IN_PROGRESS and guest_running.state == AttemptState.EXPIRED
    assert guest_elsewhere.state == AttemptState.IN_PROGRESS and guest_elsewhere.number == 1
    assert claim_guest_attempts(guest_key="", user=user) == 0


def test_a_subset_attempt_is_scored_against_its_own_questions(owner):
    quiz = QuizFactory(questions_per_attempt=2)
    topic = TopicFactory()
    for _ in range(5):
        QuestionFactory(quiz=quiz, topic=topic, points="2")
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    shown = [quiz.questions.get(pk=question_id) for question_id in attempt.question_order]

    closed = submit_attempt(
        attempt_id=attempt.pk,
        owner=owner,
        answers=[AnswerInput(question_id=question.pk, choice_ids=tuple(right(question))) for question in shown],
    )

    assert closed.max_score == Decimal("4.00")
    assert closed.percent == Decimal("100.00")


def test_closing_an_attempt_records_every_shown_question_unanswered_ones_as_empty_and_worth_zero():
    """Statistics divide by the questions an attempt showed, whichever way it was submitted."""
    quiz = quiz_with_questions(3)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    first = attempt.question_order[0]
    right = Choice.objects.get(question_id=first, is_correct=True).pk

    submit_attempt(attempt_id=attempt.pk, owner=owner, answers=[AnswerInput(question_id=first, choice_ids=(right,))])

    answers = {answer.question_id: answer for answer in Answer.objects.filter(attempt=attempt)}
    assert set(answers) == set(attempt.question_order)
    assert (answers[first].choice_ids, answers[first].score) == ([right], Decimal("1.00"))
    for question_id in attempt.question_order[1:]:
        assert (answers[question_id].choice_ids, answers[question_id].score) == ([], Decimal("0.00"))
