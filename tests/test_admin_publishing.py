"""Publishing in the admin: on the quiz page, and the publish, unpublish, duplicate and regrade actions."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from quizzes.models import Choice, Question, QuestionKind, Quiz, ScoreChange
from tests.admin_pages import admin_url, errors_of, form_data_of, submitted_attempt
from tests.factories import (
    QuestionFactory,
    QuizFactory,
    TopicFactory,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db


def test_quiz_with_valid_questions_is_published_from_its_page(editor_client):
    quiz = quiz_with_questions(2, is_published=False)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"is_published": "on"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert response.status_code == 302, errors_of(response)
    quiz.refresh_from_db()
    assert quiz.is_published


def test_quiz_with_an_invalid_question_is_not_published_and_the_form_names_it(editor_client):
    quiz = QuizFactory(is_published=False)
    QuestionFactory(quiz=quiz, text="Which court ruled?", choices__correct=0, choices__wrong=3)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"is_published": "on"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_published"] == [
        "This quiz cannot be published yet:",
        "Question “Which court ruled?”: "
        "A single-choice question needs exactly one correct choice; 0 are marked correct.",
    ]
    quiz.refresh_from_db()
    assert not quiz.is_published


def test_deleting_the_last_question_of_a_published_quiz_is_refused(editor_client):
    quiz = quiz_with_questions(1, is_published=True)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"questions-0-DELETE": "on"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert "A quiz needs at least one question before it can be published." in errors_of(response)
    assert quiz.questions.count() == 1


def test_adding_a_question_without_choices_to_a_published_quiz_is_refused(editor_client):
    quiz = quiz_with_questions(1, is_published=True)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk)))
    data |= {
        "questions-TOTAL_FORMS": "2",
        "questions-1-text": "A new question?",
        "questions-1-kind": "single",
        "questions-1-topic": TopicFactory().pk,
        "questions-1-points": "1",
        "questions-1-difficulty": "easy",
    }
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert "Question “A new question?”: A single-choice question needs at least two choices; it has 0." in errors_of(
        response
    )
    assert quiz.questions.count() == 1


def run_action(client, action, quizzes, **extra):
    return client.post(
        admin_url("quiz", "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [quiz.pk for quiz in quizzes], **extra},
        follow=True,
    )


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def test_publish_action_publishes_valid_quizzes_and_names_the_refused_ones(editor_client):
    valid = quiz_with_questions(1, is_published=False, title="Valid")
    empty = QuizFactory(is_published=False, title="Empty")
    response = run_action(editor_client, "publish", [valid, empty])
    assert page_messages(response) == [
        "“Empty” was not published: A quiz needs at least one question before it can be published.",
        "Published 1 quiz.",
    ]
    assert Quiz.objects.get(pk=valid.pk).is_published
    assert not Quiz.objects.get(pk=empty.pk).is_published
    history = editor_client.get(admin_url("quiz", "history", valid.pk)).content.decode()
    assert "Changed published." in history


def test_publish_action_on_published_quizzes_says_so(editor_client):
    response = run_action(editor_client, "publish", [quiz_with_questions(1)])
    assert page_messages(response) == ["The selected quizzes were already published."]


def test_unpublish_action(editor_client):
    quizzes = [quiz_with_questions(1), quiz_with_questions(1)]
    response = run_action(editor_client, "unpublish", quizzes)
    assert page_messages(response) == ["Unpublished 2 quizzes."]
    assert not Quiz.objects.filter(is_published=True).exists()


def test_duplicate_action_copies_quiz_questions_choices_citations_and_topics_unpublished(editor_client):
    quiz = quiz_with_questions(2, slug="original", title="Original", language="en")
    quiz.topics.add(TopicFactory())
    QuestionFactory(quiz=quiz, kind=QuestionKind.MULTIPLE, choices__correct=2, choices__wrong=2)
    response = run_action(editor_client, "duplicate", [quiz])
    copy = Quiz.objects.get(slug="original-copy")
    assert copy.title == "Original (copy)"
    assert copy.translation_key == "original-copy"
    assert not copy.is_published
    assert set(copy.topics.all()) == set(quiz.topics.all())

    def content(of):
        return [
            (
                question.key,
                question.kind,
                question.text,
                list(question.choices.values_list("position", "text", "is_correct", "feedback")),
                list(question.citations.values_list("position", "source", "quote")),
            )
            for question in of.questions.order_by("position", "id")
        ]

    assert content(copy) == content(quiz)
    assert Question.objects.filter(quiz=quiz).count() == 3  # the original keeps its own rows
    assert "Copied “Original” to" in page_messages(response)[0]

    run_action(editor_client, "duplicate", [quiz])
    assert Quiz.objects.filter(slug="original-copy-2", translation_key="original-copy-2").exists()


def test_regrade_action_asks_for_a_reason_then_records_who_changed_which_scores(editor, editor_client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=2)
    right, wrong, _other = question.choices.order_by("position")
    attempt = submitted_attempt(quiz, picks={question: [wrong]})
    assert attempt.score == Decimal("0.00")

    confirmation = run_action(editor_client, "regrade", [quiz])
    assert "Reason" in confirmation.content.decode()
    refused = run_action(editor_client, "regrade", [quiz], apply="yes", reason="")
    assert "Please give a reason for the regrade." in refused.content.decode()
    assert not ScoreChange.objects.exists()

    # The correction: the second choice was right all along.
    Choice.objects.filter(pk=right.pk).update(is_correct=False)
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
    response = run_action(editor_client, "regrade", [quiz], apply="yes", reason="Question 1 had the wrong key")
    assert page_messages(response) == [f"Regraded “{quiz.title}”: 1 score changed."]
    change = ScoreChange.objects.get()
    assert (change.attempt_id, change.changed_by, change.old_score, change.new_score, change.reason) == (
        attempt.pk,
        editor,
        Decimal("0.00"),
        Decimal("1.00"),
        "Question 1 had the wrong key",
    )


def test_a_duplicated_quiz_s_questions_share_no_translation_key_with_the_originals(editor_client):
    quiz = quiz_with_questions(2, slug="paired", language="en")
    Question.objects.filter(quiz=quiz).update(translation_key="shared-pair")

    run_action(editor_client, "duplicate", [quiz])

    copy = Quiz.objects.get(slug="paired-copy")
    assert set(copy.questions.values_list("translation_key", flat=True)) == {""}
    assert set(quiz.questions.values_list("translation_key", flat=True)) == {"shared-pair"}
