"""axe-core on every page, at phone and desktop width, with screenshots of each for a person to look at.

Screenshots go to test-artifacts/screenshots/<page>-<width>.png.
"""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE

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


def check_page(page, name, problems):
    """Run axe and take a full-page screenshot at both widths; collect violations by page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport['width']}.png"), full_page=True)
        for violation in blocking_violations(page):
            problems.append(f"{name} at {label} width: {violation}")


def test_every_page_has_no_serious_or_critical_accessibility_violation(content, new_page):
    problems = []
    page = new_page(locale="de-DE")

    page.goto("/")
    check_page(page, "home", problems)

    page.goto("/quizzes/parler-auf-einen-blick/")
    check_page(page, "quiz", problems)

    page.get_by_role("button", name="Quiz starten").click()
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

    english = new_page(locale="en-GB")
    english.goto("/quizzes/parler-at-a-glance/")
    english.get_by_role("button", name="Start the quiz").click()
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
    first_input = page.locator("fieldset.question").first.locator("input").first
    first_input.focus()
    page.keyboard.press("Space")
    expect(first_input).to_be_checked()
    outline = first_input.evaluate("node => getComputedStyle(node).outlineStyle")
    assert outline != "none"  # focus is visible
