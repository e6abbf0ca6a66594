"""axe-core on every page, at phone and desktop width, with screenshots of each for a person to look at.

Screenshots go to test-artifacts/screenshots/<page>-<width>.png (`make screenshots` runs just this module).
"""

import re

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Choice, Quiz
from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, start_quiz
from tests.factories import PASSWORD

BLOCKING_IMPACTS = {"serious", "critical"}
SCREENSHOTS = ARTIFACTS / "screenshots"

axe = Axe()


def blocking_violations(page):
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def take_attempts(user, *, slug, right_shares):
    """Closed attempts of `user` on a quiz, each answering the given share of questions right."""
    owner = services.Owner.of(user=user)
    quiz = Quiz.objects.get(slug=slug)
    for share in right_shares:
        attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
        right_count = round(len(attempt.question_order) * share)
        answers = []
        for index, question_id in enumerate(attempt.question_order):
            choices = Choice.objects.filter(question_id=question_id, is_correct=index < right_count)
            answers.append(services.AnswerInput(question_id=question_id, choice_ids=(choices.first().pk,)))
        services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers)


# No table may be wider than its scrolling box, at either width: a column cut off at the edge of a
# phone is easily missed, as the German progress table's last column was.
CLIPPED_TABLES = """[...document.querySelectorAll('.table-scroll')]
    .filter(box => box.scrollWidth > box.clientWidth)
    .map(box => `${box.querySelector('th')?.textContent.trim()}: ${box.scrollWidth} px in ${box.clientWidth}`)"""


def check_page(page, name, problems):
    """Run axe and take a full-page screenshot at both widths; collect violations and clipped tables by page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport['width']}.png"), full_page=True)
        for violation in blocking_violations(page):
            problems.append(f"{name} at {label} width: {violation}")
        for table in page.evaluate(CLIPPED_TABLES):
            problems.append(f"{name} at {label} width: a table wider than its box ({table})")


def test_every_page_has_no_serious_or_critical_accessibility_violation(content, new_page):
    problems = []
    page = new_page(locale="de-DE")

    page.goto("/")
    check_page(page, "home", problems)

    page.goto("/quizzes/parler-auf-einen-blick/")
    check_page(page, "quiz", problems)

    start_quiz(page, "Quiz starten")
    page.locator("fieldset.question").first.locator("input").first.check()
    expect(page.locator("#save-status")).to_have_text("Alle Antworten gespeichert.")
    check_page(page, "attempt", problems)

    page.get_by_role("button", name="Antworten abgeben").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, "attempt-confirm", problems)

    page.get_by_role("button", name="Trotzdem abgeben").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    check_page(page, "result", problems)

    page.get_by_role("link", name=re.compile("Fehler ansehen")).click()
    check_page(page, "result-mistakes", problems)

    page.goto("/review/")
    check_page(page, "review", problems)
    page.locator("#review-question input").first.check()
    page.get_by_role("button", name="Antwort prüfen").click()
    expect(page.locator("#next-due")).to_be_visible()
    check_page(page, "review-answered", problems)

    page.goto("/quizzes/parler-klage-und-urteil/")
    check_page(page, "quiz-timed", problems)
    start_quiz(page, "Quiz starten")
    expect(page.locator("#countdown")).to_be_visible()
    check_page(page, "attempt-timed", problems)

    page.goto("/progress/")
    check_page(page, "progress", problems)

    page.goto("/accounts/signup/")
    page.get_by_label("Benutzername").fill("neu")
    page.get_by_label("Passwort", exact=True).fill("kurz")
    page.get_by_label("Passwort bestätigen").fill("anders")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.locator(".field-error").first).to_be_visible()
    check_page(page, "signup-errors", problems)

    page.goto("/accounts/login/")
    check_page(page, "login", problems)
    page.goto("/accounts/password-reset/")
    check_page(page, "password-reset", problems)

    # A learner with an account and a history: the progress chart has several points.
    page.goto("/accounts/signup/")
    check_page(page, "signup", problems)
    page.get_by_label("Benutzername").fill("lernende")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort bestätigen").fill(PASSWORD)
    page.get_by_role("button", name="Konto anlegen").click()
    learner = get_user_model().objects.get(username="lernende")
    take_attempts(learner, slug="parler-abschaltung", right_shares=(0.25, 0.5, 0.75, 1))
    page.goto("/progress/")
    expect(page.locator(".chart circle")).to_have_count(5)
    check_page(page, "progress-account", problems)
    page.goto("/")
    check_page(page, "home-returning", problems)

    english = new_page(locale="en-GB")
    english.goto("/quizzes/parler-at-a-glance/")
    start_quiz(english, "Start the quiz")
    for fieldset in english.locator("fieldset.question").all():
        fieldset.locator("input").first.check()
    english.get_by_role("button", name="Submit answers").click()
    expect(english).to_have_url(re.compile(r"/result/$"))
    check_page(english, "result-english", problems)
    english.goto("/")
    check_page(english, "home-english", problems)

    assert problems == []


def test_keyboard_alone_reaches_and_answers_a_question(content, page):
    page.goto("/quizzes/parler-auf-einen-blick/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    button = page.get_by_role("button", name="Quiz starten")
    button.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/attempts/"))
    page.wait_for_load_state("load")  # attempt.js is deferred
    first_input = page.locator("fieldset.question").first.locator("input").first
    first_input.focus()
    page.keyboard.press("Space")
    expect(first_input).to_be_checked()
    outline = first_input.evaluate("node => getComputedStyle(node).outlineStyle")
    assert outline != "none"  # focus is visible
