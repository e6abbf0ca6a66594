"""Spaced review: practising an attempt's mistakes, bad input, guests (and their memory joining an account),
and questions checked during an attempt (immediate feedback)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes import services
from quizzes.models import AnswerVisibility, Attempt, MemoryState
from quizzes.owners import GUEST_SESSION_KEY, Owner
from tests.factories import PASSWORD, QuestionFactory, QuizFactory, UserFactory, quiz_with_questions
from tests.review_helpers import client_for, guest_takes, question_ids, right_choices, take, wrong_choice

pytestmark = pytest.mark.django_db


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


def test_practising_an_attempt_still_in_progress_says_so_and_offers_to_resume_it():
    # It was told "this quiz does not show the answers", of a quiz that shows them once submitted.
    quiz = quiz_with_questions(2)
    client = client_for(UserFactory())
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    page = Client(headers={"accept-language": "en"})
    page.force_login(Attempt.objects.get(pk=attempt_id).user)

    api = client.get("/api/v1/me/review/", {"attempt": attempt_id}, HTTP_ACCEPT_LANGUAGE="en")
    shown = page.get(reverse("web:review"), {"attempt": attempt_id})

    still_open = "This attempt is still in progress; submit it first, then practise its mistakes."
    assert api.status_code == 409 and api.json() == {"detail": still_open}
    assert shown.status_code == 409 and still_open in shown.content.decode()
    assert reverse("web:attempt", kwargs={"attempt_id": attempt_id}) in shown.content.decode()


def test_why_an_attempt_cannot_be_practised_is_told_in_its_quizs_language_as_its_own_endpoints_tell_it():
    # Regression: without Accept-Language the review endpoint told an English quiz's 409 in German.
    client = client_for(UserFactory())
    english = quiz_with_questions(2, language="en")
    hiding = quiz_with_questions(2, language="en", answer_visibility=AnswerVisibility.NEVER)
    open_attempt = client.post(f"/api/v1/quizzes/{english.slug}/attempts/").json()["id"]
    hidden_attempt = take(client, hiding)["id"]

    still_open = client.get("/api/v1/me/review/", {"attempt": open_attempt})
    hidden = client.get("/api/v1/me/review/", {"attempt": hidden_attempt})
    asked_for = client.get("/api/v1/me/review/", {"attempt": open_attempt}, HTTP_ACCEPT_LANGUAGE="de")

    assert still_open.status_code == 409 and still_open.json()["detail"].startswith("This attempt is still in progress")
    assert hidden.status_code == 403 and hidden.json() == {
        "detail": "This quiz does not show the answers of this attempt, so its mistakes cannot be practised yet."
    }
    assert asked_for.status_code == 409 and asked_for.json()["detail"].startswith("Dieser Versuch")


@pytest.mark.parametrize("visibility", [AnswerVisibility.NEVER, AnswerVisibility.AFTER_LAST_ATTEMPT])
def test_practising_an_open_attempt_of_a_quiz_hiding_answers_on_submission_promises_nothing(visibility):
    # "Submit it first, then practise" would be untrue where submitting does not show the answers.
    quiz = quiz_with_questions(2, answer_visibility=visibility, max_attempts=3)
    client = client_for(UserFactory())
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]

    assert client.get("/api/v1/me/review/", {"attempt": attempt_id}).status_code == 403


def test_practising_someone_elses_attempt_is_404_and_a_malformed_id_400():
    quiz = quiz_with_questions(1)
    attempt = take(client_for(UserFactory()), quiz, missed=question_ids(quiz))
    client = client_for(UserFactory())

    assert client.get("/api/v1/me/review/", {"attempt": attempt["id"]}).status_code == 404
    assert client.get("/api/v1/me/review/", {"attempt": "not-a-uuid"}).status_code == 400
    assert client.get("/api/v1/me/review/", {"attempt": "\x00"}).status_code == 400


def test_a_visitor_without_a_session_practising_any_attempt_gets_404_as_on_the_api():
    # Regression: the page answered 200 ("0 mistakes of this attempt left") to a visitor who had
    # started no quiz, for any attempt id; a guest or an account got 404 for one not theirs.
    quiz = quiz_with_questions(1)
    attempt = take(client_for(UserFactory()), quiz, missed=question_ids(quiz))

    assert Client().get(reverse("web:review"), {"attempt": attempt["id"]}).status_code == 404
    assert Client().get(reverse("web:review")).status_code == 200


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
    fed = []  # the times of the batches of each feed
    original = services.review._remember_in_order
    monkeypatch.setattr(
        services.review,
        "_remember_in_order",
        lambda **given: fed.append([at for at, _answers in given["batches"]]) or original(**given),
    )

    take(client, quiz)

    # The third attempt alone: the first two were fed when the second revealed them.
    assert len(fed) == 1 and len(fed[0]) == 1
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


def signed_in_after_taking(quiz, *, missed, language):
    """A learner who took `quiz` through the API, missing `missed`, and their pages' client in `language`."""
    user = UserFactory()
    attempt = take(client_for(user), quiz, missed=missed)
    page = Client(headers={"accept-language": language})
    page.force_login(user)
    return attempt, page


def test_the_end_of_practising_points_to_the_questions_now_due_in_review():
    # Regression: after every mistake was practised (wrong again, so due again at once), the page
    # said nothing was left and named tomorrow's due time, while review had them due now.
    quiz = quiz_with_questions(3)
    ids = question_ids(quiz)
    attempt, page = signed_in_after_taking(quiz, missed=ids[:2], language="en")
    practice = {"attempt": attempt["id"]}
    for question_id in ids[:2]:
        posted = {**practice, "question": question_id, "choice": wrong_choice(question_id)}
        answered = page.post(reverse("web:review"), posted, follow=True)
        assert answered.status_code == 200

    end = page.get(reverse("web:review"), practice).content.decode()

    assert "No mistakes of this attempt left to practise." in end
    assert "2 questions are due now in your review." in end
    assert "Next question due" not in end


def test_the_end_of_practising_counts_afresh_after_the_queue_was_read_in_german():
    quiz = quiz_with_questions(2)
    missed = question_ids(quiz)[0]
    attempt, page = signed_in_after_taking(quiz, missed=[missed], language="de")
    page.get(reverse("web:review"))  # the learner's queue, cached until their next answer
    practice = {"attempt": attempt["id"]}
    page.post(reverse("web:review"), {**practice, "question": missed, "choice": wrong_choice(missed)})

    end = page.get(reverse("web:review"), practice).content.decode()

    assert "Eine Frage ist jetzt in Ihrer Wiederholung fällig." in end


def test_practising_counts_only_the_attempts_mistakes_beside_them():
    # The page read "Ein Fehler dieses Versuchs noch zu üben · 0 weitere später heute · 2 innerhalb einer
    # Woche": the later counts were the whole review's questions, told as if they were more mistakes.
    quiz = quiz_with_questions(3)
    ids = question_ids(quiz)
    attempt, page = signed_in_after_taking(quiz, missed=ids[:2], language="de")
    page.post(reverse("web:review"), {"attempt": attempt["id"], "question": ids[0], "choice": right_choices(ids[0])})

    practice = page.get(reverse("web:review"), {"attempt": attempt["id"]}).content.decode()
    review = page.get(reverse("web:review")).content.decode()

    counts_of = re.compile(r'<p class="review-counts"[^>]*>(.*?)</p>', re.S)
    assert " ".join(counts_of.search(practice).group(1).split()) == "Ein Fehler dieses Versuchs noch zu üben"
    assert "innerhalb einer Woche" in counts_of.search(review).group(1)
