"""Report tallies, kept as attempts close: what each closed attempt adds to its quiz's sums, written in
one statement, and rebuilt from the attempts when they must be recounted.

An attempt's contribution (pure: plain values in, rows out) is added when grading closes it, moved when
a guest's attempt is claimed by an account, subtracted when it is deleted, and a regrade recounts the
quiz. The rebuild computes the same contributions from the stored attempts, so rebuilt and maintained
tallies are equal by construction (tests/test_report_tallies.py checks it on random classes).
"""

import datetime
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.apps import apps as installed_apps
from django.db import connection, transaction
from django.db.models.signals import pre_delete
from django.utils import timezone

from .. import scoring
from ..models import CLOSED_STATES
from ..models.reports import ReportTally, TallySubject

# The quiz row covers every day; it carries this one.
ALL_DAYS = datetime.date(1, 1, 1)
KEY_FIELDS = ReportTally.KEY_FIELDS
SUM_FIELDS = ReportTally.SUM_FIELDS
NO_SUMS = (0,) * len(SUM_FIELDS)


@dataclass(frozen=True)
class AnswerFacts:
    question_id: int
    points: Decimal
    score: Decimal
    choice_ids: tuple


@dataclass(frozen=True)
class AttemptFacts:
    """What the reports count of one closed attempt."""

    quiz_id: int
    day: datetime.date
    is_first: bool
    is_guest: bool
    score: Decimal
    percent: Decimal
    passed: bool
    answers: tuple


def day_closed(moment):
    """The day an attempt closed, in the site's time zone (a report's date range counts such days)."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def hundredths(value):
    """A score or percent with two decimals as an exact integer."""
    return int(Decimal(value).scaleb(2).to_integral_value())


def contribution(facts: AttemptFacts, *, sign=1):
    """The rows one attempt adds (sign 1) or takes away (sign -1): {key: sums}, keys as KEY_FIELDS."""
    quiz, day, first = facts.quiz_id, facts.day, facts.is_first
    rows = {
        (quiz, TallySubject.QUIZ, ALL_DAYS, False, 0, 0, False, 0, False): (sign,) + NO_SUMS[1:],
        (quiz, TallySubject.GRADE, day, first, 0, 0, facts.is_guest, hundredths(facts.percent), facts.passed): (
            (sign,) + NO_SUMS[1:]
        ),
    }
    total = hundredths(facts.score)
    for answer in facts.answers:
        x = hundredths(answer.score)
        y = total - x
        verdict = scoring.verdict_of(score=answer.score, points=answer.points, is_answered=bool(answer.choice_ids))
        rows[(quiz, TallySubject.QUESTION, day, first, answer.question_id, 0, False, 0, False)] = tuple(
            sign * value
            for value in (
                1, x, x * x, y, y * y, x * y,
                verdict == scoring.Verdict.RIGHT,
                verdict == scoring.Verdict.PARTLY_RIGHT,
                verdict == scoring.Verdict.UNANSWERED,
            )
        )
        for choice_id in set(answer.choice_ids):
            rows[(quiz, TallySubject.CHOICE, day, first, answer.question_id, choice_id, False, 0, False)] = (
                (sign,) + NO_SUMS[1:]
            )
    return rows


def merge(into, rows):
    """Add rows ({key: sums}) into a defaultdict of sums."""
    for key, sums in rows.items():
        into[key] = tuple(a + b for a, b in zip(into[key], sums))
    return into


def new_sums():
    return defaultdict(lambda: NO_SUMS)


def add(rows):
    """Add rows ({key: sums}) to the tallies: one INSERT ... ON CONFLICT DO UPDATE statement.

    The ORM's bulk_create(update_conflicts=True) can only overwrite a row, not add to it, and an
    update of existing rows next to an insert of missing ones takes two statements and lets two
    closing attempts race between them. One upsert adds atomically, on SQLite and PostgreSQL alike:
    two attempts closing at once are both counted. Rows go in key order, the quiz's row first, so
    concurrent writers lock rows in the same order and cannot deadlock.
    """
    rows = sorted((key, sums) for key, sums in rows.items() if any(sums) or key[1] == TallySubject.QUIZ)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(ReportTally._meta.db_table)
    columns = [ReportTally._meta.get_field(name).column for name in KEY_FIELDS + SUM_FIELDS]
    key_columns = ", ".join(quote(column) for column in columns[: len(KEY_FIELDS)])
    increments = ", ".join(
        f"{quote(column)} = {table}.{quote(column)} + EXCLUDED.{quote(column)}" for column in columns[len(KEY_FIELDS) :]
    )
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, _parameter_limit() // len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            parameters = []
            for (quiz, subject, day, *key), sums in batch:
                parameters += [quiz, int(subject), connection.ops.adapt_datefield_value(day), *key, *sums]
            # Names come from the model's meta, quoted by the backend; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(quote(column) for column in columns)}) "  # nosec B608
                f"VALUES {', '.join([row_sql] * len(batch))} "
                f"ON CONFLICT ({key_columns}) DO UPDATE SET {increments}",
                parameters,
            )


def _parameter_limit():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python < 3.11
            return 999
    return 65535


def facts_of(attempt, *, answers, points_of):
    """An attempt's AttemptFacts from it (closed), its Answer rows and {question id: points}."""
    return AttemptFacts(
        quiz_id=attempt.quiz_id,
        day=day_closed(attempt.submitted_at),
        is_first=attempt.number == 1,
        is_guest=attempt.user_id is None,
        score=attempt.score,
        percent=attempt.percent,
        passed=bool(attempt.passed),
        answers=tuple(
            AnswerFacts(
                question_id=answer.question_id,
                points=points_of[answer.question_id],
                score=answer.score,
                choice_ids=tuple(answer.choice_ids),
            )
            for answer in answers
            if answer.question_id in points_of
        ),
    )


