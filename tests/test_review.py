"""Spaced review across quizzes: a review session, what feeds it, that it never touches grades or statistics,
and languages. Practising an attempt's mistakes, bad input, guests and checks: test_review_practice.py."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from quizzes import services
from quizzes.caching.versions import CONTENT_VERSION_KEY, entry_key
from quizzes.models import Answer, AnswerVisibility, Attempt, MemoryState, Quiz
from quizzes.owners import Owner
from tests.factories import UserFactory, quiz_with_questions, translated_quizzes
from tests.review_helpers import client_for, question_ids, right_choices, take, wrong_choice

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# A review session


def test_the_three_missed_questions_are_due_now_and_once_right_next_due_in_days():
    quiz = quiz_with_questions(5)
    ids = question_ids(quiz)
    client = client_for(UserFactory())
    take(client, quiz, missed=ids[:3])

    queue = client.get("/api/v1/me/review/").json()

    assert sorted(q["id"] for q in queue["questions"]) == sorted(ids[:3])
    assert queue["due_now"] == 3
    # The two answered right are due in days: within the week, not today.
    assert queue["this_week"] == 2 and queue["later_today"] == 0
    for question in ids[:3]:
        answered = client.post(f"/api/v1/me/review/{question}/", {"choices": right_choices(question)}, format="json")
        assert answered.status_code == 200, answered.content
        body = answered.json()
        assert body["is_right"] is True and body["score"] == "1.00"
        due = timezone.datetime.fromisoformat(body["due"])
        assert due - timezone.now() > timedelta(hours=20), body["due"]
    assert client.get("/api/v1/me/review/").json()["due_now"] == 0


def test_a_question_missed_in_review_is_due_again_at_once_and_a_known_one_within_minutes():
    quiz = quiz_with_questions(2)
    first, second = question_ids(quiz)
    user = UserFactory()
    client = client_for(user)
    take(client, quiz, missed=[first])

    answered = client.post(f"/api/v1/me/review/{first}/", {"choices": wrong_choice(first)}, format="json").json()
    assert answered["is_right"] is False
    assert [q["id"] for q in client.get("/api/v1/me/review/").json()["questions"]] == [first]

    # The question known from the quiz, missed when it falls due: due again soon (the relearning step).
    owner = Owner.of(user=user)
    due = MemoryState.objects.get(owner=owner.key, question_id=second).due
    graded = services.answer_review(owner=owner, question_id=second, choice_ids=wrong_choice(second), now=due)
    assert timedelta(0) < graded.due - due <= timedelta(minutes=10)


def test_the_queue_lists_the_most_overdue_first():
    quiz = quiz_with_questions(3)
    ids = question_ids(quiz)
    client = client_for(UserFactory())
    take(client, quiz, missed=ids)
    now = timezone.now()
    for hours, question in zip((1, 3, 2), ids):
        MemoryState.objects.filter(question_id=question).update(due=now - timedelta(hours=hours))

    queue = client.get("/api/v1/me/review/").json()

    assert [q["id"] for q in queue["questions"]] == [ids[1], ids[2], ids[0]]


def test_the_queue_shows_no_answer_key_before_an_answer():
    quiz = quiz_with_questions(1)
    client = client_for(UserFactory())
    take(client, quiz, missed=question_ids(quiz))

    question = client.get("/api/v1/me/review/").json()["questions"][0]

    assert set(question) == {"id", "kind", "text", "language", "quiz", "quiz_title", "due", "choices"}
    assert all(set(choice) == {"id", "text"} for choice in question["choices"])


# ---------------------------------------------------------------------------------------------
# What feeds review: the quiz's answer visibility


def test_a_quiz_that_never_shows_answers_feeds_no_memory_state():
    quiz = quiz_with_questions(3, answer_visibility=AnswerVisibility.NEVER)
    client = client_for(UserFactory())
    take(client, quiz, missed=question_ids(quiz))

    assert MemoryState.objects.count() == 0
    assert client.get("/api/v1/me/review/").json()["due_now"] == 0
    question = question_ids(quiz)[0]
    refused = client.post(f"/api/v1/me/review/{question}/", {"choices": right_choices(question)}, format="json")
    assert refused.status_code == 404


def test_after_the_last_attempt_review_is_fed_only_once_the_last_attempt_closes():
    quiz = quiz_with_questions(3, answer_visibility=AnswerVisibility.AFTER_LAST_ATTEMPT, max_attempts=2)
    ids = question_ids(quiz)
    client = client_for(UserFactory())
    take(client, quiz, missed=ids)

    assert MemoryState.objects.count() == 0
    assert client.get("/api/v1/me/review/").json()["due_now"] == 0

    take(client, quiz, missed=ids[:1])

    # Both attempts fed it, in order: the question missed twice is due, the two later right ones are not.
    assert MemoryState.objects.count() == 3
    assert [q["id"] for q in client.get("/api/v1/me/review/").json()["questions"]] == ids[:1]


def test_a_quiz_set_to_never_later_leaves_the_queue():
    quiz = quiz_with_questions(2)
    client = client_for(UserFactory())
    take(client, quiz, missed=question_ids(quiz))
    quiz.answer_visibility = AnswerVisibility.NEVER
    quiz.save()

    assert client.get("/api/v1/me/review/").json()["due_now"] == 0
    question = question_ids(quiz)[0]
    assert client.post(f"/api/v1/me/review/{question}/", {"choices": []}, format="json").status_code == 404


def test_an_editors_change_reaches_the_next_review_answer_though_the_question_was_answered_before():
    # The question's key and its quiz's settings are cached content once a review answer read them.
    quiz = quiz_with_questions(2)
    client = client_for(UserFactory())
    take(client, quiz, missed=question_ids(quiz))
    first, second = question_ids(quiz)
    assert client.post(f"/api/v1/me/review/{first}/", {"choices": []}, format="json").json()["points"] == "1.00"
    assert client.post(f"/api/v1/me/review/{second}/", {"choices": []}, format="json").status_code == 200

    question = quiz.questions.get(pk=first)
    question.points = 3
    question.save()
    assert client.post(f"/api/v1/me/review/{first}/", {"choices": []}, format="json").json()["points"] == "3.00"

    quiz.answer_visibility = AnswerVisibility.NEVER
    quiz.save()
    assert client.post(f"/api/v1/me/review/{second}/", {"choices": []}, format="json").status_code == 404


@pytest.mark.parametrize(
    "change", [{"is_published": False}, {"answer_visibility": AnswerVisibility.NEVER}], ids=["unpublished", "never"]
)
def test_the_other_languages_version_answered_before_is_refused_once_its_quiz_stops_showing(change):
    # Only the shown version's quiz decides here (the learner's own quiz still shows answers), and its
    # settings must not come from a cache an editor's save might not have reached.
    german, english = translated_quizzes(1)
    learner, other = client_for(UserFactory()), client_for(UserFactory())
    take(learner, german, missed=question_ids(german))
    take(other, german, missed=question_ids(german))
    english_question = question_ids(english)[0]
    # Another learner's answer in English reads (and caches) the English version's key.
    assert other.post(f"/api/v1/me/review/{english_question}/", {"choices": []}, format="json").status_code == 200

    # The editor's change, with its new content version lost (a cache write dropped while Redis hiccups).
    version = cache.get(CONTENT_VERSION_KEY)
    Quiz.objects.filter(pk=english.pk).update(**change)
    cache.set(CONTENT_VERSION_KEY, version, None)

    assert learner.post(f"/api/v1/me/review/{english_question}/", {"choices": []}, format="json").status_code == 404


def test_answering_a_question_that_does_not_exist_stores_nothing_in_the_cache():
    # Its id comes from the URL: a client must not be able to fill the cache with ids of no question.
    client = client_for(UserFactory())
    quiz_with_questions(1)

    assert client.post("/api/v1/me/review/987654321/", {"choices": []}, format="json").status_code == 404
    assert cache.get(entry_key("content:review-key", [987654321], per_language=False)) is None


def test_a_quiz_in_progress_keeps_its_questions_out_of_review():
    quiz = quiz_with_questions(2)
    client = client_for(UserFactory())
    take(client, quiz, missed=question_ids(quiz))
    client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    assert client.get("/api/v1/me/review/").json()["questions"] == []
    question = question_ids(quiz)[0]
    assert client.post(f"/api/v1/me/review/{question}/", {"choices": []}, format="json").status_code == 404


def test_a_review_form_posted_after_its_quiz_was_started_elsewhere_says_why_on_the_review_page():
    # Regression: a review form left open in another tab, posted once its question's quiz was
    # started there, answered with the bare "Page not found".
    from django.test import Client
    from django.urls import reverse

    user = UserFactory()
    quiz = quiz_with_questions(2)
    take(client_for(user), quiz, missed=question_ids(quiz))
    page = Client(headers={"accept-language": "en"})
    page.force_login(user)
    question = question_ids(quiz)[0]
    client_for(user).post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    response = page.post(reverse("web:review"), {"question": question, "choice": right_choices(question)})

    assert response.status_code == 404
    assert "That question is not in your review now (a quiz you are taking may ask it)" in response.content.decode()
    assert "<h1>Review</h1>" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Review never changes grades, attempts left or statistics


def test_review_answers_leave_grades_attempts_and_statistics_unchanged():
    quiz = quiz_with_questions(3, max_attempts=2)
    ids = question_ids(quiz)
    user = UserFactory()
    client = client_for(user)
    take(client, quiz, missed=ids)
    editor = client_for(UserFactory(is_superuser=True, is_staff=True))
    before = (
        list(Attempt.objects.values_list("pk", "score", "percent", "passed", "state")),
        list(Answer.objects.values_list("pk", "score", "choice_ids")),
        client.get("/api/v1/me/progress/").json()["quizzes"],
        editor.get(f"/api/v1/quizzes/{quiz.slug}/statistics/").json(),
        client.get(f"/api/v1/quizzes/{quiz.slug}/").json(),
    )

    for question in ids:
        assert client.post(f"/api/v1/me/review/{question}/", {"choices": right_choices(question)}, format="json").status_code == 200

    after = (
        list(Attempt.objects.values_list("pk", "score", "percent", "passed", "state")),
        list(Answer.objects.values_list("pk", "score", "choice_ids")),
        client.get("/api/v1/me/progress/").json()["quizzes"],
        editor.get(f"/api/v1/quizzes/{quiz.slug}/statistics/").json(),
        client.get(f"/api/v1/quizzes/{quiz.slug}/").json(),
    )
    assert after == before
    # One attempt used of two: review took none.
    assert client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").status_code == 201


# ---------------------------------------------------------------------------------------------
# German and English share one memory


def test_german_and_english_versions_share_one_memory_state_and_the_queue_speaks_the_learners_language():
    german, english = translated_quizzes(2)
    client = client_for(UserFactory())
    take(client, german, missed=question_ids(german))

    german_queue = client.get("/api/v1/me/review/", HTTP_ACCEPT_LANGUAGE="de").json()
    english_queue = client.get("/api/v1/me/review/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert sorted(q["id"] for q in german_queue["questions"]) == sorted(question_ids(german))
    assert sorted(q["id"] for q in english_queue["questions"]) == sorted(question_ids(english))
    assert {q["language"] for q in english_queue["questions"]} == {"en"}

    english_question = question_ids(english)[0]
    answered = client.post(
        f"/api/v1/me/review/{english_question}/", {"choices": right_choices(english_question)},
        format="json", HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answered.status_code == 200
    assert MemoryState.objects.count() == 2
    # Learned in English, no longer due in German either.
    assert client.get("/api/v1/me/review/", HTTP_ACCEPT_LANGUAGE="de").json()["due_now"] == 1

    take(client, english, missed=[english_question])
    assert MemoryState.objects.count() == 2


def test_a_question_without_a_translation_shows_in_its_own_language():
    quiz = quiz_with_questions(1, language="de")
    client = client_for(UserFactory())
    take(client, quiz, missed=question_ids(quiz))

    queue = client.get("/api/v1/me/review/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert [q["id"] for q in queue["questions"]] == question_ids(quiz)
    assert MemoryState.objects.get().key == f"#{question_ids(quiz)[0]}"


def test_a_quiz_in_progress_keeps_its_questions_out_of_review_in_their_other_language_too():
    # Answering the German version in review would show the key to the English question being taken.
    german, english = translated_quizzes(1)
    client = client_for(UserFactory())
    take(client, german, missed=question_ids(german))
    (german_question,) = question_ids(german)
    assert [q["id"] for q in client.get("/api/v1/me/review/", HTTP_ACCEPT_LANGUAGE="de").json()["questions"]] == [
        german_question
    ]

    client.post(f"/api/v1/quizzes/{english.slug}/attempts/")

    for language in ("de", "en"):
        queue = client.get("/api/v1/me/review/", HTTP_ACCEPT_LANGUAGE=language).json()
        assert (queue["questions"], queue["due_now"]) == ([], 0), language
    answered = client.post(
        f"/api/v1/me/review/{german_question}/", {"choices": right_choices(german_question)}, format="json"
    )
    assert answered.status_code == 404, answered.content
