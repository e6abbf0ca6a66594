"""The scoring rules, as pure functions: plain data in, Decimal out. No ORM, no request.

- Single choice and true/false: full points only when exactly the correct choice is selected.
- Multiple choice with k correct of n choices: each selected correct choice earns points/k, each
  selected wrong choice costs points/(n - k); the question's score is floored at 0, so selecting
  everything never earns anything.
- Unanswered: 0.
- Tries (immediate and interactive behaviours, Moodle's interactive rule): the raw score of the last
  try minus penalty x points for each earlier try, floored at 0 (true/false: penalty 1, as in
  Moodle). Earlier tries are wrong ones (a right try locks the question); partly right counts as
  wrong. A question still open when the attempt closes counts its current selection as one more try
  when it differs from the last one.
- Percent = score / maximum * 100; passed when percent >= pass mark. The maximum is the points of
  the shown questions that still exist (grade_attempt, which every closing and regrade uses).

Arithmetic is exact (fractions) and rounded once per question, to cents.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"


@dataclass(frozen=True)
class QuestionKey:
    """What scoring needs to know about a question: its kind, points, and which choices are right."""

    kind: str
    points: Decimal
    choice_ids: frozenset
    correct_ids: frozenset


def to_cents(value) -> Decimal:
    """Round an exact value (Fraction, int or Decimal) half up to two decimal places."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def question_score(key: QuestionKey, selected_ids: Iterable) -> Decimal:
    """Score one answer to one question under the rules above."""
    return to_cents(_exact_score(key, selected_ids))


def _exact_score(key, selected_ids) -> Fraction:
    selected = frozenset(selected_ids)
    if not selected:
        return Fraction(0)
    points = Fraction(key.points)
    if key.kind in (SINGLE, TRUE_FALSE):
        return points if selected == key.correct_ids else Fraction(0)
    if key.kind != MULTIPLE:
        raise ValueError(f"Unknown question kind: {key.kind!r}")
    correct_count = len(key.correct_ids)
    wrong_count = len(key.choice_ids) - correct_count
    hits = len(selected & key.correct_ids)
    misses = len(selected - key.correct_ids)
    earned = points * hits / correct_count if correct_count else Fraction(0)
    lost = points * misses / wrong_count if wrong_count else Fraction(0)
    return max(Fraction(0), earned - lost)


def is_right(key: QuestionKey, selected_ids: Iterable) -> bool:
    """Whether a selection earns the question's full points; partly right is not right."""
    return _exact_score(key, selected_ids) >= Fraction(key.points)


def score_of_tries(key: QuestionKey, tries: Sequence, *, penalty) -> Decimal:
    """A checked question's score: the last try's raw score minus penalty x points per earlier try, floored at 0.

    A true-or-false question loses all its points to a wrong try, whatever the quiz's penalty, as
    Moodle fixes its penalty at 1: with two choices the second try cannot miss.
    """
    if not tries:
        return to_cents(0)
    raw = _exact_score(key, tries[-1])
    if key.kind == TRUE_FALSE:
        penalty = 1
    lost = Fraction(key.points) * Fraction(penalty) * (len(tries) - 1)
    return to_cents(max(Fraction(0), raw - lost))


def is_same_selection(first: Iterable, second: Iterable) -> bool:
    """Whether two tries selected the same choices (order does not matter)."""
    return frozenset(first) == frozenset(second)


def tries_at_closing(tries: Sequence, selection: Sequence, *, is_locked) -> tuple:
    """The tries that count when an attempt closes: an open question's new selection is one more try."""
    tries = tuple(tuple(one_try) for one_try in tries)
    if is_locked or not tries or not selection or is_same_selection(tries[-1], selection):
        return tries
    return tries + (tuple(selection),)


class Verdict:
    """How one answered question went, as a learner reads it on the result page."""

    RIGHT = "right"
    PARTLY_RIGHT = "partial"
    WRONG = "wrong"
    UNANSWERED = "unanswered"


