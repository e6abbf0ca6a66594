"""Our own middleware, each class one small thing: the request id, the access log line, and 503 for a
database that cannot answer a page. (Password guessing is limited by django-axes: quizzes/logins.py;
errors under /api/ are JSON through Django's error handlers: quizzes/error_views.py.)"""

import logging
import time

from . import outages, request_ids

# One line per request, in the same JSON as every other log line (gunicorn's own access log is plain
# text, so production runs it without one).
access_log = logging.getLogger("quizsite.access")


class RequestIdMiddleware:
    """Give each request an id, returned in X-Request-ID and added to every log record written meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_ids.request_id_for(request)
        token = request_ids.bind(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_ids.unbind(token)
        response[request_ids.REQUEST_ID_HEADER] = request.request_id
        return response


class AccessLogMiddleware:
    """Write one access line per request: method, path without its query, status, duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
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
        return response


class DatabaseBusyMiddleware:
    """Answer 503 with Retry-After, not 500, when a view's database stays busy or unreachable.

    The API's exception handler and Django's handler500 (error_views.server_error) answer the same way
    for errors raised elsewhere; this one also works with DEBUG on, where handler500 is not used.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not outages.is_retry_later(exception):
            return None
        # Django itself logs the 503 with the request id, so operators see how often this happens.
        return outages.retry_later_response(request)
