"""In the browser: a result's overall feedback, the home page with the site's texts from the database,
and the admin forms where editors author both (screenshots in test-artifacts/screenshots/bands-*)."""

import importlib
import re

from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from quizzes import rules
from quizzes.models import Attempt, FeedbackBand, SiteText
from tests.e2e.conftest import DESKTOP, PHONE, start_quiz
from tests.e2e.test_accessibility import SCREENSHOTS, blocking_violations
from tests.e2e.test_taking_quizzes import choose_right_choice, shown_question_ids
from tests.factories import PASSWORD, EditorFactory

ANOTHER_STORY = {
    "de": {"site_name": "Klimaquiz", "headline": "Quizze zur Klimakonferenz", "introduction": "Was in Dubai beschlossen wurde.", "footer": "Jede Antwort ist mit einem Zitat belegt."},
    "en": {"site_name": "Climate quiz", "headline": "Quizzes about the climate summit", "introduction": "What was agreed in Dubai.", "footer": "Every answer is backed by a quote."},
}


def look(page, name, problems=None):
    """Screenshots at phone and desktop width, and axe's serious and critical findings (not for the
    admin, whose markup is Django's own)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"bands-{name}-{viewport['width']}.png"), full_page=True)
        if problems is not None:
            problems += [f"{name} at {viewport['width']}: {violation}" for violation in blocking_violations(page)]


def test_a_result_shows_the_feedback_of_its_band_in_german_and_english(content, new_page):
    problems = []
    for locale, slug, start, submit in (
        ("de-DE", "parler-auf-einen-blick", "Quiz starten", "Antworten abgeben"),
        ("en-GB", "parler-at-a-glance", "Start the quiz", "Submit answers"),
    ):
        page = new_page(locale=locale)
        page.goto(f"/quizzes/{slug}/")
        start_quiz(page, start)
        for question_id in shown_question_ids(page):
            choose_right_choice(page, question_id)
        page.get_by_role("button", name=submit).click()
        expect(page).to_have_url(re.compile(r"/result/$"))
        attempt = Attempt.objects.get(quiz__slug=slug)
        bands = FeedbackBand.objects.filter(quiz__slug=slug).values_list("from_percent", "text")
        expected = rules.overall_feedback(bands=bands, percent=attempt.percent)
        expect(page.locator(".score-panel .overall-feedback p")).to_have_text(expected)
        look(page, f"result-{locale[:2]}", problems)
    assert problems == []


def test_the_home_page_shows_the_site_texts_an_editor_set_and_no_parler_in_its_chrome(content, new_page):
    for site_text in SiteText.objects.all():
        for field, text in ANOTHER_STORY[site_text.language].items():
            setattr(site_text, field, text)
        site_text.save()
    problems = []
    for locale, language in (("de-DE", "de"), ("en-GB", "en")):
        page = new_page(locale=locale)
        page.goto("/")
        texts = ANOTHER_STORY[language]
        expect(page.get_by_role("heading", level=1)).to_have_text(texts["headline"])
        expect(page).to_have_title(re.compile(re.escape(texts["site_name"]) + "$"))
        expect(page.locator(".site-header .brand")).to_have_text(texts["site_name"])
        expect(page.locator(".site-footer")).to_have_text(texts["footer"])
        assert "Parler" not in page.locator(".site-header").inner_text() + page.locator(".site-footer").inner_text()
        look(page, f"home-{language}", problems)
    assert problems == []


def editors_group():
    """The "Editors" group as its migrations make it (a transactional test before this one empties it)."""
    authoring = importlib.import_module("quizzes.migrations.0002_editors_group")
    bands = importlib.import_module("quizzes.migrations.0010_feedback_bands_and_site_texts")
    codenames = [f"{action}_{model}" for model in authoring.CONTENT_MODELS for action in authoring.ACTIONS]
    group, _ = Group.objects.get_or_create(name=authoring.EDITOR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="quizzes", codename__in=codenames + bands.EDITOR_PERMISSIONS)
    )


def test_an_editor_authors_bands_and_site_texts_in_the_admin(content, new_page):
    editors_group()
    editor = EditorFactory()
    page = new_page(locale="en-GB", viewport=DESKTOP)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/quizzes/quiz/")
    page.get_by_role("link", name="How Parler was shut down").click()
    bands = page.locator("#feedback_bands-group")
    expect(bands).to_contain_text("Excellent, every answer right")
    look(page, "admin-quiz")
    bands.locator("input[name='feedback_bands-0-from_percent']").fill("10")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#feedback_bands-group .errorlist")).to_contain_text("The lowest band must start at 0 percent")
    look(page, "admin-quiz-refused")

    page.goto("/admin/quizzes/sitetext/")
    page.get_by_role("link", name="German").click()
    page.get_by_label("Home page headline").fill("Quizze zur Klimakonferenz")
    look(page, "admin-site-texts")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert SiteText.objects.get(language="de").headline == "Quizze zur Klimakonferenz"
