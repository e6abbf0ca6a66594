"""State changes of attempts: start, save an answer, submit, expire, regrade, and claim a guest's attempts.

Every change happens inside one transaction with the attempt row locked (on SQLite the IMMEDIATE
transaction serialises writers instead), and the database constraints in models.py are the last line
of defence against parallel requests. Errors are the domain errors in errors.py.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import zip_longest

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, FilteredRelation, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import caching, scoring
from .owners import Owner
from .rules import attempts_left
from .selectors.attempts import attempt_for_owner
from .errors import AttemptClosed, AttemptNotFound, DeadlinePassed, InvalidAnswer, NoAttemptsLeft, QuizError
from .models import Answer, Attempt, AttemptState, Choice, Question, QuestionKind, ScoreChange, Selection


# ---------------------------------------------------------------------------------------------
# Rules: each decided here and nowhere else.


def grace_period():
    return timedelta(seconds=settings.QUIZSITE_DEADLINE_GRACE_SECONDS)


def is_overdue(attempt, *, now):
    """Whether an attempt's deadline, plus the grace for network latency, has passed."""
    return attempt.deadline is not None and now > attempt.deadline + grace_period()


def close_if_overdue(attempt, *, owner, now=None):
    """The attempt, or, if its time ran out while nobody submitted, the same attempt scored and closed.

    Whoever reads an attempt in progress calls this, so the deadline holds even when no script
    submitted in time; it is scored from what was saved before the deadline.
    """
    if attempt.is_open and is_overdue(attempt, now=now or timezone.now()):
        return submit_attempt(attempt_id=attempt.pk, owner=owner, now=now)
    return attempt


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
    raise QuizError(_("Too many parallel requests; please try again."))


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
        Choice.objects.filter(question__quiz=quiz)
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
    _close_attempt(attempt_id=current.pk, state=AttemptState.EXPIRED, now=now)
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
    return attempt, True


# ---------------------------------------------------------------------------------------------
# Answering


@dataclass(frozen=True)
class AnswerInput:
    question_id: int
    choice_ids: tuple


def _lock_attempt(*, attempt_id, owner):
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz")
        .filter(pk=attempt_id, **owner.attempt_filter())
        .first()
    )
    if attempt is None:
        raise AttemptNotFound(_("No such attempt."))
    return attempt


def _validate_answers(attempt, answers):
    """Check answers against what the attempt showed; raises InvalidAnswer naming the problem.

    Needs no query: the attempt carries its questions, their choices and kinds from the start.
    """
    if len(answers) > len(attempt.question_order):
        raise InvalidAnswer(_("More answers than the attempt has questions."))
    question_ids = [answer.question_id for answer in answers]
    if len(set(question_ids)) != len(question_ids):
        raise InvalidAnswer(_("A question is answered more than once."))
    for answer in answers:
        shown_choices = attempt.choice_order.get(str(answer.question_id))
        if shown_choices is None:
            raise InvalidAnswer(_("Question %(id)s is not part of this attempt.") % {"id": answer.question_id})
        if len(set(answer.choice_ids)) != len(answer.choice_ids):
            raise InvalidAnswer(_("A choice is selected more than once."))
        foreign = sorted(set(answer.choice_ids) - set(shown_choices))
        if foreign:
            raise InvalidAnswer(
                _("Choice %(id)s does not belong to question %(question)s.")
                % {"id": foreign[0], "question": answer.question_id}
            )
        kind = attempt.question_kinds.get(str(answer.question_id))
        if kind != QuestionKind.MULTIPLE and len(answer.choice_ids) > 1:
            raise InvalidAnswer(
                _("Question %(question)s takes only one choice.") % {"question": answer.question_id}
            )


def _write_answers(attempt, answers, *, now):
    """Upsert answers with their selected choices, in one statement whatever the count."""
    if answers:
        Answer.objects.bulk_create(
            [
                Answer(attempt=attempt, question_id=answer.question_id, choice_ids=list(answer.choice_ids), saved_at=now)
                for answer in answers
            ],
            update_conflicts=True,
            unique_fields=["attempt", "question"],
            update_fields=["choice_ids", "saved_at"],
        )


def _guard_open(attempt, *, now):
    """Raise unless the attempt accepts answers; returns True if it is overdue and must be expired."""
    if attempt.state == AttemptState.EXPIRED:
        raise DeadlinePassed()
    if not attempt.is_open:
        raise AttemptClosed()
    return is_overdue(attempt, now=now)


def save_answer(*, attempt_id, owner, question_id, choice_ids, now=None):
    """Save (autosave) one answer while the attempt is in progress and before its deadline."""
    now = now or timezone.now()
    answer = AnswerInput(question_id=question_id, choice_ids=tuple(choice_ids))
    with transaction.atomic():
        attempt = _lock_attempt(attempt_id=attempt_id, owner=owner)
        overdue = _guard_open(attempt, now=now)
        if not overdue:
            _validate_answers(attempt, [answer])
            _write_answers(attempt, [answer], now=now)
            return attempt
    _close_attempt(attempt_id=attempt.pk, state=AttemptState.EXPIRED, now=now)
    raise DeadlinePassed()


