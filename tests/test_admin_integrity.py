"""What the admin keeps once learners have attempts: stored scores, shown questions, read-only records."""

from decimal import Decimal

import pytest

from quizzes import services
from quizzes.models import Choice, Question, Quiz, ScoreChange
from tests.admin_pages import admin_url, errors_of, form_data_of, submitted_attempt
from tests.factories import (
    QuestionFactory,
    QuizFactory,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db


def test_editing_the_correct_choice_keeps_stored_scores_until_a_regrade(editor_client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=1)
    right, wrong = question.choices.order_by("position")
    attempt = submitted_attempt(quiz, picks={question: [right]})

    page = editor_client.get(admin_url("question", "change", question.pk))
    assert "1 attempt showed this question." in page.content.decode()
    data = form_data_of(page)
    data.pop("choices-0-is_correct")
    data["choices-1-is_correct"] = "on"
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert response.status_code == 302, errors_of(response)

    attempt.refresh_from_db()
    assert attempt.score == Decimal("1.00")
    assert list(attempt.answers.values_list("score", flat=True)) == [Decimal("1.00")]
    assert attempt.question_order == [question.pk]


def test_shown_question_cannot_move_to_another_quiz(editor_client):
    question = QuestionFactory()
    other = QuizFactory()
    submitted_attempt(question.quiz, picks={})
    page = editor_client.get(admin_url("question", "change", question.pk))
    assert "quiz" not in page.context["adminform"].form.fields
    data = form_data_of(page) | {"quiz": other.pk}
    editor_client.post(admin_url("question", "change", question.pk), data)
    question.refresh_from_db()
    assert question.quiz_id != other.pk


def test_deleting_an_answered_question_is_refused_on_the_delete_page(editor_client):
    question = QuestionFactory()
    submitted_attempt(question.quiz, picks={question: [question.choices.first()]})
    page = editor_client.get(admin_url("question", "delete", question.pk))
    assert page.status_code == 200
    assert "cannot be deleted: 1 attempt showed it" in page.content.decode()
    response = editor_client.post(admin_url("question", "delete", question.pk), {"post": "yes"})
    assert response.status_code == 200
    assert Question.objects.filter(pk=question.pk).exists()


def test_deleting_a_shown_but_unanswered_question_is_refused_too(editor_client):
    quiz = quiz_with_questions(2)
    answered, unanswered = quiz.questions.order_by("position")
    submitted_attempt(quiz, picks={answered: [answered.choices.first()]})
    response = editor_client.post(admin_url("question", "delete", unanswered.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "cannot be deleted: 1 attempt showed it" in response.content.decode()
    assert Question.objects.filter(pk=unanswered.pk).exists()


def test_deleting_the_last_question_of_a_published_quiz_on_its_delete_page_is_refused(editor_client):
    quiz = quiz_with_questions(1, title="Live")
    question = quiz.questions.get()
    response = editor_client.post(admin_url("question", "delete", question.pk), {"post": "yes"})
    assert response.status_code == 200
    assert (
        "“Live” is published and would not be publishable without these questions: "
        "A quiz needs at least one question before it can be published."
    ) in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_question_nobody_saw_can_be_deleted(editor_client):
    question = QuestionFactory(quiz__is_published=False)
    response = editor_client.post(admin_url("question", "delete", question.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_ticking_delete_on_an_answered_question_in_the_quiz_page_is_refused(editor_client):
    quiz = quiz_with_questions(2)
    question = quiz.questions.order_by("position").first()
    submitted_attempt(quiz, picks={question: [question.choices.first()]})
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"questions-0-DELETE": "on"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert response.status_code == 200
    assert any("cannot be deleted: 1 attempt showed it" in error for error in errors_of(response))
    assert quiz.questions.count() == 2


def test_ticking_delete_on_a_selected_choice_makes_a_new_version_and_the_attempt_keeps_the_choice(editor_client):
    # Before question versions this was refused; now the edit is a new version and the attempt keeps its own.
    question = QuestionFactory(choices__correct=1, choices__wrong=2)
    selected = question.choices.order_by("position").first()
    attempt = submitted_attempt(question.quiz, picks={question: [selected]})
    data = form_data_of(editor_client.get(admin_url("question", "change", question.pk)))
    data |= {"choices-0-DELETE": "on", "choices-1-is_correct": "on"}
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert Choice.objects.filter(pk=selected.pk, question=question).exists()
    assert question.choices.count() == 3
    new_version = Question.objects.current().get(quiz=question.quiz, key=question.key)
    assert new_version.pk != question.pk and new_version.choices.count() == 2
    attempt.refresh_from_db()
    assert attempt.question_order == [question.pk]


def test_ticking_delete_on_a_choice_of_an_unseen_question_works(editor_client):
    question = QuestionFactory(quiz__is_published=False, choices__correct=1, choices__wrong=2)
    data = form_data_of(editor_client.get(admin_url("question", "change", question.pk))) | {"choices-2-DELETE": "on"}
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert question.choices.count() == 2


@pytest.mark.parametrize("client_fixture", ["editor_client", "superuser_client"])
def test_deleting_a_quiz_with_attempts_is_refused_with_the_reason(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    quiz = quiz_with_questions(1, title="Taken")
    submitted_attempt(quiz, picks={})
    response = client.post(admin_url("quiz", "delete", quiz.pk), {"post": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Taken” cannot be deleted: learners made 1 attempt at it, and results must stay." in page
    assert "doesn't have permission" not in page
    assert Quiz.objects.filter(pk=quiz.pk).exists()


def test_deleting_a_quiz_nobody_took_deletes_its_questions_too(editor_client):
    quiz = quiz_with_questions(2, is_published=False)
    response = editor_client.post(admin_url("quiz", "delete", quiz.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Quiz.objects.exists()
    assert not Question.objects.exists()


@pytest.mark.parametrize("model", ["topic", "source"])
def test_deleting_a_topic_or_source_in_use_shows_what_uses_it(editor_client, model):
    question = QuestionFactory()
    used = question.topic if model == "topic" else question.citations.get().source
    response = editor_client.post(admin_url(model, "delete", used.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert type(used).objects.filter(pk=used.pk).exists()


def test_attempt_page_shows_answers_read_only(superuser_client):
    quiz = quiz_with_questions(1)
    question = quiz.questions.get()
    attempt = submitted_attempt(quiz, picks={question: [question.choices.first()]})
    listing = superuser_client.get(admin_url("attempt", "changelist") + f"?quiz__id__exact={quiz.pk}&state=submitted")
    assert list(listing.context["cl"].result_list) == [attempt]
    page = superuser_client.get(admin_url("attempt", "change", attempt.pk))
    assert page.status_code == 200
    assert "Right 0" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    response = superuser_client.post(admin_url("attempt", "change", attempt.pk), {"score": "0"})
    assert response.status_code == 403
    assert superuser_client.get(admin_url("attempt", "add")).status_code == 403
    assert superuser_client.get(admin_url("attempt", "delete", attempt.pk)).status_code == 403


def test_score_changes_are_listed_read_only(superuser_client, editor):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=1)
    right, wrong = question.choices.order_by("position")
    submitted_attempt(quiz, picks={question: [wrong]})
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
    Choice.objects.filter(pk=right.pk).update(is_correct=False)
    services.regrade_quiz(quiz=quiz, changed_by=editor, reason="Wrong key")
    listing = superuser_client.get(admin_url("scorechange", "changelist"))
    assert "Wrong key" in listing.content.decode()
    assert editor.username in listing.content.decode()
    change = ScoreChange.objects.get()
    assert superuser_client.post(admin_url("scorechange", "change", change.pk), {"new_score": "0"}).status_code == 403
