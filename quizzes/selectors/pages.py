"""The catalogue page, a quiz's page and an attempt's result page, as plain values.

Each read is a fixed number of queries however many quizzes, questions or attempts there are. The
rules they show (attempts left, the overall grade) come from rules.py and scoring.py.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from .. import rules, scoring
from ..models import CLOSED_STATES, Attempt, AttemptState, Language, Question, Quiz, Topic
from .attempts import attempt_result
from .catalogue import catalogue
from .shapes import ResultOfOwner


@dataclass(frozen=True)
class TopicName:
    slug: str
    name: str


@dataclass(frozen=True)
class CatalogueEntry:
    """One quiz card of the catalogue, with the visitor's best score on it."""

    slug: str
    title: str
    description: str
    language: str
    language_name: str
    topics: tuple
    questions_shown: int
    time_limit_seconds: int | None
    best_percent: Decimal | None


@dataclass(frozen=True)
class CataloguePage:
    quizzes: tuple
    topics: tuple
    page: int
    has_next_page: bool


@dataclass(frozen=True)
class OtherLanguage:
    slug: str
    title: str
    language: str
    language_name: str


@dataclass(frozen=True)
class PastAttempt:
    id: object
    number: int
    submitted_at: object
    percent: Decimal
    passed: bool


@dataclass(frozen=True)
class QuizOverview:
    """A quiz's page: its rules, its other languages, and the visitor's attempts and grade on it."""

    slug: str
    title: str
    description: str
    language: str
    language_name: str
    is_published: bool
    topics: tuple
    question_total: int
    questions_shown: int
    questions_per_attempt: int | None
    time_limit_seconds: int | None
    max_attempts: int | None
    attempts_left: int | None
    pass_mark: int
    grading_method_name: str
    # How the questions give feedback (models.QuestionBehaviour) and when a result shows the answers.
    behaviour: str
    behaviour_name: str
    max_tries: int
    penalty: Decimal
    answer_visibility_name: str
    open_attempt_id: object
    other_languages: tuple
    past_attempts: tuple
    grade: Decimal | None
    has_passed: bool


def _count_of(queryset):
    """A correlated COUNT(*) subquery, 0 when nothing matches."""
    counted = queryset.order_by().values(_group=Value(1)).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def attempts_on_outer_quiz(owner, *, quiz_ref="pk"):
    """Attempts of `owner` on the quiz of the outer query; none for a visitor who never started one."""
    if owner is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(quiz_id=OuterRef(quiz_ref), **owner.attempt_filter())


def count_of_attempts_on_outer_quiz(owner, *, quiz_ref="pk", closed_only=False):
    """How many attempts `owner` has on the quiz of the outer query (closed ones only, if asked)."""
    attempts = attempts_on_outer_quiz(owner, quiz_ref=quiz_ref)
    return _count_of(attempts.filter(state__in=CLOSED_STATES) if closed_only else attempts)


def _questions_shown(*, question_total, questions_per_attempt):
    """How many questions one attempt shows: the subset size, or all of them."""
    return min(questions_per_attempt, question_total) if questions_per_attempt else question_total


def _language_name(code):
    return str(Language(code).label)


def catalogue_page(*, owner, preferred_language, language="", topic_slug="", page=1, per_page=24):
    """One page of published quizzes, the preferred language first, with the owner's best score on each.

    Three queries. A page reads one quiz more than it shows, to know whether another page follows,
    instead of counting them all. One query gives both the topics of the quizzes shown and the
    topics worth offering as a filter, so the work stays the same however many quizzes there are.
    """
    offset = (page - 1) * per_page
    quizzes = list(
        catalogue(language=language or None, topic=topic_slug or None)
        .prefetch_related(None)
        .annotate(
            best_percent=Subquery(
                attempts_on_outer_quiz(owner).filter(state__in=CLOSED_STATES).order_by("-percent").values("percent")[:1]
            ),
            language_rank=Case(When(language=preferred_language, then=Value(0)), default=Value(1)),
        )
        .order_by("language_rank", "title", "pk")[offset : offset + per_page + 1]
    )
    has_next_page, quizzes = len(quizzes) > per_page, quizzes[:per_page]
    # A row per topic of a shown quiz, and one (without a quiz) per other topic that has a published quiz.
    links = (
        Quiz.topics.through.objects.filter(quiz__is_published=True)
        .annotate(shown_quiz=Case(When(quiz_id__in=[quiz.pk for quiz in quizzes], then="quiz_id")))
        .values_list("shown_quiz", "topic__slug", "topic__name_de", "topic__name_en")
        .distinct()
    )
    topics_by_quiz, offered = defaultdict(list), {}
    for shown_quiz, slug, name_de, name_en in links:
        topic = offered.setdefault(slug, TopicName(slug=slug, name=Topic.name_in_active_language(name_de=name_de, name_en=name_en)))
        if shown_quiz is not None:
            topics_by_quiz[shown_quiz].append(topic)
    entries = tuple(
        CatalogueEntry(
            slug=quiz.slug,
            title=quiz.title,
            description=quiz.description,
            language=quiz.language,
            language_name=_language_name(quiz.language),
            topics=tuple(sorted(topics_by_quiz[quiz.pk], key=lambda topic: topic.name)),
            questions_shown=_questions_shown(
                question_total=quiz.question_count, questions_per_attempt=quiz.questions_per_attempt
            ),
            time_limit_seconds=quiz.time_limit_seconds,
            best_percent=quiz.best_percent,
        )
        for quiz in quizzes
    )
    return CataloguePage(
        quizzes=entries,
        topics=tuple(sorted(offered.values(), key=lambda topic: topic.name)),
        page=page,
        has_next_page=has_next_page,
    )


