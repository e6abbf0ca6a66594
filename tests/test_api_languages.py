"""The API's language (issue 18): errors and topic names follow the language the client asks for
(Accept-Language, or the pages' language cookie), and otherwise the language of the quiz a response is
about; quizzes/languages.py decides."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from quizzes import languages
from tests.factories import QuestionFactory, QuizFactory, StaffFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

ALREADY_SUBMITTED = {"en": "This attempt has already been submitted.", "de": "Dieser Versuch wurde bereits abgegeben."}
NO_ATTEMPTS_LEFT = {
    "en": "You have used all attempts allowed for this quiz.",
    "de": "Sie haben alle erlaubten Versuche für dieses Quiz aufgebraucht.",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def quiz_in(language, **fields):
    quiz = QuizFactory(language=language, **fields)
    topic = TopicFactory(name_de=f"Thema des Quiz {quiz.slug}", name_en=f"Topic of quiz {quiz.slug}")
    QuestionFactory(quiz=quiz, topic=topic)
    quiz.topics.add(topic)
    return quiz


def client_for(user, **headers):
    client = APIClient(headers=headers)
    client.force_authenticate(user)
    return client


def submitted_attempt(client, quiz):
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    assert client.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json").status_code == 200
    return attempt_id


# ---------------------------------------------------------------------------------------------
# The rule


def request_with(accept_language=None, cookie=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language is not None else {}
    request = RequestFactory().get("/api/v1/quizzes/", **headers)
    if cookie is not None:
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    return request


@pytest.mark.parametrize(
    ("accept_language", "cookie", "quiz_language", "expected"),
    [
        (None, None, "en", "en"),
        (None, None, None, "de"),
        ("de", None, "en", "de"),
        ("en-GB,en;q=0.9", None, "de", "en"),
        ("fr-FR,fr;q=0.9", None, "en", "en"),
        ("fr-FR,fr;q=0.9,de;q=0.5", None, "en", "de"),
        ("de", "en", "de", "en"),
        (None, "xx", "en", "en"),
    ],
)
def test_the_response_speaks_the_asked_language_else_the_quizs_else_the_default(
    accept_language, cookie, quiz_language, expected
):
    request = request_with(accept_language, cookie)
    assert languages.response_language(request, quiz_language=quiz_language) == expected


@given(st.text(max_size=200))
def test_any_accept_language_header_asks_for_a_language_the_site_speaks_or_for_none(header):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=header.encode("latin-1", "ignore").decode("latin-1"))
    assert languages.requested_language(request) in (None, "de", "en")


# ---------------------------------------------------------------------------------------------
# Topic names


def test_without_a_header_a_quizs_topics_are_in_its_own_language():
    english, german = quiz_in("en"), quiz_in("de")

    english_detail = APIClient().get(f"/api/v1/quizzes/{english.slug}/")
    german_detail = APIClient().get(f"/api/v1/quizzes/{german.slug}/")

    assert english_detail.json()["topics"][0]["name"] == f"Topic of quiz {english.slug}"
    assert english_detail["Content-Language"] == "en"
    assert german_detail.json()["topics"][0]["name"] == f"Thema des Quiz {german.slug}"


def test_with_a_header_a_quizs_topics_follow_it_and_the_cache_keeps_both_apart():
    english = quiz_in("en")
    url = f"/api/v1/quizzes/{english.slug}/"

    for _round in range(2):  # the second round is served from the cache
        assert APIClient().get(url).json()["topics"][0]["name"].startswith("Topic of quiz")
        asked_german = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="de")
        assert asked_german.json()["topics"][0]["name"].startswith("Thema des Quiz")
        assert asked_german["Content-Language"] == "de"
        assert APIClient().get(url)["Content-Language"] == "en"


def test_the_quiz_list_gives_each_quizs_topics_in_its_language_unless_a_language_is_asked_for():
    english, german = quiz_in("en"), quiz_in("de")

    def topic_names(**headers):
        results = APIClient().get("/api/v1/quizzes/", **headers).json()["results"]
        return {quiz["slug"]: quiz["topics"][0]["name"] for quiz in results}

    assert topic_names() == {english.slug: f"Topic of quiz {english.slug}", german.slug: f"Thema des Quiz {german.slug}"}
    assert topic_names(HTTP_ACCEPT_LANGUAGE="en") == {
        english.slug: f"Topic of quiz {english.slug}", german.slug: f"Topic of quiz {german.slug}"
    }
    assert topic_names(HTTP_ACCEPT_LANGUAGE="de") == {
        english.slug: f"Thema des Quiz {english.slug}", german.slug: f"Thema des Quiz {german.slug}"
    }


def test_the_quiz_lists_own_errors_stay_in_the_default_language_without_a_header():
    response = APIClient().get("/api/v1/quizzes/", {"language": "xx"})

    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in str(response.json())


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("quiz_language", "headers", "expected"),
    [("en", {}, "en"), ("de", {}, "de"), ("en", {"Accept-Language": "de"}, "de"), ("de", {"Accept-Language": "en"}, "en")],
)
def test_a_second_submit_is_refused_with_409_in_the_quizs_language_or_the_asked_one(quiz_language, headers, expected):
    quiz = quiz_in(quiz_language)
    client = client_for(UserFactory(), **headers)
    attempt_id = submitted_attempt(client, quiz)

    response = client.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": ALREADY_SUBMITTED[expected]}
    assert response["Content-Language"] == expected


def test_saving_into_a_submitted_attempt_is_refused_in_the_quizs_language():
    quiz = quiz_in("en")
    client = client_for(UserFactory())
    attempt_id = submitted_attempt(client, quiz)
    question = quiz.questions.get()

    response = client.put(
        f"/api/v1/attempts/{attempt_id}/answers/{question.pk}/", {"choices": [question.choices.first().pk]}, format="json"
    )

    assert response.status_code == 409 and response.json() == {"detail": ALREADY_SUBMITTED["en"]}


@pytest.mark.parametrize(("headers", "expected"), [({}, "Expected a list"), ({"Accept-Language": "de"}, "Erwarte")])
def test_an_invalid_answer_body_is_refused_in_the_quizs_language_or_the_asked_one(headers, expected):
    quiz = quiz_in("en")
    client = client_for(UserFactory(), **headers)
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    question = quiz.questions.get()

    response = client.put(f"/api/v1/attempts/{attempt_id}/answers/{question.pk}/", {"choices": "one"}, format="json")

    assert response.status_code == 400
    assert response.json()["choices"][0].startswith(expected)


def test_no_attempts_left_is_told_in_the_quizs_language():
    quiz = quiz_in("en", max_attempts=1)
    client = client_for(UserFactory())
    submitted_attempt(client, quiz)

    response = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    assert response.status_code == 403 and response.json() == {"detail": NO_ATTEMPTS_LEFT["en"]}


def test_someone_elses_attempt_is_not_found_in_the_default_language_which_tells_nothing_about_its_quiz():
    quiz = quiz_in("en")
    attempt_id = submitted_attempt(client_for(UserFactory()), quiz)

    stranger = client_for(UserFactory())
    response = stranger.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")

    assert response.status_code == 404
    assert response["Content-Language"] == "de"


def test_an_english_quizs_result_and_report_speak_english_without_a_header():
    quiz = quiz_in("en")
    client = client_for(UserFactory())
    attempt_id = submitted_attempt(client, quiz)
    staff = client_for(StaffFactory())

    result = client.get(f"/api/v1/attempts/{attempt_id}/")
    cached = client.get(f"/api/v1/attempts/{attempt_id}/")
    report = staff.get(f"/api/v1/quizzes/{quiz.slug}/report/", {"attempts": "some"})

    assert result["Content-Language"] == "en" and cached["Content-Language"] == "en"
    assert result.content == cached.content
    assert report.status_code == 400 and "Select a valid choice" in str(report.json())


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({}, "Question 999999 is not part of this attempt."), ({"Accept-Language": "de"}, "Frage 999999")],
)
def test_an_answer_to_a_question_the_attempt_lacks_is_refused_in_the_quizs_language_or_the_asked_one(headers, expected):
    quiz = quiz_in("en")
    client = client_for(UserFactory(), **headers)
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]

    response = client.post(
        f"/api/v1/attempts/{attempt_id}/submit/", {"answers": [{"question": 999999, "choices": [1]}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith(expected)


def started_english_attempt(client, **quiz_fields):
    quiz = quiz_in("en", **quiz_fields)
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    return attempt_id, quiz.questions.get()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({}, "Select an answer before checking it."), ({"Accept-Language": "de"}, "Wählen Sie eine Antwort")],
)
def test_a_check_without_an_answer_is_refused_in_the_quizs_language_or_the_asked_one(headers, expected):
    # The check's service translated its message when raising it, in the default language.
    client = client_for(UserFactory(), **headers)
    attempt_id, question = started_english_attempt(client, behaviour="immediate")

    response = client.post(f"/api/v1/attempts/{attempt_id}/answers/{question.pk}/check/", {"choices": []}, format="json")

    assert response.status_code == 400 and response.json()["detail"].startswith(expected)


def test_a_check_with_a_malformed_body_is_refused_in_the_quizs_language():
    client = client_for(UserFactory())
    attempt_id, question = started_english_attempt(client, behaviour="immediate")

    response = client.post(f"/api/v1/attempts/{attempt_id}/answers/{question.pk}/check/", {"choices": "one"}, format="json")

    assert response.status_code == 400 and response.json()["choices"][0].startswith("Expected a list")


@pytest.mark.parametrize(("headers", "expected"), [({}, "Must be a valid boolean"), ({"Accept-Language": "de"}, "Muss")])
def test_a_malformed_flag_is_refused_in_the_quizs_language_or_the_asked_one(headers, expected):
    client = client_for(UserFactory(), **headers)
    attempt_id, question = started_english_attempt(client)

    response = client.put(f"/api/v1/attempts/{attempt_id}/flags/{question.pk}/", {"flagged": "x"}, format="json")

    assert response.status_code == 400 and response.json()["flagged"][0].startswith(expected)


def test_a_flag_of_a_question_the_attempt_lacks_is_refused_in_the_quizs_language():
    client = client_for(UserFactory())
    attempt_id, _question = started_english_attempt(client)

    response = client.put(f"/api/v1/attempts/{attempt_id}/flags/999999/", {"flagged": True}, format="json")

    assert response.status_code == 400 and response.json() == {"detail": "Question 999999 is not part of this attempt."}
