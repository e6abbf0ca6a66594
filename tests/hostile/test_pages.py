"""Hostile input to the pages and the admin: every form meets malformed, oversized, odd and malicious values.

Each must get a validation message, write nothing (row counts before and after), and never echo
anything unescaped into HTML. Other people's attempts are answered as if they did not exist (404).
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, AttemptState, Choice, Citation
from quizzes.services import Owner, start_attempt
from tests.factories import PASSWORD, QuestionFactory, QuizFactory, StaffFactory, UserFactory
from tests.hostile.values import (
    INVALID_FOR_ANY_TEXT,
    MEGABYTE_STRING,
    ODD_STRINGS,
    SCRIPT,
    hostile_answer_bodies,
    post_form,
    raw_json,
    row_counts,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Pages: sign-up, login, the attempt form and its autosave




def assert_nothing_unescaped(response):
    body = response.content.decode("utf-8", "replace")
    assert "<script>alert(1)" not in body
    assert "<img src=x onerror" not in body


@pytest.mark.parametrize("value", ODD_STRINGS)
def test_sign_up_with_hostile_values_shows_form_errors_and_creates_nothing(db, value):
    before = row_counts()
    client = Client()

    attempts = [
        {"username": value, "password1": PASSWORD, "password2": PASSWORD},
        {"username": "newcomer", "password1": PASSWORD, "password2": value},
    ]
    # A lone surrogate reaches a form as invalid UTF-8, which Django reads as U+FFFD: a valid password.
    if value in INVALID_FOR_ANY_TEXT and "\ud800" not in value:
        attempts.append({"username": "newcomer", "password1": value, "password2": value})
    for fields in attempts:
        response = post_form(client, "/accounts/signup/", fields)
        if response.status_code == 200:
            assert b"error" in response.content.lower()
            assert_nothing_unescaped(response)
        else:
            assert 400 <= response.status_code < 500

    assert row_counts() == before


@pytest.mark.parametrize("value", ODD_STRINGS)
def test_login_with_hostile_values_shows_an_error_and_logs_nobody_in(db, value):
    UserFactory(username="alice")
    client = Client()

    response = post_form(client, "/accounts/login/", {"username": value, "password": value})

    assert response.status_code in {200, 400}
    assert "_auth_user_id" not in client.session
    assert_nothing_unescaped(response)


def test_the_attempt_form_refuses_hostile_values_and_saves_nothing(world):
    client = Client()
    client.login(username="alice", password=PASSWORD)
    url = f"/attempts/{world['attempt'].pk}/"
    field = f"question-{world['single_question']}"
    before = row_counts()

    for value in [*ODD_STRINGS[:-1], "-1", "0", "999999", str(world["foreign_choice"]), "1.5"]:
        response = post_form(client, url, {field: value, "action": "save"})
        assert response.status_code == 400, value
        assert_nothing_unescaped(response)

    assert row_counts() == before
    world["attempt"].refresh_from_db()
    assert world["attempt"].state == AttemptState.IN_PROGRESS


def test_the_page_autosave_refuses_hostile_bodies_and_saves_nothing(world):
    client = Client()
    client.login(username="alice", password=PASSWORD)
    # The page's script saves through the API's autosave (a POST there would be a mere 405).
    url = f"/api/v1/attempts/{world['attempt'].pk}/answers/{world['single_question']}/"
    before = row_counts()

    for body in hostile_answer_bodies(world):
        response = raw_json(client, "put", url, body)
        assert 400 <= response.status_code < 500, (body if isinstance(body, bytes) else str(body)[:80])

    assert row_counts() == before


def test_someone_elses_attempt_page_is_404(world):
    client = Client()
    client.login(username="alice", password=PASSWORD)
    foreign = world["bob_attempt"]

    assert client.get(f"/attempts/{foreign.pk}/").status_code == 404
    assert client.post(f"/attempts/{foreign.pk}/", {"action": "submit"}).status_code == 404
    assert client.get(f"/attempts/{foreign.pk}/result/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == AttemptState.IN_PROGRESS


def test_page_forms_refuse_posts_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    before = row_counts()

    signup = client.post("/accounts/signup/", {"username": "x1", "password1": PASSWORD, "password2": PASSWORD})
    login = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    admin_login = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})

    assert [signup.status_code, login.status_code, admin_login.status_code] == [403, 403, 403]
    assert row_counts() == before


# ---------------------------------------------------------------------------------------------
# Escaping: content written by an editor with markup in it is shown as text everywhere.


def test_markup_in_content_is_shown_escaped_on_every_page(db):
    quiz = QuizFactory(title=SCRIPT, description=SCRIPT, slug="markup-quiz")
    question = QuestionFactory(quiz=quiz, text=SCRIPT, explanation=SCRIPT)
    Choice.objects.filter(question=question).update(text=SCRIPT, feedback=SCRIPT)
    Citation.objects.filter(question=question).update(quote=SCRIPT, note=SCRIPT)
    learner = UserFactory(username="alice")
    client = Client()
    client.login(username="alice", password=PASSWORD)
    attempt, _ = start_attempt(quiz=quiz, owner=Owner(user_id=learner.pk))
    pages = ["/", f"/quizzes/{quiz.slug}/", f"/attempts/{attempt.pk}/", "/progress/"]
    responses = [client.get(page) for page in pages]
    client.post(f"/attempts/{attempt.pk}/", {"action": "submit", "confirm_incomplete": "1"})
    responses.append(client.get(f"/attempts/{attempt.pk}/result/"))

    for page, response in zip([*pages, "result"], responses):
        assert response.status_code == 200, page
        assert_nothing_unescaped(response)
    assert "&lt;script&gt;" in responses[1].content.decode()


# ---------------------------------------------------------------------------------------------
# Admin: every add form, every field, hostile values.


class FormFields(HTMLParser):
    """The fields of the first <form> with method=post: name -> default value (lists for multiples)."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self.text_fields = []
        self.number_fields = []
        self._in_form = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post" and not self.fields:
            self._in_form = True
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
                return
            self.fields[name] = attrs.get("value", "")
            if kind in {"text", "url", "email", "password"} and "__prefix__" not in name:
                self.text_fields.append(name)
            if kind == "number" and "__prefix__" not in name:
                self.number_fields.append(name)
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""
            if "__prefix__" not in name:
                self.text_fields.append(name)
        elif tag == "select":
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def admin_add_urls(client):
    """The add form of every model the admin lets a superuser add."""
    urls = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        if client.get(url).status_code == 200:
            urls.append(url)
    return urls


