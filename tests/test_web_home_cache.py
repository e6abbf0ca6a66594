"""The home page is cached whole for visitors without a session or messages; the language switch needs no token."""

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.i18n import set_language

from quizzes import services
from quizzes.models import Attempt, Question, Quiz
from tests.factories import (
    TopicFactory,
    UserFactory,
    quiz_with_questions,
    shipped_site_texts,
    update_behind_the_caches_back,
)

pytestmark = pytest.mark.django_db

HOME = "/"


def quiz_read(queries):
    return any("quizzes_quiz" in query["sql"] for query in queries.captured_queries)


def test_a_cookie_less_visitor_gets_the_home_page_from_the_cache_after_the_first_request(
    django_assert_max_num_queries,
):
    quiz_with_questions(1, title="Parler")
    Client().get(HOME)
    update_behind_the_caches_back(Quiz, title="Changed behind the cache's back")

    # One read of the shared cache: the content version and the page together.
    with django_assert_max_num_queries(1) as queries:
        response = Client().get(HOME)

    assert response.status_code == 200
    assert "Parler" in response.content.decode()
    assert not quiz_read(queries)


def test_a_cached_home_page_still_gets_its_headers_from_the_middleware():
    quiz_with_questions(1)
    Client().get(HOME, HTTP_ACCEPT_LANGUAGE="en")

    response = Client().get(HOME, HTTP_ACCEPT_LANGUAGE="en")

    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary
    assert response["Content-Language"] == "en"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["X-Request-ID"]
    assert response["X-Request-ID"] != Client().get(HOME, HTTP_ACCEPT_LANGUAGE="en")["X-Request-ID"]


def test_an_editors_save_shows_on_the_cached_home_page_at_once():
    quiz = quiz_with_questions(1, title="Old title")
    assert "Old title" in Client().get(HOME).content.decode()

    quiz.title = "New title"
    quiz.save()

    page = Client().get(HOME).content.decode()
    assert "New title" in page
    assert "Old title" not in page


