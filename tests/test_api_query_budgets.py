"""Query budgets of the API: constant in the number of questions, choices and attempts.

Each endpoint is measured on a quiz of 5 and of 50 questions against the same limit, with pytest-django's
django_assert_max_num_queries. Transaction statements count (SAVEPOINT/RELEASE here, BEGIN/COMMIT in
production on SQLite), as they do on the wire. The cache is process-local for these tests, as with
Redis: with the database cache, throttle counters and cached reads add their own statements.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from quizzes.models import MemoryState
from tests.factories import QuestionFactory, QuizFactory, StaffFactory, UserFactory, feedback_bands

pytestmark = pytest.mark.django_db

BUDGETS = {
    "quiz list": 3,
    "quiz detail": 3,
    "start attempt": 8,
    "save answer": 5,
    "flag question": 5,
    # 10 before report tallies and spaced review (issue 16, 14): closing an attempt adds it to the
    # tallies in one statement, and schedules its questions' memory states: one read of the learner's
    # states, one write (services/review.py: remember_answers).
    "submit": 13,
    # The closing that reveals an "after the last attempt" quiz also reads the earlier attempts'
    # answers and whether they were fed already, and feeds them with this one's answers: the
    # learner's states read (and, on PostgreSQL, locked) once, so two such closings cannot deadlock.
    # 20 when the earlier attempts were a feed of their own.
    "submit revealing earlier attempts": 18,
    "result": 6,
    "history": 4,
    "statistics": 6,
}


@pytest.fixture(autouse=True)
def local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def build_quiz(question_count):
    quiz = QuizFactory(slug=f"budget-{question_count}", shuffle_questions=True, shuffle_choices=True)
    kinds = ["single", "multiple", "true_false"]
    for index in range(question_count):
        QuestionFactory(quiz=quiz, position=index, kind=kinds[index % 3], choices__correct=2, choices__wrong=2)
    return quiz


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def take_quiz(client, quiz, *, answered=True):
    """Start and submit an attempt answering every question (first choice); returns the attempt id."""
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").data
    answers = [{"question": q["id"], "choices": [q["choices"][0]["id"]]} for q in started["questions"]]
    body = {"answers": answers if answered else []}
    assert client.post(f"/api/v1/attempts/{started['id']}/submit/", body, format="json").status_code == 200
    return started["id"]


@pytest.fixture(params=[5, 50], ids=["5-questions", "50-questions"])
def quiz(request):
    return build_quiz(request.param)


def test_quiz_list(django_assert_max_num_queries, quiz):
    for index in range(25):
        QuizFactory().topics.add(quiz.questions.first().topic)
    client = APIClient()

    with django_assert_max_num_queries(BUDGETS["quiz list"]):
        response = client.get("/api/v1/quizzes/", {"page_size": 100})

    assert response.status_code == 200 and response.data["count"] == 26


def test_quiz_detail(django_assert_max_num_queries, quiz):
    with django_assert_max_num_queries(BUDGETS["quiz detail"]):
        response = APIClient().get(f"/api/v1/quizzes/{quiz.slug}/")

    assert len(response.data["questions"]) == quiz.questions.count()


def test_start_attempt(django_assert_max_num_queries, quiz, user):
    client = client_for(user)
    take_quiz(client, quiz)

    with django_assert_max_num_queries(BUDGETS["start attempt"]):
        response = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    assert response.status_code == 201


def test_resume_attempt(django_assert_max_num_queries, quiz, user):
    client = client_for(user)
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").data
    for question in started["questions"]:
        client.put(
            f"/api/v1/attempts/{started['id']}/answers/{question['id']}/",
            {"choices": [question["choices"][0]["id"]]},
            format="json",
        )

    with django_assert_max_num_queries(BUDGETS["start attempt"]):
        response = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    assert response.status_code == 200 and len(response.data["answers"]) == quiz.questions.count()


def test_save_answer(django_assert_max_num_queries, quiz, user):
    client = client_for(user)
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").data
    question = next(q for q in started["questions"] if q["kind"] == "multiple")
    url = f"/api/v1/attempts/{started['id']}/answers/{question['id']}/"
    client.put(url, {"choices": [question["choices"][0]["id"]]}, format="json")

    with django_assert_max_num_queries(BUDGETS["save answer"]):
        response = client.put(url, {"choices": [choice["id"] for choice in question["choices"][:2]]}, format="json")

    assert response.status_code == 200


def test_flag_question(django_assert_max_num_queries, quiz, user):
    client = client_for(user)
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").data
    for question in started["questions"][:-1]:
        client.put(f"/api/v1/attempts/{started['id']}/flags/{question['id']}/", {"flagged": True}, format="json")
    url = f"/api/v1/attempts/{started['id']}/flags/{started['questions'][-1]['id']}/"

    with django_assert_max_num_queries(BUDGETS["flag question"]):
        response = client.put(url, {"flagged": True}, format="json")

    assert response.status_code == 200
    assert len(response.data["flagged_questions"]) == quiz.questions.count()


@pytest.mark.parametrize("with_body", [False, True], ids=["autosaved", "answers-in-body"])
def test_submit(django_assert_max_num_queries, quiz, user, with_body):
    for _other in range(3):
        take_quiz(client_for(UserFactory()), quiz)
    client = client_for(user)
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").data
    answers = [{"question": q["id"], "choices": [q["choices"][0]["id"]]} for q in started["questions"]]
    if not with_body:
        for answer in answers:
            client.put(f"/api/v1/attempts/{started['id']}/answers/{answer['question']}/", answer, format="json")

    with django_assert_max_num_queries(BUDGETS["submit"]):
        response = client.post(
            f"/api/v1/attempts/{started['id']}/submit/", {"answers": answers} if with_body else {}, format="json"
        )

    assert response.status_code == 200
    assert len(response.data["results"]) == quiz.questions.count()


def test_the_submit_that_reveals_earlier_attempts(django_assert_max_num_queries, quiz, user):
    quiz.answer_visibility = "after_last_attempt"
    quiz.max_attempts = 3
    quiz.save()
    client = client_for(user)
    for _earlier in range(2):
        take_quiz(client, quiz)
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").data
    answers = [{"question": q["id"], "choices": [q["choices"][0]["id"]]} for q in started["questions"]]

    with django_assert_max_num_queries(BUDGETS["submit revealing earlier attempts"]):
        response = client.post(f"/api/v1/attempts/{started['id']}/submit/", {"answers": answers}, format="json")

    assert response.status_code == 200
    assert MemoryState.objects.filter(user=user).count() == quiz.questions.count()


@pytest.mark.parametrize("visibility", ["after_submission", "after_last_attempt"])
def test_result(django_assert_max_num_queries, quiz, user, visibility):
    quiz.answer_visibility = visibility
    quiz.max_attempts = 3
    quiz.save()
    for _other in range(3):
        take_quiz(client_for(UserFactory()), quiz)
    client = client_for(user)
    attempt_id = take_quiz(client, quiz)
    cache.clear()

    with django_assert_max_num_queries(BUDGETS["result"]):
        response = client.get(f"/api/v1/attempts/{attempt_id}/")

    assert response.status_code == 200 and len(response.data["results"]) == quiz.questions.count()


def test_history(django_assert_max_num_queries, quiz, user):
    client = client_for(user)
    for _attempt in range(4):
        take_quiz(client, quiz, answered=False)
    client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    with django_assert_max_num_queries(BUDGETS["history"]):
        response = client.get("/api/v1/attempts/", {"quiz": quiz.slug})

    assert response.data["count"] == 5


def test_statistics(django_assert_max_num_queries, quiz):
    for _learner in range(4):
        take_quiz(client_for(UserFactory()), quiz)
    client = client_for(StaffFactory())

    with django_assert_max_num_queries(BUDGETS["statistics"]):
        response = client.get(f"/api/v1/quizzes/{quiz.slug}/statistics/")

    assert response.data["attempt_count"] == 4
    assert len(response.data["questions"]) == quiz.questions.count()


def test_result_with_feedback_bands(django_assert_max_num_queries, quiz, user):
    # The bands come from the shared cache (one query on a miss), never one query per band.
    feedback_bands(quiz, *[str(bound) for bound in range(0, 100, 10)])
    client = client_for(user)
    attempt_id = take_quiz(client, quiz)
    cache.clear()

    with django_assert_max_num_queries(BUDGETS["result"]):
        response = client.get(f"/api/v1/attempts/{attempt_id}/")

    assert response.status_code == 200 and response.data["overall_feedback"]
