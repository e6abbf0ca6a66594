"""Accounts on the pages through Django's test client: sign-up, login, logout, a guest's attempts kept."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.throttles import RegisterThrottle
from tests.factories import PASSWORD, UserFactory, quiz_with_questions
from tests.pages import answers_for, start, submitted

pytestmark = pytest.mark.django_db


def test_signing_up_after_a_guest_attempt_keeps_it(client):
    quiz = quiz_with_questions(1)
    attempt = submitted(client, quiz, right=(1,))
    response = client.post(
        reverse("signup"), {"username": "newlearner", "password1": PASSWORD, "password2": PASSWORD, "next": "/progress/"}
    )
    assert response.status_code == 302 and response.url == "/progress/"
    attempt.refresh_from_db()
    assert attempt.user.username == "newlearner" and attempt.guest_key == ""
    page = client.get(reverse("web:progress")).content.decode()
    assert quiz.title in page


def test_logging_in_after_a_guest_attempt_keeps_it(client):
    user = UserFactory()
    quiz = quiz_with_questions(1)
    attempt = submitted(client, quiz, right=(1,))
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user == user


def test_signup_with_mismatched_passwords_shows_the_error(client):
    response = client.post(reverse("signup"), {"username": "x", "password1": PASSWORD, "password2": "other"})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()


def test_signup_refuses_an_offsite_next(client):
    response = client.post(
        reverse("signup"),
        {"username": "learner", "password1": PASSWORD, "password2": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_logout_is_a_post_and_ends_the_session(client, user):
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "Anmelden" in client.get(reverse("web:home")).content.decode()


def test_auth_urls_are_where_other_parts_expect_them():
    assert reverse("signup") == "/accounts/signup/"
    assert reverse("login") == "/accounts/login/"
    assert reverse("logout") == "/accounts/logout/"
    assert reverse("web:home") == "/"


def test_a_guests_attempt_in_progress_can_be_resumed_after_signing_up(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    client.post(url, {"action": "save", **answers_for(quiz, right=(1,))})
    client.post(reverse("signup"), {"username": "resumer", "password1": PASSWORD, "password2": PASSWORD})
    response = client.get(url)
    assert response.status_code == 200
    assert "1 von 2 beantwortet" in response.content.decode()
    assert start(client, quiz) == attempt


def test_signup_shares_the_registration_limit_with_the_api(client, monkeypatch):
    """Regression: the API throttled registrations but the sign-up page did not."""
    monkeypatch.setattr(RegisterThrottle, "THROTTLE_RATES", {RegisterThrottle.scope: "2/hour"})
    first = APIClient().post("/api/v1/auth/register/", {"username": "first", "password": PASSWORD}, format="json")
    assert first.status_code == 201
    second = client.post(reverse("signup"), {"username": "second", "password1": PASSWORD, "password2": PASSWORD})
    assert second.status_code == 302
    client.logout()

    third = client.post(reverse("signup"), {"username": "third", "password1": PASSWORD, "password2": PASSWORD})

    assert third.status_code == 429
    assert "Retry-After" in third
    assert not User.objects.filter(username="third").exists()


@pytest.mark.parametrize("page", ["signup", "login"])
def test_a_sign_up_or_log_in_form_with_an_error_keeps_where_the_visitor_was_going(client, page):
    # "Sign up to keep this result" must land on the result even after a mistake in the form.
    target = "/attempts/00000000-0000-0000-0000-000000000001/result/"
    fields = {"username": "", "password1": "x", "password2": "y"} if page == "signup" else {"username": "nobody"}

    response = client.post(reverse(page), {**fields, "password": "wrong", "next": target})

    assert response.status_code in (200, 400)
    assert f'<input type="hidden" name="next" value="{target}">' in response.content.decode()
