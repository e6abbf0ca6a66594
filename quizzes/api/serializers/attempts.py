"""Attempts: one in progress (questions, saved answers, checks), a closed one's result, and what is sent.

Output serializers read selectors' AttemptInProgress and AttemptResult (or, in the history list, the
Attempt rows); the in-progress shapes carry nothing about correctness, so none can leak.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ...models import AttemptState
from .quizzes import QuestionSerializer
from .results import ChoiceFeedbackSerializer, QuestionResultSerializer
from .shapes import ShapeSerializer

# An attempt never has more questions than this; longer lists are refused before touching the database.
MAX_CHOICES_PER_ANSWER = 50
MAX_ANSWERS_PER_SUBMIT = 500


class AttemptQuestionSerializer(QuestionSerializer):
    flagged = serializers.BooleanField(help_text=_("Flagged by the learner to review before submitting."))


class SavedAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    choices = serializers.ListField(child=serializers.IntegerField())
    saved_at = serializers.DateTimeField()


class AttemptSummarySerializer(serializers.Serializer):
    """An attempt in the history list. Result fields appear only once it is closed."""

    id = serializers.UUIDField()
    quiz = serializers.SlugField(source="quiz.slug")
    quiz_title = serializers.CharField(source="quiz.title")
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=AttemptState.choices)
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    passed = serializers.BooleanField(required=False)

    result_fields = ("score", "max_score", "percent", "passed")

    def to_representation(self, attempt):
        representation = super().to_representation(attempt)
        if attempt.is_open:
            # Before submission nothing may hint at the score, not even the maximum.
            for name in self.result_fields:
                representation.pop(name, None)
        return representation


class QuestionCheckSerializer(ShapeSerializer):
    question = serializers.IntegerField()
    tries_used = serializers.IntegerField()
    tries_left = serializers.IntegerField()
    is_locked = serializers.BooleanField(help_text=_("Checked for good: its answer counts and can no longer change."))
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text=_("The points it earned; null until locked.")
    )
    is_right = serializers.BooleanField(
        allow_null=True,
        help_text=_("Once locked: whether the last try earned full points (before penalties); otherwise null."),
    )
    hint = ChoiceFeedbackSerializer(
        many=True,
        allow_null=True,
        help_text=_("Interactive, after a wrong try: feedback on the wrong choices it chose; otherwise null."),
    )
    review = QuestionResultSerializer(
        allow_null=True, help_text=_("Once locked: the question's review, as in the result; otherwise null.")
    )


class AttemptSerializer(AttemptSummarySerializer):
    """One attempt. In progress: `questions`, `answers` and `checks`. Closed: the score and `results`."""

    questions = AttemptQuestionSerializer(source="shown_questions", many=True, required=False)
    answers = SavedAnswerSerializer(source="saved_answers", many=True, required=False)
    checks = QuestionCheckSerializer(
        many=True,
        required=False,
        help_text=_("On a quiz with checks (immediate or interactive), each question's check state; absent otherwise."),
    )
    percentile = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        required=False,
        help_text=_("Percent of other learners' closed attempts on this quiz that this one beats."),
    )
    reveals_answers = serializers.BooleanField(required=False)
    overall_feedback = serializers.CharField(
        allow_null=True,
        required=False,
        help_text=_(
            "The quiz's feedback for the band this attempt's percent falls in; null without bands, or when "
            "the quiz does not show answers (yet)."
        ),
    )
    results = QuestionResultSerializer(many=True, required=False)

    progress_fields = ("questions", "answers", "checks")
    result_fields = AttemptSummarySerializer.result_fields + (
        "percentile", "reveals_answers", "overall_feedback", "results"
    )

    def to_representation(self, attempt):
        representation = super().to_representation(attempt)
        if not attempt.is_open:
            for name in self.progress_fields:
                representation.pop(name, None)
        elif representation.get("checks") is None:
            # A quiz without checks (deferred feedback) has no check state to tell.
            representation.pop("checks", None)
        return representation


# ---------------------------------------------------------------------------------------------
# Input


class AnswerInputSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=True,
        max_length=MAX_CHOICES_PER_ANSWER,
        help_text=_("The selected choice ids; an empty list clears the answer."),
    )


class FlagInputSerializer(serializers.Serializer):
    flagged = serializers.BooleanField(help_text=_("True flags the question to review; false removes the flag."))


class FlagSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    flagged = serializers.BooleanField()
    flagged_questions = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Every question of the attempt flagged now, in its order.")
    )


class SubmitAnswerSerializer(AnswerInputSerializer):
    question = serializers.IntegerField(min_value=1)


class SubmitSerializer(serializers.Serializer):
    answers = SubmitAnswerSerializer(many=True, required=False, max_length=MAX_ANSWERS_PER_SUBMIT)
