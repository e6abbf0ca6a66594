"""Answering a question in spaced review: graded at once, explained, and scheduled again. What review
may show is rules.py's; which questions are due, selectors/review.py's."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Subquery
from django.utils import timezone
# Lazy: an error is told in the language of the response it ends up in (the API's: quizzes/languages.py).
from django.utils.translation import gettext_lazy as _

from .. import caching, memory, rules, scoring
from ..errors import InvalidAnswer, NotInReview, message_with
from ..models import MemoryState, Question, QuestionKind, Quiz
from ..selectors.review import is_being_taken
from .review import MEMORY_FIELDS, apply_memory, memory_of


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
        raise InvalidAnswer(message_with(_("Choice %(id)s does not belong to this question."), id=foreign[0]))
    if key.kind != QuestionKind.MULTIPLE and len(choice_ids) > 1:
        raise InvalidAnswer(_("This question takes only one choice."))


def _state_to_review(*, owner, memory_key, question_id, quiz_id, being_taken, for_update):
    """The learner's memory state under `memory_key`, if review may show the answered version
    (rules.may_show_in_review, for it and for the version the learner last answered); else NotInReview.

    What the shown version's quiz allows is read with the state (no query more), never from a cache.
    `for_update` locks it, so a parallel feed of it waits (on SQLite every write does).
    """
    shown_quiz = Quiz.objects.filter(pk=quiz_id)
    states = MemoryState.objects.filter(owner=owner.key, key=memory_key)
    if for_update:
        states = states.select_for_update(of=("self",))
    state = states.annotate(
        own_visibility=F("quiz__answer_visibility"),
        shown_visibility=Subquery(shown_quiz.values("answer_visibility")),
        shown_is_published=Subquery(shown_quiz.values("is_published")),
    ).first()
    if state is None:
        raise NotInReview()
    may_show = rules.may_show_in_review(
        answer_visibility=state.shown_visibility,
        is_published=state.shown_is_published,
        is_learners_version=state.question_id == question_id,
        is_quiz_in_progress=being_taken,
    ) and rules.may_show_in_review(
        answer_visibility=state.own_visibility,
        is_published=True,
        is_learners_version=True,
        is_quiz_in_progress=being_taken,
    )
    if not may_show:
        raise NotInReview()
    return state


def _schedule(state, *, question_id, quiz_id, is_right, now):
    """Feed one review answer to `state` (not saved); the version answered is the one review shows next."""
    apply_memory(state, memory.review(memory_of(state), is_right=is_right, now=now))
    state.question_id, state.quiz_id = question_id, quiz_id
    state.practised_at = now


_SAVED_FIELDS = (*MEMORY_FIELDS, "practised_at")


def _saved_unless_fed_meanwhile(*, state, before):
    """Write `state` if its row still holds the memory it had `before` the answer; whether it did.

    Every feed (a review answer, a closing, a check) moves the memory's last answer and due time, so
    a parallel one shows in them; a guest's claim moves the state to the account.
    """
    unchanged = MemoryState.objects.filter(
        pk=state.pk, owner=state.owner, last_review=before.last_review, due=before.due
    )
    return unchanged.update(**{field: getattr(state, field) for field in _SAVED_FIELDS}) == 1


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
    answered = {"owner": owner, "memory_key": memory_key, "question_id": question_id, "quiz_id": quiz_id}
    state = _state_to_review(**answered, being_taken=being_taken, for_update=False)
    _validate_choices(key, choice_ids)
    score = scoring.question_score(key, choice_ids)
    is_right = scoring.earns_full_points(score, key.points)
    before = memory_of(state)
    _schedule(state, question_id=question_id, quiz_id=quiz_id, is_right=is_right, now=now)
    # Read and scheduled before the transaction, so it holds only the write: SQLite has one write
    # lock for the whole database, and a writer that finds it taken sleeps 1, 2, 5 ms... before it
    # tries again (bench/README.md, "Where the review answer's time goes").
    with transaction.atomic():
        if not _saved_unless_fed_meanwhile(state=state, before=before):
            # Another feed (an answer, a closing, a check) or a guest's claim changed this memory
            # since it was read: schedule from what is there now, under the row's lock this time,
            # so it cannot happen a third time.
            state = _state_to_review(**answered, being_taken=being_taken, for_update=True)
            _schedule(state, question_id=question_id, quiz_id=quiz_id, is_right=is_right, now=now)
            state.save(update_fields=_SAVED_FIELDS)
        caching.learner_changed(owner.key)
    return ReviewAnswer(
        question_id=question_id, selected=choice_ids, score=score, points=key.points, is_right=is_right, due=state.due
    )
