"""An attempt reads alike wherever it is shown: the start, the submit and the detail endpoint tell the same
attempt the same way, and the result page's retake offer follows the attempts left (issue #13)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.models import Attempt, Choice, QuestionBehaviour
from quizzes.owners import Owner
from quizzes.services import start_attempt, submit_attempt
from tests.factories import FeedbackBandFactory, QuestionFactory, QuizFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def right_answers(attempt_id):
    attempt = Attempt.objects.get(pk=attempt_id)
    return [
        {"question": question_id, "choices": [Choice.objects.get(question_id=question_id, is_correct=True).pk]}
        for question_id in attempt.question_order
    ]


def detail(client, attempt_id):
    return client.get(f"/api/v1/attempts/{attempt_id}/")


@pytest.mark.parametrize("behaviour", [QuestionBehaviour.DEFERRED, QuestionBehaviour.IMMEDIATE])
def test_a_new_attempt_is_told_alike_when_started_and_when_read(behaviour):
    quiz = quiz_with_questions(3, behaviour=behaviour)
    client = client_for(UserFactory())

    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")
    read = detail(client, started.json()["id"])

    assert started.status_code == 201
    assert read.json() == started.json()
    assert ("checks" in started.json()) is (behaviour == QuestionBehaviour.IMMEDIATE)


def test_the_submit_response_is_the_review_the_attempt_shows_afterwards():
    quiz = quiz_with_questions(3)
    FeedbackBandFactory(quiz=quiz, from_percent=0, text="Well begun.")
    client = client_for(UserFactory())
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]

    submitted = client.post(
        f"/api/v1/attempts/{attempt_id}/submit/", {"answers": right_answers(attempt_id)}, format="json"
    )
    read = detail(client, attempt_id)

    assert submitted.status_code == 200
    assert read.content == submitted.content
    assert submitted.json()["overall_feedback"] == "Well begun."
    assert [result["score"] for result in submitted.json()["results"]] == ["1.00", "1.00", "1.00"]


def test_an_attempt_whose_time_ran_out_is_reviewed_from_what_was_saved_when_submitted_empty():
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    user = UserFactory()
    attempt, _ = start_attempt(quiz=quiz, owner=Owner.of(user=user), now=timezone.now() - timedelta(hours=1))
    client = client_for(user)

    submitted = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json")

    assert submitted.status_code == 200
    assert submitted.json()["state"] == "expired"
    assert [result["selected"] for result in submitted.json()["results"]] == [[], []]
    assert detail(client, attempt.pk).content == submitted.content


@pytest.mark.parametrize(("max_attempts", "offers_retake"), [(2, True), (1, False), (None, True)])
def test_the_result_page_offers_a_retake_only_while_attempts_are_left(client, max_attempts, offers_retake):
    quiz = QuizFactory(max_attempts=max_attempts)
    QuestionFactory(quiz=quiz)
    user = UserFactory()
    client.force_login(user)
    owner = Owner.of(user=user)
    attempt, _ = start_attempt(quiz=quiz, owner=owner)
    submit_attempt(attempt_id=attempt.pk, owner=owner)

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk}))

    assert page.status_code == 200
    retake_form = f'action="{reverse("web:start", kwargs={"slug": quiz.slug})}"'
    assert (retake_form in page.content.decode()) is offers_retake
    assert page.context["attempts_left"] == (None if max_attempts is None else max_attempts - 1)


def test_the_result_page_of_an_open_attempt_leads_back_to_answering_it(client):
    quiz = quiz_with_questions(1)
    user = UserFactory()
    client.force_login(user)
    attempt, _ = start_attempt(quiz=quiz, owner=Owner.of(user=user))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk}))

    assert page.status_code == 302
    assert page.url == reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
