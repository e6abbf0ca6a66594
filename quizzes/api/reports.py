"""The teacher report of a quiz in the API: JSON (overview, item analysis, responses) or the results as CSV.

DRF reserves ?format= for choosing a renderer, so CSV is a renderer of its own: ?format=csv (or
Accept: text/csv) selects it, and the view then streams the results CSV instead of serializing.
"""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..reports import exports, selectors
from ..reports.filters import ReportFilterForm
from .languages import SpeaksQuizLanguage
from .lookups import any_quiz_or_404
from .permissions import CanViewQuizReports, MethodCheckedFirst


class CSVRenderer(BaseRenderer):
    """Selected by ?format=csv. Successful reports stream their own CSV; this renders errors only."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        detail = data.get("detail", data) if isinstance(data, dict) else data
        return f"detail\r\n{detail}\r\n".encode()


class ReportHistogramBinSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    high = serializers.IntegerField(help_text=_("Exclusive, except for the last bin, which includes 100."))
    count = serializers.IntegerField()


class ReportOverviewSerializer(serializers.Serializer):
    attempt_count = serializers.IntegerField()
    learner_count = serializers.IntegerField(help_text=_("Distinct learners with an account."))
    guest_count = serializers.IntegerField(help_text=_("Distinct guest sessions."))
    mean_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    median_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passed_count = serializers.IntegerField()
    pass_rate = serializers.FloatField(allow_null=True, help_text=_("Share of attempts that passed, 0 to 1."))
    histogram = ReportHistogramBinSerializer(many=True)


class ChoiceFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    is_correct = serializers.BooleanField()
    picked_count = serializers.IntegerField()
    picked_share = serializers.FloatField(allow_null=True, help_text=_("Share of learners shown the question."))
    is_rare_distractor = serializers.BooleanField(help_text=_("A wrong choice picked by fewer than 5 percent of learners."))


class QuestionFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    version = serializers.IntegerField(
        help_text=_("The question's version: an earlier one that attempts showed is listed beside the current one.")
    )
    is_current = serializers.BooleanField()
    kind = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    answer_count = serializers.IntegerField(help_text=_("Covered attempts that showed this question."))
    right_count = serializers.IntegerField()
    partial_count = serializers.IntegerField()
    wrong_count = serializers.IntegerField()
    unanswered_count = serializers.IntegerField()
    facility = serializers.FloatField(allow_null=True, help_text=_("Mean score as a share of the points, 0 to 1."))
    standard_deviation = serializers.FloatField(allow_null=True)
    discrimination = serializers.FloatField(
        allow_null=True, help_text=_("Correlation (-1 to 1) of the question's score with the rest of the attempt.")
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=["too_easy", "too_hard", "weak_discrimination"])
    )
    choices = ChoiceFiguresSerializer(many=True)


class QuizReportSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    attempts = serializers.ChoiceField(choices=["first", "all"])
    overview = ReportOverviewSerializer()
    questions = QuestionFiguresSerializer(many=True)


FILTER_PARAMETERS = [
    OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", "csv"],
        description=_("json (default): the report; csv: the results, one row per learner, UTF-8 with BOM."),
    ),
    OpenApiParameter("attempts", OpenApiTypes.STR, enum=["first", "all"], description=_("Default: first.")),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description=_("Attempts closed on or after this day.")),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description=_("Attempts closed on or before this day.")),
]


@extend_schema(
    tags=["statistics"],
    summary=_("Teacher report of a quiz (reports permission)"),
    parameters=FILTER_PARAMETERS,
    responses={
        (200, "application/json"): QuizReportSerializer,
        (200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR, description=_("The results as CSV.")),
        400: OpenApiResponse(response=OpenApiTypes.OBJECT, description=_("An invalid filter; field errors.")),
        401: OpenApiResponse(description=_("No valid token or session.")),
        403: OpenApiResponse(description=_("Only holders of the reports permission may see quiz reports.")),
        404: OpenApiResponse(description=_("No quiz with this slug.")),
    },
)
class QuizReportView(MethodCheckedFirst, SpeaksQuizLanguage, APIView):
    permission_classes = [CanViewQuizReports]
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get(self, request, slug):
        quiz = any_quiz_or_404(slug)
        self.use_quiz_language(quiz.language)
        form = ReportFilterForm({name: value for name, value in request.query_params.items() if name != "format"})
        if not form.is_valid():
            raise ValidationError({field: [str(message) for message in messages] for field, messages in form.errors.items()})
        attempt_filter = form.attempt_filter()
        if request.accepted_renderer.format == CSVRenderer.format:
            rows = exports.results_rows(quiz=quiz, attempt_filter=attempt_filter)
            return exports.csv_response(rows, filename=f"{slugify(quiz.slug)}-results.csv")
        report = {
            "slug": quiz.slug,
            "title": quiz.title,
            "attempts": form.cleaned_data["attempts"],
            "overview": selectors.overview(quiz=quiz, attempt_filter=attempt_filter),
            "questions": selectors.question_figures(quiz=quiz, attempt_filter=attempt_filter),
        }
        return Response(QuizReportSerializer(report).data)
