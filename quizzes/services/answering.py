"""Answering an attempt: autosaving one answer, flagging questions to review, submitting, and closing an
attempt whose time ran out."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
# Lazy: an error is told in the language of the response it ends up in (the API's: quizzes/languages.py).
from django.utils.translation import gettext_lazy as _

from ..behaviours import offers_checks
from ..errors import AttemptClosed, AttemptNotFound, DeadlinePassed, InvalidAnswer, QuestionLocked, message_with
from ..models import Answer, Attempt, AttemptState, QuestionKind
from ..rules import is_overdue
from ..selectors.attempts import attempt_for_owner
from .grading import close_attempt, close_attempt_with_answers, score_and_close, scoring_keys
from .review import retried_when_fed_in_parallel


def close_if_overdue(attempt, *, owner, now=None):
    """The attempt, or, if its time ran out while nobody submitted, the same attempt scored and closed.

    Whoever reads an attempt in progress calls this, so the deadline holds even when no script
    submitted in time; it is scored from what was saved before the deadline.
    """
    if attempt.is_open and is_overdue(attempt, now=now or timezone.now()):
        return submit_attempt(attempt_id=attempt.pk, owner=owner, now=now)
    return attempt


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
            raise InvalidAnswer(message_with(_("Question %(id)s is not part of this attempt."), id=answer.question_id))
        if len(set(answer.choice_ids)) != len(answer.choice_ids):
            raise InvalidAnswer(_("A choice is selected more than once."))
        foreign = sorted(set(answer.choice_ids) - set(shown_choices))
        if foreign:
            raise InvalidAnswer(
                message_with(
                    _("Choice %(id)s does not belong to question %(question)s."), id=foreign[0], question=answer.question_id
                )
            )
        kind = attempt.question_kinds.get(str(answer.question_id))
        if kind != QuestionKind.MULTIPLE and len(answer.choice_ids) > 1:
            raise InvalidAnswer(
                message_with(_("Question %(question)s takes only one choice."), question=answer.question_id)
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


def _guard_not_locked(attempt, *, question_id):
    """Raise QuestionLocked if a check locked this question of a quiz with checks (one query, only there).

    Grading counts a locked question's last try whatever is saved later, so this is what tells the
    learner; a quiz without checks has nothing to lock and spends no query on it.
    """
    if offers_checks(attempt.quiz.behaviour) and (
        Answer.objects.filter(attempt=attempt, question_id=question_id, is_locked=True).exists()
    ):
        raise QuestionLocked()


def save_answer(*, attempt_id, owner, question_id, choice_ids, now=None):
    """Save (autosave) one answer while the attempt is in progress and before its deadline."""
    now = now or timezone.now()
    answer = AnswerInput(question_id=question_id, choice_ids=tuple(choice_ids))
    with transaction.atomic():
        attempt = _lock_attempt(attempt_id=attempt_id, owner=owner)
        overdue = _guard_open(attempt, now=now)
        if not overdue:
            _validate_answers(attempt, [answer])
            _guard_not_locked(attempt, question_id=question_id)
            _write_answers(attempt, [answer], now=now)
            return attempt
    close_attempt(attempt_id=attempt.pk, state=AttemptState.EXPIRED, now=now)
    raise DeadlinePassed()


def flag_questions(*, attempt_id, owner, flags, now=None):
    """Flag or unflag questions "to review" while the attempt is in progress; returns the flagged ids.

    `flags` maps question ids to True (flag) or False (unflag). Flags are the learner's reminders, not
    answers: nothing here touches an answer or a score, but a closed attempt refuses them as it
    refuses answers.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _lock_attempt(attempt_id=attempt_id, owner=owner)
        overdue = _guard_open(attempt, now=now)
        if not overdue:
            for question_id in flags:
                if str(question_id) not in attempt.choice_order:
                    raise InvalidAnswer(message_with(_("Question %(id)s is not part of this attempt."), id=question_id))
            flagged = {question_id for question_id in attempt.flagged_questions if flags.get(question_id) is not False}
            flagged |= {question_id for question_id, is_flagged in flags.items() if is_flagged}
            in_order = [question_id for question_id in attempt.question_order if question_id in flagged]
            if in_order != attempt.flagged_questions:
                Attempt.objects.filter(pk=attempt.pk).update(flagged_questions=in_order)
            return in_order
    close_attempt(attempt_id=attempt.pk, state=AttemptState.EXPIRED, now=now)
    raise DeadlinePassed()


def submit_attempt(*, attempt_id, owner, answers=(), now=None):
    """Save the given answers, then score and close the attempt exactly once; returns the attempt."""
    return submit_attempt_with_answers(attempt_id=attempt_id, owner=owner, answers=answers, now=now).attempt


@retried_when_fed_in_parallel
def submit_attempt_with_answers(*, attempt_id, owner, answers=(), now=None):
    """submit_attempt, returning a ClosedAttempt: the attempt and the Answer rows submitting wrote (or None)."""
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
        # A checked question's tries are saved, so a quiz with checks always reads them.
        answers_everything = not offers_checks(attempt.quiz.behaviour) and (
            {answer.question_id for answer in answers} >= set(attempt.question_order)
        )
        shown = scoring_keys(attempt, with_saved_answers=False) if answers_everything else None
        with transaction.atomic():
            attempt.state = _locked_state(attempt_id=attempt.pk, owner=owner)
            _guard_open(attempt, now=now)
            return score_and_close(attempt, state=AttemptState.SUBMITTED, now=now, answers=answers, shown=shown)
    closed = close_attempt_with_answers(attempt_id=attempt.pk, state=AttemptState.EXPIRED, now=now)
    if answers:
        raise DeadlinePassed()
    return closed


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
