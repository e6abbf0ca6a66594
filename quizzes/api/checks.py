"""API v1: checking one question of an attempt in progress (immediate and interactive behaviours).

Parse, call services.check_answer, read the question's state back through the same selector the
attempt detail uses, serialize.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .. import selectors, services
from . import serializers
from .authentication import GuestSessionAuthentication, owner_of
from .documented_errors import BAD_ANSWER, NO_CSRF_TOKEN, NO_GUEST_EITHER, NO_SUCH_ATTEMPT, error
from .languages import QuizOfAttempt
from .permissions import IsOwner


@extend_schema(
    tags=["attempts"],
    summary=_("Check one answer (immediate and interactive feedback)"),
    description=_(
        "Saves the selection as a try. Immediate feedback locks the question at once; interactive "
        "feedback locks it when the try is right or the last one, and otherwise returns a hint (the "
        "feedback of the wrong choices chosen). Checking the same selection again is not a new try. "
        "Once locked, the response carries the question's review and its score, and the question's "
        "answer can no longer change. Takes a token, a signed-in session, or a guest's browser session "
        "with its CSRF token in X-CSRFToken."
    ),
    request=serializers.AnswerInputSerializer,
    responses={
        200: serializers.QuestionCheckSerializer,
        400: BAD_ANSWER,
        401: NO_GUEST_EITHER,
        403: NO_CSRF_TOKEN,
        404: NO_SUCH_ATTEMPT,
        409: error(
            _(
                "The attempt is already closed, or its time limit has passed (it is then scored); the "
                "question is already locked; or the quiz has no checks."
            )
        ),
    },
)
class CheckAnswerView(QuizOfAttempt, APIView):
    authentication_classes = [*api_settings.DEFAULT_AUTHENTICATION_CLASSES, GuestSessionAuthentication]
    permission_classes = [IsOwner]

    def post(self, request, attempt_id, question_id):
        choice_ids = self.validated_input(serializers.AnswerInputSerializer)["choices"]
        owner = owner_of(request)
        checked = services.check_answer(attempt_id=attempt_id, owner=owner, question_id=question_id, choice_ids=choice_ids)
        attempt = selectors.attempt_for_owner(attempt_id=attempt_id, owner=owner)
        [state] = selectors.checks_of(
            attempt=attempt,
            rows={question_id: (checked.choice_ids, checked.tries, checked.is_locked, checked.score)},
            question_ids=[question_id],
        )
        return Response(serializers.QuestionCheckSerializer(state).data)
