"""The one place where domain errors become HTTP responses for the API."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import QuizError, status_code_of
from ..outages import BUSY_RETRY_AFTER_SECONDS, is_retry_later, retry_later_message


def exception_handler(exc, context):
    if isinstance(exc, QuizError):
        return Response({"detail": str(exc.message)}, status=status_code_of(exc))
    if is_retry_later(exc):
        return Response(
            {"detail": retry_later_message()},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
