"""Reads per learner: the results table (one row per account or guest session), every result and
every attempt's responses streamed for the CSV, and one attempt's review."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext

from .. import scoring
from ..models import CLOSED_STATES, Answer, Attempt, Choice, Question
from .filters import AttemptFilter
from .selectors import covered_attempts, covered_conditions

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
        Answer.objects.filter(covered_conditions(quiz=quiz, attempt_filter=attempt_filter, prefix="attempt__"))
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