def verdict_of(*, score: Decimal, points: Decimal, is_answered: bool) -> str:
    """The one rule for "right", "partly right", "wrong" and "not answered" of a revealed question."""
    if not is_answered:
        return Verdict.UNANSWERED
    if earns_full_points(score, points):
        return Verdict.RIGHT
    if score > 0:
        return Verdict.PARTLY_RIGHT
    return Verdict.WRONG


def verdict_of_answer(key: QuestionKey, selected) -> str:
    """verdict_of the choices given, before any penalty for earlier tries: an interactive question
    answered right on its third try is right, though it earns a third of its points."""
    return verdict_of(score=question_score(key, selected), points=key.points, is_answered=bool(selected))


def earns_full_points(score: Decimal, points: Decimal) -> bool:
    """Whether an answer is right: it earned the question's full points (partly right is not right)."""
    return score is not None and Decimal(score) >= Decimal(points)


def percent_of(score: Decimal, max_score: Decimal) -> Decimal:
    """Score as a percentage of the maximum, rounded to cents; 0 for an empty quiz."""
    if not max_score:
        return to_cents(0)
    return to_cents(Fraction(score) * 100 / Fraction(max_score))


def has_passed(percent: Decimal, pass_mark) -> bool:
    """Whether a percentage reaches the quiz's pass mark."""
    return Decimal(percent) >= Decimal(pass_mark)


@dataclass(frozen=True)
class GradedQuestion:
    """One shown question of a graded attempt: the selection that counts and the points it earned."""

    question_id: int
    choice_ids: tuple
    score: Decimal


@dataclass(frozen=True)
class Grade:
    """A closed attempt's grade: every shown question that still exists, and the totals."""

    questions: tuple
    score: Decimal
    max_score: Decimal
    percent: Decimal
    passed: bool


def grade_attempt(
    *, question_order: Sequence, keys: dict, selections: dict, pass_mark, checks=None, penalty=0
) -> Grade:
    """Grade a closing or regraded attempt: the one computation of its score, maximum, percent and pass.

    `keys` maps each shown question that still exists to its QuestionKey (a deleted one counts for
    nothing, in the score and in the maximum); `selections` maps question ids to the selected choice
    ids. A choice deleted since it was picked no longer counts. Every shown question gets a graded
    entry, an unanswered one with no choices and 0 points. `checks` maps the checked questions' ids to
    (tries, is_locked): a locked question counts its last try (whatever `selections` says), and its
    tries score by score_of_tries with `penalty`, as does an open question that was checked before.
    """
    checks = checks or {}
    graded, total, maximum = [], Decimal("0"), Decimal("0")
    for question_id in question_order:
        key = keys.get(question_id)
        if key is None:
            continue
        kept = tuple(choice_id for choice_id in selections.get(question_id, ()) if choice_id in key.choice_ids)
        tries, is_locked = checks.get(question_id, ((), False))
        tries = [[choice_id for choice_id in one_try if choice_id in key.choice_ids] for one_try in tries]
        if tries:
            tries = tries_at_closing(tries, kept, is_locked=is_locked)
            if is_locked:
                kept = tries[-1]
            score = score_of_tries(key, tries, penalty=penalty)
        else:
            score = question_score(key, kept)
        graded.append(GradedQuestion(question_id=question_id, choice_ids=kept, score=score))
        total += score
        maximum += key.points
    score = min(total, maximum)
    percent = percent_of(score, maximum)
    return Grade(
        questions=tuple(graded), score=score, max_score=maximum, percent=percent, passed=has_passed(percent, pass_mark)
    )


def overall_grade(percents_in_attempt_order: Sequence[Decimal], grading_method: str) -> Decimal | None:
    """A learner's overall grade on a quiz from their closed attempts, oldest first."""
    if not percents_in_attempt_order:
        return None
    if grading_method == "highest":
        return max(percents_in_attempt_order)
    if grading_method == "last":
        return percents_in_attempt_order[-1]
    if grading_method == "first":
        return percents_in_attempt_order[0]
    if grading_method == "average":
        total = sum((Fraction(p) for p in percents_in_attempt_order), Fraction(0))
        return to_cents(total / len(percents_in_attempt_order))
    raise ValueError(f"Unknown grading method: {grading_method!r}")
