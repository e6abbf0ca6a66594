"""The authoring rules for choices and publishing, without a database."""

import pytest
from django.utils import translation

from quizzes.authoring import (
    ChoiceDraft,
    QuestionDraft,
    choice_problems,
    citation_problems,
    publishing_problems,
    question_label,
    summary,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def choices(correct, wrong):
    return [ChoiceDraft(text=f"Right {i}", is_correct=True) for i in range(correct)] + [
        ChoiceDraft(text=f"Wrong {i}", is_correct=False) for i in range(wrong)
    ]


def valid_question(**fields):
    defaults = {"text": "Who shut Parler down?", "kind": "single", "choices": choices(1, 2), "citation_count": 1}
    return QuestionDraft(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("kind", "correct", "wrong"),
    [("single", 1, 1), ("single", 1, 4), ("true_false", 1, 1), ("multiple", 1, 1), ("multiple", 3, 1)],
)
def test_valid_choices_have_no_problems(kind, correct, wrong):
    assert choice_problems(kind=kind, choices=choices(correct, wrong)) == []


@pytest.mark.parametrize(("correct", "wrong", "marked"), [(0, 3, 0), (2, 2, 2), (3, 0, 3)])
def test_single_choice_needs_exactly_one_correct_choice(correct, wrong, marked):
    problems = choice_problems(kind="single", choices=choices(correct, wrong))
    assert f"A single-choice question needs exactly one correct choice; {marked} are marked correct." in problems


@pytest.mark.parametrize("count", [0, 1])
def test_single_choice_needs_at_least_two_choices(count):
    problems = choice_problems(kind="single", choices=choices(count, 0))
    assert f"A single-choice question needs at least two choices; it has {count}." in problems


@pytest.mark.parametrize(("correct", "wrong"), [(1, 0), (1, 2), (2, 1), (0, 2)])
def test_true_false_needs_exactly_two_choices_with_one_correct(correct, wrong):
    problems = choice_problems(kind="true_false", choices=choices(correct, wrong))
    count_message = f"A true/false question needs exactly two choices (true and false); it has {correct + wrong}."
    correct_message = f"A true/false question needs exactly one correct choice; {correct} are marked correct."
    assert (count_message in problems) == (correct + wrong != 2)
    assert (correct_message in problems) == (correct != 1)
    assert problems


def test_multiple_choice_needs_a_correct_choice():
    assert choice_problems(kind="multiple", choices=choices(0, 3)) == [
        "A multiple-choice question needs at least one correct choice."
    ]


def test_multiple_choice_needs_a_wrong_choice_so_selecting_everything_cannot_score():
    assert choice_problems(kind="multiple", choices=choices(3, 0)) == [
        "A multiple-choice question needs at least one wrong choice, or selecting everything would score."
    ]


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_empty_choice_is_a_problem(blank):
    problems = choice_problems(kind="single", choices=choices(1, 1) + [ChoiceDraft(text=blank, is_correct=False)])
    assert problems == ["Every choice needs a text; fill in or remove the empty choice."]


def test_two_choices_with_the_same_text_are_a_problem_whatever_the_case():
    problems = choice_problems(
        kind="single",
        choices=[ChoiceDraft(text="Amazon", is_correct=True), ChoiceDraft(text=" amazon ", is_correct=False)],
    )
    assert problems == ["Two choices have the same text; learners could not tell them apart."]


def test_unknown_kind_is_a_problem_not_a_crash():
    assert choice_problems(kind="essay", choices=choices(1, 1)) == ["Unknown question kind: essay."]


def test_citation_is_needed_for_publishing():
    assert citation_problems(citation_count=0) == [
        "A question needs at least one citation from a source before its quiz can be published."
    ]
    assert citation_problems(citation_count=2) == []


def test_quiz_without_questions_cannot_be_published():
    assert publishing_problems(questions=[]) == ["A quiz needs at least one question before it can be published."]


def test_quiz_with_valid_questions_can_be_published():
    assert (
        publishing_problems(questions=[valid_question(), valid_question(kind="multiple", choices=choices(2, 2))]) == []
    )


def test_publishing_problems_name_the_question_and_every_problem():
    problems = publishing_problems(
        questions=[valid_question(), valid_question(text="Which court ruled?", choices=choices(0, 2), citation_count=0)]
    )
    assert problems == [
        "Question “Which court ruled?”: "
        "A single-choice question needs exactly one correct choice; 0 are marked correct.",
        "Question “Which court ruled?”: "
        "A question needs at least one citation from a source before its quiz can be published.",
    ]


def test_question_without_choices_keeps_its_quiz_unpublished():
    problems = publishing_problems(questions=[valid_question(choices=())])
    assert (
        "Question “Who shut Parler down?”: A single-choice question needs at least two choices; it has 0." in problems
    )


def test_long_question_label_is_shortened_to_one_line():
    label = question_label("Why " + "very " * 30 + "long?\nSecond line")
    assert len(label) == 60
    assert label.endswith("…")
    assert "\n" not in label


def test_summary_names_the_first_problems_and_counts_the_rest():
    assert summary(["A.", "B.", "C."], limit=2) == "A. B. (and 1 more problem)"
    assert summary(["A."], limit=2) == "A."
