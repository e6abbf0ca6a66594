"""API v1: spaced review: the questions due across quizzes, and answering one (graded, explained, scheduled)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .. import parameters, selectors, services
from . import serializers
from .authentication import GuestSessionAuthentication, owner_of
from ..throttles import ReviewAnswerThrottle
from .documented_errors import NO_CSRF_TOKEN, NO_SUCH_ATTEMPT, NOT_SIGNED_IN, THROTTLED, error, invalid
from .languages import SpeaksQuizLanguage
from .permissions import IsOwner


@extend_schema(
    tags=["review"],
    summary=_("Your questions due for review now, across quizzes, and how many fall due later"),
    description=_(
        "Takes a token, a signed-in session, or a guest's browser session. With ?attempt=<id>, that closed "
        "attempt's missed questions not practised since (\"Practise my mistakes\"), all due now."
    ),
    parameters=[
        OpenApiParameter(
            "attempt", OpenApiTypes.UUID, required=False, description=_("Practise this attempt's mistakes.")
        )
    ],
    responses={
        200: serializers.ReviewQueueSerializer,
        400: invalid(_("An attempt id that is not a UUID.")),
        401: NOT_SIGNED_IN,
        403: error(_("The quiz does not show this attempt's answers (yet).")),
        404: NO_SUCH_ATTEMPT,
        409: error(_("The attempt is still in progress: its mistakes can be practised once it is submitted.")),
    },
)
class ReviewQueueView(SpeaksQuizLanguage, APIView):
    authentication_classes = [*api_settings.DEFAULT_AUTHENTICATION_CLASSES, GuestSessionAuthentication]
    permission_classes = [IsOwner]

    def get(self, request):
        queue = selectors.review_queue(owner=owner_of(request), attempt_id=self.practised_attempt_id())
        return Response(serializers.review_queue_representation(queue))

    def practised_attempt_id(self):
        """The attempt of ?attempt=, whose mistakes are practised; None for the whole review."""
        attempt_id = self.request.query_params.get("attempt")
        if attempt_id is None:
            return None
        attempt_id = parameters.uuid_parameter(attempt_id)
        if attempt_id is None:
            raise ValidationError({"attempt": [_("Not a valid attempt id.")]})
        return attempt_id

    def quiz_language(self):
        # Practising one attempt is about its quiz: why it cannot be practised is told in that
        # quiz's language, as the attempt's own endpoints tell their errors (one query, on errors only).
        try:
            attempt_id = self.practised_attempt_id()
        except ValidationError:
            return None
        if attempt_id is None:
            return None
        return selectors.quiz_language_of_attempt(attempt_id=attempt_id, owner=owner_of(self.request))


@extend_schema(
    tags=["review"],
    summary=_("Answer a question in review: graded at once, explained, and scheduled"),
    description=_(
        "Grades the answer as a quiz would (nothing about your attempts, grades or statistics changes), shows "
        "the answer key, explanation, feedback and sources, and says when the question is next due. Takes a "
        "token, a signed-in session, or a guest's browser session with its CSRF token in X-CSRFToken."
    ),
    request=serializers.AnswerInputSerializer,
    responses={
        200: serializers.ReviewedQuestionSerializer,
        400: invalid(_("Malformed JSON, a choice of another question, several choices on a single-choice question.")),
        401: NOT_SIGNED_IN,
        403: NO_CSRF_TOKEN,
        404: error(_("This question is not in your review.")),
        429: THROTTLED,
    },
)
class ReviewAnswerView(APIView):
    # Throttled like starting and submitting: each answer grades, writes and explains, so a script
    # answering in a loop would cost as much as one starting attempts.
    throttle_classes = [ReviewAnswerThrottle]
    authentication_classes = [*api_settings.DEFAULT_AUTHENTICATION_CLASSES, GuestSessionAuthentication]
    permission_classes = [IsOwner]

    def post(self, request, question_id):
        answer = serializers.AnswerInputSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        graded = services.answer_review(
            owner=owner_of(request), question_id=question_id, choice_ids=answer.validated_data["choices"]
        )
        return Response(serializers.ReviewedQuestionSerializer(selectors.reviewed_question(answer=graded)).data)
