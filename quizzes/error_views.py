"""Django's error handlers: JSON `{"detail": ...}` under /api/, Django's own pages everywhere else.

DRF answers errors raised in its views itself; these answer what Django decides before or around a
view (a URL that matches no route, a malformed or oversized request, a disallowed host, a CSRF
failure, an unhandled error), so an API client never gets an HTML page. They run with DEBUG off,
which is production and the test suite.
"""

import sys

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import csrf, defaults

from .outages import is_api_request, is_retry_later, retry_later_response


def bad_request(request, exception):
    if is_api_request(request):
        return JsonResponse({"detail": _("The request could not be understood.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_request(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """503 with Retry-After when the database is the reason (it touches no database), else a 500.

    Django calls it while handling the exception, so sys.exc_info() holds it.
    """
    error = sys.exc_info()[1]
    if error is not None and is_retry_later(error):
        return retry_later_response(request)
    if is_api_request(request):
        return JsonResponse({"detail": _("Server error. Please try again later.")}, status=500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a JSON 403 for the API (a browser session without its CSRF token)."""
    if is_api_request(request):
        return JsonResponse({"detail": _("CSRF Failed: %(reason)s") % {"reason": reason}}, status=403)
    return csrf.csrf_failure(request, reason=reason)
