"""Request-scoped plumbing: request ids, JSON errors under /api/, 503 for a busy database, and a brake
on password guessing.

The request id comes from the proxy's X-Request-ID header when it looks sane, or is generated; it is
returned in the same header and added to every log record written while the request is handled,
including Django's own record of an unhandled error, so an error report can be found in the logs.
"""

import contextvars
import hashlib
import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
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


# ---------------------------------------------------------------------------------------------
# Failed logins. Counted per client address and per username in the default cache, which every
# process shares (database or Redis), so the limit holds however many workers serve the site.

# The browser's login page and the admin's; the API's token endpoint has its own DRF throttle but
# its failures count here too, since it also authenticates through Django.
LOGIN_VIEWS = {("", "login"), ("admin", "login")}


def _login_failure_keys(*, address, username):
    keys = []
    if address:
        keys.append(f"login-failures:address:{address}")
    if username:
        # Hashed: a username may hold characters a cache key must not.
        digest = hashlib.sha256(username.casefold().encode("utf-8", "surrogatepass")).hexdigest()
        keys.append(f"login-failures:username:{digest}")
    return keys


def _limits():
    return {
        "address": settings.QUIZSITE_LOGIN_FAILURES_PER_ADDRESS,
        "username": settings.QUIZSITE_LOGIN_FAILURES_PER_USERNAME,
    }


def _client_address(request):
    """The client's address as the API throttles see it: REMOTE_ADDR, or with NUM_PROXIES trusted
    proxies in front, the address they put in X-Forwarded-For (never one the client wrote itself)."""
    if request is None:
        return ""
    # Imported here: DRF's throttling module reads its settings on import.
    from rest_framework.throttling import BaseThrottle

    return BaseThrottle().get_ident(request) or ""


def is_login_blocked(*, address, username):
    """Whether this address or this username has failed to log in too often in the current window."""
    limits = _limits()
    counts = cache.get_many(_login_failure_keys(address=address, username=username))
    return any(count >= limits[key.split(":")[1]] for key, count in counts.items())


def record_failed_login(sender, credentials, request=None, **kwargs):
    """Count a failed login against the client address and the username tried."""
    username = str(credentials.get(get_user_model().USERNAME_FIELD, "") or "")
    for key in _login_failure_keys(address=_client_address(request), username=username):
        # add() starts the window; incr() keeps its expiry.
        cache.add(key, 0, timeout=settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            # The window expired between add() and incr(): start a new one.
            cache.set(key, 1, timeout=settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS)


def forget_failed_logins(sender, request, user, **kwargs):
    """A successful login clears the username's failures (not the address's)."""
    cache.delete_many(_login_failure_keys(address="", username=user.get_username()))


user_login_failed.connect(record_failed_login, dispatch_uid="quizzes.record_failed_login")
user_logged_in.connect(forget_failed_logins, dispatch_uid="quizzes.forget_failed_logins")


class LoginThrottleMiddleware:
    """Refuse login attempts with 429 once an address or a username has failed too often."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and self._is_login(request):
            username = request.POST.get(get_user_model().USERNAME_FIELD, "")
            if is_login_blocked(address=_client_address(request), username=username):
                minutes = max(1, settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS // 60)
                response = HttpResponse(
                    _("Too many failed logins. Please try again in %(minutes)s minutes.") % {"minutes": minutes},
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS)
                return response
        return self.get_response(request)

    @staticmethod
    def _is_login(request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return (match.namespace, match.url_name) in LOGIN_VIEWS


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
