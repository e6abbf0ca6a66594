"""API v1: flagging a question of an attempt in progress "to review" (a reminder, never an answer)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .. import services
from . import serializers
from .authentication import GuestSessionAuthentication, owner_of
from .documented_errors import NO_CSRF_TOKEN, NO_GUEST_EITHER, NO_SUCH_ATTEMPT, error, invalid
from .languages import QuizOfAttempt
from .permissions import IsOwner


@extend_schema(
    tags=["attempts"],
    summary=_("Flag a question to review, or remove the flag"),
    description=_(
        "A reminder for the learner, shown in the question navigator and as `flagged` on the attempt's "
        "questions; it is not an answer and never changes a score. Takes the same credentials as the autosave."
    ),
    request=serializers.FlagInputSerializer,
    responses={
        200: serializers.FlagSerializer,
        400: invalid(_("Malformed JSON, no `flagged` boolean, or a question that is not part of the attempt.")),
        401: NO_GUEST_EITHER,
        403: NO_CSRF_TOKEN,
        404: NO_SUCH_ATTEMPT,
        409: error(_("The attempt is already closed, or its time limit has passed (it is then scored).")),
    },
)
class FlagQuestionView(QuizOfAttempt, APIView):
    authentication_classes = [*api_settings.DEFAULT_AUTHENTICATION_CLASSES, GuestSessionAuthentication]
    permission_classes = [IsOwner]

    def put(self, request, attempt_id, question_id):
        flagged = self.validated_input(serializers.FlagInputSerializer)["flagged"]
        flagged_questions = services.flag_questions(
            attempt_id=attempt_id, owner=owner_of(request), flags={question_id: flagged}
        )
        return Response(
            serializers.FlagSerializer(
                {"question": question_id, "flagged": flagged, "flagged_questions": flagged_questions}
            ).data
        )
