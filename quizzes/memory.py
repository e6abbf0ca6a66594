"""Spaced review's scheduling rules, through FSRS (the `fsrs` package): plain values in, plain values out.

FSRS is the scheduler Anki ships since 23.10, used here with its default parameters. The rating
rule: an answer that earns full points rates Good; a wrong or only partly right one rates Again
(never Hard, which FSRS counts as a pass). The short-term steps are chosen for a quiz site:

- learning: one step of zero minutes. A question missed in a quiz is due at once (the miss in the
  quiz is the first step); answered right in review it graduates and is next due in days (about
  one), not in minutes. A question answered right in a quiz graduates at once (due in about two days).
- relearning: ten minutes. A question the learner knew, then misses in review, is due again soon.

FSRS accepts only datetimes in `datetime.timezone.utc`, so every time is converted here.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from fsrs import Card, Rating, Scheduler, State

LEARNING_STEPS = (timedelta(0),)
RELEARNING_STEPS = (timedelta(minutes=10),)

SCHEDULER = Scheduler(learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS)


@dataclass(frozen=True)
class Memory:
    """What FSRS knows about one question for one learner; `state` is fsrs.State's number."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def _utc(moment):
    return None if moment is None else moment.astimezone(timezone.utc)


def new_memory(*, now):
    """The memory of a question never reviewed: due at once."""
    return Memory(state=State.Learning.value, step=0, stability=None, difficulty=None, due=_utc(now), last_review=None)


def rating_for(*, is_right):
    """Good for an answer that earned full points, Again for a wrong or only partly right one."""
    return Rating.Good if is_right else Rating.Again


def _card(memory):
    # An explicit card id: fsrs otherwise derives one from the clock and sleeps a millisecond.
    return Card(
        card_id=1,
        state=State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=_utc(memory.due),
        last_review=_utc(memory.last_review),
    )


def review(memory, *, is_right, now):
    """The memory after one answer at `now`: when the question is next due, and how stable it is."""
    card, _log = SCHEDULER.review_card(_card(memory), rating_for(is_right=is_right), _utc(now))
    return Memory(
        state=card.state.value,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


# FSRS-6's forgetting curve, R(t, S) = (1 + FACTOR * t / S) ** DECAY, with the scheduler's own decay.
DECAY = -SCHEDULER.parameters[20]
FACTOR = 0.9 ** (1 / DECAY) - 1


def recall_chance(*, stability, last_review, now):
    """FSRS's retrievability: the predicted chance, 0 to 1, of recalling the question at `now`.

    The curve is the one fsrs's Scheduler.get_card_retrievability computes, with the time since the
    last review in fractional days rather than whole ones: a question missed this morning has lost
    some of its recall by the evening, while whole days would still say it is certain.
    """
    if stability is None or last_review is None:
        return 0.0
    elapsed_days = max(0.0, (_utc(now) - _utc(last_review)).total_seconds() / 86400)
    return (1 + FACTOR * elapsed_days / stability) ** DECAY
