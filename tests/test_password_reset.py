"""A learner who forgot the password gets a one-time link by email, with Django's own views."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes.throttles import PasswordResetThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new long passphrase 7"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


def test_a_learner_resets_a_forgotten_password_through_the_emailed_link(client):
    user = UserFactory(username="ada", email="ada@example.org")
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()

    sent = client.post(reverse("password_reset"), {"email": "ada@example.org"})

    assert sent.status_code == 302 and sent.url == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    link = LINK.search(message.body).group(1)
    # Django moves the token out of the URL into the session before showing the form.
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    saved = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved.status_code == 302 and saved.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    assert client.get(link, follow=True).context["validlink"] is False
    fresh = Client()
    assert fresh.post(reverse("login"), {"username": "ada", "password": NEW_PASSWORD}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    UserFactory(email="ada@example.org")

    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_signing_up_keeps_an_optional_email_address_for_the_reset(client):
    response = client.post(
        reverse("signup"),
        {"username": "grace", "email": "grace@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="grace").email == "grace@example.org"

    Client().post(
        reverse("signup"), {"username": "linus", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert get_user_model().objects.get(username="linus").email == ""


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_reset_pages_speak_the_visitor_s_language(client, language):
    page = client.get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert ("Passwort vergessen?" if language == "de" else "Forgot your password?") in page


def test_a_reset_ends_the_account_s_api_tokens(client):
    user = UserFactory(username="ada", email="ada@example.org")
    token = Token.objects.create(user=user)
    client.post(reverse("password_reset"), {"email": "ada@example.org"})
    link = LINK.search(mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)

    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert not Token.objects.filter(key=token.key).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/attempts/").status_code == 401


def test_reset_requests_are_limited_per_address_and_then_refused_with_429(client, monkeypatch):
    monkeypatch.setattr(PasswordResetThrottle, "THROTTLE_RATES", {PasswordResetThrottle.scope: "2/hour"})
    UserFactory(email="victim@example.org")

    statuses = [client.post(reverse("password_reset"), {"email": "victim@example.org"}).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2
