"""Reads of the checks of an attempt in progress (immediate and interactive behaviours).

Each question's state (tries used and left, locked), and what rules.py lets it show: a locked
question its own review, an open interactive question after a wrong try the feedback of the wrong
choices it chose. Nothing about a question that was not checked.
"""

from .. import behaviours, rules, scoring
from ..models import Answer
from .attempts import question_results
from .shapes import QuestionCheck


def question_checks(*, attempt):
    """QuestionCheck of each shown question, in the attempt's order; None for a quiz without checks.

    At most two queries: the answers' tries, and the reviews of the questions that were checked.
    """
    quiz = attempt.quiz
    if not behaviours.offers_checks(quiz.behaviour):
        return None
    rows = {
        question_id: (choice_ids, tries, is_locked, score)
        for question_id, choice_ids, tries, is_locked, score in Answer.objects.filter(
            attempt_id=attempt.pk, checked_at__isnull=False
        ).values_list("question_id", "choice_ids", "tries", "is_locked", "score")
    }
    return checks_of(attempt=attempt, rows=rows)


def checks_of(*, attempt, rows, question_ids=None):
    """QuestionCheck of each shown question (or of `question_ids`) from `rows`: question id -> (choice ids,
    tries, is locked, score); None for a quiz without checks. At most one query."""
    quiz = attempt.quiz
    if not behaviours.offers_checks(quiz.behaviour):
        return None
    revealed, hinted = {}, set()
    for question_id, (choice_ids, tries, is_locked, score) in rows.items():
        if rules.reveals_checked_question(
            is_open=attempt.is_open, behaviour=quiz.behaviour, answer_visibility=quiz.answer_visibility,
            is_locked=is_locked,
        ):
            revealed[question_id] = (score, choice_ids)
        elif rules.shows_hint(is_open=attempt.is_open, behaviour=quiz.behaviour, is_locked=is_locked, tries_used=len(tries)):
            hinted.add(question_id)
    reviews = {}
    if revealed or hinted:
        # One query for both: a hint needs the chosen choices' correctness and feedback, nothing more.
        held = revealed | {question_id: (None, rows[question_id][1][-1]) for question_id in hinted}
        reviews = {
            result.question: result
            for result in question_results(attempt=attempt, question_ids=list(held), is_revealed=True, held=held)
        }
    checks = []
    for question_id in attempt.question_order if question_ids is None else question_ids:
        _choices, tries, is_locked, score = rows.get(question_id, ((), [], False, None))
        review = reviews.get(question_id)
        hint = None
        if question_id in hinted and review is not None:
            wrong = set(review.selected) - set(review.correct)
            hint = tuple(item for item in review.feedback if item.choice in wrong)
        is_revealed = question_id in revealed and review is not None
        verdict = review.verdict if is_revealed else None
        checks.append(
            QuestionCheck(
                question=question_id,
                tries_used=len(tries),
                tries_left=behaviours.tries_left(
                    behaviour=quiz.behaviour, max_tries=quiz.max_tries, tries_used=len(tries), is_locked=is_locked
                ),
                is_locked=is_locked,
                score=score if is_revealed else None,
                is_right=verdict == scoring.Verdict.RIGHT if is_revealed else None,
                verdict=verdict,
                hint=hint,
                review=review if is_revealed else None,
            )
        )
    return checks
