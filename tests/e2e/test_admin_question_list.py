"""The admin's question list fits a 1280 px screen beside the navigation sidebar, its problems column in view.

Screenshots go to test-artifacts/screenshots/admin-question-list-<who>-1280.png for a person to look at.
"""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import ARTIFACTS, DESKTOP, FIXTURES
from tests.e2e.test_reports import editors_group
from tests.factories import PASSWORD, EditorFactory, StaffFactory

SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_the_question_list_fits_1280_pixels_with_the_sidebar(transactional_db, new_page, who):
    editors_group()
    call_command("loaddata", *FIXTURES, verbosity=0)
    user = StaffFactory() if who == "superuser" else EditorFactory()
    page = new_page(locale="en-GB", viewport=DESKTOP)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto("/admin/quizzes/question/")

    assert page.locator("#nav-sidebar").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-question-list-{who}-{DESKTOP['width']}.png"))
    # No horizontal scrolling, neither of the page nor of the list inside it.
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert page.evaluate(
        "(() => { const list = document.querySelector('#changelist .results');"
        " return list.scrollWidth <= list.clientWidth; })()"
    )
    # The last column (whether each question is ready, with its problems) is wholly in the window.
    last_header = page.locator("#result_list thead th").last
    box = last_header.bounding_box()
    assert box is not None and box["x"] + box["width"] <= DESKTOP["width"]
