"""The question navigator, flags "to review" and the one-question-per-page layout, without JavaScript."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Attempt, AttemptState
from tests.factories import QuestionFactory, QuizFactory
from tests.pages import right_choice, start, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    quiz = QuizFactory(slug="navigator")
    for position in (1, 2, 3):
        QuestionFactory(quiz=quiz, position=position)
    return quiz


@pytest.fixture
def paged_quiz(quiz):
    quiz.one_question_per_page = True
    quiz.save()
    return quiz


def attempt_url(attempt):
    return reverse("web:attempt", kwargs={"attempt_id": attempt.pk})


def questions_of(attempt):
    """The attempt's questions in the order it shows them."""
    by_id = {question.pk: question for question in attempt.quiz.questions.all()}
    return [by_id[question_id] for question_id in attempt.question_order]


def navigator_of(page):
    """(number, classes) of each navigator entry on a page."""
    return [
        (int(number), set(classes.split()))
        for classes, number in re.findall(
            r'class="navigator-entry([^"]*)"[^>]*><span class="visually-hidden">Frage </span>(\d+)<', page.content.decode()
        )
    ]


def answer(question, choice):
    return {f"question-{question.pk}": str(choice.pk)}


# ---------------------------------------------------------------------------------------------
# The navigator and flags, all questions on one page


def test_the_navigator_links_each_question_and_shows_answered_and_flagged(client, quiz):
    attempt = start(client, quiz)
    first, second, third = questions_of(attempt)
    client.post(attempt_url(attempt), {**answer(first, right_choice(first)), f"flag-{third.pk}": "on", "action": "save"})

    page = client.get(attempt_url(attempt))

    assert [(number, classes) for number, classes in navigator_of(page)] == [
        (1, {"is-answered"}), (2, set()), (3, {"is-flagged"})
    ]
    html = page.content.decode()
    assert f'<a href="#question-{second.pk}" class="navigator-entry"' in html
    # Each entry reads in full to a screen reader: "Frage 1, beantwortet".
    assert f'data-navigator-for="{first.pk}"><span class="visually-hidden">Frage </span>1<span class="visually-hidden navigator-state">, beantwortet</span>' in html
    assert "3<span class=\"visually-hidden navigator-state\">, nicht beantwortet, zum Überprüfen markiert</span>" in html


def test_a_flag_posted_with_the_form_is_saved_and_unchecking_removes_it(client, quiz):
    attempt = start(client, quiz)
    first, second, _third = questions_of(attempt)

    client.post(attempt_url(attempt), {f"flag-{first.pk}": "on", f"flag-{second.pk}": "on", "action": "save"})
    assert Attempt.objects.get(pk=attempt.pk).flagged_questions == [first.pk, second.pk]

    client.post(attempt_url(attempt), {f"flag-{second.pk}": "on", "action": "save"})
    attempt.refresh_from_db()
    assert attempt.flagged_questions == [second.pk]
    assert 'checked> Zum Überprüfen markieren' in client.get(attempt_url(attempt)).content.decode()


def test_a_flag_is_no_answer_and_scores_nothing(client, quiz):
    attempt = start(client, quiz)
    first, second, third = questions_of(attempt)

    response = client.post(
        attempt_url(attempt),
        {
            **answer(first, right_choice(first)),
            **answer(second, right_choice(second)),
            f"flag-{third.pk}": "on",
            "action": "submit",
            "confirm_incomplete": "1",
        },
    )

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.score == 2 and attempt.max_score == 3
    assert attempt.flagged_questions == [third.pk]  # kept with the attempt it was posted with


# ---------------------------------------------------------------------------------------------
# One question per page


def test_one_question_per_page_shows_one_question_and_the_navigator_for_all(client, paged_quiz):
    attempt = start(client, paged_quiz)
    first, second, _third = questions_of(attempt)

    page = client.get(attempt_url(attempt))
    html = page.content.decode()

    assert html.count("<fieldset") == 1 and f'id="question-{first.pk}"' in html
    assert [number for number, _classes in navigator_of(page)] == [1, 2, 3]
    assert 'name="go_to" value="2"' in html and 'aria-current="step"' in html
    assert 'value="next"' in html and 'value="previous"' not in html
    assert 'id="submit-button"' not in html  # the last page offers submit
    second_page = client.get(attempt_url(attempt), {"page": 2}).content.decode()
    assert f'id="question-{second.pk}"' in second_page and 'value="previous"' in second_page


def test_the_last_page_offers_submit(client, paged_quiz):
    attempt = start(client, paged_quiz)

    html = client.get(attempt_url(attempt), {"page": 3}).content.decode()

    assert 'id="submit-button"' in html and 'id="next-button"' not in html


@pytest.mark.parametrize("page", ["4", "0", "two", "1" * 20])
def test_a_page_that_does_not_exist_is_404(client, paged_quiz, page):
    attempt = start(client, paged_quiz)

    assert client.get(attempt_url(attempt), {"page": page}).status_code == 404


