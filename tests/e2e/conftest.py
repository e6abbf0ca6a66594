"""Browser fixtures: one Debian chromium per test session, a fresh context (cookies, language) per test."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test
# (fixtures, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIXTURES = sorted(str(path) for path in (Path(__file__).resolve().parents[2] / "fixtures").glob("*.yaml"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def content(transactional_db):
    """The real quizzes from fixtures/, German and English."""
    call_command("loaddata", *FIXTURES, verbosity=0)


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts: new_page(javascript=False, locale="en-GB", viewport=PHONE)."""
    contexts = []

    def open_page(*, javascript=True, locale="de-DE", viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript, locale=locale, viewport=viewport
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def start_quiz(page, button_name):
    """Press a quiz's start button and wait until the attempt page is loaded with its script running."""
    page.get_by_role("button", name=button_name).click()
    expect(page).to_have_url(re.compile(r"/attempts/[0-9a-f-]+/$"))
    # attempt.js is deferred: its listeners (autosave, counters) are attached by the load event, and
    # an answer chosen before then is never saved by it.
    page.wait_for_load_state("load")