def submit_attempt(*, attempt_id, owner, answers=(), now=None):
    """Save the given answers, then score and close the attempt exactly once."""
    now = now or timezone.now()
    answers = [AnswerInput(question_id=a.question_id, choice_ids=tuple(a.choice_ids)) for a in answers]
    # Reading the attempt and validating the answers need no lock, so they come before the write
    # transaction: on SQLite it holds the database's one write lock, and every other writer waits
    # for it. What an attempt showed and its deadline are fixed when it starts; only its state can
    # change meanwhile, and that is checked again under the lock.
    attempt = attempt_for_owner(attempt_id=attempt_id, owner=owner)
    overdue = _guard_open(attempt, now=now)
    if not overdue:
        _validate_answers(attempt, answers)
        # Answers to every shown question leave nothing saved to score, so the scoring keys (content)
        # are read before the lock too; otherwise they are read under it, with the saved answers.
        answers_everything = {answer.question_id for answer in answers} >= set(attempt.question_order)
        keys = _scoring_keys(attempt, with_saved_answers=False)[0] if answers_everything else None
        with transaction.atomic():
            attempt.state = _locked_state(attempt_id=attempt.pk, owner=owner)
            _guard_open(attempt, now=now)
            return _score_and_close(attempt, state=AttemptState.SUBMITTED, now=now, answers=answers, keys=keys)
    attempt = _close_attempt(attempt_id=attempt.pk, state=AttemptState.EXPIRED, now=now)
    if answers:
        raise DeadlinePassed()
    return attempt


def _locked_state(*, attempt_id, owner):
    """Lock the owner's attempt and return its state; raises AttemptNotFound."""
    state = (
        Attempt.objects.select_for_update()
        .filter(pk=attempt_id, **owner.attempt_filter())
        .values_list("state", flat=True)
        .first()
    )
    if state is None:
        # Claimed by an account since it was read: no longer this owner's.
        raise AttemptNotFound(_("No such attempt."))
    return state


# ---------------------------------------------------------------------------------------------
# Scoring and closing


def _scoring_keys(attempt, *, with_saved_answers):
    """The scoring key of each shown question that still exists, and the attempt's saved answers. One query.

    Returns ({question id: QuestionKey}, {question id: (choice ids, saved at)}), the second empty
    unless asked for. Saved answers are read by a caller holding the attempt's lock, in a statement
    of its own after taking it: on PostgreSQL a statement sees the rows committed before it started,
    so an answer saved just before the lock was granted is read (joined into the locking statement,
    it would be missed).
    """
    questions = Question.objects.filter(pk__in=attempt.question_order).order_by()
    fields = ["id", "kind", "points", "choices__id", "choices__is_correct"]
    if with_saved_answers:
        questions = questions.annotate(saved=FilteredRelation("answers", condition=Q(answers__attempt_id=attempt.pk)))
        fields += ["saved__choice_ids", "saved__saved_at"]
    heads, choice_ids, correct_ids, saved = {}, defaultdict(set), defaultdict(set), {}
    for question_id, kind, points, choice_id, is_correct, *answer in questions.values_list(*fields):
        heads[question_id] = (kind, points)
        if answer and answer[1] is not None:
            saved[question_id] = tuple(answer)
        if choice_id is not None:
            choice_ids[question_id].add(choice_id)
            if is_correct:
                correct_ids[question_id].add(choice_id)
    keys = {
        question_id: scoring.QuestionKey(
            kind=kind,
            points=points,
            choice_ids=frozenset(choice_ids[question_id]),
            correct_ids=frozenset(correct_ids[question_id]),
        )
        for question_id, (kind, points) in heads.items()
    }
    return keys, saved


def _record_grade(attempt, *, keys, saved, given=None, now):
    """Grade an attempt whose lock the caller holds and write it: each shown question's answer once.

    `keys` are the shown questions' scoring keys and `saved` maps question ids to (choice ids, saved
    at), both as _scoring_keys reads them under the lock; `given` maps
    question ids to choice ids that replace what was saved (the answers sent with a submit). The
    grade (scoring.grade_attempt) lands on the attempt's fields, for the caller to save; the Answer
    rows as written come back, so showing the result need not read them again.
    """
    given = given or {}
    selections = {question_id: choice_ids for question_id, (choice_ids, _saved_at) in saved.items()} | given
    grade = scoring.grade_attempt(
        question_order=attempt.question_order,
        keys=keys,
        selections=selections,
        pass_mark=attempt.quiz.pass_mark,
    )
    # Every question the attempt showed gets a scored answer, an unanswered one empty and worth 0, so
    # statistics count each shown question whether the learner used the form, the API or ran out of time.
    rows = [
        Answer(
            attempt=attempt,
            question_id=graded.question_id,
            choice_ids=list(graded.choice_ids),
            score=graded.score,
            saved_at=now if graded.question_id in given else saved.get(graded.question_id, ((), now))[1],
        )
        for graded in grade.questions
    ]
    written = Answer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["attempt", "question"],
        update_fields=["choice_ids", "score", "saved_at"],
        batch_size=500,
    )
    # A regrade writes the same selections again; they are kept as they are.
    Selection.objects.bulk_create(
        [Selection(answer=answer, choice_id=choice_id) for answer in written for choice_id in answer.choice_ids],
        batch_size=500,
        ignore_conflicts=True,
    )
    attempt.score, attempt.max_score, attempt.percent, attempt.passed = (
        grade.score, grade.max_score, grade.percent, grade.passed
    )
    return written