INVALID_FOR_ANY_FIELD = ["nul\x00byte", MEGABYTE_STRING[: 200 * 1024]]  # 200 KB: under the body limit
INVALID_NUMBERS = ["-1", "abc", "1e999", "99999999999999999999", "1.5"]


@pytest.fixture
def editor_client(db):
    client = Client()
    client.force_login(StaffFactory(username="chief"))
    return client


def test_every_admin_add_form_refuses_hostile_values_and_writes_nothing(editor_client):
    urls = admin_add_urls(editor_client)
    assert len(urls) >= 4, "the admin has add forms"
    problems = []

    for url in urls:
        page = editor_client.get(url)
        assert page.status_code == 200, url
        form = FormFields()
        form.feed(page.content.decode())
        attacks = [(name, value) for name in form.text_fields for value in INVALID_FOR_ANY_FIELD]
        attacks += [(name, value) for name in form.number_fields for value in INVALID_NUMBERS]
        for name, value in attacks:
            before = row_counts()
            response = post_form(editor_client, url, {**form.fields, name: value, "_save": "Save"})
            label = f"{url} {name}={value[:20]!r}"
            if response.status_code >= 500 or response.status_code == 302:
                problems.append(f"{label}: {response.status_code}")
            elif row_counts() != before:
                problems.append(f"{label}: wrote rows")
            elif response.status_code == 200 and not re.search(rb"errornote|errorlist", response.content):
                problems.append(f"{label}: no validation message")
            else:
                assert_nothing_unescaped(response)

    assert problems == []


def test_admin_add_forms_show_markup_escaped_when_they_refuse_it(editor_client):
    for url in admin_add_urls(editor_client):
        form = FormFields()
        form.feed(editor_client.get(url).content.decode())
        for name in form.text_fields:
            # Paired with an invalid value elsewhere, so the form is shown again with the markup in it.
            fields = {**form.fields, name: SCRIPT, "_save": "Save"}
            other = next((field for field in form.text_fields if field != name), None)
            if other:
                fields[other] = "nul\x00byte"
            response = editor_client.post(url, fields)
            assert response.status_code in {200, 302}, f"{url} {name}"
            assert_nothing_unescaped(response)


def test_authoring_is_for_staff_only(world):
    client = Client()
    client.login(username="alice", password=PASSWORD)
    before = row_counts()

    page = client.get("/admin/quizzes/quiz/add/")
    post = client.post("/admin/quizzes/source/add/", {"slug": "s", "title": "t", "publisher": "p", "language": "de"})

    assert page.status_code == 302 and "/admin/login/" in page["Location"]
    assert post.status_code == 302 and "/admin/login/" in post["Location"]
    assert row_counts() == before


def test_markup_in_content_is_shown_escaped_in_the_admin(editor_client):
    quiz = QuizFactory(title=SCRIPT, description=SCRIPT)
    question = QuestionFactory(quiz=quiz, text=SCRIPT, explanation=SCRIPT)
    Choice.objects.filter(question=question).update(text=SCRIPT, feedback=SCRIPT)
    learner = UserFactory(username="mallory")
    start_attempt(quiz=quiz, owner=Owner(user_id=learner.pk))
    pages = [
        "/admin/quizzes/quiz/",
        f"/admin/quizzes/quiz/{quiz.pk}/change/",
        "/admin/quizzes/question/",
        f"/admin/quizzes/question/{question.pk}/change/",
        "/admin/quizzes/attempt/",
    ]

    for page in pages:
        response = editor_client.get(page)
        assert response.status_code == 200, page
        assert_nothing_unescaped(response)


def test_a_guests_attempt_is_404_for_another_guest_and_for_a_signed_in_learner(world):
    first_guest = Client()
    started = first_guest.post(f"/quizzes/{world['quiz'].slug}/start/")
    assert started.status_code == 302
    attempt = Attempt.objects.get(user__isnull=True)
    assert started["Location"].endswith(f"/attempts/{attempt.pk}/")
    learner = Client()
    learner.login(username="alice", password=PASSWORD)

    # The other guest has started a quiz of their own, so the API's autosave knows them as a guest.
    # (Without any guest key the autosave is a 401: tests/test_web_autosave.py.)
    another_guest = Client()
    another_guest.post(f"/quizzes/{world['quiz'].slug}/start/")

    for other in (another_guest, learner):
        assert other.get(f"/attempts/{attempt.pk}/").status_code == 404
        assert other.post(f"/attempts/{attempt.pk}/", {"action": "submit"}).status_code == 404
        autosave_url = f"/api/v1/attempts/{attempt.pk}/answers/{attempt.question_order[0]}/"
        autosave = raw_json(other, "put", autosave_url, {"choices": []})
        assert autosave.status_code == 404

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert not attempt.answers.exists()
    assert first_guest.get(f"/attempts/{attempt.pk}/").status_code == 200
