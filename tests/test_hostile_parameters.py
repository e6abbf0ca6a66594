"""Hostile input, by class of value, in every form field of the pages and every API query parameter.

The classes are those that slipped past schema fuzzing (issue 12): digits str.isdigit accepts and
int() refuses, NUL bytes (PostgreSQL refuses them in any text), numbers of 5 000 digits, negative
numbers and integers beyond 64 bits. Each value in each field must get a 4xx or a normal page,
never a 5xx, and write nothing.
"""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes.models import AttemptState, Choice, MemoryState, Selection
from quizzes.services import Owner, start_attempt, submit_attempt
from tests.factories import PASSWORD, EditorFactory, QuestionFactory, TopicFactory, UserFactory, quiz_with_questions
from tests.hostile.values import post_form, row_counts

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = {
    "unicode digits": ["²", "٣", "１", "１２"],
    "NUL byte": ["\x00", "1\x00", "parler\x00"],
    "over-long number": ["9" * 5000],
    "negative": ["-1", "-9223372036854775809"],
    "huge integer beyond 64 bits": [str(2**64), str(2**64 * 10**5)],
}
CLASSES = list(HOSTILE_VALUES)

# Query parameters of the pages, by path; "{...}" is filled in from the world fixture.
PAGE_QUERY_PARAMETERS = {
    "/": ["language", "topic", "page"],
    "/progress/": ["page"],
    "/review/": ["attempt"],
    "/quizzes/{quiz}/": ["language"],
    "/attempts/{attempt}/": ["confirm"],
    "/attempts/{closed_attempt}/result/": ["show"],
    "/language/": ["language", "next"],
    "/accounts/login/": ["next"],
    "/accounts/signup/": ["next"],
}
# Query parameters of the API, by path; every endpoint also reads DRF's "format".
API_QUERY_PARAMETERS = {
    "/api/v1/quizzes/": ["language", "topic", "search", "page", "page_size", "format"],
    "/api/v1/quizzes/{quiz}/": ["format"],
    "/api/v1/quizzes/{quiz}/statistics/": ["format"],
    "/api/v1/attempts/": ["quiz", "page", "page_size", "format"],
    "/api/v1/attempts/{attempt}/": ["format"],
    "/api/v1/attempts/{closed_attempt}/": ["format"],
    "/api/v1/me/progress/": ["format"],
    "/api/v1/me/review/": ["attempt", "format"],
    "/api/schema/": ["format", "lang"],
    "/api/docs/": ["lang"],
}


@pytest.fixture
def world(db):
    quiz = quiz_with_questions(2, slug="parler")
    quiz.topics.add(TopicFactory(slug="parler"))
    QuestionFactory(quiz=quiz, position=9, kind="multiple", choices__correct=2, choices__wrong=1)
    learner = UserFactory(username="alice")
    owner = Owner(user_id=learner.pk)
    closed, _ = start_attempt(quiz=quiz, owner=owner)
    submit_attempt(attempt_id=closed.pk, owner=owner, answers=[])
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    return {"quiz": quiz, "learner": learner, "attempt": attempt, "closed_attempt": closed}


def filled(path, world):
    return path.format(quiz=world["quiz"].slug, attempt=world["attempt"].pk, closed_attempt=world["closed_attempt"].pk)


def signed_in_page_client():
    client = Client()
    client.login(username="alice", password=PASSWORD)
    return client


def api_client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def server_errors(responses):
    return [(label, response.status_code) for label, response in responses if response.status_code >= 500]


@pytest.mark.parametrize("value_class", CLASSES)
def test_page_query_parameters_never_give_a_server_error(world, value_class):
    clients = {"guest": Client(), "learner": signed_in_page_client()}
    before = row_counts()
    responses = []

    for path, names in PAGE_QUERY_PARAMETERS.items():
        for name in names:
            for value in HOSTILE_VALUES[value_class]:
                for who, client in clients.items():
                    if who == "guest" and "{" in path and "quiz" not in path:
                        continue
                    url = f"{filled(path, world)}?{urlencode({name: value})}"
                    responses.append(((who, url[:80]), client.get(url)))

    assert server_errors(responses) == []
    assert row_counts() == before


