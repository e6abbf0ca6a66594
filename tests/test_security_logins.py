"""Password guessing is limited on every way in (browser login, admin login, API token) by django-axes:
5 failures per username, however it is spelled and from whatever address, then even the right password
is refused with 429 until the lockout ends; 30 failures per client address across usernames. Lockouts
live in the database, are logged, and staff lift them in the admin."""

import json
import logging
import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.logs import JsonLogFormatter, RequestIdLogFilter
from tests.factories import PASSWORD, EditorFactory, StaffFactory, UserFactory
from tests.test_concurrency import PARALLEL, run_in_parallel

ROOT = Path(__file__).resolve().parent.parent
BROWSER_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"
WAYS_IN = [BROWSER_LOGIN, ADMIN_LOGIN, TOKEN]
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.2"
LIMIT = 5

pytestmark = pytest.mark.django_db


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


# ---------------------------------------------------------------------------------------------
# The limit per username, on each way in


@pytest.mark.parametrize("url", WAYS_IN)
def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_429(url):
    account = account_for(url)
    statuses = fail(url, account.username)

    response = log_in(url, account.username, PASSWORD)

    failure_status = 400 if url == TOKEN else 200
    # The failure that reaches the limit is answered with the lockout already.
    assert statuses == [failure_status] * (LIMIT - 1) + [429]
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 900
    assert not is_logged_in(url, response)


@pytest.mark.parametrize("url", WAYS_IN)
def test_four_wrong_passwords_do_not_lock_out(url):
    account = account_for(url)
    fail(url, account.username, times=LIMIT - 1)

    assert is_logged_in(url, log_in(url, account.username, PASSWORD))


@pytest.mark.parametrize("url", [BROWSER_LOGIN, TOKEN])
def test_staff_accounts_are_locked_out_like_anyone(url):
    staff = StaffFactory()
    fail(url, staff.username)

    assert log_in(url, staff.username, PASSWORD).status_code == 429


def test_failures_on_all_three_ways_in_count_against_the_same_lock():
    account = StaffFactory()
    fail(BROWSER_LOGIN, account.username, times=2)
    fail(ADMIN_LOGIN, account.username, times=2)
    fail(TOKEN, account.username, times=1)

    for url in WAYS_IN:
        assert log_in(url, account.username, PASSWORD, address=OTHER_ADDRESS).status_code == 429, url


def test_the_api_answers_a_lockout_in_json_with_a_translated_detail():
    account = UserFactory()
    fail(TOKEN, account.username)

    english = log_in(TOKEN, account.username, PASSWORD, language="en")
    german = log_in(TOKEN, account.username, PASSWORD, language="de")

    assert english["Content-Type"] == "application/json"
    assert english.json() == {"detail": "Too many failed logins. Please try again in 15 minutes."}
    assert german.json() == {"detail": "Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in 15 Minuten erneut."}


@pytest.mark.parametrize("url", [BROWSER_LOGIN, ADMIN_LOGIN])
def test_the_browser_and_the_admin_answer_a_lockout_with_a_translated_page(url):
    account = StaffFactory()
    fail(url, account.username)

    english = log_in(url, account.username, PASSWORD, language="en")
    german = log_in(url, account.username, PASSWORD, language="de")

    assert english["Content-Type"].startswith("text/html")
    assert english["X-Frame-Options"] == "DENY"
    assert "<h1>Too many failed logins</h1>" in english.content.decode()
    assert "Please try again in 15 minutes." in english.content.decode()
    assert "<h1>Zu viele fehlgeschlagene Anmeldungen</h1>" in german.content.decode()
    assert "Bitte versuchen Sie es in 15 Minuten erneut." in german.content.decode()


def test_a_short_lockout_says_one_minute(settings):
    settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS = 60
    account = UserFactory()
    fail(TOKEN, account.username)

    response = log_in(TOKEN, account.username, PASSWORD)

    assert response.json() == {"detail": "Too many failed logins. Please try again in 1 minute."}
    assert response["Retry-After"] == "60"


def test_the_limit_follows_its_setting(settings):
    settings.QUIZSITE_LOGIN_FAILURES_PER_USERNAME = 2
    account = UserFactory()
    fail(BROWSER_LOGIN, account.username, times=2)

    assert log_in(BROWSER_LOGIN, account.username, PASSWORD).status_code == 429


