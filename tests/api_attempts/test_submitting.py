"""Submitting an attempt through the API: scoring every kind, the explained result, refusals, deadlines."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Answer, Attempt, AttemptState, Citation
from tests.api_attempts.calls import correct_ids, detail, questions_of, save, start, submit, wrong_ids
from tests.factories import QuestionFactory, QuizFactory, SourceFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


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
