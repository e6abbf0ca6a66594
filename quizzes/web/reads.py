"""Reads for the pages, each a fixed number of queries however many questions or attempts there are.

These are the page-shaped reads that quizzes/selectors/ does not offer; the rules they show
(attempts left, what a result reveals) come from rules.py.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from .. import rules, scoring, selectors
from ..errors import AttemptNotFound
from ..models import Attempt, AttemptState, Question, QuestionKind, Quiz, Topic
from ..selectors.attempts import CLOSED_STATES



def _count_of(queryset):
    """A correlated COUNT(*) subquery, 0 when nothing matches."""
    counted = queryset.order_by().values(_group=Value(1)).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _owned_by(owner, *, quiz_ref="pk"):
    """Attempts of `owner` on the quiz of the outer query; none for a visitor who never started one."""
    if owner is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(quiz_id=OuterRef(quiz_ref), **owner.attempt_filter())


def _question_total():
    return _count_of(Question.objects.filter(quiz_id=OuterRef("pk")))


def questions_shown(quiz):
    """How many questions one attempt shows: the subset size, or all of them."""
    if quiz.questions_per_attempt:
        return min(quiz.questions_per_attempt, quiz.question_total)
    return quiz.question_total


# ---------------------------------------------------------------------------------------------
# Catalogue


@dataclass
class Catalogue:
    quizzes: list
    topics: list
    page: int = 1
    has_next_page: bool = False


def catalogue(*, owner, preferred_language, language="", topic_slug="", page=1, per_page=24):
    """One page of published quizzes, the preferred language first, with question count and the owner's best score.

    Builds on selectors.catalogue. A page reads one quiz more than it shows, to know whether another
    page follows, instead of counting them all. Its topics prefetch is replaced by one query that
    gives both the topics of the quizzes shown and the topics worth offering as a filter, so the
    work stays the same however many quizzes there are.
    """
    offset = (page - 1) * per_page
    quizzes = list(
        selectors.catalogue(language=language or None, topic=topic_slug or None)
        .prefetch_related(None)
        .annotate(
            best_percent=Subquery(
                _owned_by(owner).filter(state__in=CLOSED_STATES).order_by("-percent").values("percent")[:1]
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
        .values_list("shown_quiz", "topic_id", "topic__slug", "topic__name_de", "topic__name_en")
        .distinct()
    )
    topics_by_quiz = defaultdict(list)
    offered = {}
    for shown_quiz, topic_id, slug, name_de, name_en in links:
        topic = offered.setdefault(slug, Topic(pk=topic_id, slug=slug, name_de=name_de, name_en=name_en))
        if shown_quiz is not None:
            topics_by_quiz[shown_quiz].append(topic)
    for quiz in quizzes:
        quiz.topic_list = sorted(topics_by_quiz[quiz.pk], key=lambda topic: topic.name)
        quiz.question_total = quiz.question_count
        quiz.questions_shown = questions_shown(quiz)
    return Catalogue(
        quizzes=quizzes,
        topics=sorted(offered.values(), key=lambda topic: topic.name),
        page=page,
        has_next_page=has_next_page,
    )


# ---------------------------------------------------------------------------------------------
# One quiz, before an attempt


def quiz_overview(*, slug, owner, include_unpublished=False):
    """A quiz with its rules and the owner's attempts on it; None when there is no such quiz to show."""
    quizzes = Quiz.objects.filter(slug=slug)
    if not include_unpublished:
        quizzes = quizzes.filter(is_published=True)
    quiz = (
        quizzes.annotate(
            question_total=_question_total(),
            attempts_used=_count_of(_owned_by(owner)),
            open_attempt_id=Subquery(
                _owned_by(owner).filter(state=AttemptState.IN_PROGRESS).values("pk")[:1]
            ),
        )
        .prefetch_related("topics")
        .first()
    )
    if quiz is None:
        return None
    quiz.questions_shown = questions_shown(quiz)
    quiz.attempts_left = rules.attempts_left(max_attempts=quiz.max_attempts, used=quiz.attempts_used)
    quiz.translations = list(
        Quiz.objects.filter(translation_key=quiz.translation_key, is_published=True)
        .exclude(pk=quiz.pk)
        .only("slug", "title", "language")
    )
    quiz.past_attempts = (
        list(Attempt.objects.filter(quiz=quiz, state__in=CLOSED_STATES, **owner.attempt_filter()).order_by("number"))
        if owner is not None
        else []
    )
    # The learner's overall grade by the quiz's grading method, and whether it passes.
    quiz.grade = scoring.overall_grade([attempt.percent for attempt in quiz.past_attempts], quiz.grading_method)
    quiz.has_passed = quiz.grade is not None and scoring.has_passed(quiz.grade, quiz.pass_mark)
    return quiz


# ---------------------------------------------------------------------------------------------
# An attempt in progress


@dataclass
class ChoiceOnPage:
    id: int
    text: str
    is_selected: bool


@dataclass
class QuestionOnPage:
    """A question of the attempt form: what selectors.shown_questions gives, plus form state."""

    id: int
    number: int
    kind: str
    text: str
    points: Decimal
    choices: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    is_flagged: bool = False

    @property
    def is_multiple(self):
        return self.kind == QuestionKind.MULTIPLE

    @property
    def is_answered(self):
        return any(choice.is_selected for choice in self.choices)

    @property
    def field_name(self):
        return f"question-{self.id}"

    @property
    def flag_field_name(self):
        return f"flag-{self.id}"

    @property
    def input_type(self):
        return "checkbox" if self.is_multiple else "radio"


