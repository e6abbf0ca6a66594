"""Production settings, request ids and structured logs.

Production settings are read from the environment at import time, so they are checked in a fresh
process with that environment, the way gunicorn would start.
"""

import json
import logging
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from quizsite import urls as project_urls

ROOT = Path(__file__).resolve().parent.parent


def production_environment(**overrides):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="quiz.example.org",
        DJANGO_SETTINGS_MODULE="quizsite.settings",
    )
    environment.update(overrides)
    return environment


def run_django(arguments, **environment):
    return subprocess.run(  # nosec B603 - fixed arguments, our own interpreter
        [sys.executable, *arguments],
        cwd=ROOT,
        env=production_environment(**environment),
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_setting(expression, **environment):
    script = f"import django; django.setup(); from django.conf import settings; print(repr({expression}))"
    result = run_django(["-c", script], **environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_deploy_check_passes_with_debug_off():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_passes_behind_a_tls_proxy_that_redirects_itself():
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DJANGO_SECURE_SSL_REDIRECT="0"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert production_setting("settings.SECURE_SSL_REDIRECT", DJANGO_SECURE_SSL_REDIRECT="0") == "False"


def test_deploy_check_fails_with_a_weak_secret_key():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DJANGO_SECRET_KEY="short")

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django(["manage.py", "check"], DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_reads_hosts_and_hardening_from_the_environment():
    values = production_setting(
        "(settings.ALLOWED_HOSTS, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS >= 31536000, settings.SECURE_SSL_REDIRECT)",
        DJANGO_ALLOWED_HOSTS="quiz.example.org,www.quiz.example.org",
    )

    assert values == "(['quiz.example.org', 'www.quiz.example.org'], True, True, True, True)"


def test_production_api_renders_json_only():
    renderers = production_setting(
        "[renderer.__name__ for renderer in __import__('rest_framework.settings').settings.api_settings"
        ".DEFAULT_RENDERER_CLASSES]"
    )

    assert renderers == "['JSONRenderer']"


def test_production_api_answers_a_browser_with_json_not_html(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('createcachetable', verbosity=0)\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "response = Client().get(\n"
        "    '/api/v1/quizzes/', HTTP_ACCEPT='text/html', HTTP_HOST='quiz.example.org', secure=True\n"
        ")\n"
        "print(response.status_code, response.get('Content-Type', ''))\n"
    )
    result = run_django(["-c", script], DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}")

    assert result.returncode == 0, result.stderr
    status, content_type = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "406"
    assert content_type.startswith("application/json")


# A view that fails, to see how an unhandled error is reported.
def failing_view(request):
    raise RuntimeError("something broke")


def busy_view(request):
    raise OperationalError("database is locked")


urlpatterns = [path("fails/", failing_view), path("busy/", busy_view), path("api/fails/", failing_view)]
# Error handlers belong to a URLconf: this one answers errors as the project's does.
handler400, handler403, handler404, handler500 = (
    project_urls.handler400, project_urls.handler403, project_urls.handler404, project_urls.handler500
)


@pytest.fixture
def log_output():
    """What the stdout log handler writes during the test."""
    handler = next(handler for handler in logging.getLogger().handlers if handler.name == "stdout")
    buffer = StringIO()
    original = handler.setStream(buffer)
    yield buffer
    handler.setStream(original)


def log_entries(buffer):
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


@pytest.mark.urls(__name__)
def test_unhandled_error_is_logged_as_json_with_the_request_id(log_output):
    client = Client(raise_request_exception=False)

    response = client.get("/fails/", HTTP_X_REQUEST_ID="req-4711")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-4711"
    errors = [entry for entry in log_entries(log_output) if entry["level"] == "ERROR"]
    assert errors, log_output.getvalue()
    assert errors[0]["request_id"] == "req-4711"
    assert errors[0]["logger"] == "django.request"
    assert errors[0]["status"] == 500
    assert "RuntimeError: something broke" in errors[0]["exception"]
    assert "something broke" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_every_response_gets_a_generated_request_id_when_none_is_given():
    first = Client(raise_request_exception=False).get("/fails/")
    second = Client(raise_request_exception=False).get("/fails/")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "hostile_id", ["a" * 65, "evil\r\nSet-Cookie: x=1", "trailing-newline\n", "<script>", "id with spaces"]
)
def test_a_hostile_request_id_is_replaced_not_echoed(hostile_id, log_output):
    response = Client(raise_request_exception=False).get("/fails/", HTTP_X_REQUEST_ID=hostile_id)

    assert response["X-Request-ID"] != hostile_id
    assert len(response["X-Request-ID"]) == 32
    assert hostile_id not in log_output.getvalue()


@pytest.mark.urls(__name__)
def test_a_busy_database_on_a_page_gives_503_with_retry_after_and_logs_it(log_output):
    response = Client(raise_request_exception=False).get("/busy/", HTTP_X_REQUEST_ID="req-busy")

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.content
    (entry,) = [
        entry for entry in log_entries(log_output) if entry.get("status") == 503 and entry["logger"] != "quizsite.access"
    ]
    assert entry["request_id"] == "req-busy"
    assert "exception" not in entry


@pytest.mark.django_db
def test_every_request_is_logged_as_one_json_line_without_its_query_string(log_output):
    response = Client().get("/?language=en&topic=secret-search", HTTP_X_REQUEST_ID="req-access")

    (entry,) = [entry for entry in log_entries(log_output) if entry["logger"] == "quizsite.access"]
    assert entry["request_id"] == "req-access"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/", response.status_code)
    assert entry["message"] == f"GET / {response.status_code}"
    assert isinstance(entry["duration_ms"], float)
    assert "secret-search" not in log_output.getvalue()


def test_log_lines_outside_a_request_are_json_with_a_placeholder_request_id(log_output):
    logging.getLogger("quizzes.test").warning("plain %s", "message")

    entry = log_entries(log_output)[-1]
    assert entry["message"] == "plain message"
    assert entry["request_id"] == "-"
    assert entry["level"] == "WARNING"


@pytest.mark.urls(__name__)
def test_an_unhandled_error_in_the_api_is_json_without_a_traceback(log_output):
    response = Client(raise_request_exception=False).get("/api/fails/", HTTP_X_REQUEST_ID="req-api-500")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Request-ID"] == "req-api-500"
    assert "something broke" not in response.content.decode()
    errors = [entry for entry in log_entries(log_output) if entry["level"] == "ERROR"]
    assert len(errors) == 1, "logged once, with its traceback"
    assert "RuntimeError" in errors[0]["exception"]


@pytest.mark.urls(__name__)
def test_a_route_the_api_does_not_have_is_a_json_404():
    response = Client().get("/api/no-such-endpoint/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_without_a_mail_host_production_drops_reset_mails_instead_of_logging_their_links():
    # A reset link printed to stdout lands in the log, where anyone who reads it owns the account.
    assert production_setting("settings.EMAIL_BACKEND") == repr("django.core.mail.backends.dummy.EmailBackend")
    assert production_setting("settings.EMAIL_BACKEND", DJANGO_EMAIL_HOST="smtp.example.org") == repr(
        "django.core.mail.backends.smtp.EmailBackend"
    )
