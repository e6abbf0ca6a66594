"""The reads behind the reports, aggregated in the database; each returns frozen dataclasses.

Overview and question figures take a fixed number of queries whatever the number of attempts: SQL
counts and sums per question and per choice (and percents grouped by value for the median), the
figures themselves come from measures.py.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.paginator import Paginator
from django.db.models import Count, F, FloatField, Max, Min, Q, Sum, Window
from django.db.models.functions import Cast, RowNumber
from django.utils.translation import gettext

from .. import scoring
from ..models import Answer, Attempt, Choice, Question, Selection
from ..selectors.attempts import CLOSED_STATES
from . import measures
from .filters import AttemptFilter

RESULTS_PER_PAGE = 25

# The sorts a results table offers: query parameter -> ORM ordering. Anything else is refused.
RESULT_SORTS = {
    "learner": (F("user__username").asc(nulls_last=True), "guest_number"),
    "-learner": (F("user__username").desc(nulls_last=True), "-guest_number"),
    "attempts": ("attempt_count", F("user__username").asc(nulls_last=True), "guest_number"),
    "-attempts": ("-attempt_count", F("user__username").asc(nulls_last=True), "guest_number"),
    "best": ("best_percent", F("user__username").asc(nulls_last=True), "guest_number"),
    "-best": ("-best_percent", F("user__username").asc(nulls_last=True), "guest_number"),
    "last_activity": ("last_activity", F("user__username").asc(nulls_last=True), "guest_number"),
    "-last_activity": ("-last_activity", F("user__username").asc(nulls_last=True), "guest_number"),
}
DEFAULT_RESULT_SORT = "learner"
# Streams for the CSV walk learners and their rows in this one order, so they can be zipped.
LEARNER_ORDER = (F("user__username").asc(nulls_last=True), "guest_key")


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


@dataclass(frozen=True)
class AttemptEntry:
    id: str
    number: int
    state: str
    percent: Decimal
    started_at: datetime.datetime
    submitted_at: datetime.datetime


@dataclass(frozen=True)
class LearnerResult:
    label: str
    is_guest: bool
    attempt_count: int
    grade: Decimal | None
    best_percent: Decimal | None
    last_percent: Decimal | None
    time_taken: datetime.timedelta | None
    last_activity: datetime.datetime | None
    attempts: tuple


def covered_attempts(*, quiz, attempt_filter: AttemptFilter):
    """The closed attempts of a quiz that a report covers."""
    return Attempt.objects.filter(_covered(quiz=quiz, attempt_filter=attempt_filter))


def _covered(*, quiz, attempt_filter, prefix=""):
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
    answers = Answer.objects.filter(_covered(quiz=quiz, attempt_filter=attempt_filter, prefix="attempt__"))
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
    selections = Selection.objects.filter(_covered(quiz=quiz, attempt_filter=attempt_filter, prefix="answer__attempt__"))
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


# ---------------------------------------------------------------------------------------------
# Results: one row per learner (an account, or a guest's browser session)


def learner_groups(*, quiz, attempt_filter: AttemptFilter):
    """Covered attempts grouped per learner, guests numbered by their first attempt (never by key)."""
    return (
        covered_attempts(quiz=quiz, attempt_filter=attempt_filter)
        .values("user_id", "user__username", "guest_key")
        .annotate(
            attempt_count=Count("id"),
            best_percent=Max("percent"),
            last_activity=Max("submitted_at"),
            first_started_at=Min("started_at"),
        )
        .annotate(
            # One partition holds every guest (user NULL); each account is a partition of its own.
            guest_number=Window(
                RowNumber(), partition_by=[F("user_id")], order_by=[F("first_started_at").asc(), F("guest_key").asc()]
            )
        )
    )


def results_page(*, quiz, attempt_filter: AttemptFilter, sort: str, page_number):
    """One page of results, sorted by a key of RESULT_SORTS; raises KeyError for another sort.

    Returns (page, rows): Django's Page over the learner groups and that page's LearnerResults. Three
    queries (count, page, its attempts).
    """
    ordering = RESULT_SORTS[sort]
    paginator = Paginator(learner_groups(quiz=quiz, attempt_filter=attempt_filter).order_by(*ordering), RESULTS_PER_PAGE)
    page = paginator.get_page(page_number)
    groups = list(page.object_list)
    users = [group["user_id"] for group in groups if group["user_id"] is not None]
    guests = [group["guest_key"] for group in groups if group["user_id"] is None]
    attempts_of = {}
    if groups:
        rows = (
            covered_attempts(quiz=quiz, attempt_filter=attempt_filter)
            .filter(Q(user_id__in=users) | Q(user__isnull=True, guest_key__in=guests))
            .order_by("number")
            .values_list("user_id", "guest_key", *ATTEMPT_FIELDS)
        )
        for user_id, guest_key, *attempt in rows:
            attempts_of.setdefault((user_id, guest_key), []).append(AttemptEntry(*attempt))
    results = [
        learner_result(group, attempts_of.get((group["user_id"], group["guest_key"]), []), quiz.grading_method)
        for group in groups
    ]
    return page, results


ATTEMPT_FIELDS = ("id", "number", "state", "percent", "started_at", "submitted_at")


def learner_result(group, attempts, grading_method):
    """A learner's row from their group (dict) and covered attempts in attempt order."""
    percents = [attempt.percent for attempt in attempts]
    last = attempts[-1] if attempts else None
    return LearnerResult(
        label=learner_label(group),
        is_guest=group["user_id"] is None,
        attempt_count=group["attempt_count"],
        grade=scoring.overall_grade(percents, grading_method),
        # SQLite's MAX over a decimal column drops trailing zeros ("50" for 50.00).
        best_percent=scoring.to_cents(group["best_percent"]) if group["best_percent"] is not None else None,
        last_percent=last.percent if last else None,
        time_taken=(last.submitted_at - last.started_at) if last else None,
        last_activity=group["last_activity"],
        attempts=tuple(attempts),
    )


