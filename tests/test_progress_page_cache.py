"""The progress page's own part is cached per learner (web.results.progress): every change shows at once.

Each test reads the page first, so what it shows next comes from a cached entry unless the change made
it stale: starting and closing an attempt, a review answer, a guest's attempts joining the account, an
editor's save, another interface language.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes import caching
from quizzes.models import Attempt, QuestionBehaviour
from tests.factories import (
    PASSWORD,
    QuestionFactory,
    QuizFactory,
    TopicFactory,
)
from tests.review_helpers import (
    client_for,
    guest_takes,
    question_ids,
    right_choices,
    take,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user):
    client = Client()
    client.force_login(user)
    return client


def progress(client, language="de"):
    response = client.get(reverse("web:progress"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def quiz_on(topic, count=2, **fields):
    quiz = QuizFactory(**fields)
    for position in range(1, count + 1):
        QuestionFactory(quiz=quiz, position=position, topic=topic)
    return quiz


def test_starting_an_attempt_shows_it_at_once(user, browser):
    quiz = quiz_on(TopicFactory())
    progress(browser)

    started = client_for(user).post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()

    assert reverse("web:attempt", kwargs={"attempt_id": started["id"]}) in progress(browser)


def test_closing_an_attempt_shows_its_score_at_once(user, browser):
    quiz = quiz_on(TopicFactory())
    api = client_for(user)
    started = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    assert f'href="{reverse("web:attempt", kwargs={"attempt_id": started["id"]})}"' in progress(browser)

    answers = [{"question": q["id"], "choices": right_choices(q["id"])} for q in started["questions"]]
    assert api.post(f"/api/v1/attempts/{started['id']}/submit/", {"answers": answers}, format="json").status_code == 200

    page = progress(browser)
    assert reverse("web:result", kwargs={"attempt_id": started["id"]}) in page
    assert f'href="{reverse("web:attempt", kwargs={"attempt_id": started["id"]})}"' not in page


def test_a_review_answer_changes_the_recall_shown_at_once(user, browser, monkeypatch):
    quiz = quiz_on(TopicFactory())
    api = client_for(user)
    first, second = question_ids(quiz)
    take(api, quiz, missed=[first, second])
    # Two days after two misses, less of them is recalled (FSRS: about 66 % a day later still).
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    before = recall_shown(progress(browser))

    for question in (first, second):
        answered = api.post(f"/api/v1/me/review/{question}/", {"choices": right_choices(question)}, format="json")
        assert answered.status_code == 200

    # Both answered right a moment ago: tomorrow's chance is far above what the misses left.
    assert percent_of(recall_shown(progress(browser))) > percent_of(before) + 20


def test_a_check_changes_the_recall_shown_at_once(user, browser, monkeypatch):
    quiz = quiz_on(TopicFactory(), behaviour=QuestionBehaviour.IMMEDIATE)
    api = client_for(user)
    first, _second = question_ids(quiz)
    take(api, quiz, missed=question_ids(quiz))
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    attempt_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    before = recall_shown(progress(browser))

    check_url = f"/api/v1/attempts/{attempt_id}/answers/{first}/check/"
    checked = api.post(check_url, {"choices": right_choices(first)}, format="json")
    assert checked.status_code == 200 and checked.json()["is_locked"] is True, checked.content

    # One of the topic's two questions known a moment ago: its average recall rises.
    assert recall_shown(progress(browser)) != before


def recall_shown(page):
    """The one topic's predicted chance of recalling its questions tomorrow, as the page shows it."""
    return re.search(r"Chance, es morgen noch zu wissen: ([^<]*)<", page).group(1)


def percent_of(shown):
    """ "66,7 %" as 66.7."""
    return float(shown.split("\N{NO-BREAK SPACE}")[0].replace(",", "."))


def test_a_guests_attempts_joining_the_account_show_at_once(user, browser):
    quiz = quiz_on(TopicFactory(), title="Das Quiz des Gastes")
    assert "Das Quiz des Gastes" not in progress(browser)

    guest = Client()
    guest_takes(guest, quiz, missed=[])
    assert guest.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302

    assert "Das Quiz des Gastes" in progress(browser)


def test_an_editors_save_shows_at_once(user, browser):
    topic = TopicFactory(name_de="Alter Name")
    quiz = quiz_on(topic)
    take(client_for(user), quiz)
    assert "Alter Name" in progress(browser)

    topic.name_de = "Neuer Name"
    topic.save()

    assert "Neuer Name" in progress(browser)


def test_each_interface_language_has_its_own_page(user, browser):
    take(client_for(user), quiz_on(TopicFactory()))

    assert "<h1>Mein Lernstand</h1>" in progress(browser, "de")
    assert "<h1>My progress</h1>" in progress(browser, "en")


def score_shown(page, attempt_id):
    """The text of the attempt's result link on the page: its percent and whether it passed."""
    return re.search(rf'href="{reverse("web:result", kwargs={"attempt_id": attempt_id})}">([^<]*)<', page).group(1)


def test_an_entry_is_served_for_at_most_the_learner_timeout(user, browser, monkeypatch):
    attempt_id = take(client_for(user), quiz_on(TopicFactory()))["id"]
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert score_shown(progress(browser), attempt_id) == "100\N{NO-BREAK SPACE}%, bestanden"
    # A write that does not say so (straight into the database) is seen once the entry's time is up.
    Attempt.objects.filter(pk=attempt_id).update(percent=Decimal("12.00"))

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=caching.LEARNER_TIMEOUT - 1))
    assert score_shown(progress(browser), attempt_id) == "100\N{NO-BREAK SPACE}%, bestanden"
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=caching.LEARNER_TIMEOUT))
    assert score_shown(progress(browser), attempt_id) == "12\N{NO-BREAK SPACE}%, bestanden"
