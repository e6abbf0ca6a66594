"""The question navigator, flags and the one-question-per-page layout in Chromium, and translated quotes on
a result page. Screenshots go to test-artifacts/screenshots/navigator-*.png and result-translated-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Attempt, AttemptState, Quiz
from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, start_quiz
from tests.e2e.test_accessibility import blocking_violations
from tests.factories import PASSWORD, QuestionFactory, QuizFactory, UserFactory

SCREENSHOTS = ARTIFACTS / "screenshots"


def twelve_questions(*, count=12, **quiz_fields):
    quiz = QuizFactory(slug="navigator", title="Zwölf Fragen", **quiz_fields)
    for position in range(1, count + 1):
        QuestionFactory(quiz=quiz, position=position, text=f"Was sagt der Artikel in Absatz {position}?")
    return quiz


def entry(page, number):
    return page.locator(".navigator-entry").nth(number - 1)


@pytest.mark.parametrize(("locale", "start_button"), [("de-DE", "Quiz starten"), ("en-GB", "Start the quiz")])
def test_the_navigator_follows_answers_and_flags_and_jumps_to_a_question(
    live_server, new_page, transactional_db, locale, start_button
):
    quiz = twelve_questions()
    page = new_page(locale=locale, viewport=DESKTOP)
    page.goto(f"/quizzes/{quiz.slug}/")
    start_quiz(page, start_button)
    expect(page.locator(".navigator-entry")).to_have_count(12)

    with page.expect_response(re.compile(r"/answers/\d+/$")):
        page.locator("fieldset.question").nth(0).locator("input").first.check()
    expect(entry(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    with page.expect_response(re.compile(r"/flags/\d+/$")) as flagged:
        page.locator("fieldset.question").nth(2).locator("input.flag-input").check()
    assert flagged.value.ok
    expect(entry(page, 3)).to_have_class(re.compile(r"\bis-flagged\b"))
    expect(entry(page, 3)).not_to_have_class(re.compile(r"\bis-answered\b"))
    answered = "answered" if locale.startswith("en") else "beantwortet"
    expect(entry(page, 1).locator(".navigator-state")).to_contain_text(answered)

    # Jump to the last question: it scrolls into view below the sticky bar, which stays on screen.
    entry(page, 12).click()
    last = page.locator("fieldset.question").nth(11)
    expect(page).to_have_url(re.compile(r"#question-\d+$"))
    expect(last).to_be_in_viewport()
    bar = page.locator("#attempt-status").bounding_box()
    assert bar["y"] >= -1 and last.bounding_box()["y"] >= bar["y"] + bar["height"] - 1
    language = locale[:2]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"navigator-{language}-{DESKTOP['width']}.png"))
    problems = [f"desktop: {violation}" for violation in blocking_violations(page)]

    page.set_viewport_size(PHONE)
    entry(page, 1).scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 900)")
    expect(page.locator("#question-navigator")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Twelve entries do not fit: the row scrolls inside the bar (ten do, see below).
    assert page.locator("#question-navigator ol").evaluate("row => row.scrollWidth > row.clientWidth")
    page.screenshot(path=str(SCREENSHOTS / f"navigator-{language}-{PHONE['width']}.png"))
    problems += [f"phone: {violation}" for violation in blocking_violations(page)]
    assert problems == []

    # Saved with the attempt: a reload shows the same states.
    page.reload()
    expect(entry(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    expect(entry(page, 3)).to_have_class(re.compile(r"\bis-flagged\b"))
    attempt = Attempt.objects.get()
    assert attempt.flagged_questions == [attempt.question_order[2]]


def test_ten_questions_fit_in_the_navigator_on_a_phone_without_scrolling(live_server, new_page, transactional_db):
    # Regression: the row of ten overflowed a 390 px screen by 7 px, "10" cut off at the edge.
    quiz = twelve_questions(count=10)
    page = new_page(viewport=PHONE)
    page.goto(f"/quizzes/{quiz.slug}/")
    start_quiz(page, "Quiz starten")

    row = page.locator("#question-navigator ol")
    expect(row.locator(".navigator-entry")).to_have_count(10)
    assert row.evaluate("row => row.scrollWidth <= row.clientWidth")


def test_one_question_per_page_without_javascript(live_server, new_page, transactional_db):
    quiz = twelve_questions(one_question_per_page=True)
    user = UserFactory()
    page = new_page(javascript=False, locale="en-GB", viewport=PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/quizzes/{quiz.slug}/")
    page.get_by_role("button", name="Start the quiz").click()

    expect(page.locator("fieldset.question")).to_have_count(1)
    expect(page.get_by_role("button", name="Submit answers")).to_have_count(0)
    page.locator("fieldset.question input").first.check()
    page.get_by_label("Flag to review").check()
    page.get_by_role("button", name="Next question").click()

    expect(page).to_have_url(re.compile(r"\?page=2#question-\d+$"))
    expect(entry(page, 1)).to_have_class(re.compile(r"\bis-answered\b.*\bis-flagged\b"))
    expect(entry(page, 2)).to_have_attribute("aria-current", "step")
    page.screenshot(path=str(SCREENSHOTS / f"navigator-one-per-page-{PHONE['width']}.png"), full_page=True)
    # The navigator saves this page and goes to any other.
    page.locator("fieldset.question input").first.check()
    entry(page, 12).click()
    expect(page).to_have_url(re.compile(r"\?page=12#question-\d+$"))
    expect(page.locator("#answered-count")).to_have_text("2 of 12 answered")
    page.get_by_role("button", name="Previous question").click()
    expect(page).to_have_url(re.compile(r"\?page=11#"))
    entry(page, 12).click()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("alert")).to_contain_text("10 questions are not answered yet")
    page.get_by_role("button", name="Submit anyway").click()

    expect(page).to_have_url(re.compile(r"/result/$"))
    attempt = Attempt.objects.get()
    # Questions 1 and 2 were answered with their first choice, which the factory makes the right one.
    assert attempt.state == AttemptState.SUBMITTED and attempt.score == 2
    assert len(attempt.flagged_questions) == 1


def test_one_question_per_page_with_javascript_updates_the_navigator_at_once(live_server, new_page, transactional_db):
    quiz = twelve_questions(one_question_per_page=True)
    page = new_page(locale="de-DE", viewport=DESKTOP)
    page.goto(f"/quizzes/{quiz.slug}/")
    start_quiz(page, "Quiz starten")

    with page.expect_response(re.compile(r"/answers/\d+/$")):
        page.locator("fieldset.question input").first.check()

    expect(entry(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    expect(page.locator("#answered-count")).to_have_text("1 von 12 beantwortet")
    page.get_by_role("button", name="Nächste Frage").click()
    expect(page).to_have_url(re.compile(r"\?page=2#question-\d+$"))
    expect(entry(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    page.screenshot(path=str(SCREENSHOTS / f"navigator-one-per-page-de-{DESKTOP['width']}.png"))


def test_an_english_result_shows_the_translation_first_and_the_german_original_under_it(content, new_page):
    user = UserFactory()
    owner = services.Owner.of(user=user)
    attempt, _created = services.start_attempt(quiz=Quiz.objects.get(slug="parler-shutdown"), owner=owner)
    services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=[])
    page = new_page(locale="en-GB", viewport=DESKTOP)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"/attempts/{attempt.pk}/result/")

    citation = page.locator("details[open] figure.citation-translation").first
    expect(citation.locator(".citation-label").first).to_have_text("Translation (English)")
    expect(citation.locator(".citation-original .citation-label")).to_have_text("Original (German)")
    translated, original = citation.locator("blockquote[lang=en]"), citation.locator("blockquote[lang=de]")
    assert translated.bounding_box()["y"] < original.bounding_box()["y"]
    problems = []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        citation.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"result-translated-{viewport['width']}.png"))
        problems += blocking_violations(page)
    assert problems == []
