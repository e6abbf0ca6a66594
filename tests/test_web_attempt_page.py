"""Taking an attempt on its page through Django's test client: no JavaScript, plain form posts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, AttemptState, Choice, QuestionKind
from tests.factories import QuestionFactory, QuizFactory, quiz_with_questions
from tests.pages import answers_for, form_of, right_choice, start, wrong_choice

pytestmark = pytest.mark.django_db


def test_attempt_page_shows_questions_as_fieldsets_with_the_right_inputs(client):
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz, position=1, kind=QuestionKind.SINGLE)
    QuestionFactory(quiz=quiz, position=2, kind=QuestionKind.MULTIPLE, choices__correct=2)
    QuestionFactory(quiz=quiz, position=3, kind=QuestionKind.TRUE_FALSE)
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert page.count("<fieldset") == 3
    assert page.count("<legend") == 3
    assert page.count('type="checkbox" name="question-') == 4
    assert page.count('type="checkbox" name="flag-') == 3  # one "flag to review" per question
    assert page.count('type="radio"') == 3 + 2
    assert "0 von 3 beantwortet" in page


def test_attempt_page_escapes_question_and_choice_text(client):
    # The question fieldsets are a Jinja2 include (quizzes/jinja2/quizzes/includes/question_fieldsets.html)
    # in a Django page: this pins that editors' text still cannot inject markup, whichever engine renders it.
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, text='Who said "<script>alert(1)</script>"?')
    Choice.objects.filter(question=question).update(text="<b>Amazon</b> & Co")
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "Who said &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;?" in page
    assert "<b>Amazon</b>" not in page
    assert "&lt;b&gt;Amazon&lt;/b&gt; &amp; Co" in page


def test_attempt_page_shows_one_answer_or_several_and_the_points_per_question(client):
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz, position=1, kind=QuestionKind.SINGLE, points=Decimal("1"))
    QuestionFactory(quiz=quiz, position=2, kind=QuestionKind.MULTIPLE, choices__correct=2, points=Decimal("2"))
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "Frage 1 von 2" in page and "Frage 2 von 2" in page
    assert "Wählen Sie eine Antwort." in page and "1 Punkt" in page
    assert "Wählen Sie alle zutreffenden Antworten." in page and "2 Punkte" in page


def test_attempt_page_never_leaks_correctness_explanation_or_feedback(client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, explanation="SECRET-EXPLANATION")
    Choice.objects.filter(question=question).update(feedback="SECRET-FEEDBACK")
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    for secret in ("SECRET-EXPLANATION", "SECRET-FEEDBACK", "is_correct", "A verbatim quote", "correct"):
        assert secret not in page


def test_attempt_page_keeps_the_attempts_order_and_saved_answers_on_reload(client):
    quiz = quiz_with_questions(4, shuffle_questions=True, shuffle_choices=True)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    first_question = quiz.questions.get(pk=attempt.question_order[0])
    chosen = wrong_choice(first_question)
    response = client.post(url, {"action": "save", f"question-{first_question.pk}": str(chosen.pk)})
    assert response.status_code == 302 and response.url == url

    first, second = client.get(url), client.get(url)
    assert form_of(first) == form_of(second)
    shown = [question.id for question in first.context["questions"]]
    assert shown == attempt.question_order
    assert [choice.id for choice in first.context["questions"][0].choices] == attempt.choice_order[
        str(first_question.pk)
    ]
    assert f'value="{chosen.pk}" checked' in first.content.decode()
    assert "1 von 4 beantwortet" in first.content.decode()


def test_submitting_with_unanswered_questions_asks_once_then_scores(client):
    quiz = quiz_with_questions(3)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    response = client.post(url, {"action": "submit", **answers_for(quiz, right=(1,))})
    assert response.status_code == 302 and response.url.endswith("?confirm=1#submit")
    page = client.get(response.url).content.decode()
    assert "2 Fragen sind noch nicht beantwortet" in page
    assert 'name="confirm_incomplete"' in page
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS

    response = client.post(url, {"action": "submit", "confirm_incomplete": "1", **answers_for(quiz, right=(1,))})
    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert str(attempt.score) == "1.00"


def test_a_choice_of_another_question_is_a_400_with_a_message_and_nothing_saved(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    first, second = quiz.questions.order_by("position")
    response = client.post(
        reverse("web:attempt", kwargs={"attempt_id": attempt.pk}),
        {"action": "submit", f"question-{first.pk}": str(right_choice(second).pk)},
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert not attempt.answers.exists()


def test_an_invalid_post_shows_the_choices_the_learner_posted_not_what_was_saved(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    first, second = quiz.questions.order_by("position")
    posted = right_choice(first)

    response = client.post(
        reverse("web:attempt", kwargs={"attempt_id": attempt.pk}),
        {"action": "save", f"question-{first.pk}": str(posted.pk), f"question-{second.pk}": str(right_choice(first).pk)},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{posted.pk}" checked' in page
    assert page.count(" checked") == 1
    assert not attempt.answers.exists()


def test_a_submitted_attempt_page_redirects_to_its_result(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    client.post(url, {"action": "submit", **answers_for(quiz, right=(1,))})
    assert client.get(url).url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    response = client.post(url, {"action": "submit", **answers_for(quiz, wrong=(1,))})
    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert str(attempt.score) == "1.00"


def test_someone_elses_attempt_is_404(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    client.cookies.clear()
    assert client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).status_code == 404
    assert client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).status_code == 404


def test_after_the_deadline_the_server_scores_the_saved_answers(client):
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    client.post(url, {"action": "save", **answers_for(quiz, right=(1,))})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))

    response = client.post(url, {"action": "submit", "confirm_incomplete": "1", **answers_for(quiz, right=(1, 2))})
    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert str(attempt.score) == "1.00"  # the late answer did not count
    page = client.get(response.url).content.decode()
    assert "Zeitlimit" in page


def test_opening_an_overdue_attempt_shows_its_result(client):
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    attempt = start(client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk}))
    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED


def test_attempt_page_shows_the_time_left(client):
    quiz = quiz_with_questions(1, time_limit_seconds=600)
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert 'id="countdown"' in page
    assert ">10:00<" in page or ">9:59<" in page
