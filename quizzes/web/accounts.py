"""The account pages: sign up and log in (keeping a guest's attempts), and the interface language."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import services
from ..owners import GUEST_SESSION_KEY
from ..throttles import PasswordResetThrottle, RegisterThrottle
from .forms import SignupForm


def _claim_guest_attempts(request, *, guest_key, user):
    """Keep what a guest did in this browser once they have an account."""
    if guest_key and services.claim_guest_attempts(guest_key=guest_key, user=user):
        messages.info(request, _("Your attempts as a guest are now saved in your account."))
    request.session.pop(GUEST_SESSION_KEY, None)


def _next(request):
    """Where the visitor wants to go after signing up or logging in, as the form or the link says."""
    return request.POST.get("next") or request.GET.get("next") or ""


def _safe_next(request):
    target = _next(request)
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("web:home")


@require_GET
def switch_language(request):
    """Remember the chosen interface language in a cookie, as Django's set_language does, and go back."""
    # Choosing a display language is a preference kept in the visitor's own cookie, not a change to
    # anything on the server, so like following a link it needs no CSRF token. A GET form keeps every
    # page for visitors without a session free of per-visitor tokens, so those pages can be cached.
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(
            _("Unknown language “%(language)s”; choose one of: %(choices)s.")
            % {"language": language, "choices": ", ".join(code for code, _name in settings.LANGUAGES)},
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"

    def form_valid(self, form):
        # Logging in keeps the session's data, but read the guest key first to be independent of that.
        guest_key = self.request.session.get(GUEST_SESSION_KEY)
        response = super().form_valid(form)
        _claim_guest_attempts(self.request, guest_key=guest_key, user=form.get_user())
        return response


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        # The same per-address limit, and counter, as registering through the API.
        throttle = RegisterThrottle()
        if not throttle.allow_request(request, None):
            form.add_error(None, _("Too many new accounts from this address. Please try again later."))
            response = render(request, "registration/signup.html", {"form": form, "next": _next(request)}, status=429)
            response["Retry-After"] = str(int(throttle.wait() or 60))
            return response
    if request.method == "POST" and form.is_valid():
        guest_key = request.session.get(GUEST_SESSION_KEY)
        try:
            user = services.register_learner(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data.get("email", ""),
            )
        except services.UsernameTaken as taken:
            # Taken between the form's check and the insert: said where the form says it.
            form.add_error("username", taken.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(name)s! Your account is ready.") % {"name": user.username})
            _claim_guest_attempts(request, guest_key=guest_key, user=user)
            # Not redirect(): it would look a `next` without a slash ("foo") up as a view name and fail.
            return HttpResponseRedirect(_safe_next(request))
    return render(
        request, "registration/signup.html", {"form": form, "next": _next(request)},
        status=400 if request.method == "POST" else 200,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, with a per-address limit: it is anonymous and sends mail."""

    template_name = "quizzes/accounts/password_reset_form.html"

    def post(self, request, *args, **kwargs):
        throttle = PasswordResetThrottle()
        if not throttle.allow_request(request, None):
            form = self.get_form()
            form.add_error(None, _("Too many password reset requests from this address. Please try again later."))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(int(throttle.wait() or 60))
            return response
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password form; the account's API tokens end with the old password."""

    template_name = "quizzes/accounts/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_was_reset(user=form.user)
        return response
