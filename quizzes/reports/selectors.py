"""Overview and question figures of a quiz's reports, read from its tallies, as frozen dataclasses.

Overview and question figures take a fixed number of queries whatever the number of attempts: they
sum the tally rows (tallies.py) of the days covered, a few per day whatever the number of attempts;
the figures themselves come from measures.py.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, Sum

from .. import measures, scoring
from ..models import CLOSED_STATES, Attempt, Choice, Question, ReportTally, TallySubject
from . import tallies
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
    # Each version attempts showed is a question of its own here (models.Question), listed beside the others.
    version: int = 1
    is_current: bool = True

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


def _tallies(*, quiz, attempt_filter, subjects):
    """The quiz's tally rows of the given subjects over the days and attempts a report covers.

    A report's date range runs from midnight to midnight in the site's time zone (filters.py), so it
    covers whole days, and tallies count attempts by the day they closed in that zone.
    """
    rows = ReportTally.objects.filter(quiz=quiz, subject__in=subjects)
    if attempt_filter.first_only:
        rows = rows.filter(is_first=True)
    if attempt_filter.closed_from:
        rows = rows.filter(day__gte=tallies.day_closed(attempt_filter.closed_from))
    if attempt_filter.closed_before:
        rows = rows.filter(day__lt=tallies.day_closed(attempt_filter.closed_before))
    return rows.order_by()


def _learners_among_all(*, quiz, attempt_filter, guest_count):
    """Distinct learners and guests among all covered attempts. One query, on an index of the attempts.

    A guest's first attempt closes before the second starts, and a guest's attempts never change
    hands but all at once, so over every day the guests with a closed first attempt (`guest_count`,
    from the tallies) are the guests with any: only accounts, few, are counted distinct then. An
    account's first attempt may still be open while claimed ones are closed, so accounts always are.
    """
    attempts = covered_attempts(quiz=quiz, attempt_filter=attempt_filter)
    if attempt_filter.closed_from or attempt_filter.closed_before:
        counts = attempts.aggregate(
            learner_count=Count("user", distinct=True),
            guest_count=Count("guest_key", distinct=True, filter=Q(user__isnull=True)),
        )
        return counts["learner_count"], counts["guest_count"]
    return attempts.filter(user__isnull=False).aggregate(learner_count=Count("user", distinct=True))["learner_count"], guest_count


def overview(*, quiz, attempt_filter: AttemptFilter) -> Overview:
    """Attempts, learners, guests, mean, median, pass rate and the grade histogram. One query for
    first attempts, two for all (learners are counted on the attempts)."""
    grades = _tallies(quiz=quiz, attempt_filter=attempt_filter, subjects=(TallySubject.GRADE,))
    counts = defaultdict(int)
    count = passed_count = learner_count = guest_count = 0
    for percent, passed, is_guest, is_first, number in grades.values_list(
        "percent_hundredths", "passed", "is_guest", "is_first"
    ).annotate(number=Sum("count")):
        counts[percent] += number
        count += number
        passed_count += number if passed else 0
        # Each learner has one first attempt: first attempts count learners and guests.
        guest_count += number if is_guest and is_first else 0
        learner_count += number if not is_guest and is_first else 0
    if not attempt_filter.first_only:
        learner_count, guest_count = _learners_among_all(quiz=quiz, attempt_filter=attempt_filter, guest_count=guest_count)
    percent_counts = [(Decimal(percent).scaleb(-2), counts[percent]) for percent in sorted(counts) if counts[percent]]
    total = sum((Fraction(percent) * number for percent, number in percent_counts), Fraction(0))
    median = measures.median_of_counts(percent_counts)
    return Overview(
        attempt_count=count,
        learner_count=learner_count,
        guest_count=guest_count,
        mean_percent=scoring.to_cents(total / count) if count else None,
        median_percent=scoring.to_cents(median) if median is not None else None,
        passed_count=passed_count,
        pass_rate=measures.share(passed_count, count),
        histogram=measures.histogram(percent_counts),
    )


def question_figures(*, quiz, attempt_filter: AttemptFilter):
    """Per question: responses (share per choice; right, partly right, wrong, unanswered), facility,
    discrimination and flags, over the covered attempts. Three queries."""
    sums, picks = {}, {}
    for row in (
        _tallies(quiz=quiz, attempt_filter=attempt_filter, subjects=(TallySubject.QUESTION, TallySubject.CHOICE))
        .values("subject", "question_id", "choice_id")
        .annotate(**{name: Sum(name) for name in ReportTally.SUM_FIELDS})
    ):
        if row["subject"] == TallySubject.QUESTION:
            sums[row["question_id"]] = _scaled(row)
        else:
            picks[row["choice_id"]] = row["count"]
    choices_of = {}
    for choice in Choice.objects.filter(question__quiz=quiz).order_by("position", "id").values(
        "id", "question_id", "position", "text", "is_correct"
    ):
        choices_of.setdefault(choice["question_id"], []).append(choice)
    questions = Question.objects.filter(quiz=quiz).order_by("position", "id").values(
        "id", "position", "text", "kind", "points", "version", "is_current"
    )
    return tuple(
        _figures_of(question, sums.get(question["id"]), choices_of.get(question["id"], []), picks)
        for question in questions
    )


def _scaled(row):
    """A question's tally sums (hundredths of points) as the figures' sums in points."""
    return {
        "n": row["count"],
        "sum_x": row["score_sum"] / 100,
        "sum_y": row["rest_sum"] / 100,
        "sum_xy": row["score_rest_products"] / 10_000,
        "sum_xx": row["score_squares"] / 10_000,
        "sum_yy": row["rest_squares"] / 10_000,
        "right": row["right_count"],
        "partial": row["partial_count"],
        "unanswered": row["unanswered_count"],
    }


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
        version=question["version"],
        is_current=question["is_current"],
    )
