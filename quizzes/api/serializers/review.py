"""Spaced review: the questions due, and an answered one explained and scheduled."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .quizzes import ChoiceSerializer
from .results import ChoiceFeedbackSerializer, CitationSerializer
from .shapes import ShapeSerializer


class ReviewQuestionSerializer(ShapeSerializer):
    id = serializers.IntegerField(help_text=_("The question's id in the language shown; answer it under this id."))
    kind = serializers.CharField()
    text = serializers.CharField()
    language = serializers.CharField()
    quiz = serializers.SlugField()
    quiz_title = serializers.CharField()
    due = serializers.DateTimeField()
    choices = ChoiceSerializer(many=True)


class ReviewQueueSerializer(ShapeSerializer):
    questions = ReviewQuestionSerializer(
        many=True, help_text=_("Up to 20 of the questions due now, most overdue first, in your language where it has them.")
    )
    due_now = serializers.IntegerField(help_text=_("How many questions are due now in all."))
    later_today = serializers.IntegerField(help_text=_("How many fall due later today."))
    this_week = serializers.IntegerField(help_text=_("How many fall due within seven days from now (later today included)."))
    next_due = serializers.DateTimeField(allow_null=True, help_text=_("When the next question not due now falls due, if within a week."))
    attempt = serializers.UUIDField(
        allow_null=True, help_text=_("The attempt whose mistakes are practised (?attempt=), else null.")
    )


# The queue is read whenever the review page or an app shows it, and a learner with many memory
# states reads it often; even ShapeSerializer's walk (a field object per value) was a tenth of its
# time. The same shape as ReviewQueueSerializer (the schema's), built as plain dicts and lists;
# tests/test_review_queue_shape.py compares the two.
_DUE = serializers.DateTimeField()


def review_queue_representation(queue):
    """ReviewQueueSerializer's output for a selectors.ReviewQueue, without a field object per value."""
    return {
        "questions": [
            {
                "id": question.id,
                "kind": question.kind,
                "text": question.text,
                "language": question.language,
                "quiz": question.quiz,
                "quiz_title": question.quiz_title,
                "due": _DUE.to_representation(question.due),
                "choices": [{"id": choice.id, "text": choice.text} for choice in question.choices],
            }
            for question in queue.questions
        ],
        "due_now": queue.due_now,
        "later_today": queue.later_today,
        "this_week": queue.this_week,
        "next_due": None if queue.next_due is None else _DUE.to_representation(queue.next_due),
        "attempt": None if queue.attempt is None else str(queue.attempt),
    }


class ReviewedQuestionSerializer(ShapeSerializer):
    question = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    language = serializers.CharField()
    quiz = serializers.SlugField()
    quiz_title = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, help_text=_("The points this answer earned."))
    is_right = serializers.BooleanField(help_text=_("Whether it earned full points (rated Good, else Again)."))
    choices = ChoiceSerializer(many=True)
    selected = serializers.ListField(child=serializers.IntegerField())
    correct = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField()
    feedback = ChoiceFeedbackSerializer(many=True, help_text=_("Feedback on the selected choices."))
    citations = CitationSerializer(many=True)
    due = serializers.DateTimeField(help_text=_("When this question is next due for review."))
