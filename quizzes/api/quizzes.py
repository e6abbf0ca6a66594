"""API v1: the published quizzes (list and detail, cached for guests) and a quiz's statistics.

Parse input, call a selector, serialize; nothing else.
"""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import caching, selectors
from . import serializers
from .documented_errors import NO_SUCH_PAGE, NOT_SIGNED_IN, error, invalid
from .filters import QuizFilter
from .languages import SpeaksQuizLanguage
from .lookups import any_quiz_or_404
from .permissions import CanViewQuizReports, MethodCheckedFirst


@extend_schema(
    tags=["quizzes"],
    summary=_("Published quizzes"),
    responses={
        200: serializers.QuizListSerializer(many=True),
        400: invalid(_("An unknown filter value.")),
        404: NO_SUCH_PAGE,
    },
)
@method_decorator(caching.public_get, name="dispatch")
class QuizListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.QuizListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = QuizFilter

    def get_queryset(self):
        return selectors.catalogue()


@extend_schema(
    tags=["quizzes"],
    summary=_("A quiz with its settings and questions"),
    responses={200: serializers.QuizDetailSerializer, 404: error(_("No published quiz with this slug."))},
)
@method_decorator(caching.public_get, name="dispatch")
class QuizDetailView(SpeaksQuizLanguage, APIView):
    permission_classes = [AllowAny]

    def get(self, request, slug):
        quiz = selectors.quiz_for_taking(slug=slug)
        if quiz is None:
            raise NotFound(_("No published quiz with this slug."))
        self.use_quiz_language(quiz.language)
        return Response(serializers.QuizDetailSerializer(quiz).data)


@extend_schema(
    tags=["statistics"],
    summary=_("Item analysis of a quiz (with the reports permission)"),
    responses={
        200: serializers.QuizStatisticsSerializer,
        401: NOT_SIGNED_IN,
        403: error(_("You need the permission to view quiz statistics and reports.")),
        404: error(_("No quiz with this slug.")),
    },
)
class QuizStatisticsView(MethodCheckedFirst, SpeaksQuizLanguage, APIView):
    permission_classes = [CanViewQuizReports]

    def get(self, request, slug):
        quiz = any_quiz_or_404(slug)
        self.use_quiz_language(quiz.language)
        statistics = caching.cached_statistics(
            quiz, lambda: serializers.QuizStatisticsSerializer(selectors.quiz_statistics(quiz=quiz)).data
        )
        return Response(statistics)
