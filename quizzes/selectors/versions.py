"""Reads about question versions: which attempts showed a question or a choice, and a question's versions."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from ..models import Attempt, Question


def attempts_showing_question(question_id, *, quiz_id):
    """How many attempts showed a question (answered or not)."""
    attempts = Attempt.objects.filter(quiz_id=quiz_id)
    if connection.features.supports_json_field_contains:
        return attempts.filter(question_order__contains=[question_id]).count()
    return sum(question_id in order for order in attempts.values_list("question_order", flat=True).iterator())


def attempts_showing_any_version(question):
    """How many attempts showed any version of a question: while one did, the question stays in its quiz."""
    lineage = question.lineage_id
    version_ids = set(Question.objects.filter(Q(pk=lineage) | Q(first_version_id=lineage)).values_list("pk", flat=True))
    if len(version_ids) <= 1:
        return attempts_showing_question(question.pk, quiz_id=question.quiz_id)
    orders = Attempt.objects.filter(quiz_id=question.quiz_id).values_list("question_order", flat=True).iterator()
    return sum(not version_ids.isdisjoint(order) for order in orders)


def attempts_showing_choice(choice):
    """How many attempts showed a choice (selected or not)."""
    key = str(choice.question_id)
    attempts = Attempt.objects.filter(quiz_id=choice.question.quiz_id)
    if connection.features.supports_json_field_contains:
        return attempts.filter(choice_order__contains={key: [choice.pk]}).count()
    return sum(choice.pk in order.get(key, ()) for order in attempts.values_list("choice_order", flat=True).iterator())


def attempts_per_question(quiz_id):
    """{question id: how many attempts showed it} for a quiz's questions that attempts showed. One query."""
    counts = {}
    for order in Attempt.objects.filter(quiz_id=quiz_id).values_list("question_order", flat=True).iterator():
        for question_id in order:
            counts[question_id] = counts.get(question_id, 0) + 1
    return counts


@dataclass(frozen=True)
class QuestionVersion:
    """One version of a question, as the admin lists them."""

    id: int
    version: int
    is_current: bool
    text: str
    attempt_count: int


def versions_of(question):
    """Every version of the question, newest first, with how many attempts showed each. Two queries."""
    lineage = question.lineage_id
    rows = (
        Question.objects.filter(Q(pk=lineage) | Q(first_version_id=lineage))
        .order_by("-version")
        .values_list("id", "version", "is_current", "text")
    )
    shown = attempts_per_question(question.quiz_id)
    return tuple(
        QuestionVersion(id=pk, version=version, is_current=is_current, text=text, attempt_count=shown.get(pk, 0))
        for pk, version, is_current, text in rows
    )
