"""The one place where domain errors become HTTP responses for the API."""

from django.utils import translation
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import QuizError, status_code_of
from .languages import SpeaksQuizLanguage
from ..outages import BUSY_RETRY_AFTER_SECONDS, is_retry_later, retry_later_response


def exception_handler(exc, context):
    if isinstance(exc, QuizError):
        status_code = status_code_of(exc)
        # A 503 says "try again": say when, as for a busy database.
        headers = {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)} if status_code == 503 else None
        view = context.get("view")
        # In the language of the quiz the request is about, unless the client asked for another.
        language = view.error_language() if isinstance(view, SpeaksQuizLanguage) else translation.get_language()
        with translation.override(language):
            detail = str(exc.message)
        response = Response({"detail": detail}, status=status_code, headers=headers)
        response["Content-Language"] = language
        return response
    if is_retry_later(exc):
        return retry_later_response(context["request"])
    return drf_exception_handler(exc, context)
