"""Taking a quiz through the API: start, autosave, submit, history and the explained result."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.models import Answer, Attempt, AttemptState, Citation
from tests.factories import QuestionFactory, QuizFactory, SourceFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def start(client, quiz):
    return client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")


def save(client, attempt_id, question_id, choices):
    return client.put(f"/api/v1/attempts/{attempt_id}/answers/{question_id}/", {"choices": choices}, format="json")


def submit(client, attempt_id, answers=None):
    body = {} if answers is None else {"answers": answers}
    return client.post(f"/api/v1/attempts/{attempt_id}/submit/", body, format="json")


def detail(client, attempt_id):
    return client.get(f"/api/v1/attempts/{attempt_id}/")


def correct_ids(question):
    """The correct choices' ids in authored order (ids are random, so their order is not)."""
    return list(question.choices.filter(is_correct=True).order_by("position").values_list("id", flat=True))


def wrong_ids(question):
    """The wrong choices' ids in authored order (ids are random, so their order is not)."""
    return list(question.choices.filter(is_correct=False).order_by("position").values_list("id", flat=True))


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def quiz():
    quiz = QuizFactory(slug="parler", pass_mark=60)
    QuestionFactory(quiz=quiz, position=1, kind="single", points="1")
    QuestionFactory(quiz=quiz, position=2, kind="true_false", points="1")
    QuestionFactory(quiz=quiz, position=3, kind="multiple", points="2", choices__correct=2, choices__wrong=2)
    return quiz


def questions_of(quiz):
    return list(quiz.questions.order_by("position"))


# ---------------------------------------------------------------------------------------------
# Starting


def test_starting_returns_201_with_the_attempts_questions_and_no_answers(user_client, quiz):
    response = start(user_client, quiz)

    assert response.status_code == 201
    body = response.data
    assert set(body) == {
        "id", "quiz", "quiz_title", "number", "state", "started_at", "deadline", "submitted_at", "questions", "answers"
    }
    assert body["quiz"] == "parler"
    assert body["number"] == 1
    assert body["state"] == "in_progress"
    assert body["deadline"] is None
    assert [question["id"] for question in body["questions"]] == [question.pk for question in questions_of(quiz)]
    assert body["answers"] == []


def test_starting_again_returns_the_attempt_in_progress_with_200(user_client, quiz):
    first = start(user_client, quiz)
    shown = first.data["questions"][0]
    save(user_client, first.data["id"], shown["id"], [shown["choices"][0]["id"]])

    again = start(user_client, quiz)

    assert again.status_code == 200
    assert again.data["id"] == first.data["id"]
    assert again.data["answers"][0]["question"] == first.data["questions"][0]["id"]
    assert Attempt.objects.count() == 1


def test_starting_follows_the_quizs_subset_and_shuffle(user_client):
    quiz = quiz_with_questions(6, questions_per_attempt=3, shuffle_choices=True, time_limit_seconds=300)

    response = start(user_client, quiz)

    assert response.status_code == 201
    assert len(response.data["questions"]) == 3
    attempt = Attempt.objects.get()
    assert [question["id"] for question in response.data["questions"]] == attempt.question_order
    for question in response.data["questions"]:
        assert [choice["id"] for choice in question["choices"]] == attempt.choice_order[str(question["id"])]
    assert response.data["deadline"] is not None


def test_starting_without_attempts_left_is_403_with_a_message(user_client):
    quiz = quiz_with_questions(1, max_attempts=1)
    attempt_id = start(user_client, quiz).data["id"]
    submit(user_client, attempt_id)

    response = start(user_client, quiz)

    assert response.status_code == 403
    assert "attempts" in response.data["detail"].lower() or "versuche" in response.data["detail"].lower()
    assert Attempt.objects.count() == 1


def test_starting_needs_an_account(api_client, quiz):
    response = start(api_client, quiz)

    assert response.status_code == 401
    assert "detail" in response.data
    assert not Attempt.objects.exists()


def test_starting_an_unpublished_quiz_is_404(user_client):
    quiz = quiz_with_questions(1, is_published=False)

    assert start(user_client, quiz).status_code == 404
    assert not Attempt.objects.exists()


