"""API v1 views: parse input, call a selector or a service, serialize. Nothing else.

Domain errors raised by services become responses in errors.py; the OpenAPI descriptions of
those errors live next to each view so the docs say what can go wrong.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .. import caching, parameters, selectors, services
from ..models import Attempt, Quiz
from ..owners import Owner
from ..services import AnswerInput
from . import serializers
from .authentication import GuestSessionAuthentication
from .filters import AttemptFilter, QuizFilter
from .languages import SpeaksQuizLanguage
from .permissions import CanViewQuizReports, IsOwner, MethodCheckedFirst
from .responses import RenderedJSONResponse
from ..throttles import (
    RegisterThrottle,
    ReviewAnswerThrottle,
    StartAttemptThrottle,
    SubmitAttemptThrottle,
    TokenThrottle,
)


def error(description):
    return OpenApiResponse(response=serializers.ErrorSerializer, description=description)


def invalid(description):
    """A 400: either `{"detail": "..."}` or field errors, `{"<field>": ["..."]}`."""
    return OpenApiResponse(response=OpenApiTypes.OBJECT, description=description)


NOT_SIGNED_IN = error(_("No valid token or session."))
# The endpoints that also take a guest's browser session (the attempt page's and the review page's calls).
NO_GUEST_EITHER = error(_("No valid token, no session, and no guest in this browser session."))
NO_CSRF_TOKEN = error(_("A session's request without its CSRF token (say, from another site)."))
NO_SUCH_PAGE = error(_("No page with this number."))
NO_SUCH_ATTEMPT = error(_("No attempt with this id belongs to you."))
THROTTLED = error(_("Too many requests; retry after the time given in Retry-After."))
BAD_ANSWER = invalid(
    _(
        "Malformed JSON, an unknown question, a choice of another question, several choices on a "
        "single-choice question, a duplicate id, or more answers than questions. Nothing is saved."
    )
)


def owner_of(request):
    """Whoever the view's authentication let in: a signed-in user, or the guest GuestSessionAuthentication
    accepted (only there, after its CSRF check)."""
    if isinstance(request.auth, Owner):
        return request.auth
    return Owner.of(user=request.user)


class QuizOfAttempt(SpeaksQuizLanguage):
    """Views about one of the caller's attempts: an error speaks its quiz's language (one query, on errors only)."""

    def quiz_language(self):
        return selectors.quiz_language_of_attempt(attempt_id=self.kwargs["attempt_id"], owner=owner_of(self.request))


def quiz_or_404(slug):
    quiz = selectors.published_quiz(slug=slug)
    if quiz is None:
        raise NotFound(_("No published quiz with this slug."))
    return quiz


def attempt_representation(attempt):
    """Load what the attempt's state shows (answering or review) and serialize it."""
    if attempt.is_open:
        selectors.attempt_in_progress(attempt=attempt)
    else:
        selectors.attempt_result(attempt=attempt)
    return serializers.AttemptSerializer(attempt).data


# ---------------------------------------------------------------------------------------------
# Quizzes


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
        quiz = quiz_or_404(slug)
        self.use_quiz_language(quiz.language)
        attempt, is_new = services.start_attempt(quiz=quiz, owner=owner_of(request))
        attempt.quiz = quiz
        if is_new:
            # Nothing can have been saved yet: spare the query.
            attempt.saved_answers = []
            attempt.shown_questions = selectors.shown_questions(attempt=attempt)
            attempt.checks = selectors.checks_of(attempt=attempt, rows={})
            data = serializers.AttemptSerializer(attempt).data
        else:
            data = attempt_representation(attempt)
        return Response(data, status=status.HTTP_201_CREATED if is_new else status.HTTP_200_OK)


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
        quiz = get_object_or_404(Quiz, slug=slug)
        self.use_quiz_language(quiz.language)
        statistics = caching.cached_statistics(
            quiz, lambda: serializers.QuizStatisticsSerializer(selectors.quiz_statistics(quiz=quiz)).data
        )
        return Response(statistics)


