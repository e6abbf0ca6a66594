"""Query budgets of checks, on quizzes of 5 and of 50 questions with the same limit (as test_api_query_budgets.py).

A check, the attempt detail and the attempt page with checked questions, saving and submitting on a quiz
with checks: each a constant number of queries, whatever the number of questions or checks.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.models import Choice
from tests.factories import QuestionFactory, QuizFactory, UserFactory
from tests.test_api_query_budgets import BUDGETS
from tests.test_web_query_budgets import ATTEMPT_BUDGET

pytestmark = pytest.mark.django_db

# 7, and 2 more when the check locks the question: spaced review reads and upserts its memory state.
CHECK_BUDGET = 9
# The attempt's two reads, plus the tries and one query for every checked question's review or hint.
DETAIL_WITH_CHECKS_BUDGET = 6
PAGE_WITH_CHECKS_BUDGET = ATTEMPT_BUDGET + 2


@pytest.fixture(autouse=True)
def local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=[("immediate", 5), ("immediate", 50), ("interactive", 5), ("interactive", 50)],
                ids=lambda param: f"{param[0]}-{param[1]}-questions")
def quiz(request):
    behaviour, count = request.param
    quiz = QuizFactory(slug=f"checks-{behaviour}-{count}", behaviour=behaviour, shuffle_questions=True)
    kinds = ["single", "multiple", "true_false"]
    for index in range(count):
        QuestionFactory(quiz=quiz, position=index, kind=kinds[index % 3], choices__correct=2, choices__wrong=2)
    return quiz


def wrong_choice(question_id):
    return Choice.objects.filter(question_id=question_id, is_correct=False).order_by("position").first().pk


@pytest.fixture
def learner():
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    return user, client


def started_with_checks(client, quiz, *, checked):
    """An attempt with its first `checked` questions checked wrong (locked or open with a hint)."""
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").data
    question_ids = [question["id"] for question in started["questions"]]
    for question_id in question_ids[:checked]:
        response = client.post(
            f"/api/v1/attempts/{started['id']}/answers/{question_id}/check/",
            {"choices": [wrong_choice(question_id)]},
            format="json",
        )
        assert response.status_code == 200
    return started["id"], question_ids


def test_a_check(django_assert_max_num_queries, quiz, learner):
    _user, client = learner
    attempt_id, question_ids = started_with_checks(client, quiz, checked=3)

    choices = [wrong_choice(question_ids[-1])]

    with django_assert_max_num_queries(CHECK_BUDGET):
        response = client.post(
            f"/api/v1/attempts/{attempt_id}/answers/{question_ids[-1]}/check/", {"choices": choices}, format="json"
        )

    assert response.status_code == 200


def test_the_attempt_detail_with_checked_questions(django_assert_max_num_queries, quiz, learner):
    _user, client = learner
    attempt_id, _ids = started_with_checks(client, quiz, checked=quiz.questions.count() // 2)

    with django_assert_max_num_queries(DETAIL_WITH_CHECKS_BUDGET):
        response = client.get(f"/api/v1/attempts/{attempt_id}/")

    assert sum(state["tries_used"] for state in response.data["checks"]) == quiz.questions.count() // 2


def test_saving_an_answer_on_a_quiz_with_checks(django_assert_max_num_queries, quiz, learner):
    _user, client = learner
    attempt_id, question_ids = started_with_checks(client, quiz, checked=3)

    choices = [wrong_choice(question_ids[-1])]

    with django_assert_max_num_queries(BUDGETS["save answer"]):
        response = client.put(f"/api/v1/attempts/{attempt_id}/answers/{question_ids[-1]}/", {"choices": choices}, format="json")

    assert response.status_code == 200


def test_submitting_a_quiz_with_checks(django_assert_max_num_queries, quiz, learner):
    # As test_api_query_budgets.test_submit: another learner finished first, so the quiz's feedback
    # bands are in the shared cache as they are on a quiz in use.
    other = APIClient()
    other.force_authenticate(UserFactory())
    other_attempt, _ids = started_with_checks(other, quiz, checked=0)
    assert other.post(f"/api/v1/attempts/{other_attempt}/submit/", {}, format="json").status_code == 200
    _user, client = learner
    attempt_id, _ids = started_with_checks(client, quiz, checked=quiz.questions.count() // 2)

    with django_assert_max_num_queries(BUDGETS["submit"]):
        response = client.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")

    assert response.status_code == 200


def test_the_attempt_page_with_checked_questions(django_assert_max_num_queries, quiz, learner):
    user, client = learner
    attempt_id, _ids = started_with_checks(client, quiz, checked=quiz.questions.count() // 2)
    browser = Client()
    browser.force_login(user)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt_id})
    browser.get(url)

    with django_assert_max_num_queries(PAGE_WITH_CHECKS_BUDGET):
        response = browser.get(url)

    assert response.status_code == 200
