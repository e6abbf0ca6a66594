"""Password guessing is limited on every way in (browser login, admin login, API token), by django-axes.

Axes checks the lock inside authenticate() (its backend comes first in AUTHENTICATION_BACKENDS) and
counts failures from Django's user_login_failed signal, so every login that authenticates through
Django is limited the same way. Failures live in axes' AccessAttempt table: in the database, shared
by every process and machine, untouched by a cache or Redis restart. Staff lift a lock by deleting
its records in the admin (Axes > Access attempts) or with `manage.py axes_reset_username NAME`.

What this module adds to axes: the username as Django's login form cleans it, the client address by
our one rule, a second limit per address, and the 429 answer (JSON under /api/, a page elsewhere).
"""

import logging
import math
import unicodedata
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from .outages import is_api_request

security_log = logging.getLogger("quizsite.security")
USERNAME_COLUMN_LENGTH = AccessAttempt._meta.get_field("username").max_length


def username_tried(request, credentials=None):
    """The username a login tried, as the lock counts it: cleaned as Django's login form cleans it
    (whitespace stripped, then NFKC), and casefolded, so no other spelling escapes the lock."""
    if credentials is not None:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(username, str):
        return None
    # forms.CharField strips, then UsernameField (AbstractBaseUser.normalize_username) applies NFKC.
    # Case is folded on top: "CARLA" cannot log in as "carla", but guessing under it still counts.
    normalized = unicodedata.normalize("NFKC", username.strip()).casefold()
    # The lock stores what it counts in a column of limited length (PostgreSQL refuses longer values);
    # no account has a name that long, so a guess that long still counts, under its first characters.
    return normalized[:USERNAME_COLUMN_LENGTH] or None


def failures_allowed_per_username(request, credentials=None):
    """Failed logins for one username (from any address) before it is locked."""
    return settings.QUIZSITE_LOGIN_FAILURES_PER_USERNAME


def lockout_length(request=None):
    """How long a lock lasts after the failure that set it (and how far back failures count)."""
    return timedelta(seconds=settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS)


class LoginLockBackend(AxesStandaloneBackend):
    """Axes' lock check, for every authenticate() that comes with a request.

    Every way in over HTTP passes its request (tests prove each). Without one (the shell, the test
    client's login()) there is no client to limit, and axes would raise instead of authenticating.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginFailureHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, higher limit: failures from one address, any username.

    Axes compares every lockout parameter against one failure limit; an address shared by a whole
    classroom needs a higher one than a single username, so it is checked here on axes' own records.
    """

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.is_address_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or not self.is_address_locked(request):
            return
        # The same flags and signal axes sets when a username reaches its limit.
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )

    @staticmethod
    def is_address_locked(request):
        """Whether the request's address has failed too often within the lockout length."""
        if not request.axes_ip_address:
            return False
        failures = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= settings.QUIZSITE_LOGIN_FAILURES_PER_ADDRESS


def lockout_response(request, original_response=None, credentials=None):
    """429 with Retry-After for a refused login: `{"detail": ...}` under /api/, a page elsewhere."""
    seconds = int(get_cool_off(request).total_seconds())
    minutes = max(1, math.ceil(seconds / 60))
    message = ngettext(
        "Too many failed logins. Please try again in %(minutes)s minute.",
        "Too many failed logins. Please try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    if is_api_request(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    # An upper bound: failures refused during the lock are not counted, so it ends on time.
    response["Retry-After"] = str(seconds)
    return response


def log_lockout(sender, request, username, ip_address, **kwargs):
    """Log each login that the lock refuses or that sets it, with the request's id."""
    # `request` lets the log filter find the request id even outside the request's context.
    security_log.warning(
        "Login locked out: username %s from address %s", username, ip_address, extra={"request": request}
    )


def connect_signals():
    user_locked_out.connect(log_lockout, dispatch_uid="quizzes.log_lockout")
