"""Reads of spaced review: the questions due now, a closed attempt's mistakes to practise, whether a
question is being taken, and the predicted chance of recall per topic (an answered question's
explanation: review_answers.py)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from .. import caching, memory, rules, scoring
from ..errors import AnswersHidden, AttemptNotFound, AttemptStillOpen
from ..languages import interface_language
from ..models import (
    CLOSED_STATES,
    EARNS_FULL_POINTS,
    QUESTION_MEMORY_KEY,
    Answer,
    AnswerVisibility,
    Attempt,
    AttemptState,
    MemoryState,
    Question,
    Quiz,
)
from .attempts import attempt_for_owner, reveals_answers
from .shapes import ShownChoice

# The queue lists this many of the questions due now; the count says how many there are in all.
QUEUE_LENGTH = 20
WEEK = timedelta(days=7)
# The progress page tells the chance of still recalling a topic this far ahead.
RECALL_HORIZON = timedelta(days=1)


@dataclass(frozen=True)
class ReviewQuestion:
    """A question due for review as a learner sees it before answering: nothing about correctness."""

    id: int
    kind: str
    text: str
    language: str
    quiz: str
    quiz_title: str
    due: datetime
    choices: tuple


@dataclass(frozen=True)
class ReviewQueue:
    """The questions due now, most overdue first, and how many fall due later today and this week.

    Practising an attempt's mistakes (`attempt`), `due_now` counts the mistakes left and
    `due_in_review` the questions due now in the whole review; otherwise the two are the same.
    """

    questions: tuple
    due_now: int
    due_in_review: int
    later_today: int
    this_week: int
    next_due: datetime | None
    attempt: object = None


def _quizzes_taken(owner):
    """The quizzes the owner has an attempt in progress on, as a subquery (built once per queue)."""
    return Attempt.objects.filter(state=AttemptState.IN_PROGRESS, **owner.attempt_filter()).values("quiz_id")


def memory_keys_being_taken(owner, taking=None):
    """The memory keys of the questions in the quizzes the owner is taking (`taking`, if built), as a
    subquery of Question rows annotated `memory_key`. Review leaves these out in every language (one
    of them answered there would answer it in the attempt in progress)."""
    questions = Question.objects.filter(quiz_id__in=_quizzes_taken(owner) if taking is None else taking)
    return questions.annotate(memory_key=QUESTION_MEMORY_KEY).values("memory_key")


def is_being_taken(owner, memory_key):
    """Whether a version of the question remembered under `memory_key` is in a quiz the owner is taking
    (memory_keys_being_taken). One query; a second only while the owner takes a quiz."""
    taking = list(_quizzes_taken(owner).values_list("quiz_id", flat=True))
    return bool(taking) and memory_keys_being_taken(owner, taking).filter(memory_key=memory_key).exists()


def _reviewable(owner):
    """The owner's memory states that review may show (rules.may_show_in_review for the learner's own
    version): not of a quiz that now never shows answers, nor of a question being taken
    (memory_keys_being_taken: its own quiz's attempt in progress, or its other language's). Both are
    subqueries evaluated once, and the index of states by due time holds quiz and key, so the states
    are counted from the index alone."""
    never = Quiz.objects.filter(answer_visibility=AnswerVisibility.NEVER).values("pk")
    return (
        MemoryState.objects.filter(owner=owner.key)
        .exclude(quiz_id__in=never)
        .exclude(key__in=memory_keys_being_taken(owner))
    )


def _end_of_today(now):
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def _counts(states, now):
    """Due now, later today, this week (within seven days from now, not now) and the next due time within
    the week. One query, on the index's range up to a week from now rather than every state."""
    # Counting `due` (never null), not the primary key: the index holds it, so PostgreSQL can count from
    # the index alone as SQLite does.
    counts = states.filter(due__lte=now + WEEK).aggregate(
        within_week=Count("due"),
        due_now=Count("due", filter=Q(due__lte=now)),
        through_today=Count("due", filter=Q(due__lte=_end_of_today(now))),
        next_due=Min("due", filter=Q(due__gt=now)),
    )
    # Ranges from the start of the week's: each count one condition to build and to test per state.
    return {
        "due_now": counts["due_now"],
        "later_today": counts["through_today"] - counts["due_now"],
        "this_week": counts["within_week"] - counts["due_now"],
        "next_due": counts["next_due"],
    }


