"""The review page says how an answer went by the one rule (scoring.verdict_of), as the result page does."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Question
from tests.factories import QuestionFactory, QuizFactory
from tests.review_helpers import guest_takes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewing_guest():
    quiz = QuizFactory(shuffle_choices=False)
    question = QuestionFactory(quiz=quiz, kind="multiple", choices__correct=2, choices__wrong=2)
    client = Client(headers={"accept-language": "en"})
    guest_takes(client, quiz, missed=[question.pk])
    return client, Question.objects.get(pk=question.pk)


def answer_in_review(client, question, choices):
    posted = {"question": question.pk, "choice": [choice.pk for choice in choices]}
    return client.post(reverse("web:review"), posted, follow=True)


@pytest.mark.parametrize(
    ("picks", "verdict", "label"),
    [
        ("both right", "right", "✓ Right"),
        ("one right", "partial", "◐ Partly right"),
        ("one wrong", "wrong", "✗ Wrong"),
        ("nothing", "unanswered", "– Not answered"),
    ],
)
def test_an_answer_in_review_reads_as_the_one_rule_says(reviewing_guest, picks, verdict, label):
    client, question = reviewing_guest
    right = list(question.choices.filter(is_correct=True).order_by("position"))
    wrong = list(question.choices.filter(is_correct=False).order_by("position"))
    choices = {"both right": right, "one right": right[:1], "one wrong": wrong[:1], "nothing": []}[picks]
    page = answer_in_review(client, question, choices)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"result-question is-{verdict}" in html
    assert f'<span class="verdict-{verdict}">{label}</span>' in html


def test_reloading_an_answered_review_question_grades_it_once_and_shows_the_queue(reviewing_guest):
    # Regression: the answer's page was the post's own response, so a reload posted it again.
    from quizzes.models import MemoryState

    client, question = reviewing_guest
    wrong = list(question.choices.filter(is_correct=False).order_by("position"))
    posted = client.post(reverse("web:review"), {"question": question.pk, "choice": [wrong[0].pk]})
    graded_at = MemoryState.objects.get().last_review

    assert posted.status_code == 302
    assert "result-question is-wrong" in client.get(posted.url).content.decode()
    # Shown once: kept, it would show the key again once a quiz asking the question is started.
    reloaded = client.get(posted.url).content.decode()
    assert "result-question" not in reloaded and 'id="review-form"' in reloaded
    assert MemoryState.objects.get().last_review == graded_at
