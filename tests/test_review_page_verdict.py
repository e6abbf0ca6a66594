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
    return client.post(reverse("web:review"), {"question": question.pk, "choice": [choice.pk for choice in choices]})


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
