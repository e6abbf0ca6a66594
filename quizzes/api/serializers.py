"""Shapes of the API: what each endpoint accepts and returns. No business rules here.

Output serializers read the plain objects that selectors build; the fields a learner sees before
submitting (ShownQuestion, SavedAnswer) carry nothing about correctness, so none can leak.
"""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import languages
from ..models import AttemptState, QuestionBehaviour

# An attempt never has more questions than this; longer lists are refused before touching the database.
MAX_CHOICES_PER_ANSWER = 50
MAX_ANSWERS_PER_SUBMIT = 500


# An output serializer of a plain shape whose fields each read the attribute of their name.
# (A comment, not a docstring: drf-spectacular would describe every subclass's component with it.)
#
# A submitted attempt's review holds several hundred values. DRF's generic walk copies every
# nested serializer's declared fields for each response and resolves each value through lookups
# meant for models, dotted sources and callables; that was most of a submit's serializing time.
# Here the declared fields are bound once per class and each value is read directly and converted
# by its declared field, so the output and the OpenAPI description stay the declared ones
# (tests/test_api_serializers.py compares the output with DRF's walk).
class ShapeSerializer(serializers.Serializer):
    def to_representation(self, instance):
        representation = {}
        for name, field in self.plain_fields():
            value = getattr(instance, name)
            representation[name] = None if value is None else field.to_representation(value)
        return representation

    @classmethod
    def plain_fields(cls):
        """(name, bound field) of every readable field, bound once per class and then only read."""
        fields = cls.__dict__.get("_plain_fields")
        if fields is None:
            fields = tuple((field.field_name, field) for field in cls()._readable_fields)
            if any(field.source != name for name, field in fields):
                raise TypeError(f"{cls.__name__}: every field must read the attribute of its name.")
            cls._plain_fields = fields
        return fields


class TopicSerializer(ShapeSerializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class QuizListSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField()
    language = serializers.CharField()
    topics = serializers.SerializerMethodField()
    question_count = serializers.IntegerField()
    questions_per_attempt = serializers.IntegerField(allow_null=True)
    time_limit_seconds = serializers.IntegerField(allow_null=True)
    max_attempts = serializers.IntegerField(allow_null=True)
    pass_mark = serializers.IntegerField()

    @extend_schema_field(TopicSerializer(many=True))
    def get_topics(self, quiz):
        # In the language the client asked for, else the quiz's own (an English quiz's topics in English).
        request = self.context.get("request")
        language = languages.response_language(request, quiz_language=quiz.language) if request else get_language()
        with override(language):
            # .all() reads the prefetch cache filled by selectors.catalogue.
            return TopicSerializer(quiz.topics.all(), many=True).data


class ChoiceSerializer(ShapeSerializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuestionSerializer(ShapeSerializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    choices = ChoiceSerializer(many=True)


class QuizDetailSerializer(QuizListSerializer):
    grading_method = serializers.CharField()
    answer_visibility = serializers.CharField()
    behaviour = serializers.ChoiceField(
        choices=QuestionBehaviour.choices,
        help_text=_("deferred: scored on submit; immediate: one check per question; interactive: several tries."),
    )
    max_tries = serializers.IntegerField(help_text=_("Tries per question under the interactive behaviour."))
    penalty = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text=_("Share of a question's points each wrong try costs (interactive).")
    )
    shuffle_questions = serializers.BooleanField()
    shuffle_choices = serializers.BooleanField()
    one_question_per_page = serializers.BooleanField(
        help_text=_("The pages show one question at a time, with a question navigator.")
    )
    questions = QuestionSerializer(source="shown_questions", many=True)


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


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class RegisterSerializer(CredentialsSerializer):
    def validate_username(self, username):
        user_model = get_user_model()
        for validator in user_model._meta.get_field("username").validators:
            try:
                validator(username)
            except DjangoValidationError as error:
                raise serializers.ValidationError(list(error.messages)) from error
        if user_model.objects.filter(username__iexact=username).exists():
            raise serializers.ValidationError(_("This username is taken."))
        return username

    def validate(self, attrs):
        candidate = get_user_model()(username=attrs["username"])
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


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
    answered = serializers.IntegerField()
    correct = serializers.IntegerField()
    share_correct = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text=_("Percent of the answered questions that earned full points.")
    )
    recall = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_(
            "The predicted chance, in percent, of recalling this topic's questions today (FSRS retrievability, "
            "averaged over your memory states); null before review knows any of them."
        ),
    )


class ProgressSerializer(serializers.Serializer):
    quizzes = QuizProgressSerializer(many=True)
    topics = TopicProgressSerializer(many=True)


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


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
