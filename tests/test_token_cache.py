"""API tokens: whose a token is comes through the shared cache, and a change of the token or its user
shows on the very next request (quizzes/caching/tokens.py)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes import caching, selectors, services
from tests.factories import StaffFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

HISTORY = "/api/v1/attempts/"


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture(params=["suite's cache", "database cache"])
def any_cache(request, settings):
    """The suite's own cache (the database's, or Redis in the PostgreSQL run), then the database's."""
    if request.param == "database cache":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "quizsite_cache"}
        }
        call_command("createcachetable", verbosity=0)


def test_a_used_token_reads_neither_the_token_nor_its_user_from_their_tables(any_cache):
    client = token_client(UserFactory())
    assert client.get(HISTORY).status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert client.get(HISTORY).status_code == 200

    read_tables = " ".join(query["sql"] for query in queries)
    assert "authtoken_token" not in read_tables and "auth_user" not in read_tables


def test_a_used_token_is_refused_as_soon_as_a_password_reset_deletes_it(any_cache):
    user = UserFactory()
    client = token_client(user)
    assert client.get(HISTORY).status_code == 200

    services.password_was_reset(user=user)

    assert client.get(HISTORY, HTTP_ACCEPT_LANGUAGE="en").json() == {"detail": "Invalid token."}


def test_an_account_deactivated_after_using_its_token_is_refused_at_once(any_cache):
    user = UserFactory()
    client = token_client(user)
    assert client.get(HISTORY).status_code == 200

    user.is_active = False
    user.save()  # as the admin's change form saves it

    response = client.get(HISTORY, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response.json() == {"detail": "User inactive or deleted."}


def test_a_superuser_made_a_learner_loses_the_statistics_at_once(any_cache):
    user = StaffFactory()
    client = token_client(user)
    statistics = f"/api/v1/quizzes/{quiz_with_questions(1).slug}/statistics/"
    assert client.get(statistics).status_code == 200

    user.is_superuser = user.is_staff = False
    user.save()

    assert client.get(statistics).status_code == 403


def test_a_login_keeps_the_cached_user_and_a_renamed_one_is_read_afresh(any_cache):
    user = UserFactory(username="ada")
    client = token_client(user)
    client.get(HISTORY)
    key = user.auth_token.key

    user.save(update_fields=["last_login"])  # what every sign-in writes: nothing the entry holds
    with CaptureQueriesContext(connection) as queries:
        assert selectors.token_user_fields(key)[1] == "ada"
    assert "auth_user" not in " ".join(query["sql"] for query in queries)

    user.username = "ada-lovelace"
    user.save()
    assert selectors.token_user_fields(key)[1] == "ada-lovelace"


@pytest.mark.parametrize("was_read_before", [False, True], ids=["first read", "read before"])
def test_a_user_read_before_its_token_was_deleted_is_not_served_after_the_deletion(any_cache, was_read_before):
    # A request reads the token while another deletes it and commits, before the first stores what
    # it read: the next request must not find that in the cache.
    user = UserFactory()
    key = Token.objects.create(user=user).key
    if was_read_before:
        selectors.token_user_fields(key)
        caching.content_changed()  # the entry is stale, the token's version stands: read and stored again

    def read_then_see_it_deleted():
        values = Token.objects.filter(key=key).values_list(*(f"user__{f}" for f in selectors.TOKEN_USER_FIELDS)).first()
        Token.objects.filter(key=key).delete()
        return values

    caching.cached_token_user(key, read_then_see_it_deleted)

    assert selectors.token_user_fields(key) is None
    assert token_client(user).get(HISTORY).status_code == 200  # a new token works at once


def test_a_key_that_is_no_token_writes_nothing(any_cache):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(HISTORY).status_code == 401

    statements = [query["sql"].split()[0].upper() for query in queries]
    assert statements and set(statements) == {"SELECT"}
