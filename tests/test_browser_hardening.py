"""Browser hardening: the Content-Security-Policy and security headers on every page, cookie flags.

Cookie flags depend on DEBUG, which settings.py reads from the environment at import time, so they
are checked in a fresh process with DEBUG off (as tests/test_production.py does), the way gunicorn
would start.
"""

import json
import re

import pytest
from django.test import Client

from quizzes.services import Owner, start_attempt, submit_attempt
from tests.factories import PASSWORD, EditorFactory, UserFactory, quiz_with_questions
from tests.test_production import run_django

REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
SECURITY_HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
# Inline script, inline style and event-handler attributes, which the policy blocks.
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>|<style|\sstyle=|\son[a-z]+=", re.I)


def directives(header):
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.fixture
def pages(db):
    """Every kind of page, as (name, client, path); the clients are signed in where the page needs it."""
    quiz = quiz_with_questions(2, slug="parler")
    learner = UserFactory(username="alice")
    owner = Owner(user_id=learner.pk)
    closed, _ = start_attempt(quiz=quiz, owner=owner)
    submit_attempt(attempt_id=closed.pk, owner=owner, answers=[])
    open_attempt, _ = start_attempt(quiz=quiz, owner=owner)
    guest, signed_in, editor = Client(), Client(), Client()
    signed_in.login(username="alice", password=PASSWORD)
    editor.force_login(EditorFactory())
    return [
        ("home", guest, "/"),
        ("quiz", guest, "/quizzes/parler/"),
        ("attempt", signed_in, f"/attempts/{open_attempt.pk}/"),
        ("result", signed_in, f"/attempts/{closed.pk}/result/"),
        ("progress", signed_in, "/progress/"),
        ("login", guest, "/accounts/login/"),
        ("sign-up", guest, "/accounts/signup/"),
        ("not found", guest, "/quizzes/no-such-quiz/"),
        ("admin index", editor, "/admin/"),
        ("admin change form", editor, f"/admin/quizzes/quiz/{quiz.pk}/change/"),
        ("api docs", guest, "/api/docs/"),
        ("api", guest, "/api/v1/quizzes/"),
    ]


def test_every_page_has_the_policy_and_the_security_headers(pages):
    for name, client, path in pages:
        response = client.get(path)

        assert response.status_code in {200, 404}, name
        policy = directives(response["Content-Security-Policy"])
        assert {key: policy.get(key) for key in REQUIRED_DIRECTIVES} == REQUIRED_DIRECTIVES, name
        assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"], name
        assert {header: response.get(header) for header in SECURITY_HEADERS} == SECURITY_HEADERS, name


def test_our_pages_hold_no_inline_script_style_or_event_handler(pages):
    for name, client, path in pages:
        if path.startswith(("/admin/", "/api/v1/")):
            continue  # the admin is Django's; the browser test checks it under the policy
        body = client.get(path).content.decode()

        assert INLINE_CODE.findall(body) == [], name


PRODUCTION_WALK = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
get_user_model().objects.create_user(username="alice", password=%(password)r)

def flags(response):
    return {
        name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]}
        for name, morsel in response.cookies.items()
    }

# Static files come from collectstatic's manifest in production; these checks are about headers.
with override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}):
    client = Client(HTTP_HOST="quiz.example.org")
    responses = [
        ("home", client.get("/", secure=True)),
        ("login page", client.get("/accounts/login/", secure=True)),
        ("language", client.get("/language/", {"language": "en", "next": "/"}, secure=True)),
        ("login", client.post(
            "/accounts/login/", {"username": "alice", "password": %(password)r}, secure=True)),
        ("progress", client.get("/progress/", secure=True)),
        ("api docs", client.get("/api/docs/", secure=True)),
        ("sign-up", Client(HTTP_HOST="quiz.example.org").post(
            "/accounts/signup/", {"username": "bob", "password1": %(password)r, "password2": %(password)r},
            secure=True)),
    ]
print(json.dumps([
    {"name": name, "status": response.status_code, "cookies": flags(response),
     "headers": {key: response.get(key) for key in %(headers)r}}
    for name, response in responses
]))
"""


def test_with_debug_off_every_cookie_is_secure_samesite_and_http_only(tmp_path):
    script = PRODUCTION_WALK % {"password": PASSWORD, "headers": [*SECURITY_HEADERS, "Content-Security-Policy"]}
    result = run_django(["-c", script], DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}")

    assert result.returncode == 0, result.stderr[-3000:]
    walk = json.loads(result.stdout.strip().splitlines()[-1])
    statuses = {step["name"]: step["status"] for step in walk}
    assert statuses == {
        "home": 200, "login page": 200, "language": 302, "login": 302, "progress": 200, "api docs": 200,
        "sign-up": 302,
    }
    cookies = {}
    for step in walk:
        cookies.update(step["cookies"])
        assert {header: step["headers"][header] for header in SECURITY_HEADERS} == SECURITY_HEADERS, step["name"]
        assert "frame-ancestors 'none'" in step["headers"]["Content-Security-Policy"], step["name"]
    assert set(cookies) >= {"csrftoken", "sessionid", "django_language", "messages"}
    for name, flags in cookies.items():
        assert flags == {"secure": True, "httponly": True, "samesite": "Lax"}, name
