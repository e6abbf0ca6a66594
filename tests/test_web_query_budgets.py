"""Each page costs a fixed number of queries, whether a quiz has 5 questions or 50.

The budgets count everything a request does, the session and the signed-in user included. The cache
is process-local for these tests, as with Redis: with the database cache, cached reads (the guest
catalogue, see quizzes/caching/) add their own statements.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt
from tests.factories import TopicFactory, feedback_bands, quiz_with_questions

pytestmark = pytest.mark.django_db

HOME_BUDGET = 4
QUIZ_BUDGET = 6
ATTEMPT_BUDGET = 6
RESULT_BUDGET = 6
PROGRESS_BUDGET = 6
# Read again with nothing changed: the session and the user; the learner's part comes from the cache.
CACHED_PROGRESS_BUDGET = 2


@pytest.fixture(autouse=True)
def local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=[5, 50], ids=["5-questions", "50-questions"])
def quiz(request):
    quiz = quiz_with_questions(request.param)
    quiz.topics.add(TopicFactory(), TopicFactory())
    for extra in range(3):
        quiz_with_questions(2, title=f"Other quiz {extra}", language="en").topics.add(TopicFactory())
    return quiz


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def answer_all(attempt):
    return [
        services.AnswerInput(question_id=question_id, choice_ids=(choice_ids[0],))
        for question_id, choice_ids in ((int(key), value) for key, value in attempt.choice_order.items())
    ]


@pytest.fixture
def history(quiz, user):
    """Two closed attempts and one in progress on the quiz, every question answered."""
    owner = services.Owner.of(user=user)
    for _number in range(2):
        attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
        services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answer_all(attempt))
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    for answer in answer_all(attempt):
        services.save_answer(
            attempt_id=attempt.pk, owner=owner, question_id=answer.question_id, choice_ids=answer.choice_ids
        )
    return attempt


def test_home_stays_within_budget(signed_in, history, django_assert_max_num_queries):
    topic = history.quiz.topics.first()
    with django_assert_max_num_queries(HOME_BUDGET):
        response = signed_in.get(reverse("web:home"), {"topic": topic.slug})
    assert response.status_code == 200


def test_home_for_a_first_time_guest_stays_within_budget(client, quiz, django_assert_max_num_queries):
    with django_assert_max_num_queries(HOME_BUDGET):
        assert client.get(reverse("web:home")).status_code == 200


def test_home_with_more_quizzes_than_a_page_stays_within_budget(signed_in, history, django_assert_max_num_queries):
    for number in range(60):
        quiz_with_questions(1, title=f"Extra quiz {number:02d}").topics.add(TopicFactory())
    for page in ("1", "2", "3"):
        with django_assert_max_num_queries(HOME_BUDGET):
            response = signed_in.get(reverse("web:home"), {"page": page})
        assert response.status_code == 200


def test_quiz_page_stays_within_budget(signed_in, history, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUIZ_BUDGET):
        response = signed_in.get(reverse("web:quiz", kwargs={"slug": history.quiz.slug}))
    assert response.status_code == 200


def test_attempt_page_stays_within_budget(signed_in, history, django_assert_max_num_queries):
    with django_assert_max_num_queries(ATTEMPT_BUDGET):
        response = signed_in.get(reverse("web:attempt", kwargs={"attempt_id": history.pk}))
    assert response.status_code == 200
    assert len(response.context["questions"]) == len(history.question_order)


@pytest.mark.parametrize("page", [1, 3])
def test_attempt_page_one_question_per_page_stays_within_budget(
    signed_in, history, page, django_assert_max_num_queries
):
    type(history.quiz).objects.filter(pk=history.quiz.pk).update(one_question_per_page=True)
    history.flagged_questions = history.question_order[:3]
    history.save(update_fields=["flagged_questions"])
    with django_assert_max_num_queries(ATTEMPT_BUDGET):
        response = signed_in.get(reverse("web:attempt", kwargs={"attempt_id": history.pk}), {"page": page})
    assert response.status_code == 200
    assert len(response.context["layout"].on_page) == 1
    assert response.content.decode().count("data-navigator-for=") == len(history.question_order)


def test_result_page_stays_within_budget(signed_in, history, django_assert_max_num_queries):
    closed = Attempt.objects.filter(quiz=history.quiz, number=2).get()
    with django_assert_max_num_queries(RESULT_BUDGET):
        response = signed_in.get(reverse("web:result", kwargs={"attempt_id": closed.pk}))
    assert response.status_code == 200
    assert len(response.context["questions"]) == len(closed.question_order)


def test_progress_page_stays_within_budget(signed_in, history, django_assert_max_num_queries):
    with django_assert_max_num_queries(PROGRESS_BUDGET):
        response = signed_in.get(reverse("web:progress"))
    assert response.status_code == 200
    assert len(response.context["attempts"]) == 3


def test_progress_page_read_again_stays_within_budget(signed_in, history, django_assert_max_num_queries):
    first = signed_in.get(reverse("web:progress")).content.decode()
    with django_assert_max_num_queries(CACHED_PROGRESS_BUDGET):
        again = signed_in.get(reverse("web:progress")).content.decode()
    # The same page but for the CSRF token of the logout form, which is rendered per request.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", again) == token.sub("", first)


def test_result_page_with_feedback_bands_stays_within_budget(signed_in, history, django_assert_max_num_queries):
    # The bands come from the shared cache (one query on a miss), never one query per band.
    feedback_bands(history.quiz, *[str(bound) for bound in range(0, 100, 10)])
    closed = Attempt.objects.filter(quiz=history.quiz, number=2).get()
    with django_assert_max_num_queries(RESULT_BUDGET):
        response = signed_in.get(reverse("web:result", kwargs={"attempt_id": closed.pk}))
    assert response.status_code == 200
    assert response.context["attempt"].overall_feedback
