"""The one place where domain errors become HTTP responses for the API."""

from django.db import OperationalError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import AttemptClosed, DeadlinePassed, InvalidAnswer, NoAttemptsLeft, QuizError
from ..services import AttemptNotFound

STATUS_BY_ERROR = [
    (AttemptNotFound, status.HTTP_404_NOT_FOUND),
    (NoAttemptsLeft, status.HTTP_403_FORBIDDEN),
    (AttemptClosed, status.HTTP_409_CONFLICT),
    (DeadlinePassed, status.HTTP_409_CONFLICT),
    (InvalidAnswer, status.HTTP_400_BAD_REQUEST),
    (QuizError, status.HTTP_409_CONFLICT),
]

# How long a client should wait before retrying when the database stays busy.
BUSY_RETRY_AFTER_SECONDS = 2


def exception_handler(exc, context):
    if isinstance(exc, QuizError):
        for error_class, status_code in STATUS_BY_ERROR:
            if isinstance(exc, error_class):
                return Response({"detail": str(exc.message)}, status=status_code)
    if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
        return Response(
            {"detail": "The service is busy; please retry."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
