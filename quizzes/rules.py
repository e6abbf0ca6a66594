"""Pure rules about attempts that every surface asks: deadlines, how many attempts are left, and what a
closed attempt's review may reveal. Plain values in, plain values out; no ORM, no request.
"""

from datetime import timedelta

from django.conf import settings

from .models import AnswerVisibility, QuestionBehaviour


def grace_period():
    return timedelta(seconds=settings.QUIZSITE_DEADLINE_GRACE_SECONDS)


def is_overdue(attempt, *, now):
    """Whether an attempt's deadline, plus the grace for network latency, has passed."""
    return attempt.deadline is not None and now > attempt.deadline + grace_period()


def attempts_left(*, max_attempts, used):
    """How many attempts a learner may still start; None means unlimited."""
    if max_attempts is None:
        return None
    return max(0, max_attempts - used)


def reveal_counts_attempts(*, is_open, answer_visibility, max_attempts):
    """Whether reveals_answers for this attempt depends on the learner's other attempts ("after the last
    attempt" with a limit): then a later start or close changes it, so it is counted, and never cached."""
    return not is_open and answer_visibility == AnswerVisibility.AFTER_LAST_ATTEMPT and max_attempts is not None


def shows_answers_on_submission(answer_visibility):
    """Whether a quiz shows each closed attempt its answers as soon as it is submitted, whatever the
    learner's other attempts: what anyone who takes it sees, so what "submit it first" may promise."""
    return answer_visibility == AnswerVisibility.AFTER_SUBMISSION


def review_is_settled(*, is_open, answer_visibility, max_attempts):
    """Whether only a regrade or an edit can change a learner's review of this attempt: it is closed,
    and what it reveals does not wait for the learner's other attempts (reveal_counts_attempts)."""
    return not is_open and not reveal_counts_attempts(
        is_open=is_open, answer_visibility=answer_visibility, max_attempts=max_attempts
    )


def reveals_answers(*, is_open, answer_visibility, max_attempts, closed_attempts, attempts_in_progress):
    """Whether a learner's closed attempt may show anything per question.

    The one home of the quiz's answer-visibility rule: when it says no, a result shows the total
    score, percent and pass, and of each question only its text, its choices and the learner's own
    selection; no mark, correct choice, explanation, feedback or citation. `closed_attempts` and
    `attempts_in_progress` count the learner's attempts on the quiz: "after the last attempt" means
    after the last allowed one is closed, and never while one is in progress (a guest's attempts
    joining an account, or a lowered limit, can make the closed ones reach it meanwhile), so an open
    attempt cannot be answered from an older attempt's review.
    """
    if is_open:
        return False
    if shows_answers_on_submission(answer_visibility):
        return True
    if answer_visibility == AnswerVisibility.NEVER or max_attempts is None:
        # With unlimited attempts there is never a last one.
        return False
    return attempts_in_progress == 0 and closed_attempts >= max_attempts


def overall_feedback(*, bands, percent):
    """The text of the feedback band an attempt's percent falls in; None without bands or a percent.

    `bands` are (from_percent, text) pairs. A band covers [its bound, the next band's bound); the
    top band also covers 100, and a percent below every bound (no band from 0) gets none.
    """
    if percent is None:
        return None
    chosen = None
    for from_percent, text in sorted(bands, key=lambda band: band[0]):
        if percent < from_percent:
            break
        chosen = text
    return chosen


def choice_order_outside_attempts(*, shuffles_choices, choice_id, position):
    """Where a choice comes when shown outside an attempt (the quiz's page, review): its sort key.

    A quiz whose attempts shuffle their choices shows them by id: ids are random, so their order tells
    nothing, while the authored order (in which the right choice tends to come first) would. The others
    keep the authored order. An attempt shows the order it fixed when it started.
    """
    return (choice_id,) if shuffles_choices else (position, choice_id)


def may_show_in_review(*, answer_visibility, is_published, is_learners_version, is_quiz_in_progress):
    """Whether spaced review may show a question version, and once answered its answer key and sources.

    The learner's own version (answered when its quiz revealed the answers to them) unless its quiz
    now never shows answers; another language's version only from a published quiz that shows
    answers right after submission (what anyone who takes it sees). Never while any version of the
    question, in either language, is in a quiz the learner is taking (`is_quiz_in_progress`): review
    would answer the attempt in progress.
    """
    if is_quiz_in_progress or answer_visibility == AnswerVisibility.NEVER:
        return False
    return is_learners_version or (is_published and shows_answers_on_submission(answer_visibility))


def reveals_checked_question(*, is_open, behaviour, answer_visibility, is_locked):
    """Whether one question of an attempt in progress shows its review (mark, score, explanation, feedback, citations).

    Only once a check locked it, under a behaviour with checks (immediate or interactive), and on a
    quiz that shows answers at all; every other question of the attempt stays as reveals_answers says.
    """
    return (
        is_open
        and is_locked
        and behaviour in (QuestionBehaviour.IMMEDIATE, QuestionBehaviour.INTERACTIVE)
        and answer_visibility != AnswerVisibility.NEVER
    )


def shows_hint(*, is_open, behaviour, is_locked, tries_used):
    """Whether an open question shows the feedback of the wrong choices its last try chose: interactive, tried, not locked."""
    return is_open and behaviour == QuestionBehaviour.INTERACTIVE and not is_locked and tries_used > 0