@dataclass(frozen=True)
class _Card:
    """A question as review shows it before answering, the same for every learner: content."""

    kind: str
    text: str
    language: str
    quiz: str
    quiz_title: str
    choices: tuple


# The cached content entries' name: a new one whenever their shape changes, so that entries which older
# code stored under the same content version are never read ("in" entries: (question id, card) pairs).
CONTENT_ENTRIES = "review-content"

_CARD_FIELDS = (
    "id", "translation_key", "quiz_id", "kind", "text", "quiz__language", "quiz__slug", "quiz__title",
    "quiz__shuffle_choices", "choices__id", "choices__text", "choices__position",
)


def _cards_of(fetched):
    """{question id: _Card} from rows of _CARD_FIELDS (and more), one per choice; the choices in the
    order rules.choice_order_outside_attempts gives."""
    heads, choices = {}, defaultdict(list)
    for question_id, _key, _quiz, kind, text, language, slug, title, shuffles, choice_id, choice_text, position, *_ in fetched:
        heads[question_id] = (kind, text, language, slug, title)
        if choice_id is not None:
            order = rules.choice_order_outside_attempts(shuffles_choices=shuffles, choice_id=choice_id, position=position)
            choices[question_id].append((order, ShownChoice(id=choice_id, text=choice_text)))
    return {
        question_id: _Card(*head, choices=tuple(choice for _order, choice in sorted(choices[question_id], key=lambda item: item[0])))
        for question_id, head in heads.items()
    }


def _build_content(missing_cards, missing_keys, language):
    """The cards of `missing_cards`, and per translation key of `missing_keys` its versions in `language`
    that review may show whoever the learner ((question id, card), current, of a published quiz that
    shows answers right after submission), in one query."""
    condition = Q(pk__in=missing_cards)
    if missing_keys:
        condition |= Q(
            translation_key__in=missing_keys,
            is_current=True,
            quiz__language=language,
            quiz__is_published=True,
            quiz__answer_visibility=AnswerVisibility.AFTER_SUBMISSION,
        )
    # No ordering: the questions' own (by quiz) would join and sort the quizzes for nothing.
    fetched = list(Question.objects.filter(condition).order_by().values_list(*_CARD_FIELDS))
    cards = _cards_of(fetched)
    versions = {key: set() for key in missing_keys}
    for question_id, key, _quiz_id, _kind, _text, quiz_language, *_ in fetched:
        if key in versions and quiz_language == language:
            versions[key].add((question_id, cards[question_id]))
    return cards, {key: tuple(sorted(found, key=lambda item: item[0])) for key, found in versions.items()}


def _questions(rows, language, now):
    """The questions to answer, in the order of `rows` (key, own question id, own language, due), with
    their choices. No query when their content is cached; otherwise one.

    Each shows in `language` when a version there may be shown (rules.may_show_in_review: one of a
    published quiz that shows answers right after submission; `rows` hold no question being taken, in
    any version), else as the learner answered it. The questions and their versions per language are
    content, cached per content version.
    """
    wanted = {key for key, _question, own_language, _due in rows if own_language != language and not key.startswith("#")}
    keys = [("card", question_id) for _key, question_id, _language, _due in rows]
    keys += [("in", language, key) for key in sorted(wanted)]
    version, found = caching.cached_content_entries(CONTENT_ENTRIES, keys)
    cards = {key[1]: value for key, value in found.items() if key[0] == "card"}
    versions = {key[2]: value for key, value in found.items() if key[0] == "in"}
    missing_cards = [question_id for _key, question_id, _language, _due in rows if question_id not in cards]
    missing_keys = sorted(wanted - versions.keys())
    if missing_cards or missing_keys:
        built_cards, built_versions = _build_content(missing_cards, missing_keys, language)
        caching.store_content_entries(
            CONTENT_ENTRIES,
            version,
            {("card", question_id): card for question_id, card in built_cards.items() if question_id in missing_cards}
            | {("in", language, key): found_versions for key, found_versions in built_versions.items()},
        )
        cards.update(built_cards)
        versions.update(built_versions)
    shown = []
    for key, own_question, _language, due in rows:
        # Keys are unique per learner: a version under a wanted key is that memory's, not another's.
        shown_versions = versions.get(key, ())
        question_id, card = shown_versions[0] if shown_versions else (own_question, cards.get(own_question))
        if card is None:
            continue  # deleted since
        shown.append(
            ReviewQuestion(
                id=question_id,
                kind=card.kind,
                text=card.text,
                language=card.language,
                quiz=card.quiz,
                quiz_title=card.quiz_title,
                due=min(due, now),
                choices=card.choices,
            )
        )
    return tuple(shown)


