"""Parallel checks of one question: real threads, real transactions, one database (see test_concurrency.py)."""

from decimal import Decimal

import pytest

from quizzes.errors import AttemptClosed, QuestionLocked
from quizzes.models import Answer, Choice
from quizzes.services import Owner, check_answer, start_attempt, submit_attempt
from tests.factories import QuestionFactory, QuizFactory, UserFactory
from tests.test_concurrency import PARALLEL, run_in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def one_question_quiz(behaviour, **fields):
    quiz = QuizFactory(behaviour=behaviour, **fields)
    QuestionFactory(quiz=quiz, points="2", choices__wrong=3)
    return quiz


def right_id(question_id):
    return Choice.objects.get(question_id=question_id, is_correct=True).pk


def wrong_ids(question_id):
    return list(Choice.objects.filter(question_id=question_id, is_correct=False).order_by("position").values_list("pk", flat=True))


@pytest.mark.parametrize("round_number", range(3))
def test_parallel_immediate_checks_of_one_question_count_once(round_number):
    quiz = one_question_quiz("immediate")
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    question_id = attempt.question_order[0]
    # Half check the right choice, half a wrong one: whichever comes first is the one that counts.
    selections = [[right_id(question_id)] if index % 2 else [wrong_ids(question_id)[0]] for index in range(PARALLEL)]

    outcomes = run_in_parallel(
        [
            lambda selection=selection: check_answer(
                attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=selection
            )
            for selection in selections
        ]
    )

    successes = [result for result, error in outcomes if error is None]
    assert len(successes) == 1
    assert all(isinstance(error, QuestionLocked) for _, error in outcomes if error is not None)
    answer = Answer.objects.get(attempt=attempt, question_id=question_id)
    assert answer.is_locked and len(answer.tries) == 1
    assert answer.choice_ids == list(successes[0].choice_ids)
    assert answer.score == successes[0].score


def test_parallel_interactive_checks_of_the_same_wrong_choice_use_one_try():
    quiz = one_question_quiz("interactive", max_tries=3)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    question_id = attempt.question_order[0]
    wrong = wrong_ids(question_id)[0]

    outcomes = run_in_parallel(
        [
            lambda: check_answer(attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=[wrong])
            for _ in range(PARALLEL)
        ]
    )

    assert [error for _, error in outcomes if error is not None] == []
    assert sum(result.is_new_try for result, _ in outcomes) == 1
    answer = Answer.objects.get(attempt=attempt, question_id=question_id)
    assert (answer.tries, answer.is_locked) == ([[wrong]], False)


def test_parallel_interactive_checks_of_different_choices_each_take_a_try_up_to_the_limit():
    quiz = one_question_quiz("interactive", max_tries=2)
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    question_id = attempt.question_order[0]

    outcomes = run_in_parallel(
        [
            lambda wrong=wrong: check_answer(attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=[wrong])
            for wrong in wrong_ids(question_id)
        ]
    )

    # Two tries allowed: two checks are recorded, one after the other; the third finds the question locked.
    assert sum(error is None for _, error in outcomes) == 2
    assert [type(error) for _, error in outcomes if error is not None] == [QuestionLocked]
    answer = Answer.objects.get(attempt=attempt, question_id=question_id)
    assert len(answer.tries) == 2 and answer.is_locked and answer.score == Decimal("0.00")


def test_a_check_racing_a_submit_is_either_counted_or_refused_never_lost():
    quiz = one_question_quiz("immediate")
    owner = Owner(user_id=UserFactory().pk)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    question_id = attempt.question_order[0]

    (checked, check_error), (submitted, submit_error) = run_in_parallel(
        [
            lambda: check_answer(
                attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=[right_id(question_id)]
            ),
            lambda: submit_attempt(attempt_id=attempt.pk, owner=owner),
        ]
    )

    assert submit_error is None
    attempt.refresh_from_db()
    if check_error is None:
        assert attempt.score == Decimal("2.00")
    else:
        assert isinstance(check_error, AttemptClosed)
        assert attempt.score == Decimal("0.00")
