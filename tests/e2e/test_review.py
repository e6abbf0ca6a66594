"""A review session in Chromium, without JavaScript: miss questions, practise them, review the rest.

Also writes screenshots of the review and progress pages at phone and desktop width, in German and
English, to /tmp/review-shots/ (for a person to look at; nothing is asserted about them).
"""

import re
from pathlib import Path

from playwright.sync_api import expect

from quizzes.models import Attempt, MemoryState
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import UserFactory, translated_quizzes

SHOTS = Path("/tmp/review-shots")


def answer_all_wrong(page):
    for fieldset in page.locator("fieldset.question").all():
        fieldset.get_by_text("Wrong 0").click()


def test_a_guest_misses_questions_practises_them_and_the_review_queue_empties(live_server, new_page, transactional_db):
    german, _english = translated_quizzes(3)
    page = new_page(javascript=False)
    page.goto(f"/quizzes/{german.slug}/")
    page.get_by_role("button", name=re.compile("Quiz starten|Start")).click()
    answer_all_wrong(page)
    page.locator("#submit-button").click()
    expect(page).to_have_url(re.compile(r"/result/$"))

    page.get_by_role("link", name="Meine Fehler üben").click()
    expect(page.get_by_role("heading", name="Meine Fehler üben")).to_be_visible()
    expect(page.locator("#review-counts")).to_contain_text("3 Fehler dieses Versuchs noch zu üben")
    for remaining in (3, 2, 1):
        legend = page.locator("#review-question legend").inner_text()
        assert "Frage" in legend
        page.get_by_text("Right 0").click()
        page.get_by_role("button", name="Antwort prüfen").click()
        expect(page.locator(".verdict")).to_contain_text("Richtig")
        expect(page.locator(".explanation")).to_contain_text("Because the source says so.")
        expect(page.locator("blockquote")).to_contain_text("A verbatim quote.")
        expect(page.locator("#next-due")).to_contain_text("Wieder fällig")
        page.get_by_role("link", name="Nächste Frage").click()
    expect(page.get_by_role("heading", name="Keine Fehler dieses Versuchs mehr zu üben.")).to_be_visible()

    page.get_by_role("link", name="Wiederholen").click()
    expect(page.get_by_role("heading", name="Gerade ist nichts zur Wiederholung fällig.")).to_be_visible()
    expect(page.locator("#review-counts")).to_contain_text("0 Fragen jetzt fällig")
    attempt = Attempt.objects.get()
    assert MemoryState.objects.filter(owner=f"guest:{attempt.guest_key}").count() == 3
    assert attempt.score == 0  # review changed no grade


def test_a_wrong_answer_in_review_shows_the_right_one_and_stays_due(live_server, new_page, transactional_db):
    german, _english = translated_quizzes(2)
    page = new_page(javascript=False, locale="en-GB")
    page.goto(f"/quizzes/{german.slug}/")
    page.get_by_role("button", name=re.compile("Start")).click()
    answer_all_wrong(page)
    page.locator("#submit-button").click()

    page.goto("/review/")
    # The English interface shows the English version of the German quiz's questions.
    expect(page.locator("#review-question legend")).to_contain_text("Question")
    page.get_by_text("Wrong 1").click()
    page.get_by_role("button", name="Check my answer").click()

    expect(page.locator(".verdict")).to_contain_text("Wrong")
    expect(page.locator(".choice-right")).to_contain_text("Right 0")
    page.get_by_role("link", name="Next question").click()
    expect(page.locator("#review-counts")).to_contain_text("2 questions due now")


def test_screenshots_of_the_review_and_progress_pages(live_server, new_page, transactional_db):
    SHOTS.mkdir(exist_ok=True)
    german, _english = translated_quizzes(6)
    user = UserFactory()
    for locale, language in (("de-DE", "de"), ("en-GB", "en")):
        for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page = new_page(javascript=False, locale=locale, viewport=viewport)
            page.goto("/accounts/login/")
            page.locator("#id_username").fill(user.username)
            page.locator("#id_password").fill("correct-horse-battery-staple")
            page.locator("form button[type=submit]").last.click()
            if not Attempt.objects.exists():
                page.goto(f"/quizzes/{german.slug}/")
                page.locator("form[action$='/start/'] button").click()
                answer_all_wrong(page)
                page.locator("#submit-button").click()
            page.goto("/review/")
            page.screenshot(path=str(SHOTS / f"review-{language}-{name}.png"), full_page=True)
            page.get_by_text("Right 0").click()
            page.locator("#check-answer").click()
            page.screenshot(path=str(SHOTS / f"review-answered-{language}-{name}.png"), full_page=True)
            page.goto("/progress/")
            page.screenshot(path=str(SHOTS / f"progress-{language}-{name}.png"), full_page=True)
