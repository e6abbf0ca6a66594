"""The Check button on the attempt page without JavaScript: a plain form post that returns to the question."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.models import Answer, Attempt
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    # The messages asserted below are the English ones; the last test reads both languages.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def checking_quiz(behaviour, **fields):
    quiz = QuizFactory(slug=f"page-{behaviour}", behaviour=behaviour, **fields)
    QuestionFactory(quiz=quiz, position=1, kind="single", points="2", explanation="EXPLAINED-ONE", choices__wrong=3)
    QuestionFactory(quiz=quiz, position=2, kind="single", points="1", explanation="EXPLAINED-TWO")
    return quiz


def questions_of(quiz):
    return list(quiz.questions.order_by("position"))


def right(question):
    return question.choices.get(is_correct=True).pk


def wrong(question, index=0):
    return list(question.choices.filter(is_correct=False).order_by("position").values_list("pk", flat=True))[index]


def start(client, quiz):
    response = client.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    return response.url.split("/")[2]


def attempt_url(attempt_id):
    return reverse("web:attempt", kwargs={"attempt_id": attempt_id})


def post_check(client, attempt_id, question, form):
    return client.post(attempt_url(attempt_id), {**form, "check": str(question.pk)})


def test_a_deferred_quiz_has_no_check_button(client):
    quiz = checking_quiz("deferred")
    page = client.get(attempt_url(start(client, quiz))).content.decode()
    assert 'name="check"' not in page
    assert "data-check-url" not in page


def test_a_checking_quiz_names_the_apis_check_and_flag_for_its_script(client):
    # The script fills "{question}" in; a URL built by appending to another one broke when routes moved.
    quiz = checking_quiz("immediate")
    attempt_id = start(client, quiz)
    page = client.get(attempt_url(attempt_id)).content.decode()
    assert f'data-check-url="/api/v1/attempts/{attempt_id}/answers/{{question}}/check/"' in page
    assert f'data-flag-url="/api/v1/attempts/{attempt_id}/flags/{{question}}/"' in page


def test_an_immediate_check_returns_to_the_question_showing_its_review_only(client):
    quiz = checking_quiz("immediate")
    first, second = questions_of(quiz)
    attempt_id = start(client, quiz)
    before = client.get(attempt_url(attempt_id)).content.decode()

    response = post_check(
        client, attempt_id, first, {f"question-{first.pk}": str(wrong(first)), f"question-{second.pk}": str(right(second))}
    )

    assert before.count('name="check"') == 2 and "EXPLAINED" not in before
    assert response.status_code == 302
    assert response.url == attempt_url(attempt_id) + f"#question-{first.pk}"
    page = client.get(response.url).content.decode()
    assert "EXPLAINED-ONE" in page and "EXPLAINED-TWO" not in page
    assert "About Wrong 0" in page
    assert "A verbatim quote." in page
    assert page.count('name="check"') == 1  # only the unchecked question keeps its button
    assert f'id="q{first.pk}-c{wrong(first)}" value="{wrong(first)}" checked disabled' in page
    # The other answer, not checked, was saved as posted.
    assert Answer.objects.get(attempt_id=attempt_id, question=second).choice_ids == [right(second)]
    assert not Answer.objects.get(attempt_id=attempt_id, question=second).is_locked


def test_checking_with_nothing_selected_is_a_form_message_and_writes_nothing(client):
    quiz = checking_quiz("immediate")
    first, second = questions_of(quiz)
    attempt_id = start(client, quiz)

    response = post_check(client, attempt_id, first, {f"question-{second.pk}": str(right(second))})

    assert response.status_code == 400
    assert "Select an answer before checking it." in response.content.decode()
    assert not Answer.objects.filter(attempt_id=attempt_id).exists()
    # The page opens at that question, not at its top (a tester's walk), without script too.
    page = response.content.decode()
    assert page.count(" autofocus") == 1
    assert re.search(rf'id="q{first.pk}-c\d+" value="\d+"[^>]* autofocus', page)


def test_an_interactive_wrong_try_shows_the_hint_and_the_tries_left_then_a_right_try_locks(client):
    quiz = checking_quiz("interactive", max_tries=3, penalty=Decimal("0.5"))
    first, _second = questions_of(quiz)
    attempt_id = start(client, quiz)

    post_check(client, attempt_id, first, {f"question-{first.pk}": str(wrong(first, 1))})
    hinted = client.get(attempt_url(attempt_id), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    post_check(client, attempt_id, first, {f"question-{first.pk}": str(right(first))})
    locked = client.get(attempt_url(attempt_id), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "About Wrong 1" in hinted and "2 tries left" in hinted
    assert "EXPLAINED-ONE" not in hinted and "About Right 0" not in hinted
    assert "EXPLAINED-ONE" in locked and "Points: 1 of 2" in locked


def test_a_locked_question_is_not_changed_by_saving_or_submitting_the_form(client):
    quiz = checking_quiz("immediate")
    first, second = questions_of(quiz)
    attempt_id = start(client, quiz)
    post_check(client, attempt_id, first, {f"question-{first.pk}": str(right(first))})

    # A crafted post still names the locked question: its checked answer stays.
    client.post(attempt_url(attempt_id), {f"question-{first.pk}": str(wrong(first)), "action": "save"})
    submitted = client.post(
        attempt_url(attempt_id),
        {f"question-{first.pk}": str(wrong(first)), f"question-{second.pk}": str(wrong(second)), "action": "submit"},
    )

    assert submitted.status_code == 302
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.score == Decimal("2.00")
    assert Answer.objects.get(attempt=attempt, question=first).choice_ids == [right(first)]


def test_submitting_with_only_locked_questions_answered_asks_nothing_about_them(client):
    quiz = checking_quiz("immediate")
    first, second = questions_of(quiz)
    attempt_id = start(client, quiz)
    post_check(client, attempt_id, first, {f"question-{first.pk}": str(right(first))})
    post_check(client, attempt_id, second, {f"question-{second.pk}": str(right(second))})

    submitted = client.post(attempt_url(attempt_id), {"action": "submit"})

    assert submitted.url == reverse("web:result", kwargs={"attempt_id": attempt_id})
    assert Attempt.objects.get(pk=attempt_id).score == Decimal("3.00")


def test_checking_a_locked_question_again_says_so_and_returns_to_it(client):
    quiz = checking_quiz("immediate")
    first, _second = questions_of(quiz)
    attempt_id = start(client, quiz)
    post_check(client, attempt_id, first, {f"question-{first.pk}": str(wrong(first))})

    again = post_check(client, attempt_id, first, {f"question-{first.pk}": str(right(first))})

    assert again.url.endswith(f"#question-{first.pk}")
    page = client.get(again.url).content.decode()
    assert "This question is already checked" in page
    assert Answer.objects.get(attempt_id=attempt_id, question=first).score == Decimal("0.00")


def test_the_page_is_german_and_english(client):
    quiz = checking_quiz("interactive", max_tries=3)
    first, _second = questions_of(quiz)
    attempt_id = start(client, quiz)
    post_check(client, attempt_id, first, {f"question-{first.pk}": str(wrong(first))})

    german = client.get(attempt_url(attempt_id), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = client.get(attempt_url(attempt_id), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Prüfen" in german and "Noch nicht ganz" in german and "noch 2 Anläufe" in german
    assert "Check" in english and "Not quite. Try again." in english


def test_a_check_on_a_quiz_with_one_question_per_page_returns_to_that_questions_page(client):
    quiz = checking_quiz("immediate", one_question_per_page=True, shuffle_questions=False)
    first, second = questions_of(quiz)
    attempt_id = start(client, quiz)

    response = client.post(
        f"{attempt_url(attempt_id)}?page=2", {"page": "2", f"question-{second.pk}": str(right(second)), "check": str(second.pk)}
    )

    assert response.status_code == 302
    assert response.url == f"{attempt_url(attempt_id)}?page=2#question-{second.pk}"
    page = client.get(response.url).content.decode()
    assert "EXPLAINED-TWO" in page and "EXPLAINED-ONE" not in page
    assert Answer.objects.get(attempt_id=attempt_id, question=second).is_locked


def test_a_checked_questions_review_reads_the_quotes_translation_first_as_the_result_does(client):
    quiz = QuizFactory(slug="checks-translated", behaviour="immediate", language="en")
    question = QuestionFactory(
        quiz=quiz, position=1, citation__quote="WÖRTLICHES ZITAT", citation__translation="TRANSLATED QUOTE"
    )
    attempt_id = start(client, quiz)

    page = client.get(post_check(client, attempt_id, question, {f"question-{question.pk}": str(right(question))}).url)

    text = page.content.decode()
    assert "Translation (English)" in text and "Original (German)" in text
    assert text.index("TRANSLATED QUOTE") < text.index("WÖRTLICHES ZITAT")
