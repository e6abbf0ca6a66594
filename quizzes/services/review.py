"""Spaced review: remembering answered questions, answering a question in review, and a guest's memory
joining their account. The scheduling is memory.py's (FSRS); what review may show is rules.py's."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import caching, memory, rules, scoring
from ..errors import InvalidAnswer, NotInReview
from ..models import QUESTION_MEMORY_KEY, Answer, AnswerVisibility, MemoryState, Question, QuestionKind, Quiz
from ..owners import Owner
from ..selectors.attempts import CLOSED_STATES, reveals_answers
from ..selectors.review import is_being_taken

MEMORY_FIELDS = ("question_id", "quiz_id", "state", "step", "stability", "difficulty", "due", "last_review")


@dataclass(frozen=True)
class RememberedAnswer:
    """One answer review learns from: which question, and whether it earned full points."""

    question_id: int
    is_right: bool


def _memory_of(state):
    return memory.Memory(
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def _apply(state, remembered):
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
    (in key order, so that two feeds cannot deadlock) and a parallel feed waits, then reads what
    this one wrote. SQLite runs one write transaction at a time, so there nothing needs a lock.
    """
    states = (
        MemoryState.objects.select_for_update()
        .filter(owner=owner.key, key__in=keys)
        .order_by("key")
        .values_list("key", "state", "step", "stability", "difficulty", "due", "last_review")
    )
    return {key: memory.Memory(*fields) for key, *fields in states}


class FedInParallel(Exception):
    """A parallel transaction wrote the first memory of a key this one found none of: its transaction
    is rolled back, and run again it reads that memory (retried_when_fed_in_parallel)."""