# ---------------------------------------------------------------------------------------------
# Saving answers


def test_saving_an_answer_stores_it_and_shows_it_on_the_attempt(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    question = questions_of(quiz)[2]
    picked = correct_ids(question)

    response = save(user_client, attempt_id, question.pk, picked)

    assert response.status_code == 200
    assert response.data["question"] == question.pk
    assert response.data["choices"] == picked
    shown = detail(user_client, attempt_id).data["answers"]
    assert shown[0]["saved_at"] == response.data["saved_at"]
    assert [(answer["question"], sorted(answer["choices"])) for answer in shown] == [(question.pk, sorted(picked))]


def test_saving_again_replaces_the_answer(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    question = questions_of(quiz)[0]
    save(user_client, attempt_id, question.pk, wrong_ids(question)[:1])

    save(user_client, attempt_id, question.pk, correct_ids(question))

    assert Answer.objects.get().choice_ids == correct_ids(question)


@pytest.mark.parametrize(
    "make_choices, message_part",
    [
        (lambda own, other, multi: [other[0]], "does not belong"),
        (lambda own, other, multi: own[:2], "only one"),
        (lambda own, other, multi: [own[0], own[0]], "more than once"),
    ],
    ids=["choice-of-another-question", "two-choices-on-single", "duplicate-choice"],
)
def test_saving_an_invalid_answer_is_400_and_writes_nothing(user_client, quiz, make_choices, message_part):
    attempt_id = start(user_client, quiz).data["id"]
    single, _true_false, multiple = questions_of(quiz)
    own = sorted(single.choices.values_list("id", flat=True))
    other = sorted(multiple.choices.values_list("id", flat=True))

    response = save(user_client, attempt_id, single.pk, make_choices(own, other, multiple))

    assert response.status_code == 400
    assert "detail" in response.data
    assert not Answer.objects.exists()


def test_saving_an_answer_to_an_unknown_question_is_400(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    stranger = QuestionFactory()

    response = save(user_client, attempt_id, stranger.pk, [stranger.choices.first().pk])

    assert response.status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"choices": "1"}, {"choices": ["x"]}, {}, {"choices": [0]}],
    ids=["not-a-list", "not-ids", "missing", "zero-id"],
)
def test_saving_a_malformed_body_is_400_naming_the_field(user_client, quiz, body):
    attempt_id = start(user_client, quiz).data["id"]

    response = user_client.put(
        f"/api/v1/attempts/{attempt_id}/answers/{questions_of(quiz)[0].pk}/", body, format="json"
    )

    assert response.status_code == 400
    assert "choices" in response.data
    assert not Answer.objects.exists()


def test_malformed_json_is_400(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]

    response = user_client.put(
        f"/api/v1/attempts/{attempt_id}/answers/{questions_of(quiz)[0].pk}/",
        data='{"choices": [1,',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "detail" in response.data


def test_saving_on_a_submitted_attempt_is_409(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    submit(user_client, attempt_id)
    question = questions_of(quiz)[0]

    response = save(user_client, attempt_id, question.pk, correct_ids(question))

    assert response.status_code == 409
    assert not Answer.objects.filter(choice_ids__isnull=False).exclude(choice_ids=[]).exists()


def test_saving_after_the_deadline_is_409_and_expires_the_attempt_from_what_was_saved(user_client):
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    first, second = questions_of(quiz)
    attempt_id = start(user_client, quiz).data["id"]
    save(user_client, attempt_id, first.pk, correct_ids(first))
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=30))

    response = save(user_client, attempt_id, second.pk, correct_ids(second))

    assert response.status_code == 409
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.score == Decimal("1.00")
    assert attempt.percent == Decimal("50.00")



def test_submitting_an_expired_attempt_is_409_saying_the_time_limit_passed(user_client):
    """Regression: a submit after expiry said "already submitted", which the learner never did."""
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    attempt_id = start(user_client, quiz).data["id"]
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=30))
    assert detail(user_client, attempt_id).data["state"] == "expired"

    user_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = submit(user_client, attempt_id)

    assert response.status_code == 409
    assert "time limit" in response.data["detail"]
    assert "already been submitted" not in response.data["detail"]