def quiz_overview(*, slug, owner, include_unpublished=False):
    """A quiz's page for `owner` (None: a visitor who never started a quiz); None when there is no such quiz.

    Four queries: the quiz with its counts, its topics, its other languages, the owner's closed attempts.
    """
    quizzes = Quiz.objects.filter(slug=slug)
    if not include_unpublished:
        quizzes = quizzes.filter(is_published=True)
    quiz = (
        quizzes.annotate(
            question_total=_count_of(Question.objects.current().filter(quiz_id=OuterRef("pk"))),
            attempts_used=count_of_attempts_on_outer_quiz(owner),
            open_attempt_id=Subquery(
                attempts_on_outer_quiz(owner).filter(state=AttemptState.IN_PROGRESS).values("pk")[:1]
            ),
        )
        .prefetch_related("topics")
        .first()
    )
    if quiz is None:
        return None
    other_languages = (
        Quiz.objects.filter(translation_key=quiz.translation_key, is_published=True)
        .exclude(pk=quiz.pk)
        .values_list("slug", "title", "language")
    )
    past_attempts = (
        tuple(
            PastAttempt(*row)
            for row in Attempt.objects.filter(quiz=quiz, state__in=CLOSED_STATES, **owner.attempt_filter())
            .order_by("number")
            .values_list("id", "number", "submitted_at", "percent", "passed")
        )
        if owner is not None
        else ()
    )
    # The learner's overall grade by the quiz's grading method, and whether it passes.
    grade = scoring.overall_grade([attempt.percent for attempt in past_attempts], quiz.grading_method)
    return QuizOverview(
        slug=quiz.slug,
        title=quiz.title,
        description=quiz.description,
        language=quiz.language,
        language_name=_language_name(quiz.language),
        is_published=quiz.is_published,
        topics=tuple(TopicName(slug=topic.slug, name=topic.name) for topic in quiz.topics.all()),
        question_total=quiz.question_total,
        questions_shown=_questions_shown(
            question_total=quiz.question_total, questions_per_attempt=quiz.questions_per_attempt
        ),
        questions_per_attempt=quiz.questions_per_attempt,
        time_limit_seconds=quiz.time_limit_seconds,
        max_attempts=quiz.max_attempts,
        attempts_left=rules.attempts_left(max_attempts=quiz.max_attempts, used=quiz.attempts_used),
        pass_mark=quiz.pass_mark,
        grading_method_name=quiz.get_grading_method_display(),
        behaviour=quiz.behaviour,
        behaviour_name=quiz.get_behaviour_display(),
        max_tries=quiz.max_tries,
        penalty=quiz.penalty,
        answer_visibility_name=quiz.get_answer_visibility_display(),
        open_attempt_id=quiz.open_attempt_id,
        other_languages=tuple(
            OtherLanguage(slug=slug, title=title, language=language, language_name=_language_name(language))
            for slug, title, language in other_languages
        ),
        past_attempts=past_attempts,
        grade=grade,
        has_passed=grade is not None and scoring.has_passed(grade, quiz.pass_mark),
    )


def result_of_owner(*, attempt_id, owner):
    """The result page's ResultOfOwner: the owner's attempt, its review once closed, and the attempts left.

    None when the owner (None for a visitor who never started one) has no such attempt. One query
    for the attempt and its counts, then attempt_result's for a closed one.
    """
    if owner is None:
        return None
    attempt = (
        Attempt.objects.select_related("quiz")
        .filter(pk=attempt_id, **owner.attempt_filter())
        .annotate(
            attempts_used=count_of_attempts_on_outer_quiz(owner, quiz_ref="quiz_id"),
            closed_attempts=count_of_attempts_on_outer_quiz(owner, quiz_ref="quiz_id", closed_only=True),
        )
        .first()
    )
    if attempt is None:
        return None
    result = None
    if not attempt.is_open:
        # At most one attempt per quiz is in progress: the ones not closed.
        in_progress = attempt.attempts_used - attempt.closed_attempts
        result = attempt_result(attempt=attempt, attempt_counts=(attempt.closed_attempts, in_progress))
    return ResultOfOwner(
        attempt_id=attempt.pk,
        is_open=attempt.is_open,
        result=result,
        attempts_left=rules.attempts_left(max_attempts=attempt.quiz.max_attempts, used=attempt.attempts_used),
    )
