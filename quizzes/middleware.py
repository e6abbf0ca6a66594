"""Request-scoped plumbing: request ids, JSON errors under /api/ and 503 for a busy database. (Password
guessing is limited by django-axes: see quizzes/logins.py.)

The request id comes from the proxy's X-Request-ID header when it looks sane, or is generated; it is
returned in the same header and added to every log record written while the request is handled,
including Django's own record of an unhandled error, so an error report can be found in the logs.
"""

import contextvars
import json
import logging
import re
import time
import uuid

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

REQUEST_ID_HEADER = "X-Request-ID"
# Accept a proxy's id only if it cannot smuggle anything into a log line or a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# How long a client should wait before retrying when the database stays busy.
BUSY_RETRY_AFTER_SECONDS = 2
# PostgreSQL states that mean "busy, try again": lock_not_available, deadlock_detected,
# serialization_failure and query_canceled (statement or lock timeout).
BUSY_SQLSTATES = {"55P03", "40P01", "40001", "57014"}

_current_request_id = contextvars.ContextVar("request_id", default="-")


def current_request_id():
    """The id of the request being handled in this thread or task, or '-' outside a request."""
    return _current_request_id.get()


def is_database_busy(error):
    """Whether a database error means the database stayed locked or busy, so a retry may succeed."""
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    if sqlstate in BUSY_SQLSTATES:
        return True
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


# One line per request, in the same JSON as every other log line (gunicorn's own access log is plain
# text, so production runs it without one).
access_log = logging.getLogger("quizsite.access")


class RequestIdMiddleware:
    """Give each request an id, returned in X-Request-ID and added to its log records; log each request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current_request_id.set(request_id)
        try:
            response = self.get_response(request)
            if access_log.isEnabledFor(logging.INFO):
                # The path without its query string: queries can carry search text or a `next` URL.
                access_log.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "access": {
                            "method": request.method,
                            "path": request.path,
                            "status": response.status_code,
                            "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        }
                    },
                )
        finally:
            _current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


API_PREFIX = "/api/"


class ApiJsonErrorsMiddleware:
    """Turn error pages under /api/ into JSON `{"detail": ...}`, so API clients never get HTML.

    DRF answers its own errors in JSON; this covers what Django answers before or around a view: a
    URL that matches no route (a negative id, a slug with odd characters), an oversized body, a
    disallowed host, a CSRF failure, an unhandled error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replacement = JsonResponse({"detail": _error_detail(response.status_code)}, status=response.status_code)
            for header in ("Retry-After", "Allow", REQUEST_ID_HEADER):
                if header in response:
                    replacement[header] = response[header]
            # Django logs each error response once; the replacement is the same error, not a new one.
            replacement._has_been_logged = getattr(response, "_has_been_logged", False)
            return replacement
        return response


def _error_detail(status_code):
    if status_code == 404:
        return _("Not found.")
    if status_code == 403:
        return _("You do not have permission to perform this action.")
    if status_code == 405:
        return _("Method not allowed.")
    if status_code == 413:
        return _("The request body is too large.")
    if status_code >= 500:
        return _("Server error. Please try again later.")
    return _("The request could not be understood.")


class DatabaseBusyMiddleware:
    """Answer 503 with Retry-After, not 500, when a page's database write waited out its timeout.

    The API maps the same error in quizzes/api/errors.py; this covers the pages and the admin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        # Django itself logs the 503 with the request id, so operators see how often this happens.
        response = HttpResponse(
            _("The service is busy right now. Please try again in a moment."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response


class RequestIdLogFilter(logging.Filter):
    """Add the current request id to every log record as `request_id`."""

    def filter(self, record):
        # Django logs a request's 5xx response after the middleware has returned; the record then
        # carries the request itself.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, so log collectors can index fields without parsing free text."""

    # UTC, whatever the site's TIME_ZONE, so lines from several machines sort and compare.
    converter = time.gmtime

    def format(self, record):
        entry = {
            "time": f"{self.formatTime(record, '%Y-%m-%dT%H:%M:%S')}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", current_request_id()),
            "message": record.getMessage(),
        }
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        entry.update(getattr(record, "access", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
