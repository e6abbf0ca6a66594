"""A learner's progress: grades per quiz and right answers per topic."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class QuizProgressSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    language = serializers.CharField()
    grading_method = serializers.CharField()
    attempt_count = serializers.IntegerField()
    best_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    latest_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    grade = serializers.DecimalField(max_digits=5, decimal_places=2)
    has_passed = serializers.BooleanField()


class TopicProgressSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    asked = serializers.IntegerField(help_text=_("Questions of this topic in your closed attempts, answered or not."))
    answered = serializers.IntegerField(help_text=_("Of those, the ones you answered."))
    correct = serializers.IntegerField(help_text=_("Of those, the ones that earned full points."))
    share_correct = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        help_text=_("Percent of the questions asked that earned full points; an unanswered question is a miss."),
    )
    recall = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_(
            "The predicted chance, in percent, of still recalling this topic's questions tomorrow (FSRS "
            "retrievability a day from now, averaged over your memory states); null before review knows any of them."
        ),
    )


class ProgressSerializer(serializers.Serializer):
    quizzes = QuizProgressSerializer(many=True)
    topics = TopicProgressSerializer(many=True)