def test_saving_within_the_grace_after_the_deadline_still_counts(user_client):
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    [question] = questions_of(quiz)
    attempt_id = start(user_client, quiz).data["id"]
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=1))

    assert save(user_client, attempt_id, question.pk, correct_ids(question)).status_code == 200


def test_another_users_attempt_is_404_everywhere(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    question = questions_of(quiz)[0]
    stranger = client_for(UserFactory())

    assert detail(stranger, attempt_id).status_code == 404
    # Someone else's attempt reads exactly like one that does not exist.
    unknown = detail(stranger, "6b0f9a8e-1111-4222-8333-444455556666")
    assert detail(stranger, attempt_id).data == unknown.data
    assert submit(stranger, attempt_id).data == unknown.data
    assert save(stranger, attempt_id, question.pk, correct_ids(question)).status_code == 404
    assert submit(stranger, attempt_id).status_code == 404
    assert not Answer.objects.exists()
    assert Attempt.objects.get().state == AttemptState.IN_PROGRESS


def test_an_unknown_attempt_id_is_404(user_client):
    assert detail(user_client, "6b0f9a8e-1111-4222-8333-444455556666").status_code == 404
    assert user_client.get("/api/v1/attempts/not-a-uuid/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Submitting and scoring


def test_submitting_scores_every_kind_with_partial_credit_and_unanswered(user_client, quiz):
    single, true_false, multiple = questions_of(quiz)
    attempt_id = start(user_client, quiz).data["id"]
    save(user_client, attempt_id, single.pk, correct_ids(single))
    # One of the two correct choices of a 2-point question earns half its points.
    answers = [{"question": multiple.pk, "choices": correct_ids(multiple)[:1]}]

    response = submit(user_client, attempt_id, answers)

    assert response.status_code == 200
    body = response.data
    assert body["state"] == "submitted"
    assert body["score"] == "2.00"
    assert body["max_score"] == "4.00"
    assert body["percent"] == "50.00"
    assert body["passed"] is False
    assert "questions" not in body and "answers" not in body
    by_question = {result["question"]: result for result in body["results"]}
    assert by_question[single.pk]["score"] == "1.00"
    assert by_question[single.pk]["selected"] == correct_ids(single)
    assert by_question[true_false.pk]["score"] == "0.00"
    assert by_question[true_false.pk]["selected"] == []
    assert by_question[multiple.pk]["score"] == "1.00"
    assert by_question[multiple.pk]["correct"] == correct_ids(multiple)


def test_multiple_choice_with_a_wrong_pick_loses_credit(user_client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, kind="multiple", points="3", choices__correct=3, choices__wrong=1)
    attempt_id = start(user_client, quiz).data["id"]

    response = submit(
        user_client, attempt_id, [{"question": question.pk, "choices": correct_ids(question)[:2] + wrong_ids(question)}]
    )

    # Two of three right earn 2 points, the only wrong choice costs all 3: floored at 0.
    assert response.data["score"] == "0.00"
    assert response.data["passed"] is False


def test_full_marks_pass(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]
    answers = [{"question": question.pk, "choices": correct_ids(question)} for question in questions_of(quiz)]

    response = submit(user_client, attempt_id, answers)

    assert response.data["score"] == "4.00"
    assert response.data["percent"] == "100.00"
    assert response.data["passed"] is True


def test_the_result_explains_each_question_with_feedback_and_citations(user_client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, explanation="AWS ran Parler's servers.", citation=False)
    Citation.objects.create(
        question=question,
        position=1,
        source=SourceFactory(title="Parler scheitert", publisher="dpa", url="https://example.org/a"),
        quote="AWS hatte Parler offline gestellt.",
        note="AWS took Parler offline.",
    )
    attempt_id = start(user_client, quiz).data["id"]
    wrong = wrong_ids(question)[0]

    response = submit(user_client, attempt_id, [{"question": question.pk, "choices": [wrong]}])

    [result] = response.data["results"]
    assert result["text"] == question.text
    assert result["selected"] == [wrong]
    assert result["correct"] == correct_ids(question)
    assert result["explanation"] == "AWS ran Parler's servers."
    assert result["feedback"] == [{"choice": wrong, "text": "About Wrong 0"}]
    [citation] = result["citations"]
    assert citation["quote"] == "AWS hatte Parler offline gestellt."
    assert citation["note"] == "AWS took Parler offline."
    assert citation["source"] == {
        "title": "Parler scheitert",
        "publisher": "dpa",
        "language": "de",
        "published": None,
        "url": "https://example.org/a",
    }


def test_a_second_submit_is_409_and_keeps_the_stored_result(user_client, quiz):
    single = questions_of(quiz)[0]
    attempt_id = start(user_client, quiz).data["id"]
    first = submit(user_client, attempt_id, [{"question": single.pk, "choices": correct_ids(single)}])

    again = submit(user_client, attempt_id, [{"question": single.pk, "choices": wrong_ids(single)[:1]}])

    assert again.status_code == 409
    assert "detail" in again.data
    assert detail(user_client, attempt_id).data["score"] == first.data["score"] == "1.00"
    assert Answer.objects.get(question=single).choice_ids == correct_ids(single)


@pytest.mark.parametrize(
    "answers_for",
    [
        lambda questions, stranger: [{"question": stranger.pk, "choices": []}],
        lambda questions, stranger: [{"question": questions[0].pk, "choices": []}] * 2,
        lambda questions, stranger: [{"question": questions[0].pk, "choices": correct_ids(questions[2])}],
        lambda questions, stranger: [{"question": questions[0].pk, "choices": wrong_ids(questions[0])}],
        lambda questions, stranger: [{"question": q.pk, "choices": []} for q in questions]
        + [{"question": stranger.pk, "choices": []}],
        lambda questions, stranger: "not a list",
        lambda questions, stranger: [{"choices": []}],
    ],
    ids=[
        "unknown-question",
        "duplicate-question",
        "choice-of-another-question",
        "several-on-single",
        "more-answers-than-questions",
        "answers-not-a-list",
        "missing-question",
    ],
)
def test_submitting_invalid_answers_is_400_and_leaves_the_attempt_open(user_client, quiz, answers_for):
    questions = questions_of(quiz)
    attempt_id = start(user_client, quiz).data["id"]
    save(user_client, attempt_id, questions[0].pk, correct_ids(questions[0]))

    response = submit(user_client, attempt_id, answers_for(questions, QuestionFactory()))

    assert response.status_code == 400
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.state == AttemptState.IN_PROGRESS
    assert [answer.choice_ids for answer in Answer.objects.all()] == [correct_ids(questions[0])]


def test_submitting_malformed_json_is_400_and_leaves_the_attempt_open(user_client, quiz):
    attempt_id = start(user_client, quiz).data["id"]

    response = user_client.post(
        f"/api/v1/attempts/{attempt_id}/submit/", data="{answers", content_type="application/json"
    )

    assert response.status_code == 400
    assert Attempt.objects.get(pk=attempt_id).state == AttemptState.IN_PROGRESS


def test_submitting_after_the_deadline_scores_only_what_was_saved_in_time(user_client):
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    first, second = questions_of(quiz)
    attempt_id = start(user_client, quiz).data["id"]
    save(user_client, attempt_id, first.pk, correct_ids(first))
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(minutes=5))

    late = submit(user_client, attempt_id, [{"question": second.pk, "choices": correct_ids(second)}])

    assert late.status_code == 409
    result = detail(user_client, attempt_id).data
    assert result["state"] == "expired"
    assert result["score"] == "1.00"
    assert result["percent"] == "50.00"


def test_reading_an_overdue_attempt_closes_it_as_expired(user_client):
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    attempt_id = start(user_client, quiz).data["id"]
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(minutes=5))

    response = detail(user_client, attempt_id)

    assert response.status_code == 200
    assert response.data["state"] == "expired"
    assert response.data["score"] == "0.00"