def test_get_of_the_login_page_is_never_refused():
    account = UserFactory()
    fail(BROWSER_LOGIN, account.username)

    assert Client().get(BROWSER_LOGIN, REMOTE_ADDR=ADDRESS).status_code == 200


def test_failures_for_an_unknown_username_are_refused_the_same_way():
    statuses = fail(TOKEN, "nobody-by-this-name", times=LIMIT + 1)

    assert statuses[-2:] == [429, 429]


# ---------------------------------------------------------------------------------------------
# Spellings of a username: normalised as Django's login form does, and case does not matter


@pytest.mark.parametrize("url", [BROWSER_LOGIN, ADMIN_LOGIN])
@pytest.mark.parametrize("spelling", ["mallory ", " mallory", "\uff4dallory", "MALLORY", "\tmallory\n"])
def test_a_locked_username_stays_locked_under_another_spelling(url, spelling):
    StaffFactory(username="mallory")
    fail(url, "mallory")

    # The login form would clean each spelling to "mallory" and log the superuser in.
    assert log_in(url, spelling, PASSWORD).status_code == 429


@pytest.mark.parametrize("url", WAYS_IN)
def test_failures_under_other_spellings_count_against_the_same_lock(url):
    StaffFactory(username="mallory")
    for spelling in ["mallory ", " mallory", "\uff4dallory", "Mallory", "mallory\u3000"]:
        log_in(url, spelling, "wrong password")

    assert log_in(url, "mallory", PASSWORD).status_code == 429


def test_the_right_password_under_a_variant_spelling_still_logs_in_before_the_limit():
    UserFactory(username="mallory")
    fail(BROWSER_LOGIN, "mallory", times=LIMIT - 1)

    assert is_logged_in(BROWSER_LOGIN, log_in(BROWSER_LOGIN, "\uff4dallory ", PASSWORD))


# ---------------------------------------------------------------------------------------------
# Client addresses


