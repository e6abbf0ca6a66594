"""The one place where domain errors become HTTP responses for the API."""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import QuizError, status_code_of
from ..middleware import BUSY_RETRY_AFTER_SECONDS, is_database_busy


def exception_handler(exc, context):
    if isinstance(exc, QuizError):
        return Response({"detail": str(exc.message)}, status=status_code_of(exc))
    if is_database_busy(exc):
        return Response(
            {"detail": _("The service is busy right now. Please try again in a moment.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