# ---------------------------------------------------------------------------------------------
# Reading results and history


def test_correct_answers_follow_the_quizs_visibility_setting(user_client):
    hidden = quiz_with_questions(1, slug="hidden", answer_visibility="never")
    attempt_id = start(user_client, hidden).data["id"]

    [result] = submit(user_client, attempt_id).data["results"]

    assert result["correct"] is None
    assert result["explanation"] is None
    assert result["feedback"] is None
    assert result["citations"] is None


def test_after_last_attempt_reveals_answers_only_when_no_attempts_are_left(user_client):
    quiz = quiz_with_questions(1, answer_visibility="after_last_attempt", max_attempts=2)
    first_id = start(user_client, quiz).data["id"]
    first = submit(user_client, first_id).data
    assert first["results"][0]["correct"] is None
    assert first["reveals_answers"] is False

    second_id = start(user_client, quiz).data["id"]
    second = submit(user_client, second_id).data

    assert second["results"][0]["correct"] == correct_ids(quiz.questions.get())
    assert detail(user_client, first_id).data["results"][0]["correct"] == correct_ids(quiz.questions.get())


def test_percentile_is_the_share_of_other_learners_attempts_beaten(user_client, user):
    quiz = quiz_with_questions(2)
    first, second = questions_of(quiz)
    for picks in ([], [first], [first, second]):
        other = client_for(UserFactory())
        other_id = start(other, quiz).data["id"]
        submit(other, other_id, [{"question": q.pk, "choices": correct_ids(q)} for q in picks])

    attempt_id = start(user_client, quiz).data["id"]
    response = submit(user_client, attempt_id, [{"question": first.pk, "choices": correct_ids(first)}])

    # Beats the 0 % attempt, ties the 50 % one, loses to the 100 % one: 1 of 3.
    assert response.data["percentile"] == "33.33"


