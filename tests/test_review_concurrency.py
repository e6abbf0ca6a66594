"""Spaced review under parallel requests: real threads, real transactions, one database (as in
tests/test_concurrency.py)."""

import threading

import pytest
from django.db import connection, transaction

from quizzes.models import Choice, MemoryState
from quizzes.selectors import review_queue
from quizzes.services import AnswerInput, Owner, answer_review, start_attempt, submit_attempt
from tests.factories import UserFactory, quiz_with_questions, translated_quizzes
from tests.review_helpers import right_choices
from tests.test_concurrency import PARALLEL, run_in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def wrong_answers(attempt):
    return [
        AnswerInput(
            question_id=question_id,
            choice_ids=(Choice.objects.filter(question_id=question_id, is_correct=False).values_list("pk", flat=True)[0],),
        )
        for question_id in attempt.question_order
    ]


def learner_who_missed_one_question():
    """(owner, question id): an account that answered the one question of a new quiz wrong, due in review."""
    quiz = quiz_with_questions(1)
    owner = Owner.of(user=UserFactory())
    attempt, _created = start_attempt(quiz=quiz, owner=owner)
    submit_attempt(attempt_id=attempt.pk, owner=owner, answers=wrong_answers(attempt))
    (question_id,) = attempt.question_order
    return owner, question_id


def test_parallel_answers_to_one_question_in_review_each_land_once_on_one_memory_state():
    owner, question_id = learner_who_missed_one_question()

    outcomes = run_in_parallel(
        [lambda: answer_review(owner=owner, question_id=question_id, choice_ids=()) for _call in range(PARALLEL)]
    )

    assert [error for _result, error in outcomes] == [None] * PARALLEL
    assert MemoryState.objects.filter(owner=owner.key).count() == 1
    assert MemoryState.objects.get().practised_at is not None


def test_german_and_english_attempts_closing_at_once_keep_one_memory_state_per_question():
    german, english = translated_quizzes(3)
    owner = Owner.of(user=UserFactory())
    attempts = [start_attempt(quiz=quiz, owner=owner)[0] for quiz in (german, english)]

    outcomes = run_in_parallel(
        [
            lambda attempt=attempt: submit_attempt(attempt_id=attempt.pk, owner=owner, answers=wrong_answers(attempt))
            for attempt in attempts
        ]
    )

    assert [error for _result, error in outcomes] == [None, None]
    assert MemoryState.objects.filter(owner=owner.key).count() == 3


def test_a_queue_read_while_a_review_answer_commits_leaves_no_stale_queue_behind():
    # Another request reads the learner's queue while a review answer is written but not committed,
    # and caches what it read: the read after the commit must show the answer all the same
    # (caching/learners.py: learner_changed).
    owner, question_id = learner_who_missed_one_question()
    written, read = threading.Event(), threading.Event()

    def answer_and_hold_the_commit():
        with transaction.atomic():
            answer_review(owner=owner, question_id=question_id, choice_ids=right_choices(question_id))
            written.set()
            # On SQLite the read's cache write waits for this commit, so it cannot finish first.
            read.wait(timeout=1 if connection.vendor == "sqlite" else 10)

    def read_the_queue_meanwhile():
        written.wait(timeout=10)
        try:
            return len(review_queue(owner=owner).questions)
        finally:
            read.set()

    outcomes = run_in_parallel([answer_and_hold_the_commit, read_the_queue_meanwhile])

    assert [error for _result, error in outcomes] == [None, None]
    if connection.vendor != "sqlite":
        assert outcomes[1][0] == 1, "the read saw the rows before the commit: the race this test is about"
    assert review_queue(owner=owner).questions == ()
