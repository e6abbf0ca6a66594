"""Starting an attempt from a quiz's page: who may start which quiz (selectors.published_quiz decides)."""

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from tests.factories import quiz_with_questions
from tests.pages import start

pytestmark = pytest.mark.django_db


def test_staff_can_start_an_unpublished_quiz_to_try_it_out(client, staff_user):
    quiz = quiz_with_questions(1, is_published=False)
    client.force_login(staff_user)

    attempt = start(client, quiz)

    assert attempt.quiz == quiz and attempt.user == staff_user


def test_a_learner_cannot_start_an_unpublished_or_unknown_quiz(client):
    quiz = quiz_with_questions(1, is_published=False)

    assert client.post(reverse("web:start", kwargs={"slug": quiz.slug})).status_code == 404
    assert client.post(reverse("web:start", kwargs={"slug": "no-such-quiz"})).status_code == 404
    assert not Attempt.objects.exists()


def test_the_api_starts_only_published_quizzes_even_for_staff(staff_user, api_client):
    quiz = quiz_with_questions(1, is_published=False)
    api_client.force_authenticate(staff_user)

    response = api_client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    assert response.status_code == 404
    assert not Attempt.objects.exists()
