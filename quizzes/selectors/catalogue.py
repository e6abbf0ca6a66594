"""Reads of the catalogue and of a quiz as a learner takes it: never correctness, feedback or scores."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .. import rules
from ..models import (
    Question,
    Quiz,
)
from .shapes import QuizForTaking, ShownChoice, ShownQuestion, TopicOfQuiz


def catalogue(*, language=None, topic=None, search=None):
    """Published quizzes with `question_count`, topics prefetched; optionally filtered."""
    question_count = (
        Question.objects.current().filter(quiz=OuterRef("pk")).order_by().values("quiz").annotate(n=Count("id")).values("n")
    )
    quizzes = (
        Quiz.objects.filter(is_published=True)
        .annotate(question_count=Coalesce(Subquery(question_count), 0))
        .prefetch_related("topics")
        .order_by("language", "title", "pk")
    )
    return filter_catalogue(quizzes, language=language, topic=topic, search=search)


def filter_catalogue(quizzes, *, language=None, topic=None, search=None):
    """The quizzes of `quizzes` in a language, on a topic (by slug), or with words in title or description."""
    if language:
        quizzes = quizzes.filter(language=language)
    if topic:
        # Exists instead of a join, so a quiz is never listed twice and counts stay exact.
        quizzes = quizzes.filter(Exists(Quiz.topics.through.objects.filter(quiz=OuterRef("pk"), topic__slug=topic)))
    if search:
        quizzes = quizzes.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return quizzes


def published_quiz(*, slug, include_unpublished=False):
    """A published quiz by slug (any, with include_unpublished: for staff), or None. One query.

    For starting attempts and checking access.
    """
    quizzes = Quiz.objects.all() if include_unpublished else Quiz.objects.filter(is_published=True)
    return quizzes.filter(slug=slug).first()


def quiz_for_taking(*, slug):
    """A published quiz as a QuizForTaking, its questions in authored order, or None. Three queries."""
    quiz = catalogue().filter(slug=slug).first()
    if quiz is None:
        return None
    return QuizForTaking(
        slug=quiz.slug,
        title=quiz.title,
        description=quiz.description,
        language=quiz.language,
        topics=tuple(
            TopicOfQuiz(slug=topic.slug, name_de=topic.name_de, name_en=topic.name_en) for topic in quiz.topics.all()
        ),
        question_count=quiz.question_count,
        questions_per_attempt=quiz.questions_per_attempt,
        time_limit_seconds=quiz.time_limit_seconds,
        max_attempts=quiz.max_attempts,
        pass_mark=quiz.pass_mark,
        grading_method=quiz.grading_method,
        answer_visibility=quiz.answer_visibility,
        behaviour=quiz.behaviour,
        max_tries=quiz.max_tries,
        penalty=quiz.penalty,
        shuffle_questions=quiz.shuffle_questions,
        shuffle_choices=quiz.shuffle_choices,
        one_question_per_page=quiz.one_question_per_page,
        questions=tuple(shown_questions(quiz=quiz)),
    )


def shown_questions(*, quiz=None, attempt=None):
    """Questions with their choices as a learner sees them, in one query.

    For an attempt, questions and choices follow the order fixed when it started; questions
    deleted since are skipped and choices added since come last. For a quiz, questions come in
    authored order and choices too, unless attempts shuffle them.
    """
    if attempt is not None:
        questions = Question.objects.filter(pk__in=attempt.question_order)
    else:
        questions = Question.objects.current().filter(quiz=quiz)
    rows = questions.order_by("position", "id", "choices__position", "choices__id").values_list(
        "id", "kind", "text", "points", "choices__id", "choices__text", "choices__position"
    )
    heads, choices_of = {}, defaultdict(list)
    for question_id, kind, text, points, choice_id, choice_text, position in rows:
        heads.setdefault(question_id, (kind, text, points))
        if choice_id is not None:
            choices_of[question_id].append((position, ShownChoice(id=choice_id, text=choice_text)))
    order = list(heads) if attempt is None else [qid for qid in attempt.question_order if qid in heads]
    result = []
    for question_id in order:
        choices = [choice for _position, choice in choices_of[question_id]]
        if attempt is not None:
            choices = _in_attempt_order(choices, attempt.choice_order.get(str(question_id), []))
        else:
            choices = _outside_attempts(choices_of[question_id], shuffles_choices=quiz.shuffle_choices)
        kind, text, points = heads[question_id]
        result.append(ShownQuestion(id=question_id, kind=kind, text=text, points=points, choices=tuple(choices)))
    return result


def _outside_attempts(positioned_choices, *, shuffles_choices):
    """(position, ShownChoice) pairs in the order rules.choice_order_outside_attempts gives."""
    ordered = sorted(
        positioned_choices,
        key=lambda pair: rules.choice_order_outside_attempts(
            shuffles_choices=shuffles_choices, choice_id=pair[1].id, position=pair[0]
        ),
    )
    return [choice for _position, choice in ordered]


def _in_attempt_order(choices, choice_ids):
    rank = {choice_id: index for index, choice_id in enumerate(choice_ids)}
    return sorted(choices, key=lambda choice: rank.get(choice.id, len(rank)))
