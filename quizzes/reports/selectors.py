"""Overview and question figures of a quiz's reports, aggregated in the database, as frozen dataclasses.

Overview and question figures take a fixed number of queries whatever the number of attempts: SQL
counts and sums per question and per choice (and percents grouped by value for the median), the
figures themselves come from measures.py.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast

from .. import scoring
from ..models import Answer, Attempt, Choice, Question, Selection
from ..selectors.attempts import CLOSED_STATES
from . import measures
from .filters import AttemptFilter


@dataclass(frozen=True)
class Overview:
    attempt_count: int
    learner_count: int
    guest_count: int
    mean_percent: Decimal | None
    median_percent: Decimal | None
    passed_count: int
    pass_rate: float | None
    histogram: tuple


@dataclass(frozen=True)
class ChoiceFigures:
    id: int
    position: int
    text: str
    is_correct: bool
    picked_count: int
    picked_share: float | None
    is_rare_distractor: bool


@dataclass(frozen=True)
class QuestionFigures:
    id: int
    position: int
    text: str
    kind: str
    points: Decimal
    answer_count: int
    right_count: int
    partial_count: int
    wrong_count: int
    unanswered_count: int
    facility: float | None
    standard_deviation: float | None
    discrimination: float | None
    flags: tuple
    choices: tuple

    @property
    def right_share(self):
        return measures.share(self.right_count, self.answer_count)

    @property
    def partial_share(self):
        return measures.share(self.partial_count, self.answer_count)

    @property
    def wrong_share(self):
        return measures.share(self.wrong_count, self.answer_count)

    @property
    def unanswered_share(self):
        return measures.share(self.unanswered_count, self.answer_count)

    @property
    def needs_attention(self):
        return bool(self.flags) or any(choice.is_rare_distractor for choice in self.choices)


def covered_attempts(*, quiz, attempt_filter: AttemptFilter):
    """The closed attempts of a quiz that a report covers."""
    return Attempt.objects.filter(covered_conditions(quiz=quiz, attempt_filter=attempt_filter))


def covered_conditions(*, quiz, attempt_filter, prefix=""):
    conditions = Q(**{f"{prefix}quiz": quiz, f"{prefix}state__in": CLOSED_STATES})
    if attempt_filter.first_only:
        conditions &= Q(**{f"{prefix}number": 1})
    if attempt_filter.closed_from:
        conditions &= Q(**{f"{prefix}submitted_at__gte": attempt_filter.closed_from})
    if attempt_filter.closed_before:
        conditions &= Q(**{f"{prefix}submitted_at__lt": attempt_filter.closed_before})
    return conditions


def _as_float(expression):
    return Cast(expression, output_field=FloatField())


def overview(*, quiz, attempt_filter: AttemptFilter) -> Overview:
    """Attempts, learners, guests, mean, median, pass rate and the grade histogram. Two queries."""
    attempts = covered_attempts(quiz=quiz, attempt_filter=attempt_filter)
    summary = attempts.aggregate(
        attempt_count=Count("id"),
        learner_count=Count("user", distinct=True),
        guest_count=Count("guest_key", distinct=True, filter=Q(user__isnull=True)),
        passed_count=Count("id", filter=Q(passed=True)),
    )
    # Percents have two decimals, so at most 10 001 groups: the median and the bins come from these.
    percent_counts = list(attempts.order_by("percent").values_list("percent").annotate(count=Count("id")))
    count = summary["attempt_count"]
    total = sum((Fraction(percent) * number for percent, number in percent_counts), Fraction(0))
    median = measures.median_of_counts(percent_counts)
    return Overview(
        attempt_count=count,
        learner_count=summary["learner_count"],
        guest_count=summary["guest_count"],
        mean_percent=scoring.to_cents(total / count) if count else None,
        median_percent=scoring.to_cents(median) if median is not None else None,
        passed_count=summary["passed_count"],
        pass_rate=measures.share(summary["passed_count"], count),
        histogram=measures.histogram(percent_counts),
    )


def question_figures(*, quiz, attempt_filter: AttemptFilter):
    """Per question: responses (share per choice; right, partly right, wrong, unanswered), facility,
    discrimination and flags, over the covered attempts. Four queries."""
    answers = Answer.objects.filter(covered_conditions(quiz=quiz, attempt_filter=attempt_filter, prefix="attempt__"))
    score = _as_float("score")
    rest = _as_float(F("attempt__score") - F("score"))
    points = F("question__points")
    sums = {
        row["question_id"]: row
        for row in answers.order_by()
        .values("question_id")
        .annotate(
            n=Count("id"),
            sum_x=Sum(score),
            sum_y=Sum(rest),
            sum_xy=Sum(score * rest),
            sum_xx=Sum(score * score),
            sum_yy=Sum(rest * rest),
            right=Count("id", filter=Q(score__gte=points)),
            partial=Count("id", filter=Q(score__gt=0, score__lt=points)),
            unanswered=Count("id", filter=Q(choice_ids=[])),
        )
    }
    selections = Selection.objects.filter(covered_conditions(quiz=quiz, attempt_filter=attempt_filter, prefix="answer__attempt__"))
    picks = dict(selections.order_by().values("choice_id").annotate(count=Count("id")).values_list("choice_id", "count"))
    choices_of = {}
    for choice in Choice.objects.filter(question__quiz=quiz).order_by("position", "id").values(
        "id", "question_id", "position", "text", "is_correct"
    ):
        choices_of.setdefault(choice["question_id"], []).append(choice)
    questions = Question.objects.filter(quiz=quiz).order_by("position", "id").values(
        "id", "position", "text", "kind", "points"
    )
    return tuple(
        _figures_of(question, sums.get(question["id"]), choices_of.get(question["id"], []), picks)
        for question in questions
    )


def _figures_of(question, row, choices, picks):
    count = row["n"] if row else 0
    facility = measures.facility(total_score=row["sum_x"], count=count, points=question["points"]) if row else None
    discrimination = (
        measures.discrimination(
            measures.Sums(
                n=count,
                sum_x=row["sum_x"],
                sum_y=row["sum_y"],
                sum_xy=row["sum_xy"],
                sum_xx=row["sum_xx"],
                sum_yy=row["sum_yy"],
            )
        )
        if row
        else None
    )
    right, partial, unanswered = (row["right"], row["partial"], row["unanswered"]) if row else (0, 0, 0)
    choice_figures = []
    for choice in choices:
        picked = picks.get(choice["id"], 0)
        picked_share = measures.share(picked, count)
        choice_figures.append(
            ChoiceFigures(
                id=choice["id"],
                position=choice["position"],
                text=choice["text"],
                is_correct=choice["is_correct"],
                picked_count=picked,
                picked_share=picked_share,
                is_rare_distractor=measures.is_rare_distractor(is_correct=choice["is_correct"], picked_share=picked_share),
            )
        )
    return QuestionFigures(
        id=question["id"],
        position=question["position"],
        text=question["text"],
        kind=question["kind"],
        points=question["points"],
        answer_count=count,
        right_count=right,
        partial_count=partial,
        wrong_count=count - right - partial - unanswered,
        unanswered_count=unanswered,
        facility=facility,
        standard_deviation=(
            measures.sample_standard_deviation(n=count, total=row["sum_x"], squares=row["sum_xx"]) if row else None
        ),
        discrimination=discrimination,
        flags=measures.question_flags(facility=facility, discrimination=discrimination),
        choices=tuple(choice_figures),
    )
