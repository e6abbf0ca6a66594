"""Quizzes as the catalogue and a quiz's endpoint show them: settings, topics, questions without answers."""

from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ... import languages
from ...models import QuestionBehaviour
from .shapes import ShapeSerializer


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
            return TopicSerializer(self.topics_of(quiz), many=True).data

    def topics_of(self, quiz):
        # A catalogue row: .all() reads the prefetch cache filled by selectors.catalogue.
        return quiz.topics.all()


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
    questions = QuestionSerializer(many=True)

    def topics_of(self, quiz):
        # A selectors.QuizForTaking: its topics are plain values already.
        return quiz.topics
