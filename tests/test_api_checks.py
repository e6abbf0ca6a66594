"""Checking one question through the API: immediate feedback and interactive with multiple tries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.models import Answer, Attempt, AttemptState
from quizzes.services import Owner, check_answer, expire_overdue_attempts, regrade_quiz, start_attempt
from tests.factories import QuestionFactory, QuizFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def checking_quiz(behaviour, **fields):
    quiz = QuizFactory(slug=f"checks-{behaviour}", behaviour=behaviour, **fields)
    QuestionFactory(quiz=quiz, position=1, kind="single", points="3", choices__wrong=3)
    QuestionFactory(quiz=quiz, position=2, kind="multiple", points="2", choices__correct=2, choices__wrong=2)
    QuestionFactory(quiz=quiz, position=3, kind="true_false", points="1")
    return quiz


def questions_of(quiz):
    return list(quiz.questions.order_by("position"))


def right(question):
    return list(question.choices.filter(is_correct=True).order_by("position").values_list("id", flat=True))


def wrong(question):
    return list(question.choices.filter(is_correct=False).order_by("position").values_list("id", flat=True))


def start(client, quiz):
    response = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def check(client, attempt_id, question, choices):
    return client.post(
        f"/api/v1/attempts/{attempt_id}/answers/{question.pk}/check/", {"choices": choices}, format="json"
    )


@pytest.fixture
def learner():
    return client_for(UserFactory())


# ---------------------------------------------------------------------------------------------
# Immediate feedback


def test_an_immediate_check_locks_the_question_and_returns_its_review(learner):
    quiz = checking_quiz("immediate")
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)

    response = check(learner, attempt_id, first, [wrong(first)[0]])

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["question"], body["tries_used"], body["tries_left"], body["is_locked"]) == (first.pk, 1, 0, True)
    assert body["score"] == "0.00"
    assert body["hint"] is None
    review = body["review"]
    assert review["correct"] == right(first)
    assert review["selected"] == [wrong(first)[0]]
    assert review["explanation"] == first.explanation
    assert review["feedback"] == [{"choice": wrong(first)[0], "text": "About Wrong 0"}]
    assert review["citations"][0]["quote"] == "A verbatim quote."


def test_a_second_check_of_a_locked_question_is_409_and_changes_nothing(learner):
    quiz = checking_quiz("immediate")
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)
    check(learner, attempt_id, first, [wrong(first)[0]])

    again = check(learner, attempt_id, first, right(first))

    assert again.status_code == 409
    answer = Answer.objects.get(attempt_id=attempt_id, question=first)
    assert (answer.tries, answer.score, answer.choice_ids) == ([[wrong(first)[0]]], Decimal("0.00"), [wrong(first)[0]])


def test_autosave_of_a_locked_question_is_409_and_submit_keeps_the_checked_answer(learner):
    quiz = checking_quiz("immediate")
    first, second, third = questions_of(quiz)
    attempt_id = start(learner, quiz)
    check(learner, attempt_id, first, right(first))

    saved = learner.put(f"/api/v1/attempts/{attempt_id}/answers/{first.pk}/", {"choices": wrong(first)[:1]}, format="json")
    submitted = learner.post(
        f"/api/v1/attempts/{attempt_id}/submit/",
        {"answers": [{"question": first.pk, "choices": wrong(first)[:1]}, {"question": third.pk, "choices": right(third)}]},
        format="json",
    )

    assert saved.status_code == 409
    assert submitted.status_code == 200
    body = submitted.json()
    scores = {result["question"]: result["score"] for result in body["results"]}
    # Checked: 3 of 3; unchecked and unanswered: 0; unchecked answered right at submit: 1.
    assert scores == {first.pk: "3.00", second.pk: "0.00", third.pk: "1.00"}
    assert body["score"] == "4.00"
    assert {result["question"]: result["selected"] for result in body["results"]}[first.pk] == right(first)


def test_the_attempt_detail_shows_each_questions_check_state_and_only_checked_reviews(learner):
    quiz = checking_quiz("immediate")
    first, second, third = questions_of(quiz)
    attempt_id = start(learner, quiz)
    learner.put(f"/api/v1/attempts/{attempt_id}/answers/{second.pk}/", {"choices": right(second)}, format="json")
    check(learner, attempt_id, first, right(first))

    body = learner.get(f"/api/v1/attempts/{attempt_id}/").json()

    checks = {state["question"]: state for state in body["checks"]}
    assert checks[first.pk]["is_locked"] and checks[first.pk]["score"] == "3.00"
    assert checks[first.pk]["review"]["explanation"] == first.explanation
    for unchecked in (second, third):
        state = checks[unchecked.pk]
        assert (state["tries_used"], state["tries_left"], state["is_locked"]) == (0, 1, False)
        assert (state["score"], state["hint"], state["review"]) == (None, None, None)
    assert "score" not in body and "results" not in body


# ---------------------------------------------------------------------------------------------
# Interactive with multiple tries


def test_an_interactive_wrong_try_gives_a_hint_and_tries_left_then_a_right_one_locks_with_a_penalty(learner):
    quiz = checking_quiz("interactive", max_tries=3, penalty=Decimal("0.3333"))
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)

    missed = check(learner, attempt_id, first, [wrong(first)[1]]).json()
    hit = check(learner, attempt_id, first, right(first)).json()

    assert (missed["tries_used"], missed["tries_left"], missed["is_locked"]) == (1, 2, False)
    assert missed["hint"] == [{"choice": wrong(first)[1], "text": "About Wrong 1"}]
    assert (missed["score"], missed["review"]) == (None, None)
    assert (hit["tries_used"], hit["tries_left"], hit["is_locked"], hit["score"]) == (2, 0, True, "2.00")
    assert hit["review"]["correct"] == right(first)


def test_an_interactive_hint_of_a_partly_right_try_shows_only_the_wrong_choices_feedback(learner):
    quiz = checking_quiz("interactive", max_tries=3)
    second = questions_of(quiz)[1]
    attempt_id = start(learner, quiz)

    body = check(learner, attempt_id, second, [right(second)[0], wrong(second)[0]]).json()

    assert body["is_locked"] is False
    assert body["hint"] == [{"choice": wrong(second)[0], "text": "About Wrong 0"}]


def test_an_interactive_question_locks_after_the_last_try_never_right(learner):
    quiz = checking_quiz("interactive", max_tries=2)
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)

    check(learner, attempt_id, first, [wrong(first)[0]])
    last = check(learner, attempt_id, first, [wrong(first)[1]]).json()

    assert (last["is_locked"], last["tries_left"], last["score"]) == (True, 0, "0.00")
    assert check(learner, attempt_id, first, right(first)).status_code == 409


def test_checking_the_same_wrong_selection_again_uses_no_try(learner):
    quiz = checking_quiz("interactive", max_tries=3)
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)

    check(learner, attempt_id, first, [wrong(first)[0]])
    again = check(learner, attempt_id, first, [wrong(first)[0]]).json()

    assert (again["tries_used"], again["tries_left"]) == (1, 2)


def test_submitting_an_interactive_quiz_scores_open_questions_with_their_penalties(learner):
    quiz = checking_quiz("interactive", max_tries=3, penalty=Decimal("0.5"))
    first, second, third = questions_of(quiz)
    attempt_id = start(learner, quiz)
    check(learner, attempt_id, first, [wrong(first)[0]])  # open after one wrong try
    learner.put(f"/api/v1/attempts/{attempt_id}/answers/{first.pk}/", {"choices": right(first)}, format="json")
    check(learner, attempt_id, third, right(third))  # locked, full points

    body = learner.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json").json()

    scores = {result["question"]: result["score"] for result in body["results"]}
    # Question 1: right at submit after one wrong try, 3 - 0.5 x 3.
    assert scores == {first.pk: "1.50", second.pk: "0.00", third.pk: "1.00"}
    assert body["score"] == "2.50"


def test_a_regrade_of_an_interactive_quiz_recomputes_from_the_recorded_tries(learner):
    quiz = checking_quiz("interactive", max_tries=3, penalty=Decimal("0.3333"))
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)
    first_try, second_try = wrong(first)[:2]
    check(learner, attempt_id, first, [first_try])
    check(learner, attempt_id, first, [second_try])
    learner.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")
    assert Attempt.objects.get(pk=attempt_id).score == Decimal("0.00")

    # The editor finds the key wrong: the learner's second try was right, after one wrong try.
    first.choices.update(is_correct=False)
    first.choices.filter(pk=second_try).update(is_correct=True)
    regrade_quiz(quiz=quiz, changed_by=StaffFactory())

    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.score == Decimal("2.00")
    assert Answer.objects.get(attempt=attempt, question=first).tries == [[first_try], [second_try]]


# ---------------------------------------------------------------------------------------------
# Refusals: 400, 404, 409; nothing written


def test_a_check_on_a_deferred_quiz_is_409(learner):
    quiz = checking_quiz("deferred")
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)

    assert check(learner, attempt_id, first, right(first)).status_code == 409
    assert not Answer.objects.filter(attempt_id=attempt_id).exists()


@pytest.mark.parametrize(
    "choices",
    ["empty", "foreign", "two-on-single", "not-a-list", "duplicate"],
)
def test_bad_choices_are_400_and_write_nothing(learner, choices):
    quiz = checking_quiz("interactive")
    first, second, _third = questions_of(quiz)
    attempt_id = start(learner, quiz)
    body = {
        "empty": [],
        "foreign": right(second)[:1],
        "two-on-single": [right(first)[0], wrong(first)[0]],
        "not-a-list": "abc",
        "duplicate": [wrong(first)[0], wrong(first)[0]],
    }[choices]

    response = check(learner, attempt_id, first, body)

    assert response.status_code == 400, response.content
    assert "detail" in response.json() or "choices" in response.json()
    assert not Answer.objects.filter(attempt_id=attempt_id).exists()


def test_a_question_not_in_the_attempt_is_400(learner):
    quiz = checking_quiz("immediate")
    other = QuestionFactory(quiz=QuizFactory(slug="elsewhere"))
    attempt_id = start(learner, quiz)

    assert check(learner, attempt_id, other, right(other)).status_code == 400


def test_someone_elses_attempt_is_404_and_a_missing_token_401(learner):
    quiz = checking_quiz("immediate")
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)

    assert check(client_for(UserFactory()), attempt_id, first, right(first)).status_code == 404
    assert check(APIClient(), attempt_id, first, right(first)).status_code == 401
    assert not Answer.objects.filter(attempt_id=attempt_id).exists()


def test_a_check_after_submit_is_409(learner):
    quiz = checking_quiz("immediate")
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)
    learner.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")

    assert check(learner, attempt_id, first, right(first)).status_code == 409


def test_a_check_past_the_deadline_and_grace_is_409_and_scores_what_was_checked_in_time(learner):
    quiz = checking_quiz("immediate", time_limit_seconds=60)
    first, second, _third = questions_of(quiz)
    attempt_id = start(learner, quiz)
    check(learner, attempt_id, first, right(first))
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=30))

    late = check(learner, attempt_id, second, right(second))

    assert late.status_code == 409
    attempt = Attempt.objects.get(pk=attempt_id)
    assert (attempt.state, attempt.score) == (AttemptState.EXPIRED, Decimal("3.00"))


def test_a_check_within_the_grace_counts(learner, settings):
    settings.QUIZSITE_DEADLINE_GRACE_SECONDS = 5
    quiz = checking_quiz("immediate", time_limit_seconds=60)
    first = questions_of(quiz)[0]
    attempt_id = start(learner, quiz)
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=2))

    assert check(learner, attempt_id, first, right(first)).status_code == 200


def test_a_guest_checks_with_the_browser_session_and_its_csrf_token():
    quiz = checking_quiz("immediate")
    first = questions_of(quiz)[0]
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("web:quiz", kwargs={"slug": quiz.slug}))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    started = browser.post(reverse("web:start", kwargs={"slug": quiz.slug}), {"csrfmiddlewaretoken": token})
    attempt_id = started.url.split("/")[2]
    url = f"/api/v1/attempts/{attempt_id}/answers/{first.pk}/check/"

    without_token = browser.post(url, {"choices": right(first)}, content_type="application/json")
    with_token = browser.post(url, {"choices": right(first)}, content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert without_token.status_code == 403
    assert with_token.status_code == 200, with_token.content
    assert with_token.json()["is_locked"] is True


def test_the_check_endpoint_is_in_the_openapi_schema():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/attempts/{attempt_id}/answers/{question_id}/check/"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(operation["responses"])


def test_quiz_detail_tells_the_behaviour_tries_and_penalty():
    checking_quiz("interactive", max_tries=2, penalty=Decimal("0.25"))
    body = APIClient().get("/api/v1/quizzes/checks-interactive/").json()
    assert (body["behaviour"], body["max_tries"], body["penalty"]) == ("interactive", 2, "0.2500")


def test_owner_helper_is_the_services_owner():
    # The tests above go through the API; the service takes the same Owner as every other.
    assert Owner.of(user=UserFactory()).user_id is not None


def test_the_check_service_says_when_a_question_is_locked_with_its_graded_result():
    # The one value spaced review takes a checked question from.
    quiz = checking_quiz("interactive", max_tries=3, penalty=Decimal("0.5"))
    first = questions_of(quiz)[0]
    owner = Owner.of(user=UserFactory())
    attempt, _created = start_attempt(quiz=quiz, owner=owner)

    missed = check_answer(attempt_id=attempt.pk, owner=owner, question_id=first.pk, choice_ids=wrong(first)[:1])
    hit = check_answer(attempt_id=attempt.pk, owner=owner, question_id=first.pk, choice_ids=right(first))

    assert missed.locked_result is None
    assert hit.locked_result == (first.pk, True, Decimal("1.50"))


def test_an_attempt_expired_by_the_job_keeps_its_checked_scores_and_scores_the_rest_as_saved(learner):
    quiz = checking_quiz("interactive", max_tries=3, penalty=Decimal("0.5"), time_limit_seconds=60)
    first, second, third = questions_of(quiz)
    attempt_id = start(learner, quiz)
    check(learner, attempt_id, first, [wrong(first)[0]])
    check(learner, attempt_id, first, right(first))  # locked: 3 - 0.5 x 3
    learner.put(f"/api/v1/attempts/{attempt_id}/answers/{third.pk}/", {"choices": right(third)}, format="json")
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(minutes=5))

    assert expire_overdue_attempts() == 1

    attempt = Attempt.objects.get(pk=attempt_id)
    scores = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "score"))
    assert scores == {first.pk: Decimal("1.50"), second.pk: Decimal("0.00"), third.pk: Decimal("1.00")}
    assert (attempt.state, attempt.score) == (AttemptState.EXPIRED, Decimal("2.50"))
