"""The rules of question behaviours and of scoring tries, beside today's scoring rules; no database.

Moodle's interactive rule: score = raw score of the final try - penalty x points x (earlier tries),
floored at 0; a right try or the last allowed one locks the question; partly right is a wrong try.
"""

from decimal import Decimal
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes import behaviours, rules
from quizzes.models import AnswerVisibility, QuestionBehaviour
from quizzes.scoring import (
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    QuestionKey,
    grade_attempt,
    is_right,
    question_score,
    score_of_tries,
    tries_at_closing,
)

THIRD = Decimal("0.3333")


def key(kind, *, correct, wrong, points="1"):
    correct_ids = frozenset(range(1, correct + 1))
    choice_ids = frozenset(range(1, correct + wrong + 1))
    return QuestionKey(kind=kind, points=Decimal(points), choice_ids=choice_ids, correct_ids=correct_ids)


def interactive(question_key, tries, selection, *, max_tries=3, penalty=THIRD):
    return behaviours.check(
        question_key,
        behaviour=QuestionBehaviour.INTERACTIVE,
        max_tries=max_tries,
        penalty=penalty,
        tries=tries,
        selection=selection,
    )


class TestScoreOfTries:
    def test_first_try_right_earns_full_points(self):
        assert score_of_tries(key(SINGLE, correct=1, wrong=2, points="3"), [[1]], penalty=THIRD) == Decimal("3.00")

    def test_right_on_the_second_try_loses_one_penalty(self):
        assert score_of_tries(key(SINGLE, correct=1, wrong=2, points="3"), [[2], [1]], penalty=THIRD) == Decimal("2.00")

    def test_right_on_the_last_of_three_tries_loses_two_penalties(self):
        score = score_of_tries(key(SINGLE, correct=1, wrong=3, points="1"), [[2], [3], [1]], penalty=THIRD)
        assert score == Decimal("0.33")

    def test_never_right_earns_nothing(self):
        assert score_of_tries(key(SINGLE, correct=1, wrong=3), [[2], [3], [4]], penalty=THIRD) == Decimal("0.00")

    def test_the_score_is_floored_at_zero_when_penalties_exceed_the_points(self):
        assert score_of_tries(key(SINGLE, correct=1, wrong=4), [[2], [3], [4], [1]], penalty=Decimal("0.5")) == 0

    def test_multiple_choice_partly_right_on_each_try_scores_the_last_try_minus_penalties(self):
        # 2 correct of 4: one right and nothing wrong is half the points.
        question = key(MULTIPLE, correct=2, wrong=2, points="2")
        assert score_of_tries(question, [[1]], penalty=THIRD) == Decimal("1.00")
        assert score_of_tries(question, [[1], [2]], penalty=THIRD) == Decimal("0.33")  # 1 - 2 x 0.3333
        assert score_of_tries(question, [[1], [2], [1, 3]], penalty=THIRD) == Decimal("0.00")

    @pytest.mark.parametrize("penalty", [Decimal("0"), THIRD, Decimal("1")])
    def test_true_or_false_right_only_on_the_second_try_earns_nothing_whatever_the_penalty(self, penalty):
        # As in Moodle, whose true/false penalty is fixed at 1: the second of two choices cannot miss.
        question = key(TRUE_FALSE, correct=1, wrong=1, points="2")
        assert score_of_tries(question, [[1]], penalty=penalty) == Decimal("2.00")
        assert score_of_tries(question, [[2], [1]], penalty=penalty) == Decimal("0.00")

    def test_no_tries_earn_nothing(self):
        assert score_of_tries(key(SINGLE, correct=1, wrong=1), [], penalty=THIRD) == Decimal("0.00")

    def test_a_zero_penalty_scores_the_last_try_alone(self):
        # A single choice: true or false has a penalty of its own (the test above).
        assert score_of_tries(key(SINGLE, correct=1, wrong=2), [[2], [1]], penalty=Decimal("0")) == 1

    def test_a_full_penalty_leaves_nothing_after_one_wrong_try(self):
        assert score_of_tries(key(TRUE_FALSE, correct=1, wrong=1), [[2], [1]], penalty=Decimal("1")) == 0

    def test_one_try_scores_as_today_whatever_the_penalty(self):
        # Immediate feedback is one try: exactly today's rule.
        question = key(MULTIPLE, correct=2, wrong=3, points="3")
        choices = sorted(question.choice_ids)
        for size in range(len(choices) + 1):
            for selection in combinations(choices, size):
                assert score_of_tries(question, [selection], penalty=THIRD) == question_score(question, selection)

    @given(
        tries=st.lists(st.sets(st.integers(min_value=1, max_value=5)), min_size=1, max_size=6),
        penalty=st.decimals(min_value=0, max_value=1, places=4),
    )
    def test_a_score_of_tries_is_never_negative_nor_above_the_last_try(self, tries, penalty):
        question = key(MULTIPLE, correct=2, wrong=3, points="2")
        score = score_of_tries(question, tries, penalty=penalty)
        assert Decimal("0") <= score <= question_score(question, tries[-1])


