"""Spaced review: remembering answered questions, and a guest's memory joining their account. The
scheduling is memory.py's (FSRS); answering in review is review_answers.py's."""

import functools
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from .. import memory, scoring
from ..models import (
    CLOSED_STATES,
    MEMORY_STATE_ONE_PER_OWNER_AND_KEY,
    QUESTION_MEMORY_KEY,
    Answer,
    AnswerVisibility,
    MemoryState,
    Question,
)
from ..owners import Owner
from ..selectors.attempts import reveals_answers

MEMORY_FIELDS = ("question_id", "quiz_id", "state", "step", "stability", "difficulty", "due", "last_review")


@dataclass(frozen=True)
class RememberedAnswer:
    """One answer review learns from: which question, and whether it earned full points."""

    question_id: int
    is_right: bool


def memory_of(state):
    """A MemoryState's scheduling fields as a memory.Memory (apply_memory sets them from one)."""
    return memory.Memory(
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def apply_memory(state, remembered):
    """Set a MemoryState's scheduling fields from a memory.Memory."""
    state.state, state.step, state.stability, state.difficulty, state.due, state.last_review = (
        remembered.state, remembered.step, remembered.stability, remembered.difficulty, remembered.due,
        remembered.last_review,
    )


@dataclass(frozen=True)
class MemorySlot:
    """Where an answer to one question is remembered: the memory key its versions and languages
    share, and the quiz and version review shows (the current one)."""

    key: str
    quiz_id: int
    question_id: int


@dataclass(frozen=True)
class QuestionLineage:
    """A shown question's columns that name its memory slot, as the scoring keys' query reads them."""

    question_id: int
    quiz_id: int
    translation_key: str
    first_version_id: int | None
    is_current: bool
    version_key: str


LINEAGE_FIELDS = ("quiz_id", "translation_key", "first_version_id", "is_current", "key")


def memory_slots(lineages):
    """{question id: MemorySlot} of QuestionLineage values; a query only if one is an earlier version.

    An answer to an earlier version (an attempt that showed it closing late) is remembered under
    the current one, which review shows.
    """
    earlier = [lineage for lineage in lineages if not lineage.is_current]
    current_ids = {}
    if earlier:
        same_question = Q()
        for lineage in earlier:
            same_question |= Q(quiz_id=lineage.quiz_id, key=lineage.version_key)
        current = Question.objects.current().filter(same_question).values_list("quiz_id", "key", "pk")
        current_ids = {(quiz_id, key): pk for quiz_id, key, pk in current}
    return {
        lineage.question_id: MemorySlot(
            key=MemoryState.key_of(
                lineage_id=Question.lineage_of(pk=lineage.question_id, first_version_id=lineage.first_version_id),
                translation_key=lineage.translation_key,
            ),
            quiz_id=lineage.quiz_id,
            question_id=current_ids.get((lineage.quiz_id, lineage.version_key), lineage.question_id),
        )
        for lineage in lineages
    }


def _read_memory_slots(question_ids):
    rows = Question.objects.filter(pk__in=question_ids).order_by().values_list("id", *LINEAGE_FIELDS)
    return memory_slots([QuestionLineage(*row) for row in rows])


def _memories(owner, keys):
    """{memory key: memory.Memory} of the owner's states under `keys`, locked until the caller commits.

    One query on the (owner, key) index. The state of a key may have been written for the question's
    other language or another version, so two closings (a German and an English attempt), a check
    and a review answer of one learner may feed one state at once: on PostgreSQL the rows are locked
    and a parallel closing or check waits, then reads what this one wrote; a review answer's write
    then finds the state changed and schedules it again under the lock (services/review_answers.py).
    They are locked in key order, so two transactions that each lock their states once cannot
    deadlock: a closing feeds everything it feeds in one _remember_in_order. SQLite runs one write
    transaction at a time.
    """
    states = (
        MemoryState.objects.select_for_update()
        .filter(owner=owner.key, key__in=keys)
        .order_by("key")
        .values_list("key", "state", "step", "stability", "difficulty", "due", "last_review")
    )
    return {key: memory.Memory(*fields) for key, *fields in states}


class FedInParallel(Exception):
    """A parallel transaction wrote the first memory of a key this one had found none of. This
    transaction is rolled back; run again, it reads that memory (retried_when_fed_in_parallel)."""


def _is_parallel_first_feed(error):
    # PostgreSQL names the constraint an insert broke. SQLite runs one write transaction at a time,
    # so there a broken constraint is never a parallel feed, and it is raised as it is.
    diagnostics = getattr(error.__cause__, "diag", None)
    return getattr(diagnostics, "constraint_name", None) == MEMORY_STATE_ONE_PER_OWNER_AND_KEY


# Runs of a service whose feed clashes: a clash needs another transaction's first feed of the same
# key at the same moment, and the run after it finds that key's row, so a second clash needs yet
# another first feed of another of its new keys meanwhile.
RUNS_WHEN_FED_IN_PARALLEL = 3


def retried_when_fed_in_parallel(service):
    """Run `service` again if a parallel transaction fed a memory state it was creating.

    A row lock needs a row, so two first answers to one question (its German and its English
    version, say) cannot wait for each other the way later answers do (_memories): the second
    insert fails instead, and the service runs again from its start, with the same arguments (so
    not an iterator), up to RUNS_WHEN_FED_IN_PARALLEL times in all; the last run's clash is
    raised. It wraps the service whose transaction feeds review, outermost, so that each run starts
    a transaction afresh.
    """

    @functools.wraps(service)
    def run(*args, **kwargs):
        for _earlier_run in range(RUNS_WHEN_FED_IN_PARALLEL - 1):
            try:
                return service(*args, **kwargs)
            except FedInParallel:
                pass  # rolled back; the next run reads what the parallel feed wrote
        return service(*args, **kwargs)

    return run


def remember_answers(*, owner, answers, now, slots=None):
    """Schedule the memory state of each answered question (in a closed attempt, or a locked check).

    A right answer rates Good, any other Again (memory.py). `slots` ({question id: MemorySlot}) come
    with the content the caller has read (grading.scoring_keys); without them they are read here.
    Two queries whatever the number of answers: the owner's states for the answers' keys, and one
    write, or two when some of the states are new and some not (one query more to read the slots when
    not given). It runs in the caller's transaction, which retried_when_fed_in_parallel must wrap:
    it may raise FedInParallel.
    """
    _remember_in_order(owner=owner, batches=[(now, list(answers))], slots=slots)


def _remember_in_order(*, owner, batches, slots=None):
    """Feed [(time, [RememberedAnswer])] oldest first, each answer at its batch's time: one read, one
    write each of the states updated and of the states created."""
    question_ids = {answer.question_id for _at, answers in batches for answer in answers}
    if not question_ids:
        return
    if slots is None:
        slots = _read_memory_slots(question_ids)
    memories = _memories(owner, {slots[question_id].key for question_id in question_ids if question_id in slots})
    memories_read = set(memories)
    written = {}
    for at, answers in batches:
        for answer in answers:
            slot = slots.get(answer.question_id)
            if slot is None:
                continue  # deleted since
            before = memories.get(slot.key) or memory.new_memory(now=at)
            memories[slot.key] = after = memory.review(before, is_right=answer.is_right, now=at)
            # Written without a primary key, so that the upsert below finds the existing row by
            # (owner, key). The version last answered is the one shown when the learner's language has none.
            state = MemoryState(
                owner=owner.key, user_id=owner.user_id, key=slot.key, question_id=slot.question_id, quiz_id=slot.quiz_id
            )
            apply_memory(state, after)
            written[slot.key] = state
    updated = [state for key, state in written.items() if key in memories_read]
    if updated:
        MemoryState.objects.bulk_create(
            updated, update_conflicts=True, unique_fields=["owner", "key"], update_fields=list(MEMORY_FIELDS)
        )
    # Created in key order too: two first feeds of the same keys then wait for each other's insert
    # instead of each holding one key the other waits for.
    created = sorted((state for key, state in written.items() if key not in memories_read), key=lambda state: state.key)
    if created:
        try:
            MemoryState.objects.bulk_create(created)
        except IntegrityError as error:
            if _is_parallel_first_feed(error):
                raise FedInParallel() from error
            raise


def _earlier_attempts_to_feed(attempt, *, owner):
    """([(time closed, [RememberedAnswer])] oldest first, [QuestionLineage]) of the learner's earlier
    closed attempts on the quiz; ([], []) when there is nothing to feed.

    Only the closing that first reveals them feeds them: when the learner's memory of the quiz's
    questions was written since the first of them closed, they were fed already (an editor raised
    the limit after an earlier reveal), and are not fed twice.
    """
    earlier = list(
        Answer.objects.filter(
            attempt__quiz_id=attempt.quiz_id, attempt__state__in=CLOSED_STATES, **owner.attempt_filter(prefix="attempt__")
        )
        .exclude(attempt_id=attempt.pk)
        # A question locked by a check was fed to review when it was checked.
        .exclude(is_locked=True)
        .order_by("attempt__submitted_at", "attempt_id")
        .values_list(
            "attempt_id", "attempt__submitted_at", "question_id", "score", "question__points",
            *(f"question__{field}" for field in LINEAGE_FIELDS),
        )
    )
    if not earlier:
        return [], []
    quiz_keys = Question.objects.filter(quiz_id=attempt.quiz_id).order_by().annotate(memory_key=QUESTION_MEMORY_KEY)
    quiz_keys = quiz_keys.values("memory_key")
    fed_since = MemoryState.objects.filter(owner=owner.key, key__in=quiz_keys, last_review__gte=earlier[0][1])
    if fed_since.exists():
        return [], []
    by_attempt, lineages = {}, {}
    for attempt_id, closed_at, question_id, score, points, *lineage in earlier:
        by_attempt.setdefault((closed_at, attempt_id), []).append(
            RememberedAnswer(question_id=question_id, is_right=scoring.earns_full_points(score, points))
        )
        lineages[question_id] = QuestionLineage(question_id, *lineage)
    batches = [(closed_at, remembered) for (closed_at, _attempt_id), remembered in by_attempt.items()]
    return batches, list(lineages.values())


def remember_closed_attempt(attempt, *, answers, keys, lineages, now):
    """Feed a just-closed attempt to review, if and once its quiz reveals the answers to this learner.

    `answers` are the Answer rows as written, `keys` the scoring keys (for the points) and `lineages`
    the shown questions' QuestionLineage, both from grading.scoring_keys. Every shown question
    counts, an unanswered one as a miss, but one locked by a check: that fed review then. A quiz that
    shows answers only after the last attempt feeds every closed attempt on it then, oldest first,
    each at the time it closed (once: see _earlier_attempts_to_feed); one that never shows them
    feeds nothing.
    """
    if not reveals_answers(attempt=attempt):
        return
    owner = Owner.of_attempt(attempt)
    earlier, earlier_lineages = [], []
    if attempt.quiz.answer_visibility == AnswerVisibility.AFTER_LAST_ATTEMPT:
        earlier, earlier_lineages = _earlier_attempts_to_feed(attempt, owner=owner)
    this_attempt = [
        RememberedAnswer(
            question_id=answer.question_id,
            is_right=scoring.earns_full_points(answer.score, keys[answer.question_id].points),
        )
        for answer in answers
        if answer.question_id in keys and not answer.is_locked
    ]
    # One feed, so that the learner's states are locked once, in key order (see _memories).
    _remember_in_order(
        owner=owner, batches=[*earlier, (now, this_attempt)], slots=memory_slots([*earlier_lineages, *lineages])
    )


def claim_guest_memory(*, guest_key, user):
    """Move a guest's memory states to the account; for a question both know, the one answered last stays."""
    guest, account = Owner(guest_key=guest_key), Owner(user_id=user.pk)
    # Locked in key order, as closings lock them (_memories).
    guest_states = list(MemoryState.objects.select_for_update().filter(owner=guest.key).order_by("key"))
    if not guest_states:
        return 0
    account_states = {
        state.key: state
        for state in MemoryState.objects.select_for_update()
        .filter(owner=account.key, key__in=[state.key for state in guest_states])
        .order_by("key")
    }
    losers, moved = [], []
    for state in guest_states:
        kept = account_states.get(state.key)
        if kept is not None and (kept.last_review or kept.due) >= (state.last_review or state.due):
            losers.append(state.pk)
            continue
        if kept is not None:
            losers.append(kept.pk)
        state.owner, state.user = account.key, user
        moved.append(state)
    MemoryState.objects.filter(pk__in=losers).delete()
    try:
        with transaction.atomic():
            MemoryState.objects.bulk_update(moved, ["owner", "user"])
    except IntegrityError:
        # The account answered one of these questions meanwhile: its own memory stays.
        for state in moved:
            MemoryState.objects.filter(pk=state.pk).exclude(
                key__in=MemoryState.objects.filter(owner=account.key).values("key")
            ).update(owner=account.key, user=user)
        MemoryState.objects.filter(owner=guest.key).delete()
    return len(guest_states)