def test_next_saves_the_page_and_moves_on(client, paged_quiz):
    attempt = start(client, paged_quiz)
    first, second, _third = questions_of(attempt)

    response = client.post(
        attempt_url(attempt), {**answer(first, wrong_choice(first)), f"flag-{first.pk}": "on", "page": "1", "action": "next"}
    )

    assert response.status_code == 302
    assert response.url == f"{attempt_url(attempt)}?page=2#question-{second.pk}"
    attempt.refresh_from_db()
    assert attempt.answers.get().choice_ids == [wrong_choice(first).pk]
    assert attempt.flagged_questions == [first.pk]


def test_previous_and_the_navigator_save_the_page_and_go_there(client, paged_quiz):
    attempt = start(client, paged_quiz)
    first, second, third = questions_of(attempt)

    back = client.post(attempt_url(attempt), {**answer(second, right_choice(second)), "page": "2", "action": "previous"})
    jump = client.post(attempt_url(attempt), {**answer(first, right_choice(first)), "page": "1", "go_to": "3"})

    assert back.url == f"{attempt_url(attempt)}?page=1#question-{first.pk}"
    assert jump.url == f"{attempt_url(attempt)}?page=3#question-{third.pk}"
    assert set(attempt.answers.values_list("question_id", flat=True)) == {first.pk, second.pk}


def test_a_page_posts_only_its_own_questions_and_keeps_the_others(client, paged_quiz):
    attempt = start(client, paged_quiz)
    first, second, _third = questions_of(attempt)
    client.post(attempt_url(attempt), {**answer(first, right_choice(first)), f"flag-{first.pk}": "on", "page": "1", "action": "next"})

    client.post(attempt_url(attempt), {**answer(second, right_choice(second)), "page": "2", "action": "next"})

    attempt.refresh_from_db()
    assert attempt.answers.get(question=first).choice_ids == [right_choice(first).pk]
    assert attempt.flagged_questions == [first.pk]
    # Another page's question posted here is not one of this page's fields, so it is ignored.
    client.post(attempt_url(attempt), {**answer(first, wrong_choice(first)), "page": "2", "action": "save"})
    assert attempt.answers.get(question=first).choice_ids == [right_choice(first).pk]


def test_submit_on_the_last_page_asks_about_unanswered_questions_on_other_pages(client, paged_quiz):
    attempt = start(client, paged_quiz)
    first, second, third = questions_of(attempt)
    client.post(attempt_url(attempt), {**answer(first, right_choice(first)), "page": "1", "action": "next"})

    response = client.post(attempt_url(attempt), {**answer(third, right_choice(third)), "page": "3", "action": "submit"})

    assert response.url == f"{attempt_url(attempt)}?page=3&confirm=1#submit"
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.IN_PROGRESS
    confirm = client.get(response.url).content.decode()
    assert f'href="{attempt_url(attempt)}?page=2#question-{second.pk}">2</a>' in confirm
    submitted = client.post(attempt_url(attempt), {"page": "3", "action": "submit", "confirm_incomplete": "1",
                                                   **answer(third, right_choice(third))})
    assert submitted.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.score == 2


def test_every_page_answered_submits_at_once(client, paged_quiz):
    attempt = start(client, paged_quiz)
    first, second, third = questions_of(attempt)
    client.post(attempt_url(attempt), {**answer(first, right_choice(first)), "page": "1", "go_to": "2"})
    client.post(attempt_url(attempt), {**answer(second, wrong_choice(second)), "page": "2", "go_to": "3"})

    response = client.post(attempt_url(attempt), {**answer(third, right_choice(third)), "page": "3", "action": "submit"})

    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert attempt.score == 2 and attempt.max_score == 3


@pytest.mark.parametrize("page", ["4", "", "x"])
def test_a_post_naming_no_page_of_the_attempt_is_404_and_saves_nothing(client, paged_quiz, page):
    attempt = start(client, paged_quiz)
    first = questions_of(attempt)[0]

    response = client.post(attempt_url(attempt), {**answer(first, right_choice(first)), "page": page, "action": "save"})

    assert response.status_code == 404
    assert not attempt.answers.exists()


def test_a_bad_choice_on_a_page_is_400_and_saves_nothing(client, paged_quiz):
    attempt = start(client, paged_quiz)
    first, second, _third = questions_of(attempt)

    response = client.post(
        attempt_url(attempt), {f"question-{first.pk}": str(right_choice(second).pk), f"flag-{first.pk}": "on",
                               "page": "1", "action": "next"}
    )

    assert response.status_code == 400
    assert response.content.decode().count("<fieldset") == 1
    attempt.refresh_from_db()
    assert not attempt.answers.exists() and attempt.flagged_questions == []


def test_a_flag_posted_to_a_submitted_attempt_changes_nothing(client, quiz):
    attempt = start(client, quiz)
    first = questions_of(attempt)[0]
    client.post(attempt_url(attempt), {"action": "submit", "confirm_incomplete": "1"})

    response = client.post(attempt_url(attempt), {f"flag-{first.pk}": "on", "action": "save"})

    assert response.status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).flagged_questions == []


def test_the_quiz_detail_in_the_api_says_whether_it_shows_one_question_per_page(client, paged_quiz):
    assert client.get(f"/api/v1/quizzes/{paged_quiz.slug}/").json()["one_question_per_page"] is True