@pytest.mark.parametrize("proxies", [0, 1])
@pytest.mark.parametrize("url", WAYS_IN)
def test_the_username_lock_holds_whatever_the_address(settings, url, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    account = account_for(url)
    for number in range(LIMIT):
        log_in(url, account.username, "wrong password", address=f"192.0.2.{number}",
               HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")

    response = log_in(url, account.username, PASSWORD, address="192.0.2.99", HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429


def test_one_address_trying_many_usernames_is_stopped_at_the_address_limit(settings):
    settings.QUIZSITE_LOGIN_FAILURES_PER_ADDRESS = 6
    for number in range(6):
        log_in(BROWSER_LOGIN, f"guess{number}", "wrong password")
    account = UserFactory()

    assert log_in(BROWSER_LOGIN, account.username, PASSWORD).status_code == 429
    assert log_in(TOKEN, account.username, PASSWORD).status_code == 429
    assert is_logged_in(BROWSER_LOGIN, log_in(BROWSER_LOGIN, account.username, PASSWORD, address=OTHER_ADDRESS))


def test_the_address_limit_is_thirty_by_default():
    for number in range(29):
        log_in(TOKEN, f"guess{number}", "wrong password")
    account = UserFactory()
    assert is_logged_in(BROWSER_LOGIN, log_in(BROWSER_LOGIN, account.username, PASSWORD))

    log_in(BROWSER_LOGIN, "guess-last", "wrong password")

    assert log_in(BROWSER_LOGIN, account.username, PASSWORD).status_code == 429


def test_without_trusted_proxies_a_forged_forwarded_for_header_does_not_escape_the_address_lock(settings):
    settings.QUIZSITE_LOGIN_FAILURES_PER_ADDRESS = 6
    for number in range(6):
        log_in(BROWSER_LOGIN, f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    account = UserFactory()

    response = log_in(BROWSER_LOGIN, account.username, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_it_appended(settings):
    settings.QUIZSITE_LOGIN_FAILURES_PER_ADDRESS = 6
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(6):
        # The client wrote the first address; the proxy (127.0.0.1) appended the real one.
        log_in(BROWSER_LOGIN, f"guess{number}", "wrong", address="127.0.0.1",
               HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 198.51.100.66")
    account = UserFactory()

    blocked = log_in(BROWSER_LOGIN, account.username, PASSWORD, address="127.0.0.1",
                     HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.66")
    elsewhere = log_in(BROWSER_LOGIN, account.username, PASSWORD, address="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="192.0.2.10")

    assert blocked.status_code == 429
    assert is_logged_in(BROWSER_LOGIN, elsewhere)


@pytest.mark.parametrize("forwarded_for", ["not-an-address", "", "1.2.3.4.5", "::1%eth0, junk"])
@pytest.mark.parametrize("url", WAYS_IN)
def test_a_junk_forwarded_for_header_behind_a_proxy_is_an_ordinary_failure(settings, url, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 1
    account = account_for(url)

    response = log_in(url, account.username, "wrong", address="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert response.status_code == (400 if url == TOKEN else 200)


# ---------------------------------------------------------------------------------------------
# Success, expiry, storage


@pytest.mark.parametrize("url", WAYS_IN)
def test_a_successful_login_clears_the_usernames_failures(url):
    account = account_for(url)
    fail(url, account.username, times=LIMIT - 1)
    assert is_logged_in(url, log_in(url, account.username, PASSWORD))

    fail(url, account.username, times=LIMIT - 1)

    assert is_logged_in(url, log_in(url, account.username, PASSWORD))


def test_signing_up_still_logs_the_new_account_in():
    client = Client()
    response = client.post(
        reverse("signup"), {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR=ADDRESS
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_lockout_ends_after_its_length(settings):
    account = UserFactory()
    fail(BROWSER_LOGIN, account.username)
    assert log_in(BROWSER_LOGIN, account.username, PASSWORD).status_code == 429

    # The lock was set with 15 minutes; shortening the setting moves its end into the past.
    settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS = 1
    time.sleep(1.1)

    assert is_logged_in(BROWSER_LOGIN, log_in(BROWSER_LOGIN, account.username, PASSWORD))


def test_refused_logins_during_the_lockout_do_not_prolong_it(settings):
    settings.QUIZSITE_LOGIN_LOCKOUT_SECONDS = 2
    account = UserFactory()
    fail(BROWSER_LOGIN, account.username)
    time.sleep(1.2)
    assert log_in(BROWSER_LOGIN, account.username, "wrong password").status_code == 429

    time.sleep(1.0)

    assert is_logged_in(BROWSER_LOGIN, log_in(BROWSER_LOGIN, account.username, PASSWORD))


def test_the_lockout_lives_in_the_database_not_the_cache():
    account = UserFactory()
    fail(BROWSER_LOGIN, account.username)

    # What a Redis restart (or a flushed cache table) does.
    cache.clear()

    assert log_in(BROWSER_LOGIN, account.username, PASSWORD).status_code == 429


# ---------------------------------------------------------------------------------------------
# Logged, and lifted by staff


@pytest.mark.parametrize("url", WAYS_IN)
def test_each_lockout_is_logged_with_the_request_id(url, caplog):
    account = account_for(url)
    fail(url, account.username, times=LIMIT - 1)
    caplog.set_level(logging.WARNING, logger="quizsite.security")

    response = log_in(url, account.username, "wrong password", HTTP_X_REQUEST_ID="lockout-check-1")

    assert response.status_code == 429
    [record] = [record for record in caplog.records if record.name == "quizsite.security"]
    assert record.levelname == "WARNING"
    # Through the filter and formatter of the stdout handler, as production writes it.
    RequestIdLogFilter().filter(record)
    line = json.loads(JsonLogFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"] == "lockout-check-1"
    assert line["message"] == f"Login locked out: username {account.username} from address {ADDRESS}"


def test_reaching_the_address_limit_is_logged_too(settings, caplog):
    settings.QUIZSITE_LOGIN_FAILURES_PER_ADDRESS = 3
    caplog.set_level(logging.WARNING, logger="quizsite.security")
    fail(BROWSER_LOGIN, "guess1", times=2)
    assert not [record for record in caplog.records if record.name == "quizsite.security"]

    assert log_in(BROWSER_LOGIN, "guess2", "wrong").status_code == 429

    [record] = [record for record in caplog.records if record.name == "quizsite.security"]
    assert record.getMessage() == f"Login locked out: username guess2 from address {ADDRESS}"


def test_a_superuser_lifts_a_lockout_in_the_admin_and_the_user_logs_in_again():
    account = UserFactory()
    fail(BROWSER_LOGIN, account.username)
    superuser = Client(headers={"accept-language": "en"})
    superuser.force_login(StaffFactory())
    changelist = reverse("admin:axes_accessattempt_changelist")

    listed = superuser.get(changelist, {"q": account.username})
    attempts = list(listed.context["cl"].result_list)
    assert [attempt.username for attempt in attempts] == [account.username]
    assert attempts[0].failures_since_start == LIMIT
    confirmed = superuser.post(
        changelist,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [attempt.pk for attempt in attempts], "post": "yes"},
    )

    assert confirmed.status_code == 302
    assert is_logged_in(BROWSER_LOGIN, log_in(BROWSER_LOGIN, account.username, PASSWORD))


def test_editors_do_not_see_the_lockout_records():
    editor = Client()
    editor.force_login(EditorFactory())

    assert editor.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_the_reset_command_lifts_a_lockout():
    account = UserFactory(username="Carla")
    fail(BROWSER_LOGIN, account.username)

    # Lock records hold the normalised (casefolded) username.
    call_command("axes_reset_username", "carla", stdout=StringIO())

    assert is_logged_in(BROWSER_LOGIN, log_in(BROWSER_LOGIN, "Carla", PASSWORD))


# ---------------------------------------------------------------------------------------------
# Parallel guesses: real threads, each with its own database connection, released at once.


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", [BROWSER_LOGIN, TOKEN])
def test_parallel_wrong_passwords_are_all_counted_and_the_lock_holds(url):
    account = UserFactory()
    superuser = StaffFactory()

    outcomes = run_in_parallel([lambda: log_in(url, account.username, "wrong password")] * PARALLEL)

    assert [error for _response, error in outcomes if error] == []
    assert {response.status_code for response, _error in outcomes} <= {400 if url == TOKEN else 200, 429}
    assert log_in(url, account.username, PASSWORD).status_code == 429
    admin = Client()
    admin.force_login(superuser)
    listed = admin.get(reverse("admin:axes_accessattempt_changelist"), {"q": account.username})
    # One record (same address and browser), incremented under a row lock: no failure is lost.
    [attempt] = listed.context["cl"].result_list
    assert attempt.failures_since_start >= LIMIT


# ---------------------------------------------------------------------------------------------
# Across processes: a second Python process, as a second gunicorn worker would be, sees the lock.


def database_url():
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def post_from_another_process(url, body):
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "url, body = sys.argv[1], json.loads(sys.argv[2])\n"
        "options = {'content_type': 'application/json'} if url.startswith('/api/') else {}\n"
        "response = Client().post(url, body, REMOTE_ADDR='198.51.100.2', **options)\n"
        "print(response.status_code)\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUIZSITE_")}
    env.update(DJANGO_SETTINGS_MODULE="quizsite.settings", DATABASE_URL=database_url(), DJANGO_ALLOWED_HOSTS="testserver")
    result = subprocess.run(  # nosec B603 - fixed arguments, our own interpreter
        [sys.executable, "-c", script, url, json.dumps(body)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", [BROWSER_LOGIN, TOKEN])
def test_a_lockout_set_in_this_process_refuses_the_login_in_another_process(url):
    account = UserFactory()
    fail(url, account.username)

    status = post_from_another_process(url, {"username": account.username, "password": PASSWORD})

    assert status == 429


def test_a_username_longer_than_the_lock_stores_is_counted_and_refused_not_a_server_error():
    # A 5 000-character username reached the lock's 255-character column: a 500 on PostgreSQL.
    guess = "m" * 5000
    statuses = [
        Client(raise_request_exception=False).post(BROWSER_LOGIN, {"username": guess, "password": "wrong"}).status_code
        for _attempt in range(6)
    ]

    assert 500 not in statuses
    assert statuses[-1] == 429
