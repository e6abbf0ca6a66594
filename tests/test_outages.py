"""A database that cannot answer is 503 with Retry-After, never 500; a cache that cannot is a miss.

The database is taken away by making every query of the request fail the way psycopg and Django
report a lost server; the suite's own database stays untouched. The live outages (a real PostgreSQL
and Redis stopped under load) are in test_outages_live.py.
"""

import contextlib

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.db.backends import utils
from django.test import Client, override_settings

from quizzes.models import Attempt
from tests.factories import UserFactory, quiz_with_questions
from tests.review_helpers import check_an_answer_in_review_leaves_the_queue, client_for

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/quizzes/"
# Nothing listens on port 9 (discard): every Redis call fails at once.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


def wrapped(cause, wrapper=OperationalError):
    """The error Django raises for a driver error: its own class, with the driver's as __cause__."""
    try:
        raise wrapper(str(cause)) from cause
    except wrapper as error:
        return error


SERVER_GONE = {
    "connection refused": wrapped(psycopg.OperationalError("connection failed: Connection refused")),
    "connection failure 08006": wrapped(psycopg.errors.lookup("08006")("server closed the connection")),
    "admin shutdown 57P01": wrapped(psycopg.errors.lookup("57P01")("terminating connection")),
    "starting up 57P03": wrapped(psycopg.errors.lookup("57P03")("the database system is starting up")),
    "connection closed": wrapped(psycopg.InterfaceError("the connection is closed"), InterfaceError),
}


@contextlib.contextmanager
def database_down(monkeypatch, error):
    def fail(self, *args, **kwargs):
        raise error

    with monkeypatch.context() as patch:
        patch.setattr(utils.CursorWrapper, "execute", fail)
        patch.setattr(utils.CursorWrapper, "executemany", fail)
        yield


def client():
    # Django's test client re-raises a view's exception by default; a real server answers instead.
    return Client(raise_request_exception=False)


def assert_retry_later(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("error", SERVER_GONE.values(), ids=SERVER_GONE.keys())
def test_the_api_answers_503_json_with_retry_after_while_the_database_is_unreachable(monkeypatch, error):
    quiz_with_questions(1)

    with database_down(monkeypatch, error):
        response = client().get(LIST_URL)

    assert_retry_later(response)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize("error", SERVER_GONE.values(), ids=SERVER_GONE.keys())
def test_pages_answer_503_with_retry_after_while_the_database_is_unreachable(monkeypatch, error):
    quiz_with_questions(1)

    with database_down(monkeypatch, error):
        response = client().get("/")

    assert_retry_later(response)


def test_sign_up_through_the_api_answers_503_and_writes_nothing_while_the_database_is_unreachable(monkeypatch):
    with database_down(monkeypatch, SERVER_GONE["connection refused"]):
        response = client().post(
            "/api/v1/auth/register/",
            {"username": "ada", "password": "a long passphrase 42"},
            content_type="application/json",
        )

    assert_retry_later(response)
    assert response.json()["detail"]


def test_a_session_that_cannot_be_saved_after_the_view_answers_503_not_500(monkeypatch):
    quiz = quiz_with_questions(1)

    def fail(self, must_create=False):
        raise SERVER_GONE["admin shutdown 57P01"]

    # The session is saved by SessionMiddleware.process_response, after the view has returned.
    monkeypatch.setattr(SessionStore, "save", fail)
    response = client().post(f"/quizzes/{quiz.slug}/start/")

    assert_retry_later(response)


@pytest.mark.parametrize(
    "error",
    [
        wrapped(psycopg.errors.lookup("42P01")('relation "quizzes_quiz" does not exist')),
        OperationalError("no such table: quizzes_quiz"),
    ],
    ids=["undefined table", "sqlite no such table"],
)
def test_a_database_error_a_retry_cannot_fix_stays_a_500(monkeypatch, error):
    quiz_with_questions(1)

    with database_down(monkeypatch, error):
        api = client().get(LIST_URL)
        page = client().get("/")

    assert api.status_code == 500 and "Retry-After" not in api
    assert page.status_code == 500 and "Retry-After" not in page


# ---------------------------------------------------------------------------------------------
# Redis unreachable: django-redis with IGNORE_EXCEPTIONS makes every cache call a miss.


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_public_reads_are_built_from_the_database_while_redis_is_unreachable():
    quiz_with_questions(1, title="Parler")

    api = client().get(LIST_URL)
    page = client().get("/")

    assert api.status_code == 200
    assert [quiz["title"] for quiz in api.json()["results"]] == ["Parler"]
    assert page.status_code == 200 and "Parler" in page.content.decode()


@override_settings(CACHES=UNREACHABLE_REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_a_learner_signs_up_starts_and_submits_through_the_api_while_redis_is_unreachable():
    quiz = quiz_with_questions(1)
    api = client()

    registered = api.post(
        "/api/v1/auth/register/", {"username": "ada", "password": "a long passphrase 42"}, content_type="application/json"
    )
    token = {"HTTP_AUTHORIZATION": f"Token {registered.json()['token']}"}
    started = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/", **token)
    submit_url = f"/api/v1/attempts/{started.json()['id']}/submit/"
    submitted = api.post(submit_url, content_type="application/json", **token)

    assert (registered.status_code, started.status_code, submitted.status_code) == (201, 201, 200)
    assert Attempt.objects.get().state == "submitted"


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_the_review_queue_is_read_from_the_database_and_stays_right_while_redis_is_unreachable():
    check_an_answer_in_review_leaves_the_queue(client_for(UserFactory()))


@override_settings(CACHES=UNREACHABLE_REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_a_guest_keeps_the_attempt_in_progress_while_redis_is_unreachable():
    quiz = quiz_with_questions(1)
    guest = client()

    started = guest.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get()

    assert started.status_code == 302 and started["Location"] == f"/attempts/{attempt.pk}/"
    assert guest.get(f"/attempts/{attempt.pk}/").status_code == 200