def learner_label(group):
    """A learner's user name, or "Guest n": a guest's session key and address are never shown."""
    if group["user_id"] is None:
        return gettext("Guest %(number)d") % {"number": group["guest_number"]}
    return group["user__username"]


def all_results(*, quiz, attempt_filter: AttemptFilter, chunk_size=2000):
    """Every learner's result, streamed: learners and their attempts read side by side in one order."""
    groups = learner_groups(quiz=quiz, attempt_filter=attempt_filter).order_by(*LEARNER_ORDER)
    attempts = (
        covered_attempts(quiz=quiz, attempt_filter=attempt_filter)
        .order_by(*LEARNER_ORDER, "number")
        .values_list("user_id", "guest_key", *ATTEMPT_FIELDS)
    )
    attempt_rows = iter(attempts.iterator(chunk_size=chunk_size))
    pending = next(attempt_rows, None)
    for group in groups.iterator(chunk_size=chunk_size):
        key = (group["user_id"], group["guest_key"])
        own = []
        while pending is not None and (pending[0], pending[1]) == key:
            own.append(AttemptEntry(*pending[2:]))
            pending = next(attempt_rows, None)
        yield learner_result(group, own, quiz.grading_method)


@dataclass(frozen=True)
class AttemptResponses:
    learner: str
    number: int
    state: str
    percent: Decimal
    submitted_at: datetime.datetime
    responses: tuple  # per question of the quiz, in order: (selected choice texts, score) or None


