"""Flagging a question "to review" through the API: saved with the attempt, never an answer or a score."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.models import Answer, Attempt, AttemptState
from tests.factories import QuestionFactory, QuizFactory, UserFactory
from tests.pages import guest_with_an_attempt

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def flag(client, attempt_id, question_id, flagged=True):
    return client.put(f"/api/v1/attempts/{attempt_id}/flags/{question_id}/", {"flagged": flagged}, format="json")


@pytest.fixture
def quiz():
    quiz = QuizFactory(slug="flags")
    for position in (1, 2, 3):
        QuestionFactory(quiz=quiz, position=position)
    return quiz


@pytest.fixture
def learner():
    return client_for(UserFactory())


@pytest.fixture
def started(learner, quiz):
    return learner.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()


def test_a_flag_shows_on_its_question_in_the_attempt_detail(learner, started):
    second = started["questions"][1]["id"]

    response = flag(learner, started["id"], second)

    assert response.status_code == 200
    assert response.json() == {"question": second, "flagged": True, "flagged_questions": [second]}
    questions = learner.get(f"/api/v1/attempts/{started['id']}/").json()["questions"]
    assert [question["flagged"] for question in questions] == [False, True, False]


def test_a_new_attempt_has_no_flags(started):
    assert [question["flagged"] for question in started["questions"]] == [False, False, False]


def test_flags_are_listed_in_the_attempts_order_and_can_be_removed(learner, started):
    first, second, third = (question["id"] for question in started["questions"])
    flag(learner, started["id"], third)
    flag(learner, started["id"], first)

    assert flag(learner, started["id"], first).json()["flagged_questions"] == [first, third]
    assert flag(learner, started["id"], third, flagged=False).json()["flagged_questions"] == [first]
    assert Attempt.objects.get(pk=started["id"]).flagged_questions == [first]


def test_a_flag_is_not_an_answer(learner, started):
    question = started["questions"][0]["id"]
    flag(learner, started["id"], question)

    submitted = learner.post(f"/api/v1/attempts/{started['id']}/submit/", {}, format="json").json()

    assert list(Answer.objects.filter(attempt_id=started["id"]).values_list("choice_ids", flat=True)) == [[]] * 3
    assert submitted["score"] == "0.00"
    assert all(result["score"] == "0.00" for result in submitted["results"])


def test_flagging_a_submitted_attempt_is_409_and_changes_nothing(learner, started):
    question = started["questions"][0]["id"]
    learner.post(f"/api/v1/attempts/{started['id']}/submit/", {}, format="json")

    response = flag(learner, started["id"], question)

    assert response.status_code == 409
    assert Attempt.objects.get(pk=started["id"]).flagged_questions == []


def test_flagging_after_the_time_limit_is_409_and_scores_the_attempt(learner, quiz):
    quiz.time_limit_seconds = 60
    quiz.save()
    started = learner.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    Attempt.objects.filter(pk=started["id"]).update(deadline=timezone.now() - timedelta(minutes=5))

    response = flag(learner, started["id"], started["questions"][0]["id"])

    assert response.status_code == 409
    attempt = Attempt.objects.get(pk=started["id"])
    assert attempt.state == AttemptState.EXPIRED and attempt.flagged_questions == []


@pytest.mark.parametrize("body", [{}, {"flagged": "perhaps"}, {"flagged": None}, [1, 2]])
def test_a_malformed_flag_is_400_and_saves_nothing(learner, started, body):
    response = learner.put(
        f"/api/v1/attempts/{started['id']}/flags/{started['questions'][0]['id']}/", body, format="json"
    )

    assert response.status_code == 400
    assert Attempt.objects.get(pk=started["id"]).flagged_questions == []


def test_a_question_of_another_quiz_is_400(learner, started):
    other = QuestionFactory()

    response = flag(learner, started["id"], other.pk)

    assert response.status_code == 400
    assert Attempt.objects.get(pk=started["id"]).flagged_questions == []


def test_someone_elses_attempt_is_404_and_no_credentials_401(started):
    question = started["questions"][0]["id"]

    assert flag(client_for(UserFactory()), started["id"], question).status_code == 404
    assert flag(APIClient(), started["id"], question).status_code == 401
    assert Attempt.objects.get(pk=started["id"]).flagged_questions == []


def test_a_guest_flags_through_the_browser_session_with_its_csrf_token(quiz):
    browser, attempt, token = guest_with_an_attempt(quiz)
    question = attempt.question_order[0]
    url = reverse("api:attempt-flag", kwargs={"attempt_id": attempt.pk, "question_id": question})

    without_token = browser.put(url, {"flagged": True}, content_type="application/json")
    with_token = browser.put(url, {"flagged": True}, content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert without_token.status_code == 403
    assert with_token.status_code == 200
    assert Attempt.objects.get(pk=attempt.pk).flagged_questions == [question]


def test_the_schema_documents_the_flag_endpoint_and_the_flagged_field(api_client):
    schema = api_client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/attempts/{attempt_id}/flags/{question_id}/"]["put"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(operation["responses"])
    assert "flagged" in schema["components"]["schemas"]["AttemptQuestion"]["properties"]
    assert "one_question_per_page" in schema["components"]["schemas"]["QuizDetail"]["properties"]
    assert "translation" in schema["components"]["schemas"]["Citation"]["properties"]