def _practice_keys(owner, attempt_id):
    """The attempt and the memory keys of its missed questions; raises AttemptNotFound, AttemptStillOpen or
    AnswersHidden."""
    attempt = attempt_for_owner(attempt_id=attempt_id, owner=owner)
    if attempt.state not in CLOSED_STATES:
        # "Submit it first" only where submitting shows the answers; elsewhere it would promise too much.
        shown_on_submission = rules.shows_answers_on_submission(attempt.quiz.answer_visibility)
        raise AttemptStillOpen() if shown_on_submission else AnswersHidden()
    if not reveals_answers(attempt=attempt):
        raise AnswersHidden()
    missed = (
        Answer.objects.filter(attempt=attempt)
        .exclude(EARNS_FULL_POINTS)
        .values_list("question_id", "question__translation_key", "question__first_version_id")
    )
    return attempt, [
        MemoryState.key_of(
            lineage_id=Question.lineage_of(pk=pk, first_version_id=first_version_id), translation_key=key
        )
        for pk, key, first_version_id in missed
    ]


def review_queue(*, owner, language=None, now=None, attempt_id=None):
    """The owner's questions due now in `language` (the interface's) where it has them, most overdue first,
    with counts.

    With `attempt_id`, "practise my mistakes": that closed attempt's missed questions not practised
    in review since it closed, all due now (only once the quiz reveals the attempt's answers).
    Three queries whatever the number of memory states (four or five practising), on the index of
    an owner's states by due time. The queue is cached per learner (caching.cached_learner_read) until
    its next change by the clock: the next question falling due, or the end of the day.
    """
    now = now or timezone.now()
    language = language or interface_language()
    if owner is None:
        if attempt_id is not None:
            raise AttemptNotFound()  # a visitor who has not started a quiz has no attempt to practise
        return ReviewQueue(questions=(), due_now=0, due_in_review=0, later_today=0, this_week=0, next_due=None)
    if attempt_id is not None:
        return _build_queue(owner, language, now, attempt_id)

    def build():
        queue = _build_queue(owner, language, now)
        # Its next changes by the clock. One is not foreseen: a question coming within the week's
        # horizon, which caching.LEARNER_TIMEOUT bounds.
        return queue, min(queue.next_due or now + WEEK, _end_of_today(now))

    return caching.cached_learner_read("review-queue", owner.key, [language], build, now=now)


def _build_queue(owner, language, now, attempt_id=None):
    states = _reviewable(owner)
    attempt = None
    if attempt_id is None:
        rows = list(
            states.filter(due__lte=now)
            .order_by("due", "pk")
            .values_list("key", "question_id", "quiz__language", "due")[:QUEUE_LENGTH]
        )
    else:
        attempt, keys = _practice_keys(owner, attempt_id)
        rows = list(
            states.filter(key__in=keys)
            .filter(Q(practised_at__isnull=True) | Q(practised_at__lt=attempt.submitted_at))
            .order_by("due", "pk")
            .values_list("key", "question_id", "quiz__language", "due")
        )
    counts = _counts(states, now)
    return ReviewQueue(
        questions=_questions(rows[:QUEUE_LENGTH], language, now),
        due_now=counts["due_now"] if attempt is None else len(rows),
        due_in_review=counts["due_now"],
        later_today=counts["later_today"],
        this_week=counts["this_week"],
        next_due=counts["next_due"],
        attempt=attempt.pk if attempt is not None else None,
    )


def recall_by_topic(*, owner, now=None):
    """Topic slug -> the predicted chance of still recalling its questions tomorrow (FSRS retrievability a
    day from now), averaged, in percent.

    A day ahead, not now: right after any answer, a miss included, the chance now is about 1, which
    told a learner who had just missed a question that they were sure to know it. One query over the
    owner's memory states.
    """
    at = (now or timezone.now()) + RECALL_HORIZON
    chances = defaultdict(list)
    rows = MemoryState.objects.filter(owner=owner.key).values_list("question__topic__slug", "stability", "last_review")
    for slug, stability, last_review in rows:
        chances[slug].append(memory.recall_chance(stability=stability, last_review=last_review, now=at))
    return {
        slug: scoring.to_cents(sum(values) * 100 / len(values)) for slug, values in chances.items()
    }
