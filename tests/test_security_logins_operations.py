"""The login lock in operation: lockouts are logged and lifted by staff, parallel guesses all count, and
a lock set in one process holds in another (test_security_logins.py: the limits themselves)."""

import json
import logging
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from quizzes.logs import JsonLogFormatter, RequestIdLogFilter
from tests.factories import PASSWORD, EditorFactory, StaffFactory, UserFactory
from tests.test_concurrency import PARALLEL, run_in_parallel

from tests.logins import (
    ADDRESS,
    BROWSER_LOGIN,
    LIMIT,
    ROOT,
    TOKEN,
    WAYS_IN,
    account_for,
    fail,
    is_logged_in,
    log_in,
)

pytestmark = pytest.mark.django_db

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
