"""API v1: a learner's attempts: start, list, read, autosave one answer, submit.

Parse input, call a selector or a service, serialize; nothing else. Domain errors raised by services
become responses in errors.py.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .. import caching, languages, rules, selectors, services
from ..models import Attempt
from ..services import AnswerInput
from ..throttles import StartAttemptThrottle, SubmitAttemptThrottle
from . import serializers
from .authentication import GuestSessionAuthentication, owner_of
from .documented_errors import (
    BAD_ANSWER,
    NO_CSRF_TOKEN,
    NO_GUEST_EITHER,
    NO_SUCH_ATTEMPT,
    NO_SUCH_PAGE,
    NOT_SIGNED_IN,
    THROTTLED,
    error,
    invalid,
)
from .filters import AttemptFilter
from .languages import QuizOfAttempt, SpeaksQuizLanguage
from .lookups import published_quiz_or_404
from .permissions import IsOwner
from .responses import RenderedJSONResponse


def attempt_representation(attempt):
    """Read what the attempt's state shows (answering or review) and serialize it."""
    if attempt.is_open:
        shown = selectors.attempt_in_progress(attempt=attempt)
    else:
        shown = selectors.attempt_result(attempt=attempt)
    return serializers.AttemptSerializer(shown).data


@extend_schema(
    tags=["attempts"],
    summary=_("Start an attempt (or resume the one in progress)"),
    request=None,
    responses={
        201: OpenApiResponse(serializers.AttemptSerializer, description=_("A new attempt.")),
        200: OpenApiResponse(serializers.AttemptSerializer, description=_("Your attempt already in progress.")),
        401: NOT_SIGNED_IN,
        403: error(_("You have used all attempts allowed for this quiz.")),
        404: error(_("No published quiz with this slug.")),
        429: THROTTLED,
    },
)
class StartAttemptView(SpeaksQuizLanguage, APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [StartAttemptThrottle]

    def post(self, request, slug):
        quiz = published_quiz_or_404(slug)
        self.use_quiz_language(quiz.language)
        attempt, is_new = services.start_attempt(quiz=quiz, owner=owner_of(request))
        attempt.quiz = quiz
        if is_new:
            # Nothing can have been saved yet: spare the queries.
            data = serializers.AttemptSerializer(selectors.attempt_in_progress(attempt=attempt, is_new=True)).data
        else:
            data = attempt_representation(attempt)
        return Response(data, status=status.HTTP_201_CREATED if is_new else status.HTTP_200_OK)


@extend_schema(
    tags=["attempts"],
    summary=_("Your attempts, newest first"),
    responses={
        200: serializers.AttemptSummarySerializer(many=True),
        400: invalid(_("A malformed filter value (say, one with a NUL character).")),
        401: NOT_SIGNED_IN,
        404: NO_SUCH_PAGE,
    },
)
class AttemptListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.AttemptSummarySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AttemptFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema generator calls this without a signed-in user.
            return Attempt.objects.none()
        return selectors.attempt_history(owner=owner_of(self.request))


@extend_schema(
    tags=["attempts"],
    summary=_("One of your attempts: questions while in progress, the explained result once closed"),
    responses={200: serializers.AttemptSerializer, 401: NOT_SIGNED_IN, 404: NO_SUCH_ATTEMPT},
)
class AttemptDetailView(SpeaksQuizLanguage, APIView):
    permission_classes = [IsAuthenticated]
    # Read by is_settled() on a cache miss, so the uncached path does not read it again.
    attempt_status = None

    def get(self, request, attempt_id):
        owner = owner_of(request)
        if self.renders_compact_json(request):
            review = caching.cached_result(
                owner.key,
                [attempt_id, languages.requested_language(request)],
                is_settled=lambda: self.is_settled(attempt_id, owner),
                render=lambda: self.rendered_review(attempt_id, owner),
                now=timezone.now(),
            )
            if review is not None:
                quiz_language, body = review
                self.use_quiz_language(quiz_language)
                return RenderedJSONResponse(body)
        # In progress, a review that the learner's next attempt may change, or one indented or browsable.
        attempt_status = self.attempt_status or selectors.attempt_status_for_owner(attempt_id=attempt_id, owner=owner)
        self.use_quiz_language(attempt_status.quiz_language)
        attempt = selectors.attempt_for_owner(attempt_id=attempt_id, owner=owner)
        attempt = services.close_if_overdue(attempt, owner=owner)
        return Response(attempt_representation(attempt))

    def is_settled(self, attempt_id, owner):
        self.attempt_status = selectors.attempt_status_for_owner(attempt_id=attempt_id, owner=owner)
        status = self.attempt_status
        return rules.review_is_settled(
            is_open=status.is_open, answer_visibility=status.answer_visibility, max_attempts=status.max_attempts
        )

    def rendered_review(self, attempt_id, owner):
        """(quiz language, body) of the owner's closed attempt, kept as the response body: a cache hit
        neither serializes nor renders (0.25 of the 0.42 ms a hit takes in one process: bench/README.md)."""
        self.use_quiz_language(self.attempt_status.quiz_language)
        attempt = selectors.attempt_for_owner(attempt_id=attempt_id, owner=owner)
        return self.attempt_status.quiz_language, self.render_body(self.request, attempt_representation(attempt))

    @staticmethod
    def renders_compact_json(request):
        # What the cache holds is JSONRenderer's compact output; an indented rendering asked for with
        # `Accept: application/json; indent=4`, or the browsable API under DEBUG, is rendered per request.
        renderer = request.accepted_renderer
        return isinstance(renderer, JSONRenderer) and renderer.get_indent(request.accepted_media_type, {}) is None

    def render_body(self, request, representation):
        """The body DRF would send for `representation`: the negotiated renderer's output."""
        return request.accepted_renderer.render(
            representation, request.accepted_media_type, self.get_renderer_context()
        )


@extend_schema(
    tags=["attempts"],
    summary=_("Save one answer (autosave)"),
    description=_(
        "Takes a token, a signed-in session, or a guest's browser session (the quiz pages save a guest's "
        "answers here); a session needs its CSRF token in the X-CSRFToken header."
    ),
    request=serializers.AnswerInputSerializer,
    responses={
        200: serializers.SavedAnswerSerializer,
        400: BAD_ANSWER,
        401: NO_GUEST_EITHER,
        403: NO_CSRF_TOKEN,
        404: NO_SUCH_ATTEMPT,
        409: error(_("The attempt is already closed, or its time limit has passed (it is then scored).")),
    },
)
class SaveAnswerView(QuizOfAttempt, APIView):
    # The one autosave: the attempt page's script saves here for accounts and guests alike.
    authentication_classes = [*api_settings.DEFAULT_AUTHENTICATION_CLASSES, GuestSessionAuthentication]
    permission_classes = [IsOwner]

    def put(self, request, attempt_id, question_id):
        now = timezone.now()
        choice_ids = self.validated_input(serializers.AnswerInputSerializer)["choices"]
        services.save_answer(
            attempt_id=attempt_id, owner=owner_of(request), question_id=question_id, choice_ids=choice_ids, now=now
        )
        return Response(
            serializers.SavedAnswerSerializer({"question": question_id, "choices": choice_ids, "saved_at": now}).data
        )


@extend_schema(
    tags=["attempts"],
    summary=_("Submit an attempt and get its explained result"),
    request=serializers.SubmitSerializer,
    responses={
        200: serializers.AttemptSerializer,
        400: BAD_ANSWER,
        401: NOT_SIGNED_IN,
        404: NO_SUCH_ATTEMPT,
        409: error(
            _(
                "Already submitted (the stored result stays as it was), or answers were sent after the "
                "time limit (the attempt is then scored from what was saved in time)."
            )
        ),
        429: THROTTLED,
    },
)
class SubmitAttemptView(QuizOfAttempt, APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [SubmitAttemptThrottle]

    def post(self, request, attempt_id):
        body = self.validated_input(serializers.SubmitSerializer)
        answers = [
            AnswerInput(question_id=answer["question"], choice_ids=tuple(answer["choices"]))
            for answer in body.get("answers", [])
        ]
        closed = services.submit_attempt_with_answers(attempt_id=attempt_id, owner=owner_of(request), answers=answers)
        # The result shows the answers submitting has just scored and written, not a second read of them.
        result = selectors.attempt_result(attempt=closed.attempt, answers=closed.written_answers)
        return Response(serializers.AttemptSerializer(result).data)
