"""The API's way in for a guest: the browser session the pages gave them, checked for CSRF."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication

from ..owners import Owner, owner_of_request


class GuestSessionAuthentication(SessionAuthentication):
    """A guest of this browser session (see owners.py), as DRF's `request.auth`; the user stays anonymous.

    DRF's SessionAuthentication checks the CSRF token only for a signed-in user. A guest's session
    cookie is as much a credential, so a cross-site request riding on it is refused here with 403.
    """

    def authenticate(self, request):
        # Django's request: DRF's `request.user` is what authentication, this class included, decides.
        owner = owner_of_request(request._request)
        if owner is None or owner.user_id is not None:
            # No guest here; a signed-in session is SessionAuthentication's, listed before this class.
            return None
        self.enforce_csrf(request)
        return (AnonymousUser(), owner)


def owner_of(request):
    """Whoever the view's authentication let in: a signed-in user, or the guest GuestSessionAuthentication
    accepted (only there, after its CSRF check)."""
    if isinstance(request.auth, Owner):
        return request.auth
    return Owner.of(user=request.user)


class GuestSessionScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names and describes the guest's browser session."""

    target_class = GuestSessionAuthentication
    name = "guestSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": str(
                _(
                    "A guest's browser session, as the quiz pages set it once a guest starts a quiz, with "
                    "its CSRF token in the X-CSRFToken header; a request without that token is refused with 403."
                )
            ),
        }