def count_closed(attempt, *, answers, keys):
    """Add an attempt that grading has just closed: its Answer rows as written, its scoring keys."""
    points_of = {question_id: key.points for question_id, key in keys.items()}
    add(contribution(facts_of(attempt, answers=answers, points_of=points_of)))


@dataclass(frozen=True)
class _StoredAnswer:
    question_id: int
    score: Decimal
    choice_ids: list


def _stored_facts(attempts, *, apps=installed_apps):
    """AttemptFacts of closed attempts as stored, with their answers read in one query."""
    attempts = [attempt for attempt in attempts if attempt.state in CLOSED_STATES]
    if not attempts:
        return []
    answer_model = apps.get_model("quizzes", "Answer")
    answers_of, points_of = defaultdict(list), {}
    for answer in answer_model.objects.filter(attempt__in=[attempt.pk for attempt in attempts]).values_list(
        "attempt_id", "question_id", "question__points", "score", "choice_ids"
    ):
        attempt_id, question_id, points, score, choice_ids = answer
        points_of[question_id] = points
        answers_of[attempt_id].append(_StoredAnswer(question_id, score, choice_ids))
    return [facts_of(attempt, answers=answers_of[attempt.pk], points_of=points_of) for attempt in attempts]


def move_claimed(attempts, *, guest_numbers):
    """Move attempts an account has just claimed from a guest: `attempts` as the account's now,
    `guest_numbers` {attempt id: its number as the guest's}. Scores do not change; whether an attempt
    is a guest's does, and whether it is a first attempt may."""
    closed = [attempt for attempt in attempts if attempt.state in CLOSED_STATES]
    if not closed:
        return
    renumbered = [attempt for attempt in closed if (guest_numbers[attempt.pk] == 1) != (attempt.number == 1)]
    # A first attempt that stays first (or a later one that stays later) moves only between guests
    # and accounts, in its grade row: no answers are needed for that.
    kept = [attempt for attempt in closed if attempt not in renumbered]
    now_counted = [facts_of(attempt, answers=(), points_of={}) for attempt in kept] + _stored_facts(renumbered)
    delta = new_sums()
    for attempt, facts in zip(kept + renumbered, now_counted):
        was_counted = replace(facts, is_guest=True, is_first=guest_numbers[attempt.pk] == 1)
        merge(delta, contribution(was_counted, sign=-1))
        merge(delta, contribution(facts))
    add(delta)


def forget(attempts):
    """Take deleted attempts (closed ones) out of the tallies, before their answers go."""
    delta = new_sums()
    for facts in _stored_facts(attempts):
        merge(delta, contribution(facts, sign=-1))
    add(delta)


def _attempt_deleted(sender, instance, **kwargs):
    forget([instance])


def connect_signals():
    """Deleting an attempt (also by deleting its learner's account) takes it out of the tallies."""
    pre_delete.connect(_attempt_deleted, sender=installed_apps.get_model("quizzes", "Attempt"), dispatch_uid="report-tallies")


def rebuild(*, quiz_id, apps=installed_apps, chunk_size=5000):
    """Recount a quiz's tallies from its closed attempts; returns how many attempts were counted.

    The quiz's row is locked first, so attempts of the quiz that close meanwhile wait and are then
    added to what the rebuild wrote (on SQLite the write lock does the same).
    """
    tally_model = apps.get_model("quizzes", "ReportTally")
    attempt_model = apps.get_model("quizzes", "Attempt")
    answer_model = apps.get_model("quizzes", "Answer")
    anchor = {"quiz_id": quiz_id, "subject": TallySubject.QUIZ, "day": ALL_DAYS, "is_first": False}
    with transaction.atomic():
        add({(quiz_id, TallySubject.QUIZ, ALL_DAYS, False, 0, 0, False, 0, False): NO_SUMS})
        list(tally_model.objects.select_for_update().filter(**anchor))
        sums = new_sums()
        closed = attempt_model.objects.filter(quiz_id=quiz_id, state__in=CLOSED_STATES)
        attempts = closed.order_by("pk").values_list("pk", "number", "user_id", "submitted_at", "score", "percent", "passed")
        answers = (
            answer_model.objects.filter(attempt__quiz_id=quiz_id, attempt__state__in=CLOSED_STATES)
            .order_by("attempt_id")
            .values_list("attempt_id", "question_id", "question__points", "score", "choice_ids")
        )
        answer_rows = iter(answers.iterator(chunk_size=chunk_size))
        pending = next(answer_rows, None)
        counted = 0
        for attempt_id, number, user_id, submitted_at, score, percent, passed in attempts.iterator(chunk_size=chunk_size):
            own = []
            # Both streams cover the same closed attempts in the same order.
            while pending is not None and pending[0] == attempt_id:
                own.append(
                    AnswerFacts(question_id=pending[1], points=pending[2], score=pending[3], choice_ids=tuple(pending[4]))
                )
                pending = next(answer_rows, None)
            facts = AttemptFacts(
                quiz_id=quiz_id,
                day=day_closed(submitted_at),
                is_first=number == 1,
                is_guest=user_id is None,
                score=score,
                percent=percent,
                passed=bool(passed),
                answers=tuple(own),
            )
            merge(sums, contribution(facts))
            counted += 1
        tally_model.objects.filter(quiz_id=quiz_id).exclude(**anchor).delete()
        tally_model.objects.filter(**anchor).update(**{name: 0 for name in SUM_FIELDS})
        add(sums)
    return counted
