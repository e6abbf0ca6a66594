"""The autosave the attempt page's script calls: the API's endpoint, for accounts and for guests.

A guest saves with their browser session and its CSRF token.
"""

import pytest
from django.urls import reverse

from tests.factories import quiz_with_questions
from tests.pages import guest_with_an_attempt, right_choice, start

pytestmark = pytest.mark.django_db


def test_autosave_saves_one_answer_for_the_guest(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    question = quiz.questions.first()
    response = client.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert f'value="{right_choice(question).pk}" checked' in page


@pytest.mark.parametrize(
    "body", ['{"choices": "1"}', "not json", "{}", '{"choices": [true]}', '{"choices": [NaN]}', "[" * 50_000 + "]" * 50_000]
)
def test_autosave_rejects_malformed_bodies_with_400(client, body):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    question = quiz.questions.first()
    response = client.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    # The API's error shapes: a field error on "choices", or a JSON parse error.
    error = response.json()
    assert "choices" in error or "JSON" in error["detail"]
    assert not attempt.answers.exists()


def test_autosave_maps_domain_errors_to_status_codes(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    first, second = quiz.questions.order_by("position")
    url = reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": first.pk})
    foreign = client.put(url, {"choices": [right_choice(second).pk]}, content_type="application/json")
    assert foreign.status_code == 400
    client.post(reverse("web:attempt", kwargs={"attempt_id": attempt.pk}), {"action": "submit", "confirm_incomplete": "1"})
    closed = client.put(url, {"choices": [right_choice(first).pk]}, content_type="application/json")
    assert closed.status_code == 409


def test_autosave_for_another_browsers_attempt_is_404(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    question = quiz.questions.first()
    client.cookies.clear()
    start(client, quiz_with_questions(1))  # a guest of their own
    response = client.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_a_guest_autosaves_through_the_api_with_their_session_and_csrf_token():
    quiz = quiz_with_questions(1)
    browser, attempt, token = guest_with_an_attempt(quiz)
    question = quiz.questions.get()
    response = browser.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert response.json()["choices"] == [right_choice(question).pk]
    assert attempt.answers.get().choice_ids == [right_choice(question).pk]


@pytest.mark.parametrize("forgery", ["no token", "another site"])
def test_a_guests_autosave_without_the_csrf_check_is_403_and_saves_nothing(forgery):
    quiz = quiz_with_questions(1)
    browser, attempt, token = guest_with_an_attempt(quiz)
    question = quiz.questions.get()
    # A page elsewhere can make the browser send the session cookie, but cannot read the token;
    # with a token, the Origin header still names the other site.
    headers = {} if forgery == "no token" else {"HTTP_X_CSRFTOKEN": token, "HTTP_ORIGIN": "https://evil.example"}
    response = browser.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not attempt.answers.exists()


def test_autosave_from_another_browsers_guest_with_their_csrf_token_is_404():
    quiz = quiz_with_questions(1)
    _first_browser, attempt, _token = guest_with_an_attempt(quiz)
    other_browser, _other_attempt, other_token = guest_with_an_attempt(quiz)
    question = quiz.questions.get()
    response = other_browser.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=other_token,
    )
    assert response.status_code == 404
    assert not attempt.answers.exists()


def test_autosave_without_token_session_or_guest_is_401_and_saves_nothing(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    question = quiz.questions.get()
    client.cookies.clear()
    response = client.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not attempt.answers.exists()


def test_the_page_script_saves_through_the_api_for_accounts_and_guests(client, user):
    quiz = quiz_with_questions(1)
    guest_attempt = start(client, quiz)
    guest_page = client.get(reverse("web:attempt", kwargs={"attempt_id": guest_attempt.pk})).content.decode()
    assert f'data-autosave-url="/api/v1/attempts/{guest_attempt.pk}/answers/{{question}}/"' in guest_page

    client.force_login(user)
    attempt = start(client, quiz_with_questions(1))
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert f'data-autosave-url="/api/v1/attempts/{attempt.pk}/answers/{{question}}/"' in page