def retried_when_fed_in_parallel(service):
    """Run `service`, whose transaction feeds review, once more if a parallel one fed the same new key.

    A row lock needs a row, so two first answers to one question (its German and its English
    version, say) cannot wait for each other the way later answers do (_memories). The second
    insert fails instead, and the service runs again from its start. Only on PostgreSQL: SQLite
    runs one write transaction at a time.
    """

    @functools.wraps(service)
    def run(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except FedInParallel:
            return service(*args, **kwargs)

    return run


def remember_answers(*, owner, answers, now, slots=None):
    """Schedule the memory state of each answered question (in a closed attempt, or a locked check).

    A right answer rates Good, any other Again (memory.py). `slots` ({question id: MemorySlot}) come
    with the content the caller has read (grading.scoring_keys); without them they are read here.
    Two queries whatever the number of answers: the owner's states for the answers' keys, and one
    write (two when some of the states are new and some not; one more to read the slots when not
    given). Inside the caller's transaction, which retried_when_fed_in_parallel runs.
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
            _apply(state, after)
            written[slot.key] = state
    updated = [state for key, state in written.items() if key in memories_read]
    if updated:
        MemoryState.objects.bulk_create(
            updated, update_conflicts=True, unique_fields=["owner", "key"], update_fields=list(MEMORY_FIELDS)
        )
    created = sorted((state for key, state in written.items() if key not in memories_read), key=lambda state: state.key)
    if created:
        try:
            MemoryState.objects.bulk_create(created)
        except IntegrityError as error:
            raise FedInParallel() from error


def _remember_earlier_attempts(attempt, *, owner):
    """The learner's earlier closed attempts on the quiz, fed oldest first at the time each closed.

    Only on the closing that first reveals them: when the learner's memory of the quiz's questions
    was written since the first of them closed, they were fed already (an editor raised the limit
    after an earlier reveal), and are not fed twice.
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
        return
    quiz_keys = Question.objects.filter(quiz_id=attempt.quiz_id).order_by().annotate(memory_key=QUESTION_MEMORY_KEY)
    quiz_keys = quiz_keys.values("memory_key")
    fed_since = MemoryState.objects.filter(owner=owner.key, key__in=quiz_keys, last_review__gte=earlier[0][1])
    if fed_since.exists():
        return
    by_attempt, lineages = {}, {}
    for attempt_id, closed_at, question_id, score, points, *lineage in earlier:
        by_attempt.setdefault((closed_at, attempt_id), []).append(
            RememberedAnswer(question_id=question_id, is_right=scoring.earns_full_points(score, points))
        )
        lineages[question_id] = QuestionLineage(question_id, *lineage)
    _remember_in_order(
        owner=owner,
        batches=[(closed_at, remembered) for (closed_at, _attempt_id), remembered in by_attempt.items()],
        slots=memory_slots(lineages.values()),
    )


def remember_closed_attempt(attempt, *, answers, keys, lineages, now):
    """Feed a just-closed attempt to review, if and once its quiz reveals the answers to this learner.

    `answers` are the Answer rows as written, `keys` the scoring keys (for the points) and `lineages`
    the shown questions' QuestionLineage, both from grading.scoring_keys. Every shown question
    counts, an unanswered one as a miss, but one locked by a check: that fed review then. A quiz that
    shows answers only after the last attempt feeds every closed attempt on it then, oldest first,
    each at the time it closed (once: see _remember_earlier_attempts); one that never shows them
    feeds nothing.
    """
    visibility = attempt.quiz.answer_visibility
    if visibility == AnswerVisibility.NEVER:
        return
    if not reveals_answers(attempt=attempt):
        return
    owner = Owner.of_attempt(attempt)
    if visibility == AnswerVisibility.AFTER_LAST_ATTEMPT:
        _remember_earlier_attempts(attempt, owner=owner)
    remember_answers(
        owner=owner,
        answers=[
            RememberedAnswer(
                question_id=answer.question_id,
                is_right=scoring.earns_full_points(answer.score, keys[answer.question_id].points),
            )
            for answer in answers
            if answer.question_id in keys and not answer.is_locked
        ],
        now=now,
        slots=memory_slots(lineages),
    )


@dataclass(frozen=True)
class ReviewAnswer:
    """A graded answer in review: the score (scoring.question_score) and when the question is next due."""

    question_id: int
    selected: tuple
    score: object
    points: object
    is_right: bool
    due: datetime


def _question_key(question_id):
    """(memory key, quiz id, scoring.QuestionKey), or None.

    Content, cached per content version: one query when not cached, none with Redis. The quiz's
    answer visibility and publication are not in it: they decide what review may show, so they are
    read with the learner's memory state, never from a cache an editor's save might not have reached.
    """
    return caching.cached_content("review-key", [question_id], lambda: _read_question_key(question_id))


def _read_question_key(question_id):
    rows = list(
        Question.objects.filter(pk=question_id).order_by().values_list(
            "kind", "points", "translation_key", "quiz_id", "first_version_id", "choices__id", "choices__is_correct",
        )
    )
    if not rows:
        return None
    kind, points, translation_key, quiz_id, first_version_id = rows[0][:5]
    choice_ids = frozenset(row[5] for row in rows if row[5] is not None)
    correct_ids = frozenset(row[5] for row in rows if row[5] is not None and row[6])
    key = scoring.QuestionKey(kind=kind, points=points, choice_ids=choice_ids, correct_ids=correct_ids)
    memory_key = MemoryState.key_of(
        lineage_id=Question.lineage_of(pk=question_id, first_version_id=first_version_id),
        translation_key=translation_key,
    )
    return memory_key, quiz_id, key


def _validate_choices(key, choice_ids):
    if len(set(choice_ids)) != len(choice_ids):
        raise InvalidAnswer(_("A choice is selected more than once."))
    foreign = sorted(set(choice_ids) - key.choice_ids)
    if foreign:
        raise InvalidAnswer(_("Choice %(id)s does not belong to this question.") % {"id": foreign[0]})
    if key.kind != QuestionKind.MULTIPLE and len(choice_ids) > 1:
        raise InvalidAnswer(_("This question takes only one choice."))


def answer_review(*, owner, question_id, choice_ids, now=None):
    """Grade an answer in review at once and schedule the question's next review; returns a ReviewAnswer.

    The question is the version shown in the learner's language or the one they answered; it must
    be in their review and one that review may show (rules.may_show_in_review), else NotInReview.
    Nothing about attempts, grades or statistics changes.
    """
    now = now or timezone.now()
    choice_ids = tuple(choice_ids)
    question = _question_key(question_id) if owner is not None else None
    if question is None:
        raise NotInReview()
    memory_key, quiz_id, key = question
    # Any version in a quiz the learner is taking, the shown one's and the one last answered included.
    being_taken = is_being_taken(owner, memory_key)
    # What the shown version's quiz allows is read with the state (no query more), never from a cache.
    shown_quiz = Quiz.objects.filter(pk=quiz_id)
    with transaction.atomic():
        state = (
            MemoryState.objects.select_for_update(of=("self",))
            .filter(owner=owner.key, key=memory_key)
            .annotate(
                own_visibility=F("quiz__answer_visibility"),
                shown_visibility=Subquery(shown_quiz.values("answer_visibility")),
                shown_is_published=Subquery(shown_quiz.values("is_published")),
            )
            .first()
        )
        if state is None:
            raise NotInReview()
        is_learners_version = state.question_id == question_id
        may_show = rules.may_show_in_review(
            answer_visibility=state.shown_visibility,
            is_published=state.shown_is_published,
            is_learners_version=is_learners_version,
            is_quiz_in_progress=being_taken,
        ) and rules.may_show_in_review(
            answer_visibility=state.own_visibility,
            is_published=True,
            is_learners_version=True,
            is_quiz_in_progress=being_taken,
        )
        if not may_show:
            raise NotInReview()
        _validate_choices(key, choice_ids)
        score = scoring.question_score(key, choice_ids)
        is_right = scoring.earns_full_points(score, key.points)
        _apply(state, memory.review(_memory_of(state), is_right=is_right, now=now))
        state.question_id, state.quiz_id = question_id, quiz_id
        state.practised_at = now
        state.save(update_fields=[*MEMORY_FIELDS, "practised_at"])
        caching.learner_changed(owner.key)
    return ReviewAnswer(
        question_id=question_id, selected=choice_ids, score=score, points=key.points, is_right=is_right, due=state.due
    )


def claim_guest_memory(*, guest_key, user):
    """Move a guest's memory states to the account; for a question both know, the one answered last stays."""
    guest, account = Owner(guest_key=guest_key), Owner(user_id=user.pk)
    guest_states = list(MemoryState.objects.select_for_update().filter(owner=guest.key))
    if not guest_states:
        return 0
    account_states = {
        state.key: state
        for state in MemoryState.objects.select_for_update().filter(
            owner=account.key, key__in=[state.key for state in guest_states]
        )
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
