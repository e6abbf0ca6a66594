"""The four teacher reports in Chromium at desktop width, as a member of the Editors group.

Screenshots go to test-artifacts/screenshots/report-<name>-1280.png for a person to look at.
"""

import importlib

from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP
from tests.e2e.test_accessibility import blocking_violations
from tests.factories import PASSWORD, EditorFactory
from tests.report_data import GUEST_KEY, build_class

SCREENSHOTS = ARTIFACTS / "screenshots"
REPORTS = [("overview", "Overview"), ("results", "Results"), ("responses", "Responses"), ("items", "Item analysis")]


def editors_group():
    """The "Editors" group as its migrations make it: a transactional test before this one empties the
    database, the migrated group too (permissions come back by themselves)."""
    authoring = importlib.import_module("quizzes.migrations.0002_editors_group")
    reports = importlib.import_module("quizzes.migrations.0004_quiz_reports_permission")
    codenames = [f"{action}_{model}" for model in authoring.CONTENT_MODELS for action in authoring.ACTIONS]
    group, _ = Group.objects.get_or_create(name=authoring.EDITOR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="quizzes", codename__in=codenames + [reports.REPORTS_PERMISSION]
        )
    )


def test_an_editor_opens_the_four_reports_from_the_quiz_page(transactional_db, new_page):
    editors_group()
    data = build_class()
    editor = EditorFactory()
    page = new_page(locale="en-GB", viewport=DESKTOP)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/quizzes/quiz/{data.quiz.pk}/change/")
    page.get_by_role("link", name="Reports", exact=True).click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, label in REPORTS:
        page.get_by_role("navigation", name="Reports").get_by_role("link", name=label).click()
        expect(page.locator("#content [aria-current=page]")).to_have_text(label)
        expect(page.locator(".errornote")).to_have_count(0)
        assert GUEST_KEY not in page.content()
        # Nothing wider than the window: no horizontal scrolling at desktop width.
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        page.screenshot(path=str(SCREENSHOTS / f"report-{name}-{DESKTOP['width']}.png"), full_page=True)
        problems += [f"{name}: {violation}" for violation in blocking_violations(page)]
    assert problems == []
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Overview").click()
    expect(page.get_by_role("img", name="Grade distribution")).to_be_visible()
    expect(page.get_by_role("table", name="Grade distribution as a table")).to_be_attached()
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Results").click()
    expect(page.get_by_role("rowheader", name="Guest 1")).to_be_visible()
