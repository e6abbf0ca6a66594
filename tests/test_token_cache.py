"""API tokens: whose a token is comes through the shared cache, and a change of the token or its user
shows on the very next request (quizzes/caching/tokens.py)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes import caching, selectors, services
from quizzes.caching import versions
from quizzes.caching.versions import entry_key
from tests.factories import StaffFactory, UserFactory, quiz_with_questions
from tests.test_caching import read_in_another_request

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
        assert selectors.token_user_fields(key)["username"] == "ada"
    assert "auth_user" not in " ".join(query["sql"] for query in queries)

    user.username = "ada-lovelace"
    user.save()
    assert selectors.token_user_fields(key)["username"] == "ada-lovelace"


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
        # A build reads the database each time it runs; this one sees the token deleted right after.
        found = Token.objects.filter(key=key).exists()
        Token.objects.filter(key=key).delete()
        return {field: getattr(user, field) for field in selectors.TOKEN_USER_FIELDS} if found else None

    caching.cached_token_user(key, read_then_see_it_deleted)

    assert selectors.token_user_fields(key) is None
    assert token_client(user).get(HISTORY).status_code == 200  # a new token works at once


def test_a_key_that_is_no_token_writes_nothing(any_cache):
    key = "0" * 40
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(HISTORY).status_code == 401

    # Neither a version nor an entry of that key in the cache (Redis, in the suite's PostgreSQL run),
    # and no statement but reads (with the database cache).
    assert cache.get(entry_key("token-version", [key], per_language=False)) is None
    assert versions.read_many("token-user", [(key,)], per_language=False)[1] == {}
    assert {query["sql"].split()[0].upper() for query in queries} == {"SELECT"}


@pytest.mark.django_db(transaction=True)
def test_a_token_read_by_another_request_while_its_deletion_commits_is_not_served_after(settings):
    if not settings.REDIS_URL:
        # The database cache writes inside the deleting transaction, so nobody can store under the
        # new version before the commit; Redis (here: a per-process cache) is outside it, as in the race.
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    user = UserFactory()
    key = Token.objects.create(user=user).key
    assert selectors.token_user_fields(key) is not None

    with transaction.atomic():
        services.password_was_reset(user=user)
        # Between the deletion's own drop of the version and the commit, another worker reads the
        # committed token and stores it under the version it creates.
        assert read_in_another_request(lambda: selectors.token_user_fields(key)) is not None

    # The drop after the commit makes that entry stale: without it the token would work on.
    assert selectors.token_user_fields(key) is None


def test_a_token_given_to_another_user_in_the_admin_is_that_users_at_once(superuser_client):
    ada, bob = UserFactory(username="ada"), UserFactory(username="bob")
    token = Token.objects.create(user=ada)
    assert selectors.token_user_fields(token.key)["username"] == "ada"

    # DRF's admin edits tokens as TokenProxy, found by their user's id.
    response = superuser_client.post(f"/admin/authtoken/tokenproxy/{ada.pk}/change/", {"user": bob.pk})

    assert response.status_code == 302 and Token.objects.get(key=token.key).user == bob
    assert selectors.token_user_fields(token.key)["username"] == "bob"


def test_a_failing_cache_table_does_not_undo_a_password_reset(settings):
    # On PostgreSQL a failed statement aborts the transaction around it: the token's deletion would
    # then commit as a silent rollback, and the stolen token live on.
    suites_cache = settings.CACHES
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_table"}}
    user = UserFactory()
    key = Token.objects.create(user=user).key

    with transaction.atomic():
        services.password_was_reset(user=user)

    assert not Token.objects.filter(key=key).exists()
    # A request reads the cache outside any transaction; this test runs in one, which a failed read
    # would abort on PostgreSQL: the request is made with a cache that works.
    settings.CACHES = suites_cache
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(HISTORY).status_code == 401
