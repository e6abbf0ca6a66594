"""The API's ways in beside DRF's session: a token, its user read through the cache, and a guest's
browser session, checked for CSRF."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .. import selectors
from ..owners import Owner, owner_of_request


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the token's user read through the shared cache.

    A hit is one shared-cache read where DRF's own class runs a query joining the token and its user
    on every request (bench/README.md: about a third of a cached result's time). The user is the
    model with only selectors.TOKEN_USER_FIELDS loaded: any other field is read when used, and a
    save writes only what is loaded. Deleting the token, or saving its user (deactivated, say), is
    seen at once (caching/tokens.py). The errors are DRF's own.
    """

    def authenticate_credentials(self, key):
        fields = selectors.token_user_fields(key)
        if fields is None:
            raise AuthenticationFailed(_("Invalid token."))
        user = _user_with_only(fields)
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        token = self.get_model().from_db(DEFAULT_DB_ALIAS, ("key", "user_id"), (key, user.pk))
        token.user = user
        return (user, token)


def _user_with_only(fields):
    """The user model with only the values of `fields` ({field: value}) loaded, as `.only()` builds one."""
    user_model = get_user_model()
    # from_db takes the values in the model's field order.
    names = [field.attname for field in user_model._meta.concrete_fields if field.attname in fields]
    return user_model.from_db(DEFAULT_DB_ALIAS, names, [fields[name] for name in names])


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