def test_percentile_is_null_without_other_learners(user_client):
    quiz = quiz_with_questions(1)
    attempt_id = start(user_client, quiz).data["id"]

    assert submit(user_client, attempt_id).data["percentile"] is None


def test_history_lists_own_attempts_newest_first_and_filters_by_quiz(user_client, user):
    parler = quiz_with_questions(1, slug="parler")
    other_quiz = quiz_with_questions(1, slug="other")
    first = start(user_client, parler).data["id"]
    submit(user_client, first)
    Attempt.objects.filter(pk=first).update(started_at=timezone.now() - timedelta(hours=1))
    second = start(user_client, parler).data["id"]
    third = start(user_client, other_quiz).data["id"]
    Attempt.objects.filter(pk=third).update(started_at=timezone.now() + timedelta(seconds=1))
    start(client_for(UserFactory()), parler)

    everything = user_client.get("/api/v1/attempts/")
    only_parler = user_client.get("/api/v1/attempts/", {"quiz": "parler"})

    assert everything.status_code == 200
    assert [item["id"] for item in everything.data["results"]] == [third, second, first]
    assert [item["id"] for item in only_parler.data["results"]] == [second, first]
    closed = only_parler.data["results"][1]
    assert closed["score"] == "0.00" and closed["percent"] == "0.00" and closed["passed"] is False
    assert "score" not in only_parler.data["results"][0]


def test_history_needs_an_account(api_client):
    assert api_client.get("/api/v1/attempts/").status_code == 401


@pytest.mark.parametrize("throttle_name", ["StartAttemptThrottle", "SubmitAttemptThrottle"])
def test_starting_and_submitting_are_throttled_per_user_with_429(user_client, quiz, monkeypatch, throttle_name):
    from django.core.cache import cache

    from quizzes import throttles

    throttle = getattr(throttles, throttle_name)
    monkeypatch.setattr(throttle, "THROTTLE_RATES", {throttle.scope: "1/minute"})
    cache.clear()
    attempt_id = start(user_client, quiz).data["id"]

    if throttle is throttles.StartAttemptThrottle:
        refused = start(user_client, quiz)
    else:
        assert submit(user_client, attempt_id).status_code == 200
        refused = submit(user_client, attempt_id)

    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert start(client_for(UserFactory()), quiz).status_code == 201
