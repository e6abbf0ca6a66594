"""Question behaviours, as pure rules: what a check does to a question (Moodle's immediate feedback and
interactive with multiple tries). Plain values in, plain values out; no ORM, no request.

- Deferred feedback: no checks; every answer is scored when the attempt closes.
- Immediate feedback: one check per question; it locks the question and scores it.
- Interactive with multiple tries: a check that is not fully right leaves the question open for
  another try, up to the quiz's number of tries; a right try or the last one locks it. Checking the
  same selection as the last try again is not a new try. Scores follow scoring.score_of_tries.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import scoring
from .models import QuestionBehaviour


def offers_checks(behaviour):
    """Whether a quiz's questions have a Check button."""
    return behaviour in (QuestionBehaviour.IMMEDIATE, QuestionBehaviour.INTERACTIVE)


def tries_allowed(*, behaviour, max_tries):
    """How many checks one question allows under a behaviour: 0 (deferred), 1 (immediate), the quiz's tries."""
    if behaviour == QuestionBehaviour.IMMEDIATE:
        return 1
    if behaviour == QuestionBehaviour.INTERACTIVE:
        return max(1, max_tries)
    return 0


def tries_left(*, behaviour, max_tries, tries_used, is_locked):
    """How many more checks a question allows."""
    if is_locked:
        return 0
    return max(0, tries_allowed(behaviour=behaviour, max_tries=max_tries) - tries_used)


@dataclass(frozen=True)
class CheckOutcome:
    """A question after a check: its tries, whether it is now locked, and its score once locked."""

    tries: tuple
    is_locked: bool
    tries_left: int
    score: Decimal | None
    is_new_try: bool


def check(key, *, behaviour, max_tries, penalty, tries, selection):
    """The outcome of checking `selection` on an open question that was tried `tries` before."""
    tries = tuple(tuple(one_try) for one_try in tries)
    selection = tuple(selection)
    is_new_try = not (tries and scoring.is_same_selection(tries[-1], selection))
    if is_new_try:
        tries += (selection,)
    allowed = tries_allowed(behaviour=behaviour, max_tries=max_tries)
    is_locked = len(tries) >= allowed or scoring.is_right(key, tries[-1])
    return CheckOutcome(
        tries=tries,
        is_locked=is_locked,
        tries_left=tries_left(behaviour=behaviour, max_tries=max_tries, tries_used=len(tries), is_locked=is_locked),
        score=scoring.score_of_tries(key, tries, penalty=penalty) if is_locked else None,
        is_new_try=is_new_try,
    )