def attempt_owned(*, attempt_id, owner):
    """The owner's attempt with its quiz, or None (also for someone else's)."""
    if owner is None:
        return None
    try:
        return selectors.attempt_for_owner(attempt_id=attempt_id, owner=owner)
    except AttemptNotFound:
        return None


def questions_for_taking(*, attempt):
    """The attempt's questions and choices in its own order, with what is saved as selected.

    Built on selectors.attempt_in_progress, which reads nothing about correctness.
    """
    selectors.attempt_in_progress(attempt=attempt)
    selected = {answer.question: set(answer.choices) for answer in attempt.saved_answers}
    return [
        QuestionOnPage(
            id=question.id,
            number=number,
            kind=question.kind,
            text=question.text,
            points=question.points,
            choices=[
                ChoiceOnPage(id=choice.id, text=choice.text, is_selected=choice.id in selected.get(question.id, ()))
                for choice in question.choices
            ],
            is_flagged=question.flagged,
        )
        for number, question in enumerate(attempt.shown_questions, start=1)
    ]


def with_selection(questions, *, selected_choice_ids):
    """The same questions showing another selection (say, a posted form that failed validation); no query.

    `selected_choice_ids` maps question ids to the choice ids to show as selected; the questions it
    leaves out keep theirs.
    """
    return [
        replace(
            question,
            choices=[
                replace(choice, is_selected=choice.id in set(selected_choice_ids[question.id]))
                for choice in question.choices
            ],
        )
        if question.id in selected_choice_ids
        else question
        for question in questions
    ]


# ---------------------------------------------------------------------------------------------
# A closed attempt's result


def attempt_with_result(*, attempt_id, owner):
    """The owner's attempt with `attempts_left`, and for a closed one its review (selectors.attempt_result).

    None when the owner has no such attempt.
    """
    if owner is None:
        return None
    attempt = (
        Attempt.objects.select_related("quiz")
        .filter(pk=attempt_id, **owner.attempt_filter())
        .annotate(
            attempts_used=_count_of(_owned_by(owner, quiz_ref="quiz_id")),
            closed_attempts=_count_of(_owned_by(owner, quiz_ref="quiz_id").filter(state__in=CLOSED_STATES)),
        )
        .first()
    )
    if attempt is None:
        return None
    attempt.attempts_left = rules.attempts_left(max_attempts=attempt.quiz.max_attempts, used=attempt.attempts_used)
    if not attempt.is_open:
        # At most one attempt per quiz is in progress: the ones not closed.
        in_progress = attempt.attempts_used - attempt.closed_attempts
        selectors.attempt_result(attempt=attempt, attempt_counts=(attempt.closed_attempts, in_progress))
    return attempt


@dataclass
class ChoiceInReview:
    id: int
    text: str
    is_selected: bool
    is_correct: bool | None
    feedback: str


@dataclass
class QuestionInReview:
    """One question of a result page: selectors.QuestionResult, numbered and joined per choice."""

    id: int
    number: int
    text: str
    points: Decimal
    score: Decimal
    choices: list
    explanation: str | None
    citations: tuple | None

    @property
    def is_answered(self):
        return any(choice.is_selected for choice in self.choices)

    @property
    def is_fully_right(self):
        # None when the quiz does not reveal marks: nothing is known to be right.
        return self.score is not None and self.score >= self.points

    @property
    def selected_choices(self):
        return [choice for choice in self.choices if choice.is_selected]

    @property
    def correct_choices(self):
        return [choice for choice in self.choices if choice.is_correct]


def questions_in_review(*, attempt):
    """The reviewed questions of a closed attempt (after attempt_with_result), ready for a template."""
    questions = []
    for number, result in enumerate(attempt.results, start=1):
        correct = set(result.correct or ())
        feedback = {item.choice: item.text for item in result.feedback or ()}
        questions.append(
            QuestionInReview(
                id=result.question,
                number=number,
                text=result.text,
                points=result.points,
                score=result.score,
                choices=[
                    ChoiceInReview(
                        id=choice.id,
                        text=choice.text,
                        is_selected=choice.id in result.selected,
                        is_correct=(choice.id in correct) if result.correct is not None else None,
                        feedback=feedback.get(choice.id, ""),
                    )
                    for choice in result.choices
                ],
                explanation=result.explanation,
                citations=result.citations,
            )
        )
    return questions


# ---------------------------------------------------------------------------------------------
# Progress


@dataclass
class AttemptPage:
    attempts: list
    number: int
    has_older: bool


def attempts_page(*, owner, number, per_page):
    """One page of the owner's attempts, newest first, with their quiz's title. One query.

    Reads one row more than a page to know whether older attempts follow, instead of counting them
    all; and none of the per-attempt snapshots, which a list never shows.
    """
    offset = (number - 1) * per_page
    rows = list(
        selectors.attempt_history(owner=owner).only(
            "id", "number", "state", "started_at", "submitted_at", "percent", "passed",
            "quiz__slug", "quiz__title", "quiz__language",
        )[offset : offset + per_page + 1]
    )
    return AttemptPage(attempts=rows[:per_page], number=number, has_older=len(rows) > per_page)
