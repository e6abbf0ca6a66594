"""Grading: the one writer of an attempt's score, used when it closes (submitted, expired, claimed) and
when a quiz is regraded. The arithmetic is scoring.grade_attempt's."""

from collections import defaultdict
from typing import NamedTuple

from django.db import transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from .. import caching, scoring
from ..models import CLOSED_STATES, Answer, Attempt, AttemptState, Question, ScoreChange, Selection
from ..owners import Owner
from ..reports import tallies
from ..rules import grace_period
from . import review, versions


class ShownQuestions(NamedTuple):
    """What grading and review read of an attempt's shown questions, in one query (scoring_keys)."""

    keys: dict  # {question id: scoring.QuestionKey}
    saved: dict  # {question id: (choice ids, saved at, tries, is locked)}, empty unless asked for
    lineages: list  # review.QuestionLineage per question: where review remembers an answer to it


def scoring_keys(attempt, *, with_saved_answers, question_ids=None):
    """The scoring key of each shown question (or of `question_ids`) that still exists, the attempt's saved
    answers, and each question's lineage for review: a ShownQuestions. One query.

    Saved answers are read by a caller holding the attempt's lock, in a statement of its own after
    taking it: on PostgreSQL a statement sees the rows committed before it started, so an answer
    saved just before the lock was granted is read (joined into the locking statement, it would be
    missed).
    """
    questions = Question.objects.filter(
        pk__in=attempt.question_order if question_ids is None else question_ids
    ).order_by()
    fields = ["id", "kind", "points", *review.LINEAGE_FIELDS, "choices__id", "choices__is_correct"]
    if with_saved_answers:
        questions = questions.annotate(saved=FilteredRelation("answers", condition=Q(answers__attempt_id=attempt.pk)))
        fields += ["saved__choice_ids", "saved__saved_at", "saved__tries", "saved__is_locked"]
    heads, lineages, choice_ids, correct_ids, saved = {}, {}, defaultdict(set), defaultdict(set), {}
    lineage_width = len(review.LINEAGE_FIELDS)
    for question_id, kind, points, *row in questions.values_list(*fields):
        lineage, (choice_id, is_correct, *answer) = row[:lineage_width], row[lineage_width:]
        if question_id not in heads:  # one row per choice: the question's own columns repeat
            heads[question_id] = (kind, points)
            lineages[question_id] = review.QuestionLineage(question_id, *lineage)
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
    return ShownQuestions(keys=keys, saved=saved, lineages=list(lineages.values()))


def _record_grade(attempt, *, keys, saved, given=None, now):
    """Grade an attempt whose lock the caller holds and write it: each shown question's answer once.

    `keys` are the shown questions' scoring keys and `saved` maps question ids to (choice ids, saved
    at, tries, is locked), both as scoring_keys reads them under the lock; `given` maps
    question ids to choice ids that replace what was saved (the answers sent with a submit), except
    on a question a check locked, whose last try counts (scoring.grade_attempt). The
    grade (scoring.grade_attempt) lands on the attempt's fields, for the caller to save; the Answer
    rows as written come back, so showing the result need not read them again.
    """
    given = given or {}
    selections = {question_id: choice_ids for question_id, (choice_ids, *_rest) in saved.items()} | given
    checks = {
        question_id: (tries, is_locked) for question_id, (_choices, _saved_at, tries, is_locked) in saved.items() if tries
    }
    grade = scoring.grade_attempt(
        question_order=attempt.question_order,
        keys=keys,
        selections=selections,
        pass_mark=attempt.quiz.pass_mark,
        checks=checks,
        penalty=attempt.quiz.penalty,
    )
    rows = answer_rows(
        attempt,
        grade,
        saved_at_of=lambda question_id: now if question_id in given else saved.get(question_id, ((), now))[1],
    )
    written = Answer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["attempt", "question"],
        update_fields=["choice_ids", "score", "saved_at"],
        batch_size=500,
    )
    for answer in written:
        # The rows as they now stand, for those who read them next (review skips a locked question).
        answer.is_locked = answer.question_id in checks and bool(checks[answer.question_id][1])
    # A regrade writes the same selections again; they are kept as they are.
    Selection.objects.bulk_create(selection_rows(written), batch_size=500, ignore_conflicts=True)
    put_grade_on(attempt, grade)
    return written


def answer_rows(attempt, grade, *, saved_at_of):
    """The Answer rows a grade (scoring.grade_attempt) writes, unsaved: one per question the attempt showed.

    An unanswered question gets an empty answer worth 0, so statistics count each shown question whether
    the learner used the form, the API or ran out of time. The tries and the lock of a checked question
    are not here: they stay as the checks wrote them. Closing and regrading write these, and so does
    the generated demo data, in bulk.
    """
    return [
        Answer(
            attempt=attempt,
            question_id=graded.question_id,
            choice_ids=list(graded.choice_ids),
            score=graded.score,
            saved_at=saved_at_of(graded.question_id),
        )
        for graded in grade.questions
    ]


def selection_rows(answers):
    """A Selection row per choice of each answer (saved, so with its id)."""
    return [
        Selection(answer_id=answer.pk, choice_id=choice_id) for answer in answers for choice_id in answer.choice_ids
    ]


