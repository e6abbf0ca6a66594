"""Reads for the attempt, result and progress pages, each a fixed number of queries.

The catalogue's and a quiz's page read through selectors/pages.py; these are the attempt-shaped
reads still to move there. The rules they show (attempts left, what a result reveals) come from rules.py.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext_lazy

from .. import rules, scoring, selectors
from ..errors import AttemptNotFound
from ..models import Attempt, QuestionKind
from ..selectors.pages import count_of_attempts_on_outer_quiz

# ---------------------------------------------------------------------------------------------
# An attempt in progress


@dataclass
class ChoiceOnPage:
    id: int
    text: str
    is_selected: bool


@dataclass
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


def attempt_owned(*, attempt_id, owner):
    """The owner's attempt with its quiz, or None (also for someone else's)."""
    if owner is None:
        return None
    try:
        return selectors.attempt_for_owner(attempt_id=attempt_id, owner=owner)
    except AttemptNotFound:
        return None


def questions_for_taking(*, attempt):
    """The attempt's questions and choices in its own order, with what is saved as selected.

    Built on selectors.attempt_in_progress, which reads nothing about correctness.
    """
    selectors.attempt_in_progress(attempt=attempt)
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


# ---------------------------------------------------------------------------------------------
# A closed attempt's result


def attempt_with_result(*, attempt_id, owner):
    """The owner's attempt with `attempts_left`, and for a closed one its review (selectors.attempt_result).

    None when the owner has no such attempt.
    """
    if owner is None:
        return None
    attempt = (
        Attempt.objects.select_related("quiz")
        .filter(pk=attempt_id, **owner.attempt_filter())
        .annotate(
            attempts_used=count_of_attempts_on_outer_quiz(owner, quiz_ref="quiz_id"),
            closed_attempts=count_of_attempts_on_outer_quiz(owner, quiz_ref="quiz_id", closed_only=True),
        )
        .first()
    )
    if attempt is None:
        return None
    attempt.attempts_left = rules.attempts_left(max_attempts=attempt.quiz.max_attempts, used=attempt.attempts_used)
    if not attempt.is_open:
        # At most one attempt per quiz is in progress: the ones not closed.
        in_progress = attempt.attempts_used - attempt.closed_attempts
        selectors.attempt_result(attempt=attempt, attempt_counts=(attempt.closed_attempts, in_progress))
    return attempt


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


@dataclass
class ChoiceInReview:
    id: int
    text: str
    is_selected: bool
    is_correct: bool | None
    feedback: str


@dataclass
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

    @property
    def is_answered(self):
        return any(choice.is_selected for choice in self.choices)

    @property
    def verdict(self):
        """scoring.Verdict's value, or None when the quiz does not reveal marks: nothing is known."""
        if self.score is None:
            return None
        return scoring.verdict_of(score=self.score, points=self.points, is_answered=self.is_answered)

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


def questions_in_review(*, attempt):
    """The reviewed questions of a closed attempt (after attempt_with_result), ready for a template."""
    return [_in_review(result, number) for number, result in enumerate(attempt.results, start=1)]


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
    )


# ---------------------------------------------------------------------------------------------
# Progress


@dataclass
class AttemptPage:
    attempts: list
    number: int
    has_older: bool


def attempts_page(*, owner, number, per_page):
    """One page of the owner's attempts, newest first, with their quiz's title. One query.

    Reads one row more than a page to know whether older attempts follow, instead of counting them
    all; and none of the per-attempt snapshots, which a list never shows.
    """
    offset = (number - 1) * per_page
    rows = list(
        selectors.attempt_history(owner=owner).only(
            "id", "number", "state", "started_at", "submitted_at", "percent", "passed",
            "quiz__slug", "quiz__title", "quiz__language",
        )[offset : offset + per_page + 1]
    )
    return AttemptPage(attempts=rows[:per_page], number=number, has_older=len(rows) > per_page)
