"""Accounts: register for a token, exchange a password for a token, use the token."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes.api.authentication import CachedTokenAuthentication
from quizzes.throttles import RegisterThrottle, TokenThrottle
from tests.factories import PASSWORD, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"


def test_registering_returns_201_with_a_working_token(api_client):
    quiz = quiz_with_questions(1)

    response = api_client.post(REGISTER, {"username": "ada", "password": PASSWORD}, format="json")

    assert response.status_code == 201
    assert set(response.data) == {"token"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").status_code == 201


@pytest.mark.parametrize(
    "password", ["short", "12345678901", "password", "ada-lovelace-1"], ids=["short", "numeric", "common", "similar"]
)
def test_registering_applies_djangos_password_validators(api_client, password):
    response = api_client.post(REGISTER, {"username": "ada-lovelace", "password": password}, format="json")

    assert response.status_code == 400
    assert "password" in response.data
    assert not get_user_model().objects.exists()


def test_registering_a_taken_username_is_400(api_client):
    UserFactory(username="ada")

    response = api_client.post(REGISTER, {"username": "ADA", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert "username" in response.data
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"username": "ada"}, {"username": "a b!", "password": PASSWORD}])
def test_registering_with_missing_or_invalid_fields_is_400(api_client, body):
    response = api_client.post(REGISTER, body, format="json")

    assert response.status_code == 400
    assert not get_user_model().objects.exists()


def test_token_exchanges_a_username_and_password(api_client):
    user = UserFactory(username="ada")

    response = api_client.post(TOKEN, {"username": "ada", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.data == {"token": Token.objects.get(user=user).key}
    assert api_client.post(TOKEN, {"username": "ada", "password": PASSWORD}, format="json").data == response.data


def test_token_with_a_wrong_password_is_400(api_client):
    UserFactory(username="ada")

    response = api_client.post(TOKEN, {"username": "ada", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.data
    assert not Token.objects.exists()


def test_an_invalid_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api_client.get("/api/v1/attempts/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_authenticates_its_own_user_with_every_field_readable(api_client):
    user = UserFactory(username="ada", email="ada@example.org", is_staff=True)
    token = Token.objects.create(user=user)
    authentication = CachedTokenAuthentication()

    authenticated, auth = authentication.authenticate_credentials(token.key)

    assert (authenticated.pk, authenticated.username, authenticated.is_staff) == (user.pk, "ada", True)
    assert authenticated.email == "ada@example.org"  # not in the query; loaded on first use
    assert auth.key == token.key and auth.user == user
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get("/api/v1/attempts/").status_code == 200


def test_the_token_of_a_deactivated_account_is_401(api_client):
    user = UserFactory(is_active=False)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    response = api_client.get("/api/v1/attempts/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


@pytest.mark.parametrize("header", ["Token", "Token two parts", "Token " + "\u00e9"])
def test_a_malformed_token_header_is_401(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)

    assert api_client.get("/api/v1/attempts/").status_code == 401


def test_the_invalid_token_message_is_german_for_german_clients(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api_client.get("/api/v1/attempts/", HTTP_ACCEPT_LANGUAGE="de")

    assert response.json()["detail"] == "Ungültiges Token"


def test_session_login_works_too(user):
    client = APIClient()
    client.login(username=user.username, password=PASSWORD)

    assert client.get("/api/v1/attempts/").status_code == 200


@pytest.mark.parametrize("throttle, url", [(TokenThrottle, TOKEN), (RegisterThrottle, REGISTER)])
def test_account_requests_are_throttled_with_429(api_client, monkeypatch, throttle, url):
    monkeypatch.setattr(throttle, "THROTTLE_RATES", {throttle.scope: "2/minute"})
    cache.clear()

    codes = [api_client.post(url, {"username": "x"}, format="json").status_code for _ in range(3)]

    assert codes == [400, 400, 429]
    assert "detail" in api_client.post(url, {}, format="json").data
