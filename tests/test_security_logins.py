"""Password guessing is limited on every way in (browser login, admin login, API token) by django-axes:
5 failures per username, however it is spelled and from whatever address, then even the right password
is refused with 429 until the lockout ends; 30 failures per client address across usernames. Lockouts
live in the database, are logged, and staff lift them in the admin."""

import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, StaffFactory, UserFactory

from tests.logins import (
    ADDRESS,
    ADMIN_LOGIN,
    BROWSER_LOGIN,
    LIMIT,
    OTHER_ADDRESS,
    TOKEN,
    WAYS_IN,
    account_for,
    fail,
    is_logged_in,
    log_in,
)

pytestmark = pytest.mark.django_db

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
