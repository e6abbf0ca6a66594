"""Quiz statistics are gated on the reports permission, not on is_staff; other methods are 405 for all."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import EditorFactory, StaffFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

UNSUPPORTED_METHODS = ["post", "put", "patch", "delete"]


def token_client(user=None):
    """A client as an integrator sees the API: a token, or none at all."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def statistics_url():
    return f"/api/v1/quizzes/{quiz_with_questions(2).slug}/statistics/"


def test_editors_see_statistics_through_their_group(statistics_url):
    response = token_client(EditorFactory()).get(statistics_url)

    assert response.status_code == 200
    assert response.json()["attempt_count"] == 0


def test_a_learner_given_the_reports_permission_sees_statistics_without_being_staff(statistics_url):
    teacher = UserFactory()
    teacher.user_permissions.add(Permission.objects.get(codename="view_quiz_reports"))

    assert token_client(teacher).get(statistics_url).status_code == 200


def test_staff_without_the_reports_permission_get_403(statistics_url):
    response = token_client(UserFactory(is_staff=True)).get(statistics_url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json() == {"detail": "You need the permission to view quiz statistics and reports."}


def test_learners_get_403_and_visitors_401(statistics_url):
    assert token_client(UserFactory()).get(statistics_url).status_code == 403
    assert token_client().get(statistics_url).status_code == 401


def test_superusers_hold_every_permission(statistics_url):
    assert token_client(StaffFactory()).get(statistics_url).status_code == 200


@pytest.mark.parametrize("method", UNSUPPORTED_METHODS)
@pytest.mark.parametrize("who", ["visitor", "learner", "staff without the permission", "editor"])
def test_unsupported_methods_on_statistics_are_405_for_everyone(statistics_url, method, who):
    user = {
        "visitor": lambda: None,
        "learner": UserFactory,
        "staff without the permission": lambda: UserFactory(is_staff=True),
        "editor": EditorFactory,
    }[who]()

    response = getattr(token_client(user), method)(statistics_url, {}, format="json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["detail"]


def test_head_and_options_on_statistics_still_follow_the_permission(statistics_url):
    assert token_client(UserFactory()).head(statistics_url).status_code == 403
    assert token_client(EditorFactory()).head(statistics_url).status_code == 200
    assert token_client(EditorFactory()).options(statistics_url).status_code == 200
