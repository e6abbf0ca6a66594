"""The errors the API's views answer, as the OpenAPI schema describes them.

Domain errors raised by services become responses in errors.py; these descriptions sit in each view's
`extend_schema`, so the docs say what can go wrong. Named once here when several endpoints share one.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from . import serializers


def error(description):
    return OpenApiResponse(response=serializers.ErrorSerializer, description=description)


def invalid(description):
    """A 400: either `{"detail": "..."}` or field errors, `{"<field>": ["..."]}`."""
    return OpenApiResponse(response=OpenApiTypes.OBJECT, description=description)


NOT_SIGNED_IN = error(_("No valid token or session."))
# The endpoints that also take a guest's browser session (the attempt page's and the review page's calls).
NO_GUEST_EITHER = error(_("No valid token, no session, and no guest in this browser session."))
NO_CSRF_TOKEN = error(_("A session's request without its CSRF token (say, from another site)."))
NO_SUCH_PAGE = error(_("No page with this number."))
NO_SUCH_ATTEMPT = error(_("No attempt with this id belongs to you."))
THROTTLED = error(_("Too many requests; retry after the time given in Retry-After."))
BAD_ANSWER = invalid(
    _(
        "Malformed JSON, an unknown question, a choice of another question, several choices on a "
        "single-choice question, a duplicate id, or more answers than questions. Nothing is saved."
    )
)
