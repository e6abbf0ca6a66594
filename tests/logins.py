"""Logging in as the login-lock tests do: each way in (browser, admin, API token) by a fresh client."""

from pathlib import Path

from django.test import Client
from rest_framework.test import APIClient

from tests.factories import StaffFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
BROWSER_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"
WAYS_IN = [BROWSER_LOGIN, ADMIN_LOGIN, TOKEN]
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.2"
LIMIT = 5


def log_in(url, username, password, *, address=ADDRESS, language="en", **headers):
    """One login attempt by a fresh client, the way a browser or an API client sends it."""
    if url == TOKEN:
        client = APIClient()
        return client.post(
            url, {"username": username, "password": password}, format="json",
            REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language, **headers,
        )
    client = Client()
    return client.post(
        url, {"username": username, "password": password},
        REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language, **headers,
    )


def is_logged_in(url, response):
    if url == TOKEN:
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def fail(url, username, times=LIMIT, **options):
    return [log_in(url, username, "wrong password", **options).status_code for _ in range(times)]


def account_for(url):
    # The admin only lets staff in; the browser and the API let anyone.
    return StaffFactory() if url == ADMIN_LOGIN else UserFactory()
