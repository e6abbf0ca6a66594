"""When the database cannot answer: the one place that decides "retry later", and the 503 it becomes.

A busy database (a lock waited out, a deadlock) and an unreachable one (PostgreSQL restarting, the
network gone, a connection killed by an administrator) both pass: a client that retries after a
moment succeeds, so they answer 503 with Retry-After instead of 500. The API's exception handler
asks `is_retry_later` for errors raised in its views, DatabaseBusyMiddleware for the pages' views,
and Django's handler500 (error_views.server_error) for everything else, including what middleware
raises around a view (the session saved in process_response, the user loaded by the
authentication middleware).
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
# How long a client should wait before retrying when the database stays busy or unreachable.
BUSY_RETRY_AFTER_SECONDS = 2
# PostgreSQL states that mean "busy, try again": lock_not_available, deadlock_detected,
# serialization_failure and query_canceled (statement or lock timeout).
BUSY_SQLSTATES = {"55P03", "40P01", "40001", "57014"}

# PostgreSQL states that mean the server went away: class 08 (connection exceptions) and
# admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down).
UNAVAILABLE_SQLSTATE_CLASS = "08"
UNAVAILABLE_SQLSTATES = {"57P01", "57P02", "57P03"}


def is_api_request(request):
    """Whether a request is the API's, whose every answer, errors included, is JSON."""
    return request.path.startswith(API_PREFIX)


def is_database_busy(error):
    """Whether a database error means the database stayed locked or busy, so a retry may succeed."""
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    if sqlstate in BUSY_SQLSTATES:
        return True
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


def is_database_unreachable(error):
    """Whether a database error means there is no working connection to the database server."""
    if isinstance(error, InterfaceError):
        # Raised on a connection that is already closed (the server dropped it).
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(UNAVAILABLE_SQLSTATE_CLASS) or sqlstate in UNAVAILABLE_SQLSTATES
    # Every error the PostgreSQL server reports carries a state; psycopg raises one without a state
    # only on the client side: refused, reset or closed connections.
    return type(cause).__module__.startswith("psycopg")


def is_retry_later(error):
    """Whether an error means the database is busy or unreachable right now, so a retry may succeed."""
    return is_database_busy(error) or is_database_unreachable(error)


def retry_later_message():
    return _("The service is busy right now. Please try again in a moment.")


def retry_later_response(request):
    """503 with Retry-After, JSON under /api/ and plain text for pages; touches no database."""
    if is_api_request(request):
        response = JsonResponse({"detail": retry_later_message()}, status=503)
    else:
        response = HttpResponse(retry_later_message(), status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response
