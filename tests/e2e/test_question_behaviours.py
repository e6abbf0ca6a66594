"""Immediate feedback and interactive with multiple tries in a real browser, with and without JavaScript.

Each checked state is also looked at by axe and photographed at phone and desktop width
(test-artifacts/screenshots/check-<name>-<width>.png).
"""

import re

from playwright.sync_api import expect

from quizzes.models import Answer, Attempt, Choice
from tests.e2e.conftest import DESKTOP, PHONE, start_quiz
from tests.e2e.test_accessibility import SCREENSHOTS, check_page


def look_at(page, name, question_id, problems):
    """axe and full-page screenshots (check_page), and a screenshot of the checked question at both widths."""
    check_page(page, name, problems)
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.locator(f"#question-{question_id}").screenshot(
            path=str(SCREENSHOTS / f"{name}-question-{viewport['width']}.png")
        )


def first_question_id(page):
    return int(page.locator("fieldset.question").first.get_attribute("data-question-id"))


def choose(page, question_id, *, is_correct, index=0):
    choice = Choice.objects.filter(question_id=question_id, is_correct=is_correct).order_by("position")[index]
    page.locator(f"#q{question_id}-c{choice.pk}").check()
    return choice


def choose_right(page, question_id):
    """Select every correct choice (and only those) of a question whose inputs are cleared first."""
    for choice in Choice.objects.filter(question_id=question_id).order_by("position"):
        box = page.locator(f"#q{question_id}-c{choice.pk}")
        if choice.is_correct:
            box.check()
        elif box.get_attribute("type") == "checkbox":
            box.uncheck()


def test_immediate_feedback_with_javascript_checks_in_place_in_german(content, page):
    problems = []
    page.goto("/quizzes/parler-auf-einen-blick/")
    start_quiz(page, "Quiz starten")
    question_id = first_question_id(page)
    fieldset = page.locator(f"#question-{question_id}")
    expect(fieldset.get_by_role("button", name="Prüfen")).to_be_visible()
    # Nothing selected: the API refuses, and the script posts the form, whose page says why.
    fieldset.get_by_role("button", name="Prüfen").click()
    expect(page.locator(f"#question-{question_id} .field-error")).to_have_text(
        "Wählen Sie eine Antwort, bevor Sie sie prüfen."
    )
    page.wait_for_load_state("load")
    # A marker the page keeps only if it is not reloaded.
    page.evaluate("window.notReloaded = true")

    wrong = choose(page, question_id, is_correct=False)
    with page.expect_response(re.compile(rf"/api/v1/attempts/.+/answers/{question_id}/check/$")) as checked:
        fieldset.get_by_role("button", name="Prüfen").click()
    assert checked.value.ok

    fieldset = page.locator(f"#question-{question_id}")
    expect(fieldset.locator(".verdict")).to_contain_text("Falsch")
    expect(fieldset.locator(".explanation")).to_be_visible()
    expect(fieldset.locator("blockquote")).to_be_visible()
    expect(fieldset.get_by_role("button", name="Prüfen")).to_have_count(0)
    expect(page.locator(f"#q{question_id}-c{wrong.pk}")).to_be_disabled()
    expect(page.locator(f"#q{question_id}-c{wrong.pk}")).to_be_checked()
    assert page.evaluate("window.notReloaded") is True
    # Only the checked question shows its review.
    expect(page.locator(".question-check .explanation")).to_have_count(1)
    look_at(page, "check-immediate-de", question_id, problems)

    for other in page.locator("fieldset.question").all()[1:]:
        other.locator("input").first.check()
    page.get_by_role("button", name="Antworten abgeben").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    answer = Answer.objects.get(question_id=question_id)
    assert answer.is_locked and answer.choice_ids == [wrong.pk]
    assert problems == []


def test_interactive_with_javascript_gives_a_hint_and_locks_after_a_right_try_in_english(content, new_page):
    problems = []
    page = new_page(locale="en-GB")
    page.goto("/quizzes/parler-people-and-figures/")
    start_quiz(page, "Start the quiz")
    question_id = first_question_id(page)
    fieldset = page.locator(f"#question-{question_id}")
    expect(fieldset.locator(".check-area .hint")).to_have_text("3 tries left")

    wrong = choose(page, question_id, is_correct=False)
    with page.expect_response(re.compile(r"/check/$")):
        fieldset.get_by_role("button", name="Check").click()
    fieldset = page.locator(f"#question-{question_id}")
    expect(fieldset.locator(".check-hint")).to_contain_text("Not quite. Try again.")
    if wrong.feedback:
        expect(fieldset.locator(".check-hint")).to_contain_text(wrong.feedback[:40])
    expect(fieldset.locator(".check-area .hint")).to_have_text("2 tries left")
    expect(fieldset.locator(".explanation")).to_have_count(0)
    look_at(page, "check-interactive-hint-en", question_id, problems)

    choose_right(page, question_id)
    with page.expect_response(re.compile(r"/check/$")):
        fieldset.get_by_role("button", name="Check").click()
    fieldset = page.locator(f"#question-{question_id}")
    expect(fieldset.locator(".verdict")).to_contain_text("Right")
    expect(fieldset.locator(".verdict")).to_contain_text("after 2 tries")
    expect(fieldset.locator(".explanation")).to_be_visible()
    look_at(page, "check-interactive-locked-en", question_id, problems)

    answer = Answer.objects.get(question_id=question_id)
    assert (len(answer.tries), answer.is_locked) == (2, True)
    assert answer.score == (answer.question.points * (1 - Attempt.objects.get().quiz.penalty)).quantize(answer.score)
    assert problems == []


def test_immediate_feedback_without_javascript_posts_the_form_and_returns_to_the_question(content, new_page):
    page = new_page(javascript=False, locale="en-GB")
    page.goto("/quizzes/parler-at-a-glance/")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/[0-9a-f-]+/$"))
    first, second = [int(value) for value in page.locator("fieldset.question").evaluate_all(
        "nodes => nodes.map(node => node.dataset.questionId)"
    )][:2]
    choose_right(page, first)
    right = Choice.objects.filter(question_id=first, is_correct=True).first()
    other = choose(page, second, is_correct=False)

    page.locator(f"#question-{first}").get_by_role("button", name="Check").click()

    expect(page).to_have_url(re.compile(rf"/attempts/[0-9a-f-]+/#question-{first}$"))
    fieldset = page.locator(f"#question-{first}")
    expect(fieldset.locator(".verdict")).to_contain_text("Right")
    expect(fieldset.locator(".explanation")).to_be_visible()
    expect(page.locator(f"#q{first}-c{right.pk}")).to_be_disabled()
    # The other answer was saved with the check, not lost.
    expect(page.locator(f"#q{second}-c{other.pk}")).to_be_checked()
    assert Answer.objects.get(question_id=second).choice_ids == [other.pk]
    expect(page.locator(".question-check .explanation")).to_have_count(1)
