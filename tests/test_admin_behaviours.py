"""Authoring a quiz's question behaviour in the admin: behaviour, tries and penalty, validated."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from quizzes.models import Answer, Quiz
from quizzes.services import Owner, start_attempt, submit_attempt
from tests.admin_pages import admin_url, errors_of, management_form, quiz_post
from tests.factories import QuizFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def test_the_quiz_page_offers_behaviour_tries_and_penalty_with_deferred_the_default(editor_client):
    page = editor_client.get(admin_url("quiz", "add")).content.decode()

    for name in ("behaviour", "max_tries", "penalty"):
        assert f'name="{name}"' in page
    assert '<option value="deferred" selected>' in page
    assert 'name="max_tries" value="3"' in page and 'name="penalty" value="0.33"' in page


def test_an_editor_makes_a_quiz_interactive_with_two_tries_and_a_quarter_penalty(editor_client):
    response = editor_client.post(
        admin_url("quiz", "add"), quiz_post(behaviour="interactive", max_tries="2", penalty="0.25")
    )

    assert response.status_code == 302, errors_of(response)
    quiz = Quiz.objects.get(slug="parler-at-a-glance")
    assert (quiz.behaviour, quiz.max_tries, quiz.penalty) == ("interactive", 2, Decimal("0.25"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_tries": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"penalty": "1.5"}, "Ensure this value is less than or equal to 1."),
        ({"penalty": "-0.1"}, "Ensure this value is greater than or equal to 0."),
        ({"behaviour": "sometimes"}, "Select a valid choice. sometimes is not one of the available choices."),
        (
            {"behaviour": "immediate", "answer_visibility": "never"},
            "Immediate and interactive feedback show each checked question's answer, so they cannot be combined "
            "with “Never” showing correct answers.",
        ),
    ],
    ids=["no-tries", "penalty-above-1", "negative-penalty", "unknown-behaviour", "checks-with-never"],
)
def test_invalid_behaviour_settings_are_form_messages_and_save_nothing(editor_client, fields, message):
    response = editor_client.post(admin_url("quiz", "add"), quiz_post(**fields))

    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Quiz.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"max_tries": 0},
        {"penalty": Decimal("1.01")},
        {"penalty": Decimal("-0.01")},
        {"behaviour": "interactive", "answer_visibility": "never"},
    ],
    ids=["no-tries", "penalty-above-1", "negative-penalty", "checks-with-never"],
)
def test_the_database_refuses_invalid_behaviour_settings_too(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizFactory(**fields)


def test_the_database_refuses_a_locked_or_tried_answer_that_was_never_checked():
    quiz = quiz_with_questions(1, behaviour="immediate")
    attempt, _created = start_attempt(quiz=quiz, owner=Owner.of(user=UserFactory()))
    question_id = attempt.question_order[0]
    for fields in ({"is_locked": True}, {"tries": [[1]]}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Answer.objects.create(attempt=attempt, question_id=question_id, saved_at=attempt.started_at, **fields)


def test_the_behaviour_cannot_change_while_an_attempt_is_in_progress_but_can_once_none_is(editor_client):
    quiz = quiz_with_questions(1, slug="parler-at-a-glance", translation_key="at-a-glance", language="en",
                               title="Parler at a glance", is_published=False, behaviour="immediate")
    owner = Owner.of(user=UserFactory())
    attempt, _created = start_attempt(quiz=quiz, owner=owner)
    url = admin_url("quiz", "change", quiz.pk)
    form = quiz_post(behaviour="deferred", **management_form("questions", total=1, initial=1), **{
        "questions-0-id": quiz.questions.get().pk, "questions-0-quiz": quiz.pk,
        "questions-0-position": "1", "questions-0-text": quiz.questions.get().text,
        "questions-0-kind": "single", "questions-0-topic": quiz.questions.get().topic_id, "questions-0-points": "1",
    })

    refused = editor_client.post(url, form)
    submit_attempt(attempt_id=attempt.pk, owner=owner)
    accepted = editor_client.post(url, form)

    assert refused.status_code == 200
    assert (
        "The question behaviour cannot change while learners have attempts in progress on this quiz."
        in errors_of(refused)
    )
    assert accepted.status_code == 302, errors_of(accepted)
    quiz.refresh_from_db()
    assert quiz.behaviour == "deferred"
