"""Submitted results and statistics come from the shared cache until a regrade or an edit changes them."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes import selectors, services
from quizzes.models import AnswerVisibility, Choice, Question
from tests.factories import (
    UserFactory,
    quiz_with_questions,
    submitted_attempt_answered_right,
    update_behind_the_caches_back,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()

# ---------------------------------------------------------------------------------------------
# Results


def test_a_submitted_result_is_served_from_the_cache_until_a_regrade_changes_its_score(
    user, user_client, staff_user
):
    quiz = quiz_with_questions(2)
    attempt = submitted_attempt_answered_right(quiz, user)
    url = f"/api/v1/attempts/{attempt.pk}/"
    assert user_client.get(url).json()["score"] == "2.00"

    # An editor fixes the answer key of the first question; only a regrade rescores.
    question = Question.objects.filter(quiz=quiz).order_by("position").first()
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(question=question, position=2).update(is_correct=True)
    assert user_client.get(url).json()["score"] == "2.00"

    services.regrade_quiz(quiz=quiz, changed_by=staff_user, reason="Answer key corrected")

    assert user_client.get(url).json()["score"] == "1.00"


def test_a_review_that_reveals_answers_only_after_the_last_attempt_is_never_served_stale(user, user_client):
    quiz = quiz_with_questions(1, max_attempts=2, answer_visibility=AnswerVisibility.AFTER_LAST_ATTEMPT)
    first = submitted_attempt_answered_right(quiz, user)
    url = f"/api/v1/attempts/{first.pk}/"
    review = user_client.get(url).json()
    assert review["reveals_answers"] is False
    assert review["results"][0]["correct"] is None

    submitted_attempt_answered_right(quiz, user)

    review = user_client.get(url).json()
    assert review["reveals_answers"] is True
    assert review["results"][0]["correct"]


def test_someone_elses_cached_result_stays_a_404(user, user_client):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt_answered_right(quiz, user)
    assert user_client.get(f"/api/v1/attempts/{attempt.pk}/").status_code == 200
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    assert stranger.get(f"/api/v1/attempts/{attempt.pk}/").status_code == 404


def test_statistics_are_cached_for_a_minute_and_start_fresh_when_an_editor_saves_the_quiz(user, staff_user):
    quiz = quiz_with_questions(1)
    submitted_attempt_answered_right(quiz, user)
    staff = APIClient()
    staff.force_authenticate(staff_user)
    url = f"/api/v1/quizzes/{quiz.slug}/statistics/"
    assert staff.get(url).json()["attempt_count"] == 1

    submitted_attempt_answered_right(quiz, UserFactory())
    assert staff.get(url).json()["attempt_count"] == 1

    quiz.title = "Edited"
    quiz.save()
    assert staff.get(url).json()["attempt_count"] == 2


def test_cached_statistics_stay_staff_only(user, user_client, staff_user):
    quiz = quiz_with_questions(1)
    staff = APIClient()
    staff.force_authenticate(staff_user)
    assert staff.get(f"/api/v1/quizzes/{quiz.slug}/statistics/").status_code == 200

    assert user_client.get(f"/api/v1/quizzes/{quiz.slug}/statistics/").status_code == 403


# ---------------------------------------------------------------------------------------------
# A settled result is kept as its rendered body


def token_client(user):
    """A client that authenticates like an integrator, with the Authorization header on every request."""
    return APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def result_url(attempt):
    return f"/api/v1/attempts/{attempt.pk}/"


def test_a_cached_result_is_byte_for_byte_the_result_rendered_fresh(user, django_assert_max_num_queries):
    quiz = quiz_with_questions(3)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    fresh = client.get(result_url(attempt))
    # Edited behind the models' back (no save signal): only a fresh rendering could show it.
    update_behind_the_caches_back(Question, {"quiz": quiz}, explanation="Changed behind the cache's back")

    with django_assert_max_num_queries(2) as reads:
        cached = client.get(result_url(attempt))

    assert not any("quizzes_" in query["sql"] for query in reads.captured_queries)
    assert cached.status_code == fresh.status_code == 200
    assert cached.content == fresh.content
    for header in ("Content-Type", "Content-Language", "Vary", "Allow"):
        assert cached.get(header) == fresh.get(header), header
    assert cached["Content-Type"] == "application/json"
    assert cached.json()["results"][0]["explanation"] == "Because the source says so."


def test_a_cached_result_read_stays_well_under_the_result_query_budget(user, django_assert_max_num_queries):
    quiz = quiz_with_questions(5)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    client.get(result_url(attempt))

    # Two shared-cache reads, each a query with the database cache: the token's user (caching/tokens.py)
    # and the body, with the content version and the learner's; built, the result's budget is 6
    # (test_api_query_budgets.py). 3 while the attempt's status and ownership were read per request.
    with django_assert_max_num_queries(2):
        response = client.get(result_url(attempt))

    assert response.status_code == 200 and len(response.json()["results"]) == 5


def test_a_regrade_changes_the_next_result_read(user, staff_user):
    quiz = quiz_with_questions(2)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    before = client.get(result_url(attempt)).json()
    assert [result["score"] for result in before["results"]] == ["1.00", "1.00"]
    question = Question.objects.filter(quiz=quiz).order_by("position").first()
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(question=question, position=2).update(is_correct=True)

    services.regrade_quiz(quiz=quiz, changed_by=staff_user, reason="Answer key corrected")

    after = client.get(result_url(attempt)).json()
    assert after["score"] == "1.00" and after["percent"] == "50.00"
    assert [result["score"] for result in after["results"]] == ["0.00", "1.00"]


def test_a_regrade_that_moves_points_between_questions_shows_in_the_next_result_read(user, staff_user):
    # The total stays 1 of 2, so only the regrade itself can tell the cache that the review changed.
    quiz = quiz_with_questions(2)
    first, second = Question.objects.filter(quiz=quiz).order_by("position")
    owner = services.Owner.of(user=user)
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    chosen_wrong = second.choices.filter(is_correct=False).first()
    services.submit_attempt(
        attempt_id=attempt.pk,
        owner=owner,
        answers=[
            services.AnswerInput(question_id=first.pk, choice_ids=(first.choices.get(is_correct=True).pk,)),
            services.AnswerInput(question_id=second.pk, choice_ids=(chosen_wrong.pk,)),
        ],
    )
    client = token_client(user)
    # The editor's corrections: the first question's key was wrong, and so was the second's.
    for choice in first.choices.all():
        choice.is_correct = choice.position == 2
        choice.save()
    for choice in second.choices.all():
        choice.is_correct = choice.pk == chosen_wrong.pk
        choice.save()
    before_regrade = client.get(result_url(attempt)).json()
    assert [result["score"] for result in before_regrade["results"]] == ["1.00", "0.00"]

    services.regrade_quiz(quiz=quiz, changed_by=staff_user, reason="Answer keys corrected")

    after = client.get(result_url(attempt)).json()
    assert after["score"] == "1.00"
    assert [result["score"] for result in after["results"]] == ["0.00", "1.00"]


def test_an_explanation_an_editor_saves_shows_in_a_cached_result_at_once(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    assert client.get(result_url(attempt)).json()["results"][0]["explanation"] == "Because the source says so."
    question = Question.objects.get(quiz=quiz)

    question.explanation = "Amazon cited violent posts that Parler did not remove."
    question.save()

    review = client.get(result_url(attempt)).json()
    assert review["results"][0]["explanation"] == "Amazon cited violent posts that Parler did not remove."


def test_another_learners_token_gets_404_for_a_cached_result(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt_answered_right(quiz, user)
    assert token_client(user).get(result_url(attempt)).status_code == 200

    response = token_client(UserFactory()).get(result_url(attempt))

    assert response.status_code == 404
    assert "results" not in response.json()


def test_a_revoked_token_is_refused_at_once_though_the_result_is_cached(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    assert client.get(result_url(attempt)).status_code == 200

    Token.objects.filter(user=user).delete()

    response = client.get(result_url(attempt))
    assert response.status_code == 401
    assert "results" not in response.json()


def test_an_indented_result_asked_for_is_the_cached_result_pretty_printed(user):
    quiz = quiz_with_questions(2)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    compact = client.get(result_url(attempt))

    indented = client.get(result_url(attempt), HTTP_ACCEPT="application/json; indent=2")

    assert indented.status_code == 200
    assert indented.content.startswith(b'{\n  "id"')
    assert indented.json() == compact.json()


def test_a_result_in_a_format_the_api_does_not_speak_is_406_even_when_cached(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    assert client.get(result_url(attempt)).status_code == 200

    response = client.get(result_url(attempt), HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert "results" not in response.json()


def test_each_language_gets_its_own_cached_result(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)

    german = client.get(result_url(attempt), HTTP_ACCEPT_LANGUAGE="de")
    english = client.get(result_url(attempt), HTTP_ACCEPT_LANGUAGE="en")

    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    assert client.get(result_url(attempt), HTTP_ACCEPT_LANGUAGE="de").content == german.content


def test_the_status_read_behind_a_cached_result_finds_a_guests_attempt_only_with_their_key():
    quiz = quiz_with_questions(1)
    guest = services.Owner.of(guest_key="guest-key-of-the-learner")
    attempt, _created = services.start_attempt(quiz=quiz, owner=guest)
    services.submit_attempt(attempt_id=attempt.pk, owner=guest)

    status = selectors.attempt_status_for_owner(attempt_id=attempt.pk, owner=guest)

    assert (status.pk, status.state, status.is_open) == (attempt.pk, "submitted", False)
    for stranger in (services.Owner.of(guest_key="someone-else"), services.Owner.of(user=UserFactory())):
        with pytest.raises(services.AttemptNotFound):
            selectors.attempt_status_for_owner(attempt_id=attempt.pk, owner=stranger)


def test_a_cached_result_reads_no_attempt_and_an_editor_hiding_the_answers_shows_at_once(user):
    quiz = quiz_with_questions(2)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    client.get(result_url(attempt))
    with CaptureQueriesContext(connection) as reads:
        assert client.get(result_url(attempt)).json()["reveals_answers"] is True
    assert not any("quizzes_" in query["sql"] for query in reads.captured_queries)

    quiz.answer_visibility = AnswerVisibility.NEVER
    quiz.save()

    review = client.get(result_url(attempt)).json()
    assert review["reveals_answers"] is False and review["results"][0]["correct"] is None


def test_answers_hidden_in_bulk_show_at_once_in_a_cached_result(user):
    # An admin action writes through the queryset: no save signal, but the content version moves.
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    assert client.get(result_url(attempt)).json()["reveals_answers"] is True

    type(quiz).objects.filter(pk=quiz.pk).update(answer_visibility=AnswerVisibility.NEVER)

    assert client.get(result_url(attempt)).json()["reveals_answers"] is False


def test_a_regrade_that_fails_midway_leaves_no_regraded_result_stale(user, staff_user, monkeypatch):
    # Each attempt's new grade commits on its own; its cached result must go with that commit, not
    # wait for the end of the regrade, which here never comes.
    from quizzes.services import grading

    quiz = quiz_with_questions(2)
    attempt = submitted_attempt_answered_right(quiz, user)
    client = token_client(user)
    assert client.get(result_url(attempt)).json()["score"] == "2.00"
    question = Question.objects.filter(quiz=quiz).order_by("position").first()
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(question=question, position=2).update(is_correct=True)
    assert client.get(result_url(attempt)).json()["score"] == "2.00"

    def tallies_fail(**kwargs):
        raise RuntimeError("the tallies' rebuild failed")

    monkeypatch.setattr(grading.tallies, "rebuild", tallies_fail)
    with pytest.raises(RuntimeError):
        services.regrade_quiz(quiz=quiz, changed_by=staff_user, reason="Answer key corrected")

    assert client.get(result_url(attempt)).json()["score"] == "1.00"


def test_reading_an_attempt_in_progress_writes_nothing_to_the_database_cache(user, settings):
    # Only a settled review is kept: a read of one in progress creates no version or entry, which
    # on SQLite would take the database's one write lock on every read after a start or a close.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "quizsite_cache"}
    }
    call_command("createcachetable", verbosity=0)  # there when the suite's own cache is the database's
    quiz = quiz_with_questions(2)
    client = token_client(user)
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]

    with CaptureQueriesContext(connection) as reads:  # the start replaced the learner's version
        for _ in range(2):
            assert client.get(f"/api/v1/attempts/{attempt_id}/").json()["state"] == "in_progress"

    assert {query["sql"].split()[0].upper() for query in reads.captured_queries} == {"SELECT"}
