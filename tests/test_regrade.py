"""A regrade rescores closed attempts exactly as submitting scored them, against the corrected content."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from quizzes import services
from quizzes.models import Answer, Attempt, Choice, Question, ScoreChange
from tests.factories import QuestionFactory, QuizFactory, StaffFactory

pytestmark = pytest.mark.django_db


def take(client, quiz, answers):
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    client.post(f"/api/v1/attempts/{attempt_id}/submit/", {"answers": answers}, format="json")
    return attempt_id


def two_question_quiz():
    quiz = QuizFactory(pass_mark=50, shuffle_questions=False)
    first = QuestionFactory(quiz=quiz, position=1)
    second = QuestionFactory(quiz=quiz, position=2)
    return quiz, first, second


def right(question):
    return list(question.choices.filter(is_correct=True).values_list("id", flat=True))


def wrong(question):
    return [question.choices.filter(is_correct=False).order_by("position").values_list("id", flat=True).first()]


def test_a_regrade_after_a_change_of_points_recomputes_the_maximum_percent_and_pass(user_client):
    quiz, first, second = two_question_quiz()
    answers = [{"question": first.pk, "choices": right(first)}, {"question": second.pk, "choices": wrong(second)}]
    attempt_id = take(user_client, quiz, answers)
    assert user_client.get(f"/api/v1/attempts/{attempt_id}/").json()["passed"] is True

    Question.objects.filter(pk=second.pk).update(points=Decimal("3"))
    services.regrade_quiz(quiz=quiz, changed_by=StaffFactory(), reason="The second question is worth more")

    result = user_client.get(f"/api/v1/attempts/{attempt_id}/").json()
    totals = (result["score"], result["max_score"], result["percent"], result["passed"])
    assert totals == ("1.00", "4.00", "25.00", False)
    attempt = Attempt.objects.get(pk=attempt_id)
    assert (attempt.max_score, attempt.percent, attempt.passed) == (Decimal("4"), Decimal("25"), False)


def test_a_regrade_after_a_corrected_answer_key_rescores_and_records_the_change(user_client):
    quiz, first, second = two_question_quiz()
    picked = wrong(second)
    answers = [{"question": first.pk, "choices": wrong(first)}, {"question": second.pk, "choices": picked}]
    attempt_id = take(user_client, quiz, answers)
    assert Attempt.objects.get(pk=attempt_id).passed is False

    # The editor finds that the choice the learner picked is the right one.
    second.choices.update(is_correct=False)
    Choice.objects.filter(pk=picked[0]).update(is_correct=True)
    editor = StaffFactory()
    changes = services.regrade_quiz(quiz=quiz, changed_by=editor, reason="Wrong key on question 2")

    attempt = Attempt.objects.get(pk=attempt_id)
    assert (attempt.score, attempt.percent, attempt.passed) == (Decimal("1"), Decimal("50"), True)
    assert Answer.objects.get(attempt=attempt, question=second).score == Decimal("1")
    [change] = changes
    assert (change.old_score, change.new_score, change.changed_by) == (Decimal("0"), Decimal("1"), editor)
    assert ScoreChange.objects.get().reason == "Wrong key on question 2"


def test_a_regrade_without_a_correction_changes_nothing(user_client):
    quiz, first, second = two_question_quiz()
    take(user_client, quiz, [{"question": first.pk, "choices": right(first)}])
    before = list(Attempt.objects.values_list("score", "max_score", "percent", "passed"))
    answers_before = sorted(Answer.objects.values_list("question_id", "choice_ids", "score"))

    assert services.regrade_quiz(quiz=quiz, changed_by=StaffFactory()) == []

    assert list(Attempt.objects.values_list("score", "max_score", "percent", "passed")) == before
    assert sorted(Answer.objects.values_list("question_id", "choice_ids", "score")) == answers_before


def test_generated_demo_attempts_are_graded_and_written_as_submitting_grades_and_writes():
    call_command(
        "generate_demo_data", "--quizzes", "2", "--questions", "4", "--users", "5", "--attempts", "40",
        stdout=StringIO(),
    )
    staff = StaffFactory()

    for attempt in Attempt.objects.all():
        shown = set(attempt.question_order)
        assert set(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == shown
    before = sorted(Attempt.objects.values_list("id", "score", "max_score", "percent", "passed"))
    for quiz in {attempt.quiz for attempt in Attempt.objects.select_related("quiz")}:
        assert services.regrade_quiz(quiz=quiz, changed_by=staff) == []
    assert sorted(Attempt.objects.values_list("id", "score", "max_score", "percent", "passed")) == before


def test_the_learner_sees_the_regraded_result_on_every_read(user_client):
    quiz, first, second = two_question_quiz()
    attempt_id = take(user_client, quiz, [{"question": first.pk, "choices": wrong(first)}])
    picked = wrong(first)[0]
    Choice.objects.filter(question=first).update(is_correct=False)
    Choice.objects.filter(pk=picked).update(is_correct=True)

    services.regrade_quiz(quiz=quiz, changed_by=StaffFactory())

    assert user_client.get(f"/api/v1/attempts/{attempt_id}/").json()["score"] == "1.00"
    [row] = user_client.get("/api/v1/attempts/").json()["results"]
    assert row["score"] == "1.00"
