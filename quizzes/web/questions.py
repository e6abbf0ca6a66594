"""The questions of the attempt and result pages: the selectors' shapes numbered, joined per choice and
given their form state and labels. Presentation only: nothing here queries, and the values are frozen:
another state of a question (a posted selection, a form's errors) is a new value.

What an attempt shows comes from selectors.attempt_in_progress and selectors.result_of_owner; what a
result reveals is decided there (rules.reveals_answers), not here.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext_lazy

from .. import scoring
from ..models import QuestionKind

# ---------------------------------------------------------------------------------------------
# An attempt in progress


@dataclass(frozen=True)
class ChoiceOnPage:
    id: int
    text: str
    is_selected: bool


@dataclass(frozen=True)
class QuestionOnPage:
    """A question of the attempt form: what selectors.shown_questions gives, plus form state."""

    id: int
    number: int
    kind: str
    text: str
    points: Decimal
    choices: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    # On a quiz with checks: the question's QuestionCheck, its review once locked (QuestionInReview),
    # and while an interactive question is open after a wrong try, the hint (ChoiceInReview of the
    # wrong choices it chose, with their feedback).
    is_flagged: bool = False
    check: object = None
    review: object = None
    hints: list = field(default_factory=list)

    @property
    def is_locked(self):
        return self.check is not None and self.check.is_locked

    @property
    def is_multiple(self):
        return self.kind == QuestionKind.MULTIPLE

    @property
    def is_answered(self):
        return any(choice.is_selected for choice in self.choices)

    @property
    def field_name(self):
        return f"question-{self.id}"

    @property
    def flag_field_name(self):
        return f"flag-{self.id}"

    @property
    def input_type(self):
        return "checkbox" if self.is_multiple else "radio"


def questions_for_taking(*, attempt):
    """An AttemptInProgress's questions and choices in its own order, with what is saved as selected.

    AttemptInProgress (selectors.attempt_in_progress) holds nothing about correctness but a locked
    question's own review.
    """
    selected = {answer.question: set(answer.choices) for answer in attempt.saved_answers}
    checks = {check.question: check for check in attempt.checks or ()}
    questions = []
    for number, question in enumerate(attempt.shown_questions, start=1):
        check = checks.get(question.id)
        hints = []
        if check is not None and check.hint:
            text_of = {choice.id: choice.text for choice in question.choices}
            hints = [
                ChoiceInReview(id=item.choice, text=text_of.get(item.choice, ""), is_selected=True, is_correct=False,
                               feedback=item.text)
                for item in check.hint
            ]
        questions.append(
            QuestionOnPage(
                id=question.id,
                number=number,
                kind=question.kind,
                text=question.text,
                points=question.points,
                choices=[
                    ChoiceOnPage(id=choice.id, text=choice.text, is_selected=choice.id in selected.get(question.id, ()))
                    for choice in question.choices
                ],
                check=check,
                review=_in_review(check.review, number) if check is not None and check.review else None,
                hints=hints,
                is_flagged=question.flagged,
            )
        )
    return questions


def with_selection(questions, *, selected_choice_ids):
    """The same questions showing another selection (say, a posted form that failed validation); no query.

    `selected_choice_ids` maps question ids to the choice ids to show as selected; the questions it
    leaves out keep theirs.
    """
    return [
        replace(
            question,
            choices=[
                replace(choice, is_selected=choice.id in set(selected_choice_ids[question.id]))
                for choice in question.choices
            ],
        )
        if question.id in selected_choice_ids
        else question
        for question in questions
    ]


def with_errors(questions, *, field_errors):
    """The same questions, each showing the errors `field_errors` (a form's errors, by field name) has for it."""
    return [
        replace(question, errors=list(field_errors[question.field_name]))
        if question.field_name in field_errors
        else question
        for question in questions
    ]


# ---------------------------------------------------------------------------------------------
# A closed attempt's result


VERDICT_LABELS = {
    scoring.Verdict.RIGHT: gettext_lazy("Right"),
    scoring.Verdict.PARTLY_RIGHT: gettext_lazy("Partly right"),
    scoring.Verdict.WRONG: gettext_lazy("Wrong"),
    scoring.Verdict.UNANSWERED: gettext_lazy("Not answered"),
}
VERDICT_ICONS = {
    scoring.Verdict.RIGHT: "✓",
    scoring.Verdict.PARTLY_RIGHT: "◐",
    scoring.Verdict.WRONG: "✗",
    scoring.Verdict.UNANSWERED: "–",
}


@dataclass(frozen=True)
class VerdictShown:
    """A verdict as a page shows it: scoring.Verdict's value (the CSS class), its label and its icon."""

    value: str
    label: str
    icon: str


def verdict_shown(*, score, points, is_answered) -> VerdictShown:
    """The one rule (scoring.verdict_of), labelled for a page."""
    value = scoring.verdict_of(score=score, points=points, is_answered=is_answered)
    return VerdictShown(value=value, label=VERDICT_LABELS[value], icon=VERDICT_ICONS[value])


@dataclass(frozen=True)
class ChoiceInReview:
    id: int
    text: str
    is_selected: bool
    is_correct: bool | None
    feedback: str


@dataclass(frozen=True)
class QuestionInReview:
    """One question of a result page: selectors.QuestionResult, numbered and joined per choice."""

    id: int
    number: int
    text: str
    points: Decimal
    score: Decimal
    choices: list
    explanation: str | None
    citations: tuple | None
    # selectors.QuestionResult.verdict (before penalties: the points say what it earned), or None
    # when the quiz does not reveal marks: nothing is known.
    verdict: str | None

    @property
    def is_answered(self):
        return any(choice.is_selected for choice in self.choices)

    @property
    def verdict_label(self):
        return VERDICT_LABELS.get(self.verdict, "")

    @property
    def verdict_icon(self):
        return VERDICT_ICONS.get(self.verdict, "")

    @property
    def selected_choices(self):
        return [choice for choice in self.choices if choice.is_selected]

    @property
    def correct_choices(self):
        return [choice for choice in self.choices if choice.is_correct]


def questions_in_review(*, result):
    """The reviewed questions of an AttemptResult (selectors.attempt_result), ready for a template."""
    return [_in_review(question, number) for number, question in enumerate(result.results, start=1)]


def _in_review(result, number):
    """One selectors.QuestionResult as a QuestionInReview: a closed attempt's question, or a checked one."""
    correct = set(result.correct or ())
    feedback = {item.choice: item.text for item in result.feedback or ()}
    return QuestionInReview(
        id=result.question,
        number=number,
        text=result.text,
        points=result.points,
        score=result.score,
        choices=[
            ChoiceInReview(
                id=choice.id,
                text=choice.text,
                is_selected=choice.id in result.selected,
                is_correct=(choice.id in correct) if result.correct is not None else None,
                feedback=feedback.get(choice.id, ""),
            )
            for choice in result.choices
        ],
        explanation=result.explanation,
        citations=result.citations,
        verdict=result.verdict if result.score is not None else None,
    )
