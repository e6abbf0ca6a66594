"""The result page through Django's test client: score, answers, explanations, quotes, comparison, visibility."""

import re
from datetime import date

import pytest
from django.urls import reverse

from quizzes.models import Choice, Source
from tests.factories import quiz_with_questions
from tests.pages import (
    start,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_result_shows_score_answers_explanation_feedback_and_quotes(client):
    quiz = quiz_with_questions(2, pass_mark=60)
    wrong_question = quiz.questions.get(position=2)
    Choice.objects.filter(question=wrong_question, is_correct=False).update(feedback="Not this one, because...")
    attempt = submitted(client, quiz, right=(1,), wrong=(2,))
    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "50\u00a0%" in page
    assert "Nicht bestanden" in page
    assert "Because the source says so." in page
    assert "Not this one, because..." in page
    assert "<blockquote" in page and "A verbatim quote." in page
    assert "Reuters" in page  # the source's agency
    assert "Richtige Antwort" in page


def test_result_compares_with_other_learners(client):
    quiz = quiz_with_questions(2)
    submitted(client, quiz, wrong=(1, 2))
    client.cookies.clear()
    attempt = submitted(client, quiz, right=(1, 2))
    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "besser als 100\u00a0%" in page


def test_a_result_without_others_to_compare_with_encourages_instead_of_comparing(client):
    quiz = quiz_with_questions(2)
    attempt = submitted(client, quiz, right=(1,))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk}), HTTP_ACCEPT_LANGUAGE="en")

    assert "You are among the first to finish this quiz" in page.content.decode()


def test_a_result_tied_with_everyone_else_encourages_instead_of_saying_better_than_0_percent(client):
    quiz = quiz_with_questions(2)
    submitted(client, quiz, right=(1,))
    client.cookies.clear()
    attempt = submitted(client, quiz, right=(1,))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()

    assert "besser als 0\u00a0%" not in page
    assert "genauso gut oder besser" in page


def test_a_quote_s_source_shows_its_date_when_it_has_one(client):
    quiz = quiz_with_questions(1)
    Source.objects.update(published_on=date(2021, 1, 21))
    attempt = submitted(client, quiz, right=(1,))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk}), HTTP_ACCEPT_LANGUAGE="en")

    assert '<time datetime="2021-01-21">' in page.content.decode()


def test_review_my_mistakes_shows_only_the_questions_not_fully_right(client):
    quiz = quiz_with_questions(3)
    attempt = submitted(client, quiz, right=(1, 3), wrong=(2,))
    url = reverse("web:result", kwargs={"attempt_id": attempt.pk})
    assert f"{url}?show=mistakes" in client.get(url).content.decode()
    response = client.get(url, {"show": "mistakes"})
    assert [question.number for question in response.context["questions"]] == [2]


def test_result_hides_correct_answers_until_the_last_attempt_when_the_quiz_says_so(client):
    quiz = quiz_with_questions(1, max_attempts=2, answer_visibility="after_last_attempt")
    quiz.questions.update(explanation="SECRET-EXPLANATION")
    first = submitted(client, quiz, wrong=(1,))
    page = client.get(reverse("web:result", kwargs={"attempt_id": first.pk})).content.decode()
    assert "SECRET-EXPLANATION" not in page and "A verbatim quote." not in page
    assert "nach Ihrem letzten Versuch gezeigt" in page
    second = submitted(client, quiz, wrong=(1,))
    page = client.get(reverse("web:result", kwargs={"attempt_id": second.pk})).content.decode()
    assert "SECRET-EXPLANATION" in page


def test_result_never_shows_correct_answers_when_the_quiz_says_never(client):
    quiz = quiz_with_questions(1, answer_visibility="never")
    quiz.questions.update(explanation="SECRET-EXPLANATION")
    attempt = submitted(client, quiz, wrong=(1,))
    url = reverse("web:result", kwargs={"attempt_id": attempt.pk})
    page = client.get(url).content.decode()
    assert "SECRET-EXPLANATION" not in page and "Right 0" not in page
    assert "?show=mistakes" not in page  # which questions were wrong is an answer key too
    assert "SECRET-EXPLANATION" not in client.get(url, {"show": "mistakes"}).content.decode()


def test_result_of_an_open_attempt_redirects_to_the_attempt(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    response = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk}))
    assert response.url == reverse("web:attempt", kwargs={"attempt_id": attempt.pk})


def test_result_shows_when_the_attempt_started_and_how_long_it_took(client):
    quiz = quiz_with_questions(1)
    attempt = submitted(client, quiz, right=(1,))
    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "Dauer" in page and "Sekunde" in page


def test_the_result_opens_with_a_mark_per_question_and_folds_the_right_ones(client):
    quiz = quiz_with_questions(3, shuffle_questions=False)
    attempt = submitted(client, quiz, right=(1,), wrong=(2,))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()

    strip = page[page.index('<nav class="result-strip"') : page.index("</nav>", page.index('<nav class="result-strip"'))]
    assert re.findall(r'class="mark (is-\w+)"', strip) == ["is-right", "is-wrong", "is-unanswered"]
    for question in quiz.questions.all():
        assert f'href="#result-{question.pk}"' in strip
    folded = re.findall(r'<details class="result-question (is-\w+)" id="result-\d+"( open)?>', page)
    assert folded == [("is-right", ""), ("is-wrong", " open"), ("is-unanswered", " open")]
