"""Spaced review's reads cost a fixed number of queries however many memory states a learner has.

Measured with 10 and with 200 memory states (most due now, some later) against the same limit,
counting everything the request does (authentication included), as tests/test_api_query_budgets.py does.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.models import MemoryState
from tests.factories import MemoryStateFactory, QuestionFactory, QuizFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

# The due states, the counts, the questions (each in the learner's language where it may show there).
QUEUE_BUDGET = 3
# Read again with nothing changed: the cached queue (caching/learners.py), no query with this cache.
CACHED_QUEUE_BUDGET = 0
# The attempt, its missed questions, then the queue's reads (a quiz that shows answers after the last
# attempt adds the count of the learner's attempts on it).
PRACTICE_BUDGET = 5
# The question, the quizzes in progress, the state, the savepoint, the state's update, the release, the review.
ANSWER_BUDGET = 7
# While the learner takes a quiz, one more: whether this question has a version in it.
ANSWER_WHILE_TAKING_BUDGET = 8
# The same question answered again: its key and review are cached content, no query with this cache.
CACHED_ANSWER_BUDGET = 5
# The session and the user, then the queue.
PAGE_BUDGET = 5
# The session and the user, then the practice queue (which also counts what the whole review has due).
PRACTICE_PAGE_BUDGET = 2 + PRACTICE_BUDGET
# The session and the user, the attempts page, progress per quiz and per topic, recall per topic.
PROGRESS_BUDGET = 5


@pytest.fixture(autouse=True)
def local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=[10, 200], ids=["10-states", "200-states"])
def learner(request):
    user = UserFactory()
    quiz = QuizFactory()
    english = QuizFactory(language="en", translation_key=quiz.translation_key)
    now = timezone.now()
    for index in range(request.param):
        question = QuestionFactory(quiz=quiz, translation_key=f"key-{index}", citation=False)
        if index % 2:
            QuestionFactory(quiz=english, translation_key=f"key-{index}", citation=False)
        MemoryStateFactory(
            user=user, question=question, due=now - timedelta(hours=index) if index % 5 else now + timedelta(days=index)
        )
    return user


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_review_queue(learner, django_assert_max_num_queries):
    client = client_for(learner)
    for language in ("de", "en"):
        with django_assert_max_num_queries(QUEUE_BUDGET):
            response = client.get("/api/v1/me/review/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert len(response.json()["questions"]) == min(20, response.json()["due_now"]) > 5


def test_the_review_queue_read_again(learner, django_assert_num_queries):
    client = client_for(learner)
    first = client.get("/api/v1/me/review/").json()

    with django_assert_num_queries(CACHED_QUEUE_BUDGET):
        again = client.get("/api/v1/me/review/").json()

    assert again == first


def test_a_review_answer(learner, django_assert_max_num_queries):
    client = client_for(learner)
    question = MemoryState.objects.filter(user=learner).order_by("due").first().question

    with django_assert_max_num_queries(ANSWER_BUDGET):
        response = client.post(f"/api/v1/me/review/{question.pk}/", {"choices": []}, format="json")

    assert response.status_code == 200


def test_a_review_answer_of_a_question_answered_before(learner, django_assert_max_num_queries):
    client = client_for(learner)
    question = MemoryState.objects.filter(user=learner).order_by("due").first().question
    client.post(f"/api/v1/me/review/{question.pk}/", {"choices": []}, format="json")

    with django_assert_max_num_queries(CACHED_ANSWER_BUDGET):
        response = client.post(f"/api/v1/me/review/{question.pk}/", {"choices": []}, format="json")

    assert response.status_code == 200


def test_a_review_answer_while_taking_a_quiz(learner, django_assert_max_num_queries):
    client = client_for(learner)
    client.post(f"/api/v1/quizzes/{quiz_with_questions(2).slug}/attempts/")
    question = MemoryState.objects.filter(user=learner).order_by("due").first().question

    with django_assert_max_num_queries(ANSWER_WHILE_TAKING_BUDGET):
        response = client.post(f"/api/v1/me/review/{question.pk}/", {"choices": []}, format="json")

    assert response.status_code == 200


def test_the_review_page(learner, client, django_assert_max_num_queries):
    client.force_login(learner)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(reverse("web:review"))
    assert response.status_code == 200


def test_the_progress_page_with_recall(learner, client, django_assert_max_num_queries):
    client.force_login(learner)
    with django_assert_max_num_queries(PROGRESS_BUDGET):
        response = client.get(reverse("web:progress"))
    assert response.status_code == 200


def test_practising_an_attempts_mistakes(django_assert_max_num_queries):
    user = UserFactory()
    client = client_for(user)
    quiz = quiz_with_questions(30)
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    client.post(f"/api/v1/attempts/{started['id']}/submit/", {}, format="json")

    with django_assert_max_num_queries(PRACTICE_BUDGET):
        response = client.get("/api/v1/me/review/", {"attempt": started["id"]})

    assert response.status_code == 200
    assert response.json()["due_now"] == 30 and len(response.json()["questions"]) == 20


@pytest.mark.parametrize("question_count", [2, 20])
def test_the_practice_page_at_its_end(client, question_count, django_assert_max_num_queries):
    user = UserFactory()
    api = client_for(user)
    quiz = quiz_with_questions(question_count)
    started = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    attempt = api.post(f"/api/v1/attempts/{started['id']}/submit/", {"answers": []}, format="json").json()
    for question in started["questions"]:
        api.post(f"/api/v1/me/review/{question['id']}/", {"choices": []}, format="json")
    client.force_login(user)

    with django_assert_max_num_queries(PRACTICE_PAGE_BUDGET):
        response = client.get(reverse("web:review"), {"attempt": attempt["id"]})

    assert response.status_code == 200
    assert response.context["due_in_review"] == question_count