def all_responses(*, quiz, attempt_filter: AttemptFilter, chunk_size=2000):
    """Every covered attempt with each question's selected choices and score, streamed in learner order.

    Yields (questions, rows): first the quiz's questions (id, position, text), then AttemptResponses.
    """
    questions = list(Question.objects.filter(quiz=quiz).order_by("position", "id").values_list("id", "text"))
    choice_texts = dict(Choice.objects.filter(question__quiz=quiz).values_list("id", "text"))
    column_of = {question_id: index for index, (question_id, _) in enumerate(questions)}
    yield questions
    groups = learner_groups(quiz=quiz, attempt_filter=attempt_filter).order_by(*LEARNER_ORDER)
    answers = (
        Answer.objects.filter(_covered(quiz=quiz, attempt_filter=attempt_filter, prefix="attempt__"))
        .order_by(F("attempt__user__username").asc(nulls_last=True), "attempt__guest_key", "attempt__number")
        .values_list(
            "attempt__user_id",
            "attempt__guest_key",
            "attempt_id",
            "attempt__number",
            "attempt__state",
            "attempt__percent",
            "attempt__submitted_at",
            "question_id",
            "choice_ids",
            "score",
        )
    )
    answer_rows = iter(answers.iterator(chunk_size=chunk_size))
    pending = next(answer_rows, None)
    for group in groups.iterator(chunk_size=chunk_size):
        key = (group["user_id"], group["guest_key"])
        label = learner_label(group)
        while pending is not None and (pending[0], pending[1]) == key:
            attempt_id, number, state, percent, submitted_at = pending[2:7]
            responses = [None] * len(questions)
            while pending is not None and pending[2] == attempt_id:
                question_id, choice_ids, answer_score = pending[7:]
                if question_id in column_of:
                    texts = tuple(choice_texts.get(choice_id, "") for choice_id in choice_ids)
                    responses[column_of[question_id]] = (texts, answer_score)
                pending = next(answer_rows, None)
            yield AttemptResponses(
                learner=label,
                number=number,
                state=state,
                percent=percent,
                submitted_at=submitted_at,
                responses=tuple(responses),
            )


@dataclass(frozen=True)
class AnswerReview:
    question_id: int
    question: str
    selected: tuple
    correct: tuple
    score: Decimal | None
    points: Decimal


@dataclass(frozen=True)
class AttemptReview:
    id: str
    learner: str
    number: int
    state: str
    percent: Decimal | None
    started_at: datetime.datetime
    submitted_at: datetime.datetime | None
    answers: tuple


def attempt_review(*, quiz, attempt_id):
    """One closed attempt of the quiz with each answer's choices and score; None if there is none.

    A guest appears as "Guest", never with a session key. Three queries.
    """
    attempt = (
        Attempt.objects.filter(quiz=quiz, pk=attempt_id, state__in=CLOSED_STATES)
        .values("id", "user__username", "number", "state", "percent", "started_at", "submitted_at")
        .first()
    )
    if attempt is None:
        return None
    choices = {}
    correct_of = {}
    for choice_id, question_id, text, is_correct in (
        Choice.objects.filter(question__quiz=quiz).order_by("position", "id").values_list("id", "question_id", "text", "is_correct")
    ):
        choices[choice_id] = text
        if is_correct:
            correct_of.setdefault(question_id, []).append(text)
    answers = (
        Answer.objects.filter(attempt_id=attempt["id"])
        .order_by("question__position", "question_id")
        .values_list("question_id", "question__text", "question__points", "choice_ids", "score")
    )
    return AttemptReview(
        id=attempt["id"],
        learner=attempt["user__username"] or gettext("Guest"),
        number=attempt["number"],
        state=attempt["state"],
        percent=attempt["percent"],
        started_at=attempt["started_at"],
        submitted_at=attempt["submitted_at"],
        answers=tuple(
            AnswerReview(
                question_id=question_id,
                question=text,
                selected=tuple(choices.get(choice_id, "") for choice_id in choice_ids),
                correct=tuple(correct_of.get(question_id, ())),
                score=score,
                points=points,
            )
            for question_id, text, points, choice_ids, score in answers
        ),
    )
