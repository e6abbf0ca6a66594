"""Import into and export from a quiz in the API, for those who may author questions (the Editors group).

POST .../import/ takes a multipart `file` (GIFT or Moodle XML); `?dry_run=1` answers the preview, else
the file is imported, all or nothing (400 with the problems, nothing written). GET .../export/ answers
the quiz's questions as a file in ?format= (gift or xml), and every error as JSON.
"""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import ImportHasErrors
from ..interchange import files
from ..interchange.mapping import CREATED, UNCHANGED, UPDATED, quiz_interchange_questions
from ..interchange.model import MAX_FILE_BYTES
from ..services import importing
from ..throttles import InterchangeThrottle
from .lookups import any_quiz_or_404
from .permissions import CanExportQuestions, CanImportQuestions, MethodCheckedFirst

DRY_RUN_VALUES = {"1": True, "true": True, "0": False, "false": False, "": False}


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A GIFT (.gift, .txt) or Moodle XML (.xml) file, at most 10 MB."))


class PreviewQuestionSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    key = serializers.CharField()
    action = serializers.ChoiceField(choices=[CREATED, UPDATED, UNCHANGED])
    is_new_version = serializers.BooleanField(
        help_text=_("An update of a question that attempts showed: written as a new version, the old one kept for them.")
    )
    text = serializers.CharField()
    scoring = serializers.CharField(help_text=_("How our scoring rule will score the question."))


class ImportProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("0 for the whole file."))
    severity = serializers.ChoiceField(
        choices=["error", "skipped"],
        help_text=_("error: nothing is imported; skipped: the question is left out, the rest is imported."),
    )
    message = serializers.CharField()


class ImportOutcomeSerializer(serializers.Serializer):
    is_written = serializers.BooleanField(help_text=_("False for a dry run and for a file with errors."))
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    questions = PreviewQuestionSerializer(many=True)
    problems = ImportProblemSerializer(many=True)


def outcome_data(preview, *, is_written):
    return ImportOutcomeSerializer({
        "is_written": is_written,
        "created": preview.count(CREATED),
        "updated": preview.count(UPDATED),
        "unchanged": preview.count(UNCHANGED),
        "questions": preview.rows,
        "problems": preview.problems,
    }).data


@extend_schema(
    tags=["authoring"],
    summary=_("Import a GIFT or Moodle XML file into a quiz (authoring permissions)"),
    request={"multipart/form-data": ImportRequestSerializer},
    parameters=[
        OpenApiParameter("dry_run", OpenApiTypes.STR, enum=["0", "1"],
                         description=_("1: only preview what the import would do; nothing is written.")),
    ],
    responses={
        200: ImportOutcomeSerializer,
        400: OpenApiResponse(
            response=ImportOutcomeSerializer,
            description=_("The file has errors (listed in problems, with their lines) and nothing was written; or "
                          "no file, or a bad dry_run."),
        ),
        401: OpenApiResponse(description=_("No valid token or session.")),
        403: OpenApiResponse(description=_("Only editors may import questions.")),
        404: OpenApiResponse(description=_("No quiz with this slug.")),
        429: OpenApiResponse(description=_("Too many requests; retry after the time given in Retry-After.")),
    },
)
class QuizImportView(MethodCheckedFirst, APIView):
    permission_classes = [CanImportQuestions]
    parser_classes = [MultiPartParser]
    throttle_classes = [InterchangeThrottle]

    def post(self, request, slug):
        quiz = any_quiz_or_404(slug)
        dry_run = DRY_RUN_VALUES.get(request.query_params.get("dry_run", "").lower())
        if dry_run is None:
            raise ValidationError({"dry_run": [_("Use 1 to preview, or 0 (or nothing) to import.")]})
        upload = ImportRequestSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        raw = file.read(MAX_FILE_BYTES + 1)
        if dry_run:
            preview = importing.preview_file(quiz=quiz, raw=raw, name=file.name)
            return Response(outcome_data(preview, is_written=False))
        try:
            outcome = importing.import_file(quiz=quiz, raw=raw, name=file.name)
        except ImportHasErrors as error:
            return Response(outcome_data(error.preview, is_written=False), status=status.HTTP_400_BAD_REQUEST)
        return Response(outcome_data(outcome.preview, is_written=True))


class ErrorsInJson(DefaultContentNegotiation):
    """The export answers its file itself, so what DRF renders is an error: always JSON, whatever the
    Accept header, and ?format= names the file's format instead of choosing a renderer (DRF's use of
    it told errors as plain text, and a client that accepts only JSON got 406 instead of its 401)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(
    tags=["authoring"],
    summary=_("Export a quiz's questions as GIFT or Moodle XML (authoring permissions)"),
    parameters=[
        OpenApiParameter("format", OpenApiTypes.STR, enum=list(files.FORMATS),
                         description=_("gift (default) or xml.")),
    ],
    responses={
        (200, "text/plain"): OpenApiResponse(response=OpenApiTypes.STR, description=_("The questions as GIFT.")),
        (200, "application/xml"): OpenApiResponse(response=OpenApiTypes.STR,
                                                  description=_("The questions as Moodle XML.")),
        401: OpenApiResponse(description=_("No valid token or session.")),
        403: OpenApiResponse(description=_("Only editors may export questions, which carry their right answers.")),
        404: OpenApiResponse(description=_("No quiz with this slug, or an unknown format.")),
        429: OpenApiResponse(description=_("Too many requests; retry after the time given in Retry-After.")),
    },
)
class QuizExportView(MethodCheckedFirst, APIView):
    permission_classes = [CanExportQuestions]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = ErrorsInJson
    throttle_classes = [InterchangeThrottle]

    def get(self, request, slug):
        file_format = request.query_params.get("format") or files.GIFT
        if file_format not in files.FORMATS:
            raise NotFound(_("No such format; use gift or xml."))
        quiz = any_quiz_or_404(slug)
        content = files.write(quiz_interchange_questions(quiz), file_format)
        response = HttpResponse(content, content_type=files.CONTENT_TYPES[file_format])
        response["Content-Disposition"] = f'attachment; filename="{files.file_name(quiz.slug, file_format)}"'
        return response
