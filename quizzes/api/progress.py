"""API v1: a learner's progress: grades per quiz and the share of right answers per topic."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from . import serializers
from .authentication import owner_of
from .documented_errors import NOT_SIGNED_IN


@extend_schema(
    tags=["progress"],
    summary=_("Your grades per quiz and your share of right answers per topic"),
    responses={200: serializers.ProgressSerializer, 401: NOT_SIGNED_IN},
)
class ProgressView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(serializers.ProgressSerializer(selectors.learner_progress(owner=owner_of(request))).data)