# ---------------------------------------------------------------------------------------------
# Attempts


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

    def get(self, request, attempt_id):
        owner = owner_of(request)
        # Ownership is checked against the database on every request, cached result or not.
        attempt_status = selectors.attempt_status_for_owner(attempt_id=attempt_id, owner=owner)
        # Before the cache: the cached review is keyed by the language it is in.
        self.use_quiz_language(attempt_status.quiz_language)
        if attempt_status.is_open or not self.renders_compact_json(request):
            attempt = selectors.attempt_for_owner(attempt_id=attempt_id, owner=owner)
            attempt = services.close_if_overdue(attempt, owner=owner)
            return Response(attempt_representation(attempt))
        # A closed attempt's review changes only with a regrade or a content edit (see caching.py), so
        # it is kept as the response body: a cache hit neither serializes nor renders.
        content = caching.cached_result(
            attempt_status,
            lambda: self.render_body(
                request, attempt_representation(selectors.attempt_for_owner(attempt_id=attempt_id, owner=owner))
            ),
        )
        return RenderedJSONResponse(content)

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
class FlagQuestionView(APIView):
    authentication_classes = [*api_settings.DEFAULT_AUTHENTICATION_CLASSES, GuestSessionAuthentication]
    permission_classes = [IsOwner]

    def put(self, request, attempt_id, question_id):
        body = serializers.FlagInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flagged = body.validated_data["flagged"]
        flagged_questions = services.flag_questions(
            attempt_id=attempt_id, owner=owner_of(request), flags={question_id: flagged}
        )
        return Response(
            serializers.FlagSerializer(
                {"question": question_id, "flagged": flagged, "flagged_questions": flagged_questions}
            ).data
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
        attempt = services.submit_attempt(attempt_id=attempt_id, owner=owner_of(request), answers=answers)
        # The result shows the answers submitting has just scored and written, not a second read of them.
        selectors.attempt_result(attempt=attempt, answers=getattr(attempt, "written_answers", None))
        return Response(serializers.AttemptSerializer(attempt).data)


# ---------------------------------------------------------------------------------------------
# Learning progress


@extend_schema(
    tags=["progress"],
    summary=_("Your grades per quiz and your share of right answers per topic"),
    responses={200: serializers.ProgressSerializer, 401: NOT_SIGNED_IN},
)
class ProgressView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(serializers.ProgressSerializer(selectors.learner_progress(owner=owner_of(request))).data)


# ---------------------------------------------------------------------------------------------
# Spaced review


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
    },
)
class ReviewQueueView(APIView):
    authentication_classes = [*api_settings.DEFAULT_AUTHENTICATION_CLASSES, GuestSessionAuthentication]
    permission_classes = [IsOwner]

    def get(self, request):
        attempt_id = request.query_params.get("attempt")
        if attempt_id is not None:
            attempt_id = parameters.uuid_parameter(attempt_id)
            if attempt_id is None:
                raise ValidationError({"attempt": [_("Not a valid attempt id.")]})
        queue = selectors.review_queue(owner=owner_of(request), attempt_id=attempt_id)
        return Response(serializers.review_queue_representation(queue))


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


# ---------------------------------------------------------------------------------------------
# Accounts


@extend_schema(
    tags=["accounts"],
    summary=_("Create an account and get an API token"),
    request=serializers.RegisterSerializer,
    responses={
        201: serializers.TokenSerializer,
        400: invalid(_("Field errors: username taken or invalid, password too weak.")),
        429: THROTTLED,
    },
)
class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [RegisterThrottle]

    def post(self, request):
        credentials = serializers.RegisterSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        with transaction.atomic():
            try:
                user = services.register_learner(
                    username=credentials.validated_data["username"], password=credentials.validated_data["password"]
                )
            except services.UsernameTaken as taken:
                # Taken between the serializer's check and the insert: the same field error as that check.
                raise ValidationError({"username": [taken.message]}) from taken
            # The token is the API's way in; created with the account, so neither exists without the other.
            token = Token.objects.create(user=user)
        return Response({"token": token.key}, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["accounts"],
    summary=_("Get the API token for a username and password"),
    request=serializers.CredentialsSerializer,
    responses={
        200: serializers.TokenSerializer,
        400: invalid(_("Missing fields, or the username and password do not match.")),
        429: error(
            _(
                "Too many requests from this address, or too many failed logins for this username or "
                "address: refused even with the right password until the time given in Retry-After."
            )
        ),
    },
)
class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TokenThrottle]

    def post(self, request):
        credentials = serializers.CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        # Django's own request, not DRF's wrapper: the login lock marks it, and the middleware that
        # answers a locked login with 429 sees only Django's request.
        user = authenticate(
            request._request,
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if user is None:
            raise ValidationError({"non_field_errors": [_("Unable to log in with the username and password given.")]})
        # A token for a password is a login: it clears the username's failures and sets last_login.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
