"""Spaced review across quizzes: what feeds it, the queue, answering in review, practising an attempt's
mistakes, guests, languages, and that review never touches grades or statistics."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes import services
from quizzes.models import Answer, AnswerVisibility, Attempt, MemoryState
from quizzes.owners import GUEST_SESSION_KEY, Owner
from tests.factories import PASSWORD, QuestionFactory, QuizFactory, UserFactory, quiz_with_questions, translated_quizzes

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def right_choices(question_id):
    from quizzes.models import Choice

    return list(Choice.objects.filter(question_id=question_id, is_correct=True).values_list("pk", flat=True))


def wrong_choice(question_id):
    from quizzes.models import Choice

    return [Choice.objects.filter(question_id=question_id, is_correct=False).values_list("pk", flat=True).first()]


def take(client, quiz, *, missed=()):
    """Start and submit an attempt through the API: the questions in `missed` wrong, the others right."""
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    answers = [
        {"question": q["id"], "choices": wrong_choice(q["id"]) if q["id"] in missed else right_choices(q["id"])}
        for q in started["questions"]
    ]
    submitted = client.post(f"/api/v1/attempts/{started['id']}/submit/", {"answers": answers}, format="json")
    assert submitted.status_code == 200, submitted.content
    return submitted.json()


def question_ids(quiz):
    return list(quiz.questions.order_by("position").values_list("pk", flat=True))


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


def test_a_quiz_in_progress_keeps_its_questions_out_of_review():
    quiz = quiz_with_questions(2)
    client = client_for(UserFactory())
    take(client, quiz, missed=question_ids(quiz))
    client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    assert client.get("/api/v1/me/review/").json()["questions"] == []
    question = question_ids(quiz)[0]
    assert client.post(f"/api/v1/me/review/{question}/", {"choices": []}, format="json").status_code == 404


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


# ---------------------------------------------------------------------------------------------
# Practise my mistakes


def test_practise_my_mistakes_lists_just_that_attempts_missed_questions_until_practised():
    quiz = quiz_with_questions(4)
    ids = question_ids(quiz)
    client = client_for(UserFactory())
    first = take(client, quiz, missed=ids[:2])
    other = quiz_with_questions(1)
    take(client, other, missed=question_ids(other))

    practice = client.get("/api/v1/me/review/", {"attempt": first["id"]}).json()

    assert sorted(q["id"] for q in practice["questions"]) == sorted(ids[:2])
    assert practice["due_now"] == 2 and practice["attempt"] == first["id"]
    client.post(f"/api/v1/me/review/{ids[0]}/", {"choices": wrong_choice(ids[0])}, format="json")
    assert [q["id"] for q in client.get("/api/v1/me/review/", {"attempt": first["id"]}).json()["questions"]] == [ids[1]]


def test_practise_my_mistakes_waits_for_a_quiz_to_reveal_its_answers():
    quiz = quiz_with_questions(2, answer_visibility=AnswerVisibility.AFTER_LAST_ATTEMPT, max_attempts=2)
    client = client_for(UserFactory())
    first = take(client, quiz, missed=question_ids(quiz))

    assert client.get("/api/v1/me/review/", {"attempt": first["id"]}).status_code == 403
    page = Client()
    page.force_login(Attempt.objects.get(pk=first["id"]).user)
    assert "practise-mistakes" not in page.get(reverse("web:result", kwargs={"attempt_id": first["id"]})).content.decode()

    take(client, quiz)
    assert len(client.get("/api/v1/me/review/", {"attempt": first["id"]}).json()["questions"]) == 2
    assert "practise-mistakes" in page.get(reverse("web:result", kwargs={"attempt_id": first["id"]})).content.decode()


def test_practising_someone_elses_attempt_is_404_and_a_malformed_id_400():
    quiz = quiz_with_questions(1)
    attempt = take(client_for(UserFactory()), quiz, missed=question_ids(quiz))
    client = client_for(UserFactory())

    assert client.get("/api/v1/me/review/", {"attempt": attempt["id"]}).status_code == 404
    assert client.get("/api/v1/me/review/", {"attempt": "not-a-uuid"}).status_code == 400
    assert client.get("/api/v1/me/review/", {"attempt": "\x00"}).status_code == 400


# ---------------------------------------------------------------------------------------------
# Bad input


def test_bad_review_answers_are_4xx_and_change_nothing():
    quiz = quiz_with_questions(2)
    first, second = question_ids(quiz)
    multiple = QuestionFactory(quiz=quiz, kind="multiple", choices__correct=2)
    client = client_for(UserFactory())
    take(client, quiz, missed=[first, second, multiple.pk])
    before = list(MemoryState.objects.values_list("pk", "due", "stability"))
    cases = [
        (first, {"choices": wrong_choice(second)}, 400),
        (first, {"choices": right_choices(first) + wrong_choice(first)}, 400),
        (multiple.pk, {"choices": right_choices(multiple.pk) * 2}, 400),
        (first, {"choices": ["x"]}, 400),
        (first, {"choices": [0]}, 400),
        (first, {}, 400),
        (first, "not json", 400),
        (999_999_999, {"choices": []}, 404),
        (QuestionFactory().pk, {"choices": []}, 404),
    ]
    for question, body, expected in cases:
        response = client.post(f"/api/v1/me/review/{question}/", body, format="json")
        assert response.status_code == expected, (question, body, response.content)
    assert list(MemoryState.objects.values_list("pk", "due", "stability")) == before
    assert client.post(f"/api/v1/me/review/{2**70}/", {"choices": []}, format="json").status_code == 404
    assert APIClient().get("/api/v1/me/review/").status_code == 401


def test_a_partly_right_answer_rates_again():
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, kind="multiple", choices__correct=2, choices__wrong=2)
    client = client_for(UserFactory())
    take(client, quiz, missed=[question.pk])

    answered = client.post(f"/api/v1/me/review/{question.pk}/", {"choices": right_choices(question.pk)[:1]}, format="json")

    assert answered.json()["score"] == "0.50" and answered.json()["is_right"] is False
    assert client.get("/api/v1/me/review/").json()["due_now"] == 1


# ---------------------------------------------------------------------------------------------
# Guests


def guest_takes(client, quiz, *, missed):
    started = client.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    attempt_id = started.url.split("/")[2]
    form = {}
    for question in question_ids(quiz):
        form[f"question-{question}"] = [str(pk) for pk in (wrong_choice(question) if question in missed else right_choices(question))]
    assert client.post(reverse("web:attempt", kwargs={"attempt_id": attempt_id}), {**form, "action": "submit"}).status_code == 302
    return attempt_id


def test_a_guest_reviews_on_the_page_and_keeps_the_queue_after_signing_up():
    quiz = quiz_with_questions(3)
    ids = question_ids(quiz)
    client = Client()
    guest_takes(client, quiz, missed=ids[:2])
    page = client.get(reverse("web:review")).content.decode()
    assert 'name="choice"' in page
    guest_key = client.session[GUEST_SESSION_KEY]
    assert MemoryState.objects.filter(owner=f"guest:{guest_key}").count() == 3

    signed_up = client.post(reverse("signup"), {"username": "reviewer", "password1": PASSWORD, "password2": PASSWORD})

    assert signed_up.status_code == 302
    user = Attempt.objects.get().user
    assert MemoryState.objects.filter(owner=f"user:{user.pk}", user=user).count() == 3
    assert not MemoryState.objects.filter(owner__startswith="guest:").exists()
    assert sorted(q["id"] for q in client_for(user).get("/api/v1/me/review/").json()["questions"]) == sorted(ids[:2])


def test_a_guests_memory_joins_an_account_keeping_the_state_answered_last():
    quiz = quiz_with_questions(2)
    first, second = question_ids(quiz)
    user = UserFactory()
    account, guest = Owner.of(user=user), Owner(guest_key="guest-key-1")
    earlier, later = timezone.now() - timedelta(days=2), timezone.now()
    services.remember_answers(owner=account, answers=[services.RememberedAnswer(first, True)], now=earlier)
    services.remember_answers(owner=guest, answers=[services.RememberedAnswer(first, False)], now=later)
    services.remember_answers(owner=account, answers=[services.RememberedAnswer(second, False)], now=later)
    services.remember_answers(owner=guest, answers=[services.RememberedAnswer(second, True)], now=earlier)

    services.claim_guest_attempts(guest_key=guest.guest_key, user=user)

    states = {state.question_id: state for state in MemoryState.objects.all()}
    assert len(states) == 2 and all(state.owner == account.key for state in states.values())
    assert states[first].last_review == later and states[first].due <= later  # the guest's miss, answered last
    assert states[second].last_review == later  # the account's own, answered last


def test_a_guest_answers_in_review_through_the_api_with_the_session_and_its_csrf_token():
    quiz = quiz_with_questions(1)
    (question,) = question_ids(quiz)
    plain = Client()
    guest_takes(plain, quiz, missed=[question])
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = plain.cookies
    token = browser.get(reverse("web:review")).context["csrf_token"]
    url = f"/api/v1/me/review/{question}/"

    forged = browser.post(url, {"choices": right_choices(question)}, content_type="application/json")
    answered = browser.post(
        url, {"choices": right_choices(question)}, content_type="application/json", HTTP_X_CSRFTOKEN=str(token)
    )

    assert forged.status_code == 403
    assert answered.status_code == 200, answered.content
    assert answered.json()["is_right"] is True
    assert browser.get("/api/v1/me/review/").json()["due_now"] == 0


def test_a_raised_limit_after_the_reveal_feeds_only_the_new_attempt(monkeypatch):
    quiz = quiz_with_questions(2, answer_visibility=AnswerVisibility.AFTER_LAST_ATTEMPT, max_attempts=2)
    client = client_for(UserFactory())
    take(client, quiz, missed=question_ids(quiz))
    take(client, quiz, missed=question_ids(quiz))
    quiz.max_attempts = 3
    quiz.save()
    fed = []
    original = services.review.remember_answers
    monkeypatch.setattr(
        services.review, "remember_answers", lambda **given: fed.append(given["now"]) or original(**given)
    )

    take(client, quiz)

    assert len(fed) == 1  # the third attempt alone: the first two were fed when the second revealed them
    assert client.get("/api/v1/me/review/").json()["due_now"] == 0


# ---------------------------------------------------------------------------------------------
# Checked questions (immediate feedback): review learns at the check, once


def test_a_question_locked_by_a_check_is_remembered_then_and_not_again_when_the_attempt_closes():
    learner = UserFactory()
    client = client_for(learner)
    quiz = quiz_with_questions(2, behaviour="immediate")
    checked, unchecked = question_ids(quiz)
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    response = client.post(
        f"/api/v1/attempts/{started['id']}/answers/{checked}/check/", {"choices": wrong_choice(checked)}, format="json"
    )
    assert response.status_code == 200, response.content
    remembered_at_check = MemoryState.objects.get(user=learner, question_id=checked).last_review

    submitted = client.post(
        f"/api/v1/attempts/{started['id']}/submit/",
        {"answers": [{"question": unchecked, "choices": right_choices(unchecked)}]},
        format="json",
    )

    assert submitted.status_code == 200, submitted.content
    # One review of the missed check (Again: due at once), none added by the closing.
    assert MemoryState.objects.get(user=learner, question_id=checked).last_review == remembered_at_check
    assert MemoryState.objects.filter(user=learner, question_id=unchecked).exists()
    due_now = client.get("/api/v1/me/review/").json()
    assert [question["id"] for question in due_now["questions"]] == [checked]
