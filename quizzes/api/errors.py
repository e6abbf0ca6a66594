"""The one place where domain errors become HTTP responses for the API."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import AttemptClosed, DeadlinePassed, InvalidAnswer, NoAttemptsLeft, QuizError
from ..middleware import BUSY_RETRY_AFTER_SECONDS
from ..outages import is_retry_later, retry_later_message
from ..services import AttemptNotFound

STATUS_BY_ERROR = [
    (AttemptNotFound, status.HTTP_404_NOT_FOUND),
    (NoAttemptsLeft, status.HTTP_403_FORBIDDEN),
    (AttemptClosed, status.HTTP_409_CONFLICT),
    (DeadlinePassed, status.HTTP_409_CONFLICT),
    (InvalidAnswer, status.HTTP_400_BAD_REQUEST),
    (QuizError, status.HTTP_409_CONFLICT),
]


def exception_handler(exc, context):
    if isinstance(exc, QuizError):
        for error_class, status_code in STATUS_BY_ERROR:
            if isinstance(exc, error_class):
                return Response({"detail": str(exc.message)}, status=status_code)
    if is_retry_later(exc):
        return Response(
            {"detail": retry_later_message()},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
