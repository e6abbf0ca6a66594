"""Authoring state changes: publish and unpublish quizzes, and duplicate one with its questions.

The admin's actions call these and only turn the outcome into messages and history entries. Whether
a quiz may be published is authoring.py's rule, applied to the saved questions as the selectors read
them. Bulk updates send no save signal, so these tell the cache themselves that content changed.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from ..models import Choice, Citation, FeedbackBand, Quiz
from ..selectors.authoring import questions_for_rules, quiz_publishing_problems


@dataclass(frozen=True)
class RefusedQuiz:
    """A quiz that was not published, and why (messages in the language active at the call)."""

    quiz_id: int
    title: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class PublishingOutcome:
    """What publish_quizzes did: the quizzes it published and those it refused."""

    published_ids: tuple[int, ...]
    refused: tuple[RefusedQuiz, ...]


def publish_quizzes(*, quiz_ids):
    """Publish every unpublished quiz among `quiz_ids` that the publishing rules allow; refuse the others.

    Quizzes already published are left alone and appear in neither list.
    """
    with transaction.atomic():
        # Locked, so a parallel publish or unpublish of the same quizzes waits instead of counting twice.
        candidates = list(Quiz.objects.select_for_update().filter(pk__in=quiz_ids, is_published=False))
        published_ids, refused = [], []
        for quiz in candidates:
            problems = quiz_publishing_problems(quiz)
            if problems:
                refused.append(RefusedQuiz(quiz_id=quiz.pk, title=quiz.title, problems=tuple(problems)))
            else:
                published_ids.append(quiz.pk)
        if published_ids:
            Quiz.objects.filter(pk__in=published_ids).update(is_published=True)
    return PublishingOutcome(published_ids=tuple(published_ids), refused=tuple(refused))


def unpublish_quizzes(*, quiz_ids):
    """Unpublish the published quizzes among `quiz_ids`; the ids of those it unpublished."""
    with transaction.atomic():
        unpublished_ids = list(
            Quiz.objects.select_for_update().filter(pk__in=quiz_ids, is_published=True).values_list("pk", flat=True)
        )
        if unpublished_ids:
            Quiz.objects.filter(pk__in=unpublished_ids).update(is_published=False)
    return tuple(unpublished_ids)


def add_topics_of_questions(*, quiz):
    """Give a quiz every topic its questions have, so it shows under them in the catalogue's filter.

    Topics an editor chose beyond its questions' stay. Returns the topics added (the m2m signal makes
    the cached catalogue stale).
    """
    question_topics = set(quiz.questions.current().values_list("topic_id", flat=True))
    missing = question_topics - set(quiz.topics.values_list("id", flat=True))
    if missing:
        quiz.topics.add(*missing)
    return missing


def unused_copy_slug(field, value, *, taken):
    """The first of value-copy, value-copy-2, … that fits the field and is not taken."""
    max_length = Quiz._meta.get_field(field).max_length
    number = 1
    while True:
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        candidate = value[: max_length - len(suffix)] + suffix
        if not taken(candidate):
            return candidate
        number += 1


@transaction.atomic
def duplicate_quiz(*, quiz):
    """An unpublished deep copy of a quiz: questions, choices, citations, topics and feedback bands, under new keys."""
    questions = list(questions_for_rules(quiz.questions.current().order_by("position", "id")))
    topics = list(quiz.topics.all())
    copy = Quiz.objects.get(pk=quiz.pk)
    copy.pk = None
    copy._state.adding = True
    copy.slug = unused_copy_slug("slug", quiz.slug, taken=lambda slug: Quiz.objects.filter(slug=slug).exists())
    copy.translation_key = unused_copy_slug(
        "translation_key",
        quiz.translation_key,
        taken=lambda key: Quiz.objects.filter(translation_key=key, language=quiz.language).exists(),
    )
    with translation.override(quiz.language):
        # The title is content in the quiz's language, not in the editor's.
        copy.title = (gettext("%(title)s (copy)") % {"title": quiz.title})[: Quiz._meta.get_field("title").max_length]
    copy.is_published = False
    copy.save()
    copy.topics.set(topics)
    FeedbackBand.objects.bulk_create(
        FeedbackBand(quiz=copy, from_percent=band.from_percent, text=band.text) for band in quiz.feedback_bands.all()
    )
    for question in questions:
        choices, citations = list(question.choices.all()), list(question.citations.all())
        question.pk = None
        question._state.adding = True
        question.quiz = copy
        # A copy is a question of its own: it shares no translation (and no learner's memory) with the original.
        question.translation_key = ""
        question.save()
        for child in choices + citations:
            child.pk = None
            child._state.adding = True
            child.question = question
        Choice.objects.bulk_create(choices)
        Citation.objects.bulk_create(citations)
    return copy