def test_german_and_english_visitors_each_get_the_home_page_in_their_language():
    quiz_with_questions(1)
    shipped_site_texts()
    german, english = "Quizze zur Abschaltung", "Quizzes about the Parler shutdown"

    for _round in range(2):  # the second round comes from the cache
        assert german in Client().get(HOME, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert english in Client().get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        chose_english = Client()
        chose_english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert english in chose_english.get(HOME, HTTP_ACCEPT_LANGUAGE="de").content.decode()


def test_each_quiz_language_filter_gets_its_own_cached_home_page():
    quiz_with_questions(1, title="Deutsches Quiz", language="de")
    quiz_with_questions(1, title="English quiz", language="en")

    for _round in range(2):
        english_only = Client().get(HOME, {"language": "en"}).content.decode()
        german_only = Client().get(HOME, {"language": "de"}).content.decode()
        assert "English quiz" in english_only and "Deutsches Quiz" not in english_only
        assert "Deutsches Quiz" in german_only and "English quiz" not in german_only


def test_the_language_switch_on_a_cached_filtered_page_leads_back_to_that_page():
    quiz_with_questions(1)
    Client().get(HOME, {"language": "en"})

    page = Client().get(HOME, {"language": "en"}).content.decode()

    assert 'name="next" value="/?language=en"' in page


def test_a_home_page_filtered_by_topic_is_rendered_per_request():
    quiz_with_questions(1, title="Parler").topics.add(TopicFactory(slug="lawsuit"))
    Client().get(HOME, {"topic": "lawsuit"})
    update_behind_the_caches_back(Quiz, title="Renamed")

    assert "Renamed" in Client().get(HOME, {"topic": "lawsuit"}).content.decode()


@pytest.fixture
def stored_keys(monkeypatch):
    """The keys written to the shared cache from now on, whatever its backend."""
    keys = []
    store = cache.set

    def recording_set(key, *args, **kwargs):
        keys.append(key)
        return store(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    return keys


@pytest.mark.parametrize("parameter", ["utm_source", "language", "topic"])
def test_made_up_query_strings_add_no_cache_entries(parameter, stored_keys):
    quiz_with_questions(1)
    Client().get(HOME, {parameter: "made-up-0"})
    entries = len(stored_keys)

    for number in range(1, 4):
        page = Client().get(HOME, {parameter: f"made-up-{number}"}).content.decode()
        assert f'name="next" value="/?{parameter}=made-up-{number}"' in page

    assert len(stored_keys) == entries


def test_a_second_page_of_the_catalogue_is_cached_too(django_assert_max_num_queries):
    for number in range(25):
        quiz_with_questions(1, title=f"Quiz {number:02d}")
    Client().get(HOME, {"page": 2})
    update_behind_the_caches_back(Quiz, title="Changed behind the cache's back")

    with django_assert_max_num_queries(1):
        page = Client().get(HOME, {"page": 2}).content.decode()

    assert "Quiz 24" in page


def home_entries(stored_keys):
    return {key for key in stored_keys if key.startswith("quizzes:page:home:")}


@pytest.mark.parametrize("query", ["page=02", "language=&topic=&page=2", "page=2&language=", "topic=&page=0002"])
def test_equivalent_forms_of_a_page_number_share_the_entry_of_the_form_the_links_use(query, stored_keys):
    for number in range(25):
        quiz_with_questions(1, title=f"Quiz {number:02d}")
    Client().get(f"{HOME}?page=2")
    assert len(home_entries(stored_keys)) == 1
    stored_before = len(stored_keys)

    page = Client().get(f"{HOME}?{query}").content.decode()

    assert "Quiz 24" in page
    assert home_entries(stored_keys[stored_before:]) == set()


@pytest.mark.parametrize("query", ["page=2&page=2", "page=99999", "page=²", "page=2&utm_source=mail"])
def test_page_numbers_in_forms_no_link_uses_add_no_cache_entries(query, stored_keys):
    for number in range(25):
        quiz_with_questions(1, title=f"Quiz {number:02d}")
    Client().get(f"{HOME}?{query}")
    entries = len(stored_keys)

    Client().get(f"{HOME}?{query}")

    assert home_entries(stored_keys[entries:]) == set()
    assert not home_entries(stored_keys)


def test_a_cached_home_page_is_stored_once_and_then_only_read(stored_keys):
    quiz_with_questions(1)

    for _visitor in range(3):
        Client().get(HOME)

    assert len([key for key in stored_keys if key.startswith("quizzes:page:home:")]) == 1


def test_the_home_page_of_a_cookie_less_visitor_carries_no_csrf_token():
    quiz_with_questions(1)

    for _round in range(2):
        visitor = Client()
        response = visitor.get(HOME)
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert settings.CSRF_COOKIE_NAME not in response.cookies
        assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_guest_who_took_a_quiz_sees_their_best_score_not_the_cached_page():
    quiz = quiz_with_questions(1, title="Parler")
    Client(headers={"accept-language": "en"}).get(HOME)  # fills the shared page
    guest = Client(headers={"accept-language": "en"})
    guest.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    owner = services.Owner.of(guest_key=guest.session["quizsite_guest_key"])
    attempt = Attempt.objects.get(guest_key=owner.guest_key)
    question = Question.objects.get(quiz=quiz)
    services.submit_attempt(
        attempt_id=attempt.pk,
        owner=owner,
        answers=[services.AnswerInput(question_id=question.pk, choice_ids=(question.choices.get(is_correct=True).pk,))],
    )

    page = guest.get(HOME).content.decode()

    assert "Your best" in page
    assert "100" in page[page.index("Your best") :]
    assert "Your best" not in Client(headers={"accept-language": "en"}).get(HOME).content.decode()


def test_a_signed_in_learner_sees_their_own_header_not_the_cached_page():
    quiz_with_questions(1)
    Client(headers={"accept-language": "en"}).get(HOME)
    learner = Client(headers={"accept-language": "en"})
    learner.force_login(UserFactory(username="ada"))

    page = learner.get(HOME).content.decode()

    assert "Log out (ada)" in page
    assert "csrfmiddlewaretoken" in page  # the log-out form posts


def test_a_visitor_with_a_message_sees_it_not_the_cached_page():
    quiz_with_questions(1)
    Client().get(HOME)
    storage = CookieStorage(RequestFactory().get(HOME))
    storage.add(constants.INFO, "Welcome back")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value

    page = visitor.get(HOME).content.decode()

    assert "Welcome back" in page
    assert "Welcome back" not in Client().get(HOME).content.decode()


# ---------------------------------------------------------------------------------------------
# Switching the interface language


def test_the_language_switch_sets_the_language_cookie_and_goes_back():
    response = Client().get(reverse("web:language"), {"language": "en", "next": "/progress/?x=1"})

    assert response.status_code == 302
    assert response["Location"] == "/progress/?x=1"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_language_switch_sets_the_same_cookie_as_djangos_set_language():
    django_response = set_language(RequestFactory().post("/i18n/setlang/", {"language": "en", "next": "/"}))

    response = Client().get(reverse("web:language"), {"language": "en", "next": "/"})

    cookie_name = settings.LANGUAGE_COOKIE_NAME
    assert response.cookies[cookie_name].output() == django_response.cookies[cookie_name].output()


def test_after_switching_the_pages_speak_the_chosen_language():
    quiz_with_questions(1)
    shipped_site_texts()
    visitor = Client(headers={"accept-language": "de"})
    visitor.get(HOME)

    visitor.get(reverse("web:language"), {"language": "en", "next": HOME})

    page = visitor.get(HOME).content.decode()
    assert "Quizzes about the Parler shutdown" in page
    assert '<html lang="en">' in page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_language_switch_falls_back_to_the_home_page_for_an_unsafe_next(next_url):
    response = Client().get(reverse("web:language"), {"language": "de", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"


@pytest.mark.parametrize("query", [{"language": "fr", "next": "/"}, {"language": "", "next": "/"}, {"next": "/"}])
def test_the_language_switch_rejects_an_unknown_language_with_400(query):
    response = Client().get(reverse("web:language"), query, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Unknown language" in response.content.decode()
    assert "de, en" in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_language_switch_explains_a_bad_language_in_german_too():
    response = Client().get(reverse("web:language"), {"language": "fr"}, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 400
    assert "Unbekannte Sprache" in response.content.decode()


def test_the_language_switch_only_answers_get():
    response = Client().post(reverse("web:language"), {"language": "en", "next": "/"})

    assert response.status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_header_offers_the_language_switch_as_a_get_form_without_a_token():
    page = Client().get(reverse("web:progress")).content.decode()
    form = page[page.index('class="language-form"') - 80 : page.index("</form>", page.index('class="language-form"'))]

    assert 'method="get"' in form
    assert f'action="{reverse("web:language")}"' in form
    assert 'name="next" value="/progress/"' in form
    assert 'id="language-select" name="language"' in form
    assert "csrfmiddlewaretoken" not in form
