"""Every page works under the Content-Security-Policy: no violation in the console, scripts still run.

Chromium reports each blocked inline script, style, handler or foreign resource as a console error
that mentions "Content Security Policy"; the walk below collects them on every kind of page,
including the admin and Swagger UI, while checking that the page's scripts still do their work.
"""

import re

from playwright.sync_api import expect

from quizzes.models import Quiz
from tests.e2e.conftest import start_quiz
from tests.factories import PASSWORD, StaffFactory

POLICY_PATTERN = re.compile("Content[ -]Security[ -]Policy", re.IGNORECASE)


def watch_for_violations(page, violations):
    """Collect console errors about the policy (and script errors, which a blocked script causes)."""
    page.on(
        "console",
        lambda message: violations.append((page.url, message.text))
        if message.type == "error" and POLICY_PATTERN.search(message.text)
        else None,
    )
    page.on("pageerror", lambda error: violations.append((page.url, f"script error: {error}")))


def test_no_page_violates_the_content_security_policy(content, live_server, new_page):
    violations = []
    page = new_page(locale="en-GB")
    watch_for_violations(page, violations)

    response = page.goto("/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto("/quizzes/parler-at-a-glance/")
    start_quiz(page, "Start the quiz")
    # The attempt page's script still runs: it counts and autosaves the answer.
    with page.expect_response(re.compile(r"/attempts/.+/answers/\d+/$")) as saved:
        page.locator("fieldset.question").first.locator("input").first.check()
    assert saved.value.ok
    expect(page.locator("#save-status")).to_have_text("All answers saved.")
    expect(page.locator("#answered-count")).to_contain_text("1")

    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name=re.compile("Submit anyway")).click()
    expect(page).to_have_url(re.compile(r"/result/$"))

    page.goto("/review/")
    page.locator("#review-question input").first.check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#next-due")).to_be_visible()
    page.goto("/progress/")
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Username")).to_be_visible()
    page.goto("/accounts/login/")
    expect(page.get_by_label("Username")).to_be_visible()

    # A superuser: transactional tests flush the Editors group that a migration creates.
    editor = StaffFactory()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    quiz = Quiz.objects.get(slug="parler-at-a-glance")
    page.goto(f"/admin/quizzes/quiz/{quiz.pk}/change/")
    expect(page.locator("#quiz_form")).to_be_visible()
    page.wait_for_load_state("load")
    # The import's preview page, with a file to preview.
    page.get_by_role("link", name="Import questions").click()
    page.set_input_files("input[type=file]", files=[{
        "name": "questions.gift", "mimeType": "text/plain",
        "buffer": "$CATEGORY: shutdown\n\n// [id:new-one]\n// [citation:parler-einstweilige-verfuegung-abgelehnt] "
                  "Amazon habe die Plattform nach eigenen Aussagen mehrfach gewarnt\nNew?{=Right ~Wrong}\n\n"
                  "Essay?{}\n".encode(),
    }])
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("button", name="Import these questions")).to_be_visible()

    page.goto("/api/docs/")
    # Swagger UI runs: it fetched the schema and rendered the operations.
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 10
    # "Try it out" still reaches the API from the page (connect-src 'self').
    operation = page.locator("#operations-quizzes-v1_quizzes_list")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    with page.expect_response(re.compile(r"/api/v1/quizzes/")) as listed:
        operation.locator("button.execute").click()
    assert listed.value.status == 200
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")

    assert violations == []
