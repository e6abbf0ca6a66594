"""A question's review: what a closed attempt's result, a locked check and spaced review explain."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .quizzes import ChoiceSerializer
from .shapes import ShapeSerializer


class SourceSerializer(ShapeSerializer):
    title = serializers.CharField()
    publisher = serializers.CharField()
    language = serializers.CharField()
    published = serializers.DateField(allow_null=True)
    url = serializers.CharField(allow_blank=True)


class CitationSerializer(ShapeSerializer):
    quote = serializers.CharField(help_text=_("Verbatim, in the source's language."))
    translation = serializers.CharField(
        allow_blank=True, help_text=_("The quote in the quiz's language when the source is in another; else empty.")
    )
    note = serializers.CharField(allow_blank=True, help_text=_("A correction or context; may be empty."))
    source = SourceSerializer()


class ChoiceFeedbackSerializer(ShapeSerializer):
    choice = serializers.IntegerField()
    text = serializers.CharField()


class QuestionResultSerializer(ShapeSerializer):
    question = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    choices = ChoiceSerializer(many=True)
    selected = serializers.ListField(child=serializers.IntegerField())
    score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text=_("The points this question earned; null when the quiz does not show answers (yet)."),
    )
    correct = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("The correct choices; null when the quiz does not show answers (yet)."),
    )
    explanation = serializers.CharField(allow_null=True)
    feedback = ChoiceFeedbackSerializer(many=True, allow_null=True, help_text=_("Feedback on the selected choices."))
    citations = CitationSerializer(many=True, allow_null=True)