def put_grade_on(attempt, grade):
    """The grade's score, maximum, percent and pass on the attempt's fields, for the caller to save."""
    attempt.score, attempt.max_score, attempt.percent, attempt.passed = (
        grade.score, grade.max_score, grade.percent, grade.passed
    )


class ClosedAttempt(NamedTuple):
    """An attempt as closing left it, and the Answer rows closing wrote (None when it was closed already)."""

    attempt: Attempt
    written_answers: list | None


def score_and_close(attempt, *, state, now, answers=(), shown=None):
    """Score and close an attempt whose lock the caller holds; returns a ClosedAttempt.

    `answers` (validated AnswerInput) replace what was saved for their questions; `shown` is what
    scoring_keys read without the saved answers, when the caller read it because its answers cover
    every shown question (then nothing saved counts). The Answer rows as written come back beside
    the attempt, so showing its result need not read them again.
    """
    if shown is None:
        shown = scoring_keys(attempt, with_saved_answers=True)
    keys = shown.keys
    written = _record_grade(
        attempt,
        keys=keys,
        saved=shown.saved,
        given={answer.question_id: answer.choice_ids for answer in answers},
        now=now,
    )
    attempt.state = state
    attempt.submitted_at = now
    attempt.save(update_fields=["score", "max_score", "percent", "passed", "state", "submitted_at"])
    tallies.count_closed(attempt, answers=written, keys=keys)
    review.remember_closed_attempt(attempt, answers=written, keys=keys, lineages=shown.lineages, now=now)
    # Review shows the quiz's questions again once the learner no longer takes it.
    caching.learner_changed(Owner.of_attempt(attempt).key)
    return ClosedAttempt(attempt=attempt, written_answers=written)


def close_attempt(*, attempt_id, state, now):
    """Score and close an attempt if it is still open; returns it either way."""
    return close_attempt_with_answers(attempt_id=attempt_id, state=state, now=now).attempt


@review.retried_when_fed_in_parallel
def close_attempt_with_answers(*, attempt_id, state, now):
    """Score and close an attempt if it is still open; a ClosedAttempt either way."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt_id)
        if not attempt.is_open:
            return ClosedAttempt(attempt=attempt, written_answers=None)
        return score_and_close(attempt, state=state, now=now)


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
        attempt = close_attempt(attempt_id=attempt_id, state=AttemptState.EXPIRED, now=now)
        closed += attempt.submitted_at == now
    return closed


def regrade_quiz(*, quiz, changed_by, reason=""):
    """Rescore every closed attempt of a quiz after a correction; records each score that changed.

    Graded by the same _record_grade as submitting: the answer key of the version of each question
    each attempt showed, and the question's points, over the choices it saved.
    """
    closed = Attempt.objects.filter(quiz=quiz, state__in=CLOSED_STATES)
    attempt_ids = list(closed.values_list("id", flat=True))
    return _regrade(quiz=quiz, attempt_ids=attempt_ids, changed_by=changed_by, reason=reason)


def regrade_onto_version(*, shown, onto, changed_by, reason=""):
    """Move the closed attempts that showed version `shown` of a question onto version `onto`, and regrade them.

    The editor's choice after correcting a question (Moodle's "regrade to the latest version"): those
    attempts then show, and are graded against, `onto`, each choice standing for the choice at the
    same position. Raises VersionsDoNotMatch unless both are versions of one question with choices at
    the same positions. Attempts in progress keep the version they show.
    """
    choice_map = versions.matching_choices(shown=shown, onto=onto)
    closed = Attempt.objects.filter(quiz_id=shown.quiz_id, state__in=CLOSED_STATES)
    showing = [
        attempt_id for attempt_id, order in closed.values_list("id", "question_order").iterator() if shown.pk in order
    ]

    def move(attempt):
        versions.move_attempt(attempt, shown=shown.pk, onto=onto.pk, choice_map=choice_map)

    return _regrade(quiz=shown.quiz, attempt_ids=showing, changed_by=changed_by, reason=reason, before_grading=move)


def _regrade(*, quiz, attempt_ids, changed_by, reason, before_grading=None):
    changes = []
    closed = Attempt.objects.filter(state__in=CLOSED_STATES).select_related("quiz")
    now = timezone.now()
    for attempt_id in attempt_ids:
        with transaction.atomic():
            attempt = closed.select_for_update(of=("self",)).get(pk=attempt_id)
            old_score = attempt.score
            if before_grading is not None:
                before_grading(attempt)
            shown = scoring_keys(attempt, with_saved_answers=True)
            _record_grade(attempt, keys=shown.keys, saved=shown.saved, now=now)
            attempt.save(update_fields=["score", "max_score", "percent", "passed"])
            # Its owner's cached result goes with the commit of its new grade, not at the regrade's end.
            caching.learner_changed(Owner.of_attempt(attempt).key)
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
    # Scores may have moved between questions and percents: the report tallies are counted again.
    tallies.rebuild(quiz_id=quiz.pk)
    # What shows the quiz's grades beside the learners' own reads (statistics, reports) starts afresh.
    caching.content_changed()
    return changes
