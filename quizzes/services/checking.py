"""Checking one question during an attempt (immediate and interactive behaviours): record the try, lock
the question when the behaviour says so, and score it then.

The guards are submitting's: the attempt is locked, must be open and in time (with the grace), and
the choices must be the question's as the attempt showed them. What a check does is the pure rule
behaviours.check; the score of a locked question is scoring.score_of_tries, which grading uses again
when the attempt closes or is regraded.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
# Lazy: an error is told in the language of the response it ends up in (the API's: quizzes/languages.py).
from django.utils.translation import gettext_lazy as _

from .. import behaviours, caching, rules, scoring
from ..errors import ChecksNotOffered, DeadlinePassed, InvalidAnswer, QuestionLocked
from ..models import Answer, AttemptState
from .answering import AnswerInput, _guard_open, _lock_attempt, _validate_answers
from ..owners import Owner
from . import review
from .grading import close_attempt, scoring_keys


@dataclass(frozen=True)
class CheckedAnswer:
    """One question after a check.

    `is_locked` with `score` and `is_right` is the graded result: once locked, the question's checked
    answer (its last try, `choice_ids`), its score (after penalties) and whether that try earned full
    points are final for this attempt (spaced review can take it from here: `locked_result`).
    """

    attempt_id: object
    question_id: int
    choice_ids: tuple
    tries: tuple
    tries_used: int
    tries_left: int
    is_locked: bool
    score: Decimal | None
    is_right: bool
    is_new_try: bool

    @property
    def locked_result(self):
        """(question id, is right, score) once this check locked the question; None while it is open."""
        return (self.question_id, self.is_right, self.score) if self.is_locked else None


@review.retried_when_fed_in_parallel
def check_answer(*, attempt_id, owner, question_id, choice_ids, now=None):
    """Check one question's selection; returns a CheckedAnswer. Two parallel checks count once."""
    now = now or timezone.now()
    answer = AnswerInput(question_id=question_id, choice_ids=tuple(choice_ids))
    with transaction.atomic():
        attempt = _lock_attempt(attempt_id=attempt_id, owner=owner)
        overdue = _guard_open(attempt, now=now)
        if not overdue:
            return _check_locked_attempt(attempt, answer, now=now)
    close_attempt(attempt_id=attempt.pk, state=AttemptState.EXPIRED, now=now)
    raise DeadlinePassed()


def _check_locked_attempt(attempt, answer, *, now):
    quiz = attempt.quiz
    if not behaviours.offers_checks(quiz.behaviour):
        raise ChecksNotOffered()
    _validate_answers(attempt, [answer])
    if not answer.choice_ids:
        raise InvalidAnswer(_("Select an answer before checking it."))
    key, lineage, tries, is_locked = _scoring_key_and_tries(attempt, question_id=answer.question_id)
    if is_locked:
        raise QuestionLocked()
    outcome = behaviours.check(
        key,
        behaviour=quiz.behaviour,
        max_tries=quiz.max_tries,
        penalty=quiz.penalty,
        tries=tries,
        selection=answer.choice_ids,
    )
    # One upsert statement, as autosave writes.
    Answer.objects.bulk_create(
        [
            Answer(
                attempt=attempt,
                question_id=answer.question_id,
                choice_ids=list(answer.choice_ids),
                saved_at=now,
                tries=[list(one_try) for one_try in outcome.tries],
                checked_at=now,
                is_locked=outcome.is_locked,
                score=outcome.score,
            )
        ],
        update_conflicts=True,
        unique_fields=["attempt", "question"],
        update_fields=["choice_ids", "saved_at", "tries", "checked_at", "is_locked", "score"],
    )
    if outcome.is_locked and rules.reveals_checked_question(
        is_open=True, behaviour=quiz.behaviour, answer_visibility=quiz.answer_visibility, is_locked=True
    ):
        # The learner has just seen this question's answer key: review takes it from here, and the
        # attempt's closing leaves it out (review.remember_closed_attempt).
        review.remember_answers(
            owner=Owner.of_attempt(attempt),
            answers=[
                review.RememberedAnswer(
                    question_id=answer.question_id, is_right=scoring.earns_full_points(outcome.score, key.points)
                )
            ],
            now=now,
            slots=review.memory_slots([lineage]),
        )
        # The progress page's recall per topic reads this memory (review leaves it out meanwhile).
        caching.learner_changed(Owner.of_attempt(attempt).key)
    return CheckedAnswer(
        attempt_id=attempt.pk,
        question_id=answer.question_id,
        choice_ids=answer.choice_ids,
        tries=outcome.tries,
        tries_used=len(outcome.tries),
        tries_left=outcome.tries_left,
        is_locked=outcome.is_locked,
        score=outcome.score,
        is_right=scoring.is_right(key, outcome.tries[-1]),
        is_new_try=outcome.is_new_try,
    )


def _scoring_key_and_tries(attempt, *, question_id):
    """(scoring key, lineage, tries, is locked) of one question, in one statement; InvalidAnswer if it was deleted.

    Read under the attempt's lock, in a statement of its own (see grading.scoring_keys): a parallel
    check of the same question waits for the lock and then sees this one's try.
    """
    shown = scoring_keys(attempt, with_saved_answers=True, question_ids=[question_id])
    if question_id not in shown.keys:
        raise InvalidAnswer(_("This question is no longer part of the quiz."))
    _choice_ids, _saved_at, tries, is_locked = shown.saved.get(question_id, ((), None, [], False))
    (lineage,) = shown.lineages
    return shown.keys[question_id], lineage, tries or [], bool(is_locked)
