"""Learners take quizzes in a real browser (Debian's chromium) against a live server."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Attempt, AttemptState, Choice
from tests.e2e.conftest import PHONE, start_quiz
from tests.factories import PASSWORD, UserFactory, quiz_with_questions


def choose_first_choices(page):
    """Pick the first choice of every question on the attempt page."""
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input").first.check()


def choose_right_choice(page, question_id):
    choice = Choice.objects.filter(question_id=question_id, is_correct=True).first()
    page.locator(f"#q{question_id}-c{choice.pk}").check()
    return choice


def shown_question_ids(page):
    return [int(value) for value in page.locator("fieldset.question").evaluate_all(
        "nodes => nodes.map(node => node.dataset.questionId)"
    )]


def test_guest_with_javascript_takes_a_german_quiz_reloads_and_keeps_it_by_signing_up(content, page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quizze zur Abschaltung von Parler")
    page.get_by_role("link", name="Parler auf einen Blick").click()
    start_quiz(page, "Quiz starten")
    expect(page.locator("#answered-count")).to_have_text("0 von 3 beantwortet")

    order = shown_question_ids(page)
    first = order[0]
    # A guest's script saves through the API's autosave too, with the browser session and its CSRF token.
    assert page.locator("#attempt-form").get_attribute("data-autosave-url").startswith("/api/v1/attempts/")
    with page.expect_response(re.compile(r"/api/v1/attempts/.+/answers/\d+/$")) as saved:
        chosen = choose_right_choice(page, first)
    assert saved.value.ok
    expect(page.locator("#answered-count")).to_have_text("1 von 3 beantwortet")
    expect(page.locator("#save-status")).to_have_text("Alle Antworten gespeichert.")

    # A reload shows the same questions, in the same order, with the saved answer.
    page.reload()
    assert shown_question_ids(page) == order
    expect(page.locator(f"#q{first}-c{chosen.pk}")).to_be_checked()
    expect(page.locator("#answered-count")).to_have_text("1 von 3 beantwortet")

    choose_first_choices(page)
    page.get_by_role("button", name="Antworten abgeben").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ihr Ergebnis")
    # The first question was answered right, so it is folded to one line: the learner opens it.
    first_result = page.locator("details.result-question").first
    if first_result.get_attribute("open") is None:
        first_result.locator("summary").click()
    expect(page.locator(".explanation").first).to_be_visible()
    expect(page.locator("blockquote").first).to_contain_text("Amazon Web Services")
    expect(page.locator(".citation figcaption").first).to_contain_text("Reuters")

    page.get_by_role("link", name="Registrieren").first.click()
    page.get_by_label("Benutzername").fill("gastlerner")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort bestätigen").fill(PASSWORD)
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.locator(".messages")).to_contain_text("Ihre Versuche als Gast sind jetzt in Ihrem Konto gespeichert.")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Mein Lernstand").click()
    expect(page.get_by_role("region", name="Ihre Versuche")).to_contain_text("Parler auf einen Blick")
    expect(page.locator("svg")).to_be_visible()
    assert Attempt.objects.get().user.username == "gastlerner"


def test_registered_user_without_javascript_takes_an_english_quiz(content, new_page):
    user = UserFactory()
    page = new_page(javascript=False, locale="en-GB")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()

    page.goto("/quizzes/parler-at-a-glance/")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("#answered-count")).to_have_text("0 of 3 answered")
    first_fieldset = page.locator("fieldset.question").first
    first_fieldset.locator("input").first.check()
    # Without JavaScript nothing is saved until a button is pressed; unanswered questions ask first.
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("alert")).to_contain_text("2 questions are not answered yet")
    expect(page.locator("#answered-count")).to_have_text("1 of 3 answered")
    page.get_by_role("button", name="Submit anyway").click()

    expect(page).to_have_url(re.compile(r"/result/$"))
    expect(page.locator(".score-big")).to_be_visible()
    expect(page.get_by_role("heading", name="Question by question")).to_be_visible()
    expect(page.locator(".result-question").nth(1)).to_contain_text("Not answered")
    # Questions answered right are folded; the open ones (here the unanswered) show their quotes.
    expect(page.locator("details[open] blockquote").first).to_be_visible()
    # Regression: on a phone the fold marker stood on a line of its own above "Question 2".
    page.set_viewport_size(PHONE)
    summary = page.locator("details.result-question summary").nth(1)
    number = summary.locator(".question-number")
    assert number.bounding_box()["y"] - summary.bounding_box()["y"] < number.bounding_box()["height"]
    page.get_by_role("link", name=re.compile("Review my")).click()
    expect(page.get_by_role("heading", name="Your mistakes")).to_be_visible()
    attempt = Attempt.objects.get()
    assert attempt.user == user and attempt.state == AttemptState.SUBMITTED


def test_registered_user_with_javascript_autosaves_through_the_api(live_server, new_page, transactional_db):
    user = UserFactory()
    quiz = quiz_with_questions(2, title="Autosave quiz")
    page = new_page(locale="en-GB")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/quizzes/{quiz.slug}/")
    start_quiz(page, "Start the quiz")
    assert page.locator("#attempt-form").get_attribute("data-autosave-url").startswith("/api/v1/attempts/")

    with page.expect_response(re.compile(r"/api/v1/attempts/.+/answers/\d+/$")) as saved:
        page.locator("fieldset.question").first.locator("input").first.check()
    assert saved.value.ok
    expect(page.locator("#save-status")).to_have_text("All answers saved.")
    page.reload()
    expect(page.locator("fieldset.question").first.locator("input").first).to_be_checked()


def test_leaving_with_an_unsaved_answer_asks_first(live_server, page, transactional_db):
    quiz = quiz_with_questions(1)
    page.goto(f"/quizzes/{quiz.slug}/")
    start_quiz(page, "Quiz starten")
    # Hold the autosave so the answer stays unsaved while the learner leaves.
    page.route(re.compile(r"/answers/\d+/$"), lambda route: None)
    page.locator("fieldset.question input").first.check()
    dialogs = []
    # Dismissed at once: an open beforeunload dialog would block the click itself.
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with page.expect_event("dialog") as asked:
        page.get_by_role("link", name="Quizze", exact=True).click(no_wait_after=True)
    assert asked.value.type == "beforeunload"
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/attempts/"))


def test_the_countdown_submits_at_the_deadline_and_the_server_enforces_it_without_javascript(
    live_server, new_page, settings, transactional_db
):
    settings.QUIZSITE_DEADLINE_GRACE_SECONDS = 1
    quiz = quiz_with_questions(2, time_limit_seconds=3)

    with_script = new_page()
    with_script.goto(f"/quizzes/{quiz.slug}/")
    start_quiz(with_script, "Quiz starten")
    expect(with_script.locator("#countdown")).to_be_visible()
    with_script.locator("fieldset.question").first.locator("input").first.check()
    # The page submits by itself at the deadline, with the answer chosen in time.
    expect(with_script).to_have_url(re.compile(r"/result/$"), timeout=10_000)
    expect(with_script.locator(".score-panel")).to_contain_text("1 von 2 Punkten")

    without_script = new_page(javascript=False)
    without_script.goto(f"/quizzes/{quiz.slug}/")
    without_script.get_by_role("button", name="Quiz starten").click()
    expect(without_script).to_have_url(re.compile(r"/attempts/[0-9a-f-]+/$"))
    without_script.locator("fieldset.question").first.locator("input").first.check()
    # Past the deadline and its grace, without waiting for them: the server decides by the stored deadline.
    attempt_id = re.search(r"/attempts/([0-9a-f-]+)/$", without_script.url).group(1)
    overdue = timezone.now() - timedelta(seconds=settings.QUIZSITE_DEADLINE_GRACE_SECONDS + 1)
    assert Attempt.objects.filter(pk=attempt_id, state=AttemptState.IN_PROGRESS).update(deadline=overdue) == 1
    without_script.get_by_role("button", name="Antworten abgeben").click()
    expect(without_script).to_have_url(re.compile(r"/result/$"))
    expect(without_script.locator(".messages")).to_contain_text("Zeitlimit")
    expect(without_script.locator(".score-panel")).to_contain_text("Die Zeit war abgelaufen")
    expect(without_script.locator(".score-panel")).to_contain_text("0 von 2 Punkten")


def test_switching_languages_changes_the_interface_and_the_catalogue_order(content, new_page):
    page = new_page(locale="de-DE")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    first_card = page.locator(".card").first
    expect(first_card.locator(".badge")).to_have_text("Deutsch")

    page.get_by_label("Sprache", exact=True).select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quizzes about the Parler shutdown")
    expect(page.locator(".card").first.locator(".badge")).to_have_text("English")

    # A browser that asks for English gets English without choosing.
    english_browser = new_page(locale="en-US")
    english_browser.goto("/")
    expect(english_browser.locator("html")).to_have_attribute("lang", "en")


def test_switching_languages_without_javascript_stays_on_the_filtered_page_and_back(content, new_page):
    page = new_page(javascript=False, locale="de-DE")
    page.goto("/?language=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quizze zur Abschaltung von Parler")

    page.get_by_label("Sprache", exact=True).select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page).to_have_url(re.compile(r"/\?language=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Quiz language")).to_have_value("en")

    page.get_by_label("Language", exact=True).select_option("de")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quizze zur Abschaltung von Parler")