class TestRightAndPartlyRight:
    def test_full_points_are_right(self):
        assert is_right(key(MULTIPLE, correct=2, wrong=2), {1, 2})

    def test_partly_right_is_not_right(self):
        assert not is_right(key(MULTIPLE, correct=2, wrong=2), {1})

    def test_nothing_selected_is_not_right(self):
        assert not is_right(key(SINGLE, correct=1, wrong=2), set())


class TestCheck:
    def test_immediate_feedback_locks_at_the_first_check_right_or_wrong(self):
        for selection, score in (([1], Decimal("1.00")), ([2], Decimal("0.00"))):
            outcome = behaviours.check(
                key(SINGLE, correct=1, wrong=2), behaviour=QuestionBehaviour.IMMEDIATE, max_tries=3,
                penalty=THIRD, tries=[], selection=selection,
            )
            assert (outcome.is_locked, outcome.tries_left, outcome.score) == (True, 0, score)

    def test_interactive_first_try_right_locks_with_full_points(self):
        outcome = interactive(key(SINGLE, correct=1, wrong=2), [], [1])
        assert (outcome.is_locked, outcome.score, outcome.tries) == (True, Decimal("1.00"), ((1,),))

    def test_interactive_wrong_try_leaves_the_question_open_without_a_score(self):
        outcome = interactive(key(SINGLE, correct=1, wrong=2), [], [2])
        assert (outcome.is_locked, outcome.tries_left, outcome.score) == (False, 2, None)

    def test_interactive_right_on_the_last_try(self):
        outcome = interactive(key(SINGLE, correct=1, wrong=3), [[2], [3]], [1])
        assert (outcome.is_locked, outcome.tries_left, outcome.score) == (True, 0, Decimal("0.33"))

    def test_interactive_never_right_locks_after_the_last_try_with_nothing(self):
        outcome = interactive(key(SINGLE, correct=1, wrong=3), [[2], [3]], [4])
        assert (outcome.is_locked, outcome.score) == (True, Decimal("0.00"))

    def test_interactive_partly_right_is_a_wrong_try_until_the_last_one(self):
        question = key(MULTIPLE, correct=2, wrong=2, points="3")
        first = interactive(question, [], [1])
        second = interactive(question, first.tries, [1, 3])
        third = interactive(question, second.tries, [2])
        assert (first.is_locked, second.is_locked, third.is_locked) == (False, False, True)
        # The last try, one of two right (1.5), minus 2 x 0.3333 x 3 (2.0): floored at 0.
        assert third.score == Decimal("0.00")

    def test_checking_the_same_selection_again_is_not_a_new_try(self):
        question = key(MULTIPLE, correct=2, wrong=2)
        first = interactive(question, [], [1, 3])
        again = interactive(question, first.tries, [3, 1])
        assert (again.is_new_try, len(again.tries), again.tries_left) == (False, 1, 2)

    def test_one_try_allowed_is_immediate_feedback(self):
        outcome = interactive(key(SINGLE, correct=1, wrong=2), [], [2], max_tries=1)
        assert (outcome.is_locked, outcome.score) == (True, Decimal("0.00"))

    def test_deferred_feedback_offers_no_checks(self):
        assert not behaviours.offers_checks(QuestionBehaviour.DEFERRED)
        assert behaviours.tries_allowed(behaviour=QuestionBehaviour.DEFERRED, max_tries=3) == 0


