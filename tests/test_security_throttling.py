"""The API's token endpoint is rate limited per client address, and the counters live in the shared
cache, so they hold across worker processes. (Failed logins: tests/test_security_logins.py.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "/api/v1/auth/token/"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Dozens of logins per test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nosec B303


@pytest.fixture(autouse=True)
def empty_cache():
    # The cache table is not flushed between tests like the model tables are.
    cache.clear()
    yield
    cache.clear()


# ---------------------------------------------------------------------------------------------
# Across processes: a second Python process, as a second gunicorn worker would be, sees the counters.


def database_url():
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def post_from_another_process(url, body, *, environment=None):
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "url, body = sys.argv[1], json.loads(sys.argv[2])\n"
        "options = {'content_type': 'application/json'} if url.startswith('/api/') else {}\n"
        "response = Client().post(url, body, REMOTE_ADDR='203.0.113.7', **options)\n"
        "print(response.status_code)\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUIZSITE_")}
    env.update(
        DJANGO_SETTINGS_MODULE="quizsite.settings",
        DATABASE_URL=database_url(),
        DJANGO_ALLOWED_HOSTS="testserver",
        **(environment or {}),
    )
    result = subprocess.run(  # nosec B603 - fixed arguments, our own interpreter
        [sys.executable, "-c", script, url, json.dumps(body)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_api_token_throttle_counted_in_this_process_holds_in_another_process():
    account = UserFactory()
    client = APIClient()
    credentials = {"username": account.username, "password": PASSWORD}
    statuses = [
        client.post(TOKEN, credentials, format="json", REMOTE_ADDR="203.0.113.7").status_code for _ in range(30)
    ]
    assert set(statuses) == {200}, "the default token rate is 30 per minute"

    status = post_from_another_process(TOKEN, {"username": account.username, "password": PASSWORD})

    assert status == 429


# ---------------------------------------------------------------------------------------------
# Client addresses: a forged X-Forwarded-For must not reset the counters.


def test_a_forged_forwarded_for_header_does_not_escape_the_api_token_throttle(db):
    account = UserFactory()
    credentials = {"username": account.username, "password": PASSWORD}
    statuses = [
        APIClient().post(
            TOKEN, credentials, format="json", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}"
        ).status_code
        for number in range(31)
    ]

    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_the_token_throttle_counts_per_address_the_proxy_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    account = UserFactory()
    credentials = {"username": account.username, "password": PASSWORD}

    def token_request(forwarded_for):
        return APIClient().post(
            TOKEN, credentials, format="json", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    # The client writes what it likes before the address its proxy appends.
    assert {token_request(f"10.0.0.{number}, 198.51.100.66") for number in range(30)} == {200}
    assert token_request("10.9.9.9, 198.51.100.66") == 429
    assert token_request("192.0.2.10") == 200
