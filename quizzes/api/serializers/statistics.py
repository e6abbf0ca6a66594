"""A quiz's item analysis, for editors with the reports permission."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class HistogramBinSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    high = serializers.IntegerField()
    count = serializers.IntegerField()


class ChoiceStatisticsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    is_correct = serializers.BooleanField()
    picked = serializers.IntegerField()


class QuestionStatisticsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    answer_count = serializers.IntegerField(help_text=_("Closed attempts that saved an answer to this question."))
    facility = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_("Mean share of the points earned, 0 to 1, over the answers given; null without answers."),
    )
    discrimination = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_(
            "Correlation (-1 to 1) of this question's score with the rest of the attempt's score; "
            "null with fewer than two answers or no variation."
        ),
    )
    choices = ChoiceStatisticsSerializer(many=True)


class QuizStatisticsSerializer(serializers.Serializer):
    attempt_count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    median = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    stdev = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    high = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    low = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    histogram = HistogramBinSerializer(many=True)
    questions = QuestionStatisticsSerializer(many=True)