def _score_and_close(attempt, *, state, now, answers=(), keys=None):
    """Score and close an attempt whose lock the caller holds.

    `answers` (validated AnswerInput) replace what was saved for their questions; `keys` are the
    scoring keys when the caller read them because its answers cover every shown question (then
    nothing saved counts). The attempt comes back with `written_answers`, the Answer rows as
    written.
    """
    if keys is None:
        keys, saved = _scoring_keys(attempt, with_saved_answers=True)
    else:
        saved = {}
    written = _record_grade(
        attempt, keys=keys, saved=saved, given={answer.question_id: answer.choice_ids for answer in answers}, now=now
    )
    attempt.state = state
    attempt.submitted_at = now
    attempt.save(update_fields=["score", "max_score", "percent", "passed", "state", "submitted_at"])
    attempt.written_answers = written
    return attempt


def _close_attempt(*, attempt_id, state, now):
    """Score and close an attempt if it is still open; returns it either way."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt_id)
        if not attempt.is_open:
            return attempt
        return _score_and_close(attempt, state=state, now=now)


def expire_overdue_attempts(*, now=None):
    """Score and close every attempt whose deadline has passed; returns how many were closed."""
    now = now or timezone.now()
    overdue_ids = list(
        Attempt.objects.filter(
            state=AttemptState.IN_PROGRESS, deadline__lt=now - grace_period()
        ).values_list("id", flat=True)
    )
    closed = 0
    for attempt_id in overdue_ids:
        attempt = _close_attempt(attempt_id=attempt_id, state=AttemptState.EXPIRED, now=now)
        closed += attempt.submitted_at == now
    return closed


def regrade_quiz(*, quiz, changed_by, reason=""):
    """Rescore every closed attempt of a quiz after a correction; records each score that changed.

    Graded by the same _record_grade as submitting: the current answer key and points of the
    questions each attempt showed, over the choices it saved.
    """
    changes = []
    closed = Attempt.objects.filter(quiz=quiz).exclude(state=AttemptState.IN_PROGRESS).select_related("quiz")
    now = timezone.now()
    for attempt_id in closed.values_list("id", flat=True):
        with transaction.atomic():
            attempt = closed.select_for_update(of=("self",)).get(pk=attempt_id)
            old_score = attempt.score
            keys, saved = _scoring_keys(attempt, with_saved_answers=True)
            _record_grade(attempt, keys=keys, saved=saved, now=now)
            attempt.save(update_fields=["score", "max_score", "percent", "passed"])
            if attempt.score != old_score:
                changes.append(
                    ScoreChange(
                        attempt=attempt,
                        changed_by=changed_by,
                        old_score=old_score,
                        new_score=attempt.score,
                        reason=reason,
                    )
                )
    ScoreChange.objects.bulk_create(changes)
    # A regrade can move points between questions and keep every total, which a cached review's
    # key (its score) would not notice.
    caching.content_changed()
    return changes


# ---------------------------------------------------------------------------------------------
# Guests


def claim_guest_attempts(*, guest_key, user):
    """Move a guest's attempts to the account they just signed up or logged in with.

    Numbers continue after the user's own attempts on the same quiz; an attempt still in progress
    is kept only if the user has none in progress on that quiz.
    """
    if not guest_key:
        return 0
    now = timezone.now()
    with transaction.atomic():
        guest_attempts = list(
            Attempt.objects.select_for_update()
            .filter(**Owner(guest_key=guest_key).attempt_filter())
            .order_by("started_at")
        )
        quiz_ids = {attempt.quiz_id for attempt in guest_attempts}
        last_numbers = dict(
            Attempt.objects.filter(user=user, quiz_id__in=quiz_ids)
            .values("quiz_id")
            .annotate(last=Max("number"))
            .values_list("quiz_id", "last")
        )
        busy_quizzes = set(
            Attempt.objects.filter(user=user, quiz_id__in=quiz_ids, state=AttemptState.IN_PROGRESS).values_list(
                "quiz_id", flat=True
            )
        )
        for attempt in guest_attempts:
            if attempt.is_open and attempt.quiz_id in busy_quizzes:
                _score_and_close(attempt, state=AttemptState.EXPIRED, now=now)
            last_numbers[attempt.quiz_id] = last_numbers.get(attempt.quiz_id, 0) + 1
            attempt.number = last_numbers[attempt.quiz_id]
            attempt.user = user
            attempt.guest_key = ""
        for attempt in guest_attempts:
            attempt.save(update_fields=["number", "user", "guest_key"])
    return len(guest_attempts)