class TestClosingWithTries:
    def test_an_open_question_counts_a_new_selection_as_one_more_try(self):
        assert tries_at_closing([[2]], [1], is_locked=False) == ((2,), (1,))

    def test_the_same_selection_as_the_last_try_is_not_a_new_try(self):
        assert tries_at_closing([[2, 3]], [3, 2], is_locked=False) == ((2, 3),)

    def test_a_cleared_selection_leaves_the_tries(self):
        assert tries_at_closing([[2]], [], is_locked=False) == ((2,),)

    def test_a_locked_question_ignores_any_later_selection(self):
        assert tries_at_closing([[2], [1]], [3], is_locked=True) == ((2,), (1,))

    def test_grade_attempt_sums_checked_scores_with_penalties_and_unchecked_as_today(self):
        keys = {
            1: key(SINGLE, correct=1, wrong=2, points="3"),
            2: key(SINGLE, correct=1, wrong=2, points="1"),
            3: key(SINGLE, correct=1, wrong=2, points="1"),
        }
        grade = grade_attempt(
            question_order=[1, 2, 3],
            keys=keys,
            # A submit's selection for the locked question 1 does not count; question 3 is unchecked.
            selections={1: (3,), 2: (1,), 3: (1,)},
            pass_mark=50,
            checks={1: ([[2], [1]], True), 2: ([[3]], False)},
            penalty=THIRD,
        )
        scores = {graded.question_id: (graded.choice_ids, graded.score) for graded in grade.questions}
        assert scores == {
            1: ((1,), Decimal("2.00")),
            2: ((1,), Decimal("0.67")),  # right at closing, after one wrong try
            3: ((1,), Decimal("1.00")),
        }
        assert grade.score == Decimal("3.67")


class TestWhatACheckReveals:
    @pytest.mark.parametrize("behaviour", [QuestionBehaviour.IMMEDIATE, QuestionBehaviour.INTERACTIVE])
    def test_a_locked_question_of_an_attempt_in_progress_shows_its_review(self, behaviour):
        assert rules.reveals_checked_question(
            is_open=True, behaviour=behaviour, answer_visibility=AnswerVisibility.AFTER_SUBMISSION, is_locked=True
        )

    @pytest.mark.parametrize(
        ("is_open", "behaviour", "visibility", "is_locked"),
        [
            (True, QuestionBehaviour.INTERACTIVE, AnswerVisibility.AFTER_SUBMISSION, False),
            (True, QuestionBehaviour.DEFERRED, AnswerVisibility.AFTER_SUBMISSION, True),
            (True, QuestionBehaviour.IMMEDIATE, AnswerVisibility.NEVER, True),
            (False, QuestionBehaviour.IMMEDIATE, AnswerVisibility.AFTER_SUBMISSION, True),
        ],
        ids=["open-question", "deferred", "never-shows-answers", "closed-attempt-follows-reveals-answers"],
    )
    def test_nothing_else_shows_a_review_during_the_attempt(self, is_open, behaviour, visibility, is_locked):
        assert not rules.reveals_checked_question(
            is_open=is_open, behaviour=behaviour, answer_visibility=visibility, is_locked=is_locked
        )

    def test_only_an_open_interactive_question_after_a_try_shows_a_hint(self):
        assert rules.shows_hint(is_open=True, behaviour=QuestionBehaviour.INTERACTIVE, is_locked=False, tries_used=1)
        assert not rules.shows_hint(is_open=True, behaviour=QuestionBehaviour.INTERACTIVE, is_locked=False, tries_used=0)
        assert not rules.shows_hint(is_open=True, behaviour=QuestionBehaviour.INTERACTIVE, is_locked=True, tries_used=1)
        assert not rules.shows_hint(is_open=True, behaviour=QuestionBehaviour.IMMEDIATE, is_locked=False, tries_used=1)