@pytest.mark.parametrize("value_class", CLASSES)
def test_api_query_parameters_never_give_a_server_error(world, value_class):
    clients = {
        "visitor": APIClient(),
        "learner": api_client_for(world["learner"]),
        "editor": api_client_for(EditorFactory()),
    }
    before = row_counts()
    responses = []

    for path, names in API_QUERY_PARAMETERS.items():
        for name in names:
            for value in HOSTILE_VALUES[value_class]:
                for who, client in clients.items():
                    url = f"{filled(path, world)}?{urlencode({name: value})}"
                    response = client.get(url)
                    responses.append(((who, url[:80]), response))
                    if path.startswith("/api/v1/") and response.status_code >= 400:
                        assert response["Content-Type"].startswith("application/json"), url[:80]

    assert server_errors(responses) == []
    assert row_counts() == before


@pytest.mark.parametrize("value_class", CLASSES)
def test_attempt_form_fields_never_give_a_server_error_and_save_no_choice(world, value_class):
    client = signed_in_page_client()
    attempt = world["attempt"]
    url = f"/attempts/{attempt.pk}/"
    question_fields = [f"question-{question_id}" for question_id in attempt.question_order]
    before = row_counts()
    responses = []

    for value in HOSTILE_VALUES[value_class]:
        for field in question_fields:
            for action in ("save", "submit"):
                response = post_form(client, url, {field: value, "action": action, "confirm_incomplete": "1"})
                responses.append(((field, action, value[:20]), response))
                assert response.status_code == 400, (field, value[:20])
        for field in ("action", "confirm_incomplete"):
            responses.append(((field, value[:20]), post_form(client, url, {field: value})))

    assert server_errors(responses) == []
    # An unknown action saves what the form holds: nothing, so no choice is recorded.
    assert row_counts() | {"Answer": 0} == before | {"Answer": 0}
    assert not Selection.objects.filter(answer__attempt=attempt).exists()
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score) == (AttemptState.IN_PROGRESS, None)


@pytest.mark.parametrize("value_class", CLASSES)
def test_review_form_fields_never_give_a_server_error_and_change_no_memory(world, value_class):
    client = signed_in_page_client()
    question_id = world["closed_attempt"].question_order[0]
    valid = {"question": str(question_id), "choice": "", "attempt": str(world["closed_attempt"].pk)}
    before = list(MemoryState.objects.values_list("pk", "due", "stability", "last_review"))
    responses = []

    for value in HOSTILE_VALUES[value_class]:
        for field in ("question", "choice", "attempt"):
            response = post_form(client, "/review/", {**valid, field: value})
            responses.append(((field, value[:20]), response))
            assert response.status_code in (400, 403, 404), (field, value[:20], response.status_code)

    assert server_errors(responses) == []
    assert list(MemoryState.objects.values_list("pk", "due", "stability", "last_review")) == before


@pytest.mark.parametrize("value_class", CLASSES)
def test_login_sign_up_and_language_fields_never_give_a_server_error_and_write_nothing(world, value_class):
    before = row_counts()
    responses = []
    forms = {
        "/accounts/login/": ["username", "password", "next"],
        "/accounts/signup/": ["username", "password1", "password2", "next"],
    }
    valid = {"username": "newcomer", "password": PASSWORD, "password1": PASSWORD, "password2": PASSWORD}

    for value in HOSTILE_VALUES[value_class]:
        for path, fields in forms.items():
            for field in fields:
                # Login and sign-up are throttled per address; each value should meet the form, not the limit.
                cache.clear()
                client = Client()
                response = post_form(client, path, {**{name: valid.get(name, "") for name in fields}, field: value})
                responses.append(((path, field, value[:20]), response))
                # "²", "-1" and 2**64 are fine usernames (Django takes letters and digits of any script).
                may_sign_in = field == "next" or (path == "/accounts/signup/" and field == "username")
                assert "_auth_user_id" not in client.session or may_sign_in, (path, field, value[:20])
        for field in ("language", "next"):
            responses.append((("/language/", field), Client().get("/language/", {"language": "en", field: value})))

    assert server_errors(responses) == []
    # Accounts and their tokens are what sign-up is for; nothing else is written.
    assert {name: count for name, count in row_counts().items() if name not in {"User", "Token"}} == {
        name: count for name, count in before.items() if name not in {"User", "Token"}
    }
    assert Choice.objects.count() == before["Choice"]
