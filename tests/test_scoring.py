"""The scoring rules, exhaustively, without a database."""

from decimal import Decimal
from itertools import combinations

import pytest

from quizzes import scoring
from quizzes.scoring import (
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    QuestionKey,
    has_passed,
    overall_grade,
    percent_of,
    question_score,
)


def key(kind, *, correct, wrong, points="1"):
    correct_ids = frozenset(range(1, correct + 1))
    choice_ids = frozenset(range(1, correct + wrong + 1))
    return QuestionKey(kind=kind, points=Decimal(points), choice_ids=choice_ids, correct_ids=correct_ids)


class TestSingleChoiceAndTrueFalse:
    @pytest.mark.parametrize("kind", [SINGLE, TRUE_FALSE])
    def test_exactly_the_correct_choice_earns_full_points(self, kind):
        assert question_score(key(kind, correct=1, wrong=1, points="2"), {1}) == Decimal("2.00")

    @pytest.mark.parametrize("kind", [SINGLE, TRUE_FALSE])
    def test_the_wrong_choice_earns_nothing(self, kind):
        assert question_score(key(kind, correct=1, wrong=1), {2}) == Decimal("0.00")

    def test_correct_plus_a_wrong_choice_earns_nothing(self):
        assert question_score(key(SINGLE, correct=1, wrong=3), {1, 2}) == Decimal("0.00")

    def test_nothing_selected_earns_nothing(self):
        assert question_score(key(SINGLE, correct=1, wrong=3), set()) == Decimal("0.00")

    def test_every_selection_but_the_correct_one_alone_earns_nothing(self):
        question = key(SINGLE, correct=1, wrong=3, points="3")
        ids = sorted(question.choice_ids)
        for size in range(len(ids) + 1):
            for selection in combinations(ids, size):
                expected = Decimal("3.00") if set(selection) == {1} else Decimal("0.00")
                assert question_score(question, selection) == expected, selection


class TestMultipleChoice:
    def test_all_correct_and_no_wrong_earns_full_points(self):
        assert question_score(key(MULTIPLE, correct=3, wrong=2, points="3"), {1, 2, 3}) == Decimal("3.00")

    def test_each_correct_choice_earns_its_share(self):
        assert question_score(key(MULTIPLE, correct=3, wrong=2, points="3"), {1}) == Decimal("1.00")
        assert question_score(key(MULTIPLE, correct=3, wrong=2, points="3"), {1, 2}) == Decimal("2.00")

    def test_thirds_round_to_cents(self):
        assert question_score(key(MULTIPLE, correct=3, wrong=1), {1}) == Decimal("0.33")
        assert question_score(key(MULTIPLE, correct=3, wrong=1), {1, 2}) == Decimal("0.67")
        assert question_score(key(MULTIPLE, correct=3, wrong=1), {1, 2, 3}) == Decimal("1.00")

    def test_one_wrong_choice_costs_its_share(self):
        # 2 correct of 4: +1/2 per right, -1/2 per wrong.
        assert question_score(key(MULTIPLE, correct=2, wrong=2, points="2"), {1, 2, 3}) == Decimal("1.00")

    def test_selecting_everything_earns_nothing(self):
        for correct in range(1, 5):
            for wrong in range(1, 5):
                question = key(MULTIPLE, correct=correct, wrong=wrong, points="4")
                assert question_score(question, question.choice_ids) == Decimal("0.00"), (correct, wrong)

    def test_score_is_floored_at_zero(self):
        assert question_score(key(MULTIPLE, correct=2, wrong=2), {3, 4}) == Decimal("0.00")
        assert question_score(key(MULTIPLE, correct=2, wrong=2), {1, 3, 4}) == Decimal("0.00")

    def test_nothing_selected_earns_nothing(self):
        assert question_score(key(MULTIPLE, correct=2, wrong=2), []) == Decimal("0.00")

    def test_no_selection_ever_leaves_the_range_zero_to_points(self):
        question = key(MULTIPLE, correct=3, wrong=2, points="5")
        ids = sorted(question.choice_ids)
        for size in range(len(ids) + 1):
            for selection in combinations(ids, size):
                assert Decimal("0") <= question_score(question, selection) <= Decimal("5"), selection

    def test_unknown_kind_is_rejected(self):
        with pytest.raises(ValueError):
            question_score(key("essay", correct=1, wrong=1), {1})


class TestPercentAndPassing:
    def test_percent_is_score_over_maximum(self):
        assert percent_of(Decimal("2"), Decimal("3")) == Decimal("66.67")
        assert percent_of(Decimal("3"), Decimal("3")) == Decimal("100.00")

    def test_percent_of_an_empty_quiz_is_zero(self):
        assert percent_of(Decimal("0"), Decimal("0")) == Decimal("0.00")

    def test_passing_is_reaching_the_mark(self):
        assert has_passed(Decimal("60.00"), 60)
        assert not has_passed(Decimal("59.99"), 60)
        assert has_passed(Decimal("0"), 0)


class TestOverallGrade:
    PERCENTS = [Decimal("40"), Decimal("90"), Decimal("70")]

    @pytest.mark.parametrize(
        ("method", "expected"),
        [("highest", Decimal("90")), ("last", Decimal("70")), ("first", Decimal("40")), ("average", Decimal("66.67"))],
    )
    def test_grading_methods(self, method, expected):
        assert overall_grade(self.PERCENTS, method) == expected

    def test_no_attempts_has_no_grade(self):
        assert overall_grade([], "highest") is None

    def test_unknown_method_is_rejected(self):
        with pytest.raises(ValueError):
            overall_grade(self.PERCENTS, "median")


@pytest.mark.parametrize(
    ("score", "points", "is_answered", "verdict"),
    [
        ("2.00", "2", True, scoring.Verdict.RIGHT),
        ("1.00", "2", True, scoring.Verdict.PARTLY_RIGHT),
        ("0.01", "2", True, scoring.Verdict.PARTLY_RIGHT),
        ("0.00", "2", True, scoring.Verdict.WRONG),
        ("0.00", "2", False, scoring.Verdict.UNANSWERED),
        # A question worth nothing that was answered is right: nothing could have been lost.
        ("0.00", "0", True, scoring.Verdict.RIGHT),
    ],
)
def test_a_revealed_questions_verdict_follows_its_score_and_whether_it_was_answered(score, points, is_answered, verdict):
    assert scoring.verdict_of(score=Decimal(score), points=Decimal(points), is_answered=is_answered) == verdict
