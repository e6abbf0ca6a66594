"""Starting an attempt: drawing its questions and choices, numbering it, and resuming one in progress."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import zip_longest

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from .. import caching
from ..errors import NoAttemptsLeft, TooManyParallelRequests
from ..models import Attempt, AttemptState, Choice
from ..rules import attempts_left, is_overdue
from .grading import close_attempt


def choose_questions(questions, *, count, shuffle, rng):
    """Pick the questions an attempt shows, as ids in display order.

    `questions` is a sequence of (id, position, topic_id). A subset is drawn round-robin across
    topics, so a short attempt still covers the quiz's themes.
    """
    by_position = sorted(questions, key=lambda question: (question[1], question[0]))
    if count is not None and count < len(by_position):
        by_topic = defaultdict(list)
        for question in by_position:
            by_topic[question[2]].append(question)
        groups = list(by_topic.values())
        for group in groups:
            rng.shuffle(group)
        rng.shuffle(groups)
        interleaved = [question for round_ in zip_longest(*groups) for question in round_ if question]
        chosen = interleaved[:count]
    else:
        chosen = list(by_position)
    if shuffle:
        rng.shuffle(chosen)
    else:
        chosen.sort(key=lambda question: (question[1], question[0]))
    return [question[0] for question in chosen]


def order_choices(choice_ids, *, shuffle, rng):
    """The order in which an attempt shows one question's choices (given in authored order)."""
    ordered = list(choice_ids)
    if shuffle:
        rng.shuffle(ordered)
    return ordered


# ---------------------------------------------------------------------------------------------
# Starting


def start_attempt(*, quiz, owner, now=None, rng=None):
    """Start an attempt, or return the caller's attempt in progress. Returns (attempt, created)."""
    now = now or timezone.now()
    rng = rng or random.Random()  # nosec B311 - shuffling quiz questions is not security-sensitive
    # The draw reads only content, so it happens before the write transaction: on SQLite that
    # transaction holds the database's one write lock, and every other writer waits for it.
    draw = _draw(quiz=quiz, rng=rng)
    for _attempt_try in range(3):
        try:
            started = _start_attempt_once(quiz=quiz, owner=owner, now=now, draw=draw)
        except IntegrityError:
            # A parallel request started (or numbered) an attempt first; look again.
            continue
        if started is not None:
            return started
    raise TooManyParallelRequests()


@dataclass(frozen=True)
class _Draw:
    """What a new attempt shows, drawn from the quiz's content before any lock is taken."""

    question_order: list
    choice_order: dict
    question_kinds: dict
    max_score: Decimal


def _draw(*, quiz, rng):
    """Pick and order the questions and choices of a new attempt of the quiz. One query."""
    questions = {}
    choices_by_question = defaultdict(list)
    for question_id, position, topic_id, points, kind, choice_id in (
        Choice.objects.filter(question__quiz=quiz, question__is_current=True)
        .order_by("position", "id")
        .values_list(
            "question_id", "question__position", "question__topic_id", "question__points", "question__kind", "id"
        )
    ):
        questions[question_id] = (position, topic_id, points, kind)
        choices_by_question[question_id].append(choice_id)
    question_ids = choose_questions(
        [(question_id, position, topic_id) for question_id, (position, topic_id, _p, _k) in questions.items()],
        count=quiz.questions_per_attempt,
        shuffle=quiz.shuffle_questions,
        rng=rng,
    )
    return _Draw(
        question_order=question_ids,
        choice_order={
            str(question_id): order_choices(choices_by_question[question_id], shuffle=quiz.shuffle_choices, rng=rng)
            for question_id in question_ids
        },
        question_kinds={str(question_id): questions[question_id][3] for question_id in question_ids},
        max_score=sum((questions[question_id][2] for question_id in question_ids), Decimal("0")),
    )


def _start_attempt_once(*, quiz, owner, now, draw):
    # One transaction from "is one in progress?" to the insert: a parallel start either sees this
    # attempt or fails on the unique constraints and retries, so it never counts it as used up.
    # Returns None after closing an overdue attempt in progress, for the caller to look again.
    with transaction.atomic():
        # One query answers "one in progress?", "any left?" and "which number is next?".
        totals = Attempt.objects.filter(quiz=quiz, **owner.attempt_filter()).aggregate(
            used=Count("id"),
            last_number=Max("number"),
            in_progress=Count("id", filter=Q(state=AttemptState.IN_PROGRESS)),
        )
        if not totals["in_progress"]:
            if attempts_left(max_attempts=quiz.max_attempts, used=totals["used"]) == 0:
                raise NoAttemptsLeft()
            return _create_attempt(quiz=quiz, owner=owner, now=now, draw=draw, number=(totals["last_number"] or 0) + 1)
        current = Attempt.objects.filter(quiz=quiz, state=AttemptState.IN_PROGRESS, **owner.attempt_filter()).first()
        if current is not None and not is_overdue(current, now=now):
            return current, False
    if current is None:
        return None  # closed by a parallel request since the count; look again
    # Rare: the attempt in progress ran out of time. It is closed in a transaction of its own, so it
    # stays closed even if no attempt is left after it.
    close_attempt(attempt_id=current.pk, state=AttemptState.EXPIRED, now=now)
    return None


def _create_attempt(*, quiz, owner, now, draw, number):
    """Insert a new attempt as drawn; runs inside the caller's transaction."""
    attempt = Attempt.objects.create(
        quiz=quiz,
        number=number,
        state=AttemptState.IN_PROGRESS,
        started_at=now,
        deadline=now + timedelta(seconds=quiz.time_limit_seconds) if quiz.time_limit_seconds else None,
        max_score=draw.max_score,
        question_order=draw.question_order,
        choice_order=draw.choice_order,
        question_kinds=draw.question_kinds,
        **owner.attempt_fields(),
    )
    # Review leaves out the quizzes a learner is taking.
    caching.learner_changed(owner.key)
    return attempt, True
