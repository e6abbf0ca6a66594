"""API v1: accounts: sign up (an account with its token), and a token for a username and password."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..throttles import RegisterThrottle, TokenThrottle
from . import serializers
from .documented_errors import THROTTLED, error, invalid


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
