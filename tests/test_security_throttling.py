"""Password guessing is slowed down on every login (browser, admin, API token), and the counters live
in the shared cache, so they hold across worker processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD, StaffFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
BROWSER_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
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


@pytest.fixture
def limits(settings):
    settings.QUIZSITE_LOGIN_FAILURES_PER_USERNAME = 3
    settings.QUIZSITE_LOGIN_FAILURES_PER_ADDRESS = 6
    settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS = 600
    return settings


def log_in(url, username, password, address="203.0.113.7"):
    return Client().post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def is_logged_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.mark.parametrize("url, factory", [(BROWSER_LOGIN, UserFactory), (ADMIN_LOGIN, StaffFactory)])
def test_after_too_many_wrong_passwords_even_the_right_one_is_refused_with_429(url, factory, limits):
    account = factory()
    for _ in range(3):
        assert log_in(url, account.username, "wrong password").status_code == 200

    response = log_in(url, account.username, PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 600
    assert "_auth_user_id" not in response.client.session


@pytest.mark.parametrize("url, factory", [(BROWSER_LOGIN, UserFactory), (ADMIN_LOGIN, StaffFactory)])
def test_a_few_wrong_passwords_do_not_lock_out(url, factory, limits):
    account = factory()
    for _ in range(2):
        log_in(url, account.username, "wrong password")

    assert is_logged_in(log_in(url, account.username, PASSWORD))


def test_the_username_lock_holds_from_another_address(limits):
    account = UserFactory()
    for _ in range(3):
        log_in(BROWSER_LOGIN, account.username, "wrong password", address="203.0.113.7")

    assert log_in(BROWSER_LOGIN, account.username, PASSWORD, address="198.51.100.2").status_code == 429


def test_the_username_lock_ignores_letter_case(limits):
    UserFactory(username="carla")
    for _ in range(3):
        log_in(BROWSER_LOGIN, "CARLA", "wrong password")

    assert log_in(BROWSER_LOGIN, "carla", PASSWORD).status_code == 429


def test_one_address_trying_many_usernames_is_stopped(limits):
    for number in range(6):
        log_in(BROWSER_LOGIN, f"guess{number}", "wrong password")
    account = UserFactory()

    assert log_in(BROWSER_LOGIN, account.username, PASSWORD).status_code == 429
    assert is_logged_in(log_in(BROWSER_LOGIN, account.username, PASSWORD, address="198.51.100.2"))


def test_a_successful_login_clears_the_usernames_failures(limits):
    account = UserFactory()
    for _ in range(2):
        log_in(BROWSER_LOGIN, account.username, "wrong password")
    assert is_logged_in(log_in(BROWSER_LOGIN, account.username, PASSWORD))
    for _ in range(2):
        log_in(BROWSER_LOGIN, account.username, "wrong password")

    assert is_logged_in(log_in(BROWSER_LOGIN, account.username, PASSWORD))


def test_failed_api_token_requests_count_towards_the_browser_lock(limits):
    account = UserFactory()
    for _ in range(3):
        response = APIClient().post(
            TOKEN, {"username": account.username, "password": "wrong"}, format="json", REMOTE_ADDR="203.0.113.7"
        )
        assert response.status_code == 400

    assert log_in(BROWSER_LOGIN, account.username, PASSWORD, address="198.51.100.2").status_code == 429


def test_get_of_the_login_page_is_never_throttled(limits):
    account = UserFactory()
    for _ in range(3):
        log_in(BROWSER_LOGIN, account.username, "wrong password")

    assert Client().get(BROWSER_LOGIN, REMOTE_ADDR="203.0.113.7").status_code == 200


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


def test_login_failures_counted_in_this_process_lock_out_a_login_in_another_process():
    account = UserFactory()
    # The other process runs with the default limits.
    for _ in range(5):
        log_in(BROWSER_LOGIN, account.username, "wrong password")

    status = post_from_another_process(BROWSER_LOGIN, {"username": account.username, "password": PASSWORD})

    assert status == 429


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


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lock(limits):
    for number in range(6):
        Client().post(
            BROWSER_LOGIN, {"username": f"guess{number}", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    account = UserFactory()

    response = Client().post(
        BROWSER_LOGIN, {"username": account.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9",
    )

    assert response.status_code == 429


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


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_it_forwards(limits):
    limits.REST_FRAMEWORK = {**limits.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for number in range(6):
        Client().post(
            BROWSER_LOGIN, {"username": f"guess{number}", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    account = UserFactory()

    blocked = Client().post(
        BROWSER_LOGIN, {"username": account.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    elsewhere = Client().post(
        BROWSER_LOGIN, {"username": account.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10",
    )

    assert blocked.status_code == 429
    assert is_logged_in(elsewhere)
