"""A checked question's verdict on the attempt page is scoring.verdict_of its last try (the one rule of
right, partly right and wrong), while its points are after the penalties of earlier tries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def interactive_quiz_with_two_tries():
    """One multiple-choice question worth 1 point, two right and two wrong choices; a wrong try costs half."""
    quiz = QuizFactory(slug="two-tries", behaviour="interactive", max_tries=2, penalty=Decimal("0.5"))
    question = QuestionFactory(quiz=quiz, position=1, kind="multiple", points="1", choices__correct=2, choices__wrong=2)
    return quiz, question


def choice_ids(question, *, is_correct):
    return [str(pk) for pk in question.choices.filter(is_correct=is_correct).order_by("position").values_list("pk", flat=True)]


def check(client, attempt_id, question, chosen):
    url = reverse("web:attempt", kwargs={"attempt_id": attempt_id})
    client.post(url, {f"question-{question.pk}": chosen, "check": str(question.pk)})
    return client.get(url).content.decode()


def started(client, quiz):
    return client.post(reverse("web:start", kwargs={"slug": quiz.slug})).url.split("/")[2]


def verdict_line(page):
    return page.split('<p class="verdict">', 1)[1].split("</p>", 1)[0]


def test_a_last_try_partly_right_reads_partly_right_even_when_penalties_leave_no_points(client):
    quiz, question = interactive_quiz_with_two_tries()
    attempt_id = started(client, quiz)

    check(client, attempt_id, question, choice_ids(question, is_correct=False)[:1])
    # Half right (0.50) minus one penalty (0.50): no points, but the try itself was partly right.
    page = check(client, attempt_id, question, choice_ids(question, is_correct=True)[:1])

    line = verdict_line(page)
    assert "Partly right" in line and "verdict-partial" in line
    assert "Points: 0 of 1" in line


def test_a_last_try_right_after_a_wrong_one_reads_right_with_the_penalty_taken(client):
    quiz, question = interactive_quiz_with_two_tries()
    attempt_id = started(client, quiz)

    check(client, attempt_id, question, choice_ids(question, is_correct=False)[:1])
    page = check(client, attempt_id, question, choice_ids(question, is_correct=True))

    line = verdict_line(page)
    assert "Right" in line and "verdict-right" in line
    assert "Points: 0.5 of 1" in line


def test_a_last_try_wrong_reads_wrong(client):
    quiz, question = interactive_quiz_with_two_tries()
    attempt_id = started(client, quiz)

    check(client, attempt_id, question, choice_ids(question, is_correct=False)[:1])
    page = check(client, attempt_id, question, choice_ids(question, is_correct=False))

    line = verdict_line(page)
    assert "Wrong" in line and "verdict-wrong" in line


def test_the_result_page_gives_a_checked_question_the_verdict_its_attempt_page_gave(client):
    # Regression: right on the second try, the attempt page said "Right" and the result page, once
    # submitted, "Partly right" (from its points after the penalty).
    quiz, question = interactive_quiz_with_two_tries()
    attempt_id = started(client, quiz)
    check(client, attempt_id, question, choice_ids(question, is_correct=False)[:1])
    check(client, attempt_id, question, choice_ids(question, is_correct=True))

    client.post(reverse("web:attempt", kwargs={"attempt_id": attempt_id}), {"action": "submit"})
    result = client.get(reverse("web:result", kwargs={"attempt_id": attempt_id})).content.decode()

    verdict = result.split('<span class="verdict">', 1)[1].split("</span>", 2)
    assert 'class="verdict-right"' in verdict[0] and "Right" in verdict[0]
    assert "Partly right" not in result.split('id="result-', 1)[1]
