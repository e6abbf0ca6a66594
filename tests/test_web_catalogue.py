"""The catalogue and the quiz page through Django's test client: listing, filters, pages, starting."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from quizzes.models import Attempt
from tests.factories import QuizFactory, TopicFactory, quiz_with_questions
from tests.pages import answers_for, start, submitted

pytestmark = pytest.mark.django_db


def test_home_lists_published_quizzes_with_question_count_and_time_limit(client):
    quiz = quiz_with_questions(3, title="Parler auf einen Blick", time_limit_seconds=300)
    QuizFactory(title="Draft quiz", is_published=False)
    response = client.get(reverse("web:home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Parler auf einen Blick" in page
    assert "Draft quiz" not in page
    assert reverse("web:quiz", kwargs={"slug": quiz.slug}) in page
    card = response.context["catalogue"].quizzes[0]
    assert card.questions_shown == 3
    assert "5 Minuten" in page


def test_home_filters_by_language_and_topic(client):
    shutdown = TopicFactory(slug="shutdown", name_en="The shutdown")
    ruling = TopicFactory(slug="ruling", name_en="The ruling")
    german = QuizFactory(title="Deutsches Quiz", language="de")
    german.topics.add(shutdown)
    english = QuizFactory(title="English quiz", language="en")
    english.topics.add(ruling)

    by_language = client.get(reverse("web:home"), {"language": "en"}).content.decode()
    assert "English quiz" in by_language and "Deutsches Quiz" not in by_language

    by_topic = client.get(reverse("web:home"), {"topic": "shutdown"}).content.decode()
    assert "Deutsches Quiz" in by_topic and "English quiz" not in by_topic


def test_home_shows_quizzes_in_the_interface_language_first(client):
    QuizFactory(title="A German quiz", language="de")
    QuizFactory(title="B English quiz", language="en")
    german_first = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="de")
    assert [quiz.language for quiz in german_first.context["catalogue"].quizzes] == ["de", "en"]
    english_first = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert [quiz.language for quiz in english_first.context["catalogue"].quizzes] == ["en", "de"]
    assert 'lang="en"' in english_first.content.decode()


def test_home_shows_24_quizzes_per_page_with_links_between_pages(client):
    for number in range(25):
        quiz = QuizFactory(title=f"Quiz {number:02d}")
        if number == 24:
            quiz.topics.add(TopicFactory(name_de="Nur auf Seite zwei"))
    first = client.get(reverse("web:home")).content.decode()
    assert first.count('class="card"') == 24 and "Quiz 23" in first and "Quiz 24" not in first
    assert 'rel="next" href="?page=2">Weitere Quizze</a>' in first and 'rel="prev"' not in first
    # The topic filter offers every topic with a published quiz, not only those on this page.
    assert "Nur auf Seite zwei</option>" in first

    second = client.get(reverse("web:home"), {"page": 2}).content.decode()
    assert second.count('class="card"') == 1 and "Quiz 24" in second
    assert 'rel="prev" href="?page=1">Vorherige Quizze</a>' in second and 'rel="next"' not in second


def test_home_pages_keep_the_filters(client):
    for number in range(25):
        QuizFactory(title=f"English quiz {number:02d}", language="en")
    page = client.get(reverse("web:home"), {"language": "en", "topic": ""}).content.decode()
    assert 'href="?language=en&amp;topic=&amp;page=2"' in page
    second = client.get(reverse("web:home"), {"language": "en", "topic": "", "page": 2}).content.decode()
    assert "English quiz 24" in second


@pytest.mark.parametrize("page", ["2", "0", "abc", "-1", "\u00b2", "\u0663", "9" * 30])
def test_a_home_page_that_does_not_exist_is_404(client, page):
    QuizFactory()
    assert client.get(reverse("web:home"), {"page": page}).status_code == 404


def test_home_shows_a_returning_learners_best_score(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    client.post(
        reverse("web:attempt", kwargs={"attempt_id": attempt.pk}),
        {"action": "submit", "confirm_incomplete": "1", **answers_for(quiz, right=(1,))},
    )
    page = client.get(reverse("web:home")).content.decode()
    assert "50\u00a0%" in page


def test_quiz_page_shows_rules_and_a_start_button(client):
    quiz = quiz_with_questions(4, max_attempts=2, pass_mark=70, time_limit_seconds=600)
    response = client.get(reverse("web:quiz", kwargs={"slug": quiz.slug}))
    page = response.content.decode()
    assert quiz.description in page
    assert "2 / 2" in page  # attempts left
    assert "70\u00a0%" in page
    assert "10 Minuten" in page
    assert reverse("web:start", kwargs={"slug": quiz.slug}) in page


def test_quiz_page_says_how_its_questions_give_feedback_and_when_answers_are_shown(client):
    # A tester found nothing on the page about tries, penalties or when answers show.
    from decimal import Decimal

    quiz = quiz_with_questions(
        2, behaviour="interactive", max_tries=3, penalty=Decimal("0.3333"), answer_visibility="after_last_attempt",
        max_attempts=2,
    )
    url = reverse("web:quiz", kwargs={"slug": quiz.slug})

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert (
        "Interactive with multiple tries: up to 3 tries, each wrong one costs 33.3\u00a0% of the question's points"
        in english.replace("&#x27;", "'")
    )
    assert "After the last allowed attempt" in english
    assert "Interaktiv mit mehreren Anläufen: bis zu 3 Anläufe, jeder falsche kostet 33,3\u00a0% der Punkte" in german
    assert "Nach dem letzten erlaubten Versuch" in german
    deferred = quiz_with_questions(1)
    page = client.get(reverse("web:quiz", kwargs={"slug": deferred.slug}), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Deferred feedback</dd>" in page and "Right after submission" in page


def test_unpublished_quiz_is_404_for_learners_and_a_preview_for_staff(client, staff_user):
    quiz = quiz_with_questions(1, is_published=False)
    url = reverse("web:quiz", kwargs={"slug": quiz.slug})
    assert client.get(url).status_code == 404
    assert client.post(reverse("web:start", kwargs={"slug": quiz.slug})).status_code == 404
    client.force_login(staff_user)
    assert client.get(url).status_code == 200


def test_quiz_page_offers_to_resume_an_attempt_in_progress(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    page = client.get(reverse("web:quiz", kwargs={"slug": quiz.slug})).content.decode()
    assert reverse("web:attempt", kwargs={"attempt_id": attempt.pk}) in page


def test_starting_twice_resumes_the_same_attempt(client):
    quiz = quiz_with_questions(2)
    assert start(client, quiz) == start(client, quiz)


def test_no_attempts_left_is_a_message_on_the_quiz_page(client):
    quiz = quiz_with_questions(1, max_attempts=1)
    attempt = start(client, quiz)
    client.post(reverse("web:attempt", kwargs={"attempt_id": attempt.pk}), {"action": "submit", "confirm_incomplete": "1"})
    response = client.post(reverse("web:start", kwargs={"slug": quiz.slug}), follow=True)
    assert "Sie haben alle erlaubten Versuche für dieses Quiz aufgebraucht." in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_quiz_page_shows_the_grade_by_the_quizzes_grading_method(client):
    quiz = quiz_with_questions(2, grading_method="last", pass_mark=60)
    submitted(client, quiz, right=(1, 2))
    submitted(client, quiz, right=(1,))
    page = client.get(reverse("web:quiz", kwargs={"slug": quiz.slug})).content.decode()
    assert "Ihr Gesamtergebnis (Letzter Versuch): 50\u00a0%" in page
    assert "nicht bestanden" in page


def test_quiz_page_links_the_same_quiz_in_the_other_language(client):
    german = quiz_with_questions(1, title="Auf einen Blick", language="de", translation_key="glance")
    quiz_with_questions(1, title="At a glance", language="en", translation_key="glance")
    page = client.get(reverse("web:quiz", kwargs={"slug": german.slug})).content.decode()
    assert 'hreflang="en">At a glance</a> (Englisch)' in page


def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon_ico(client):
    # Regression: every first visit logged a 404 for /favicon.ico.
    page = client.get("/").content.decode()

    icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="/static/(?P<path>[^"]+)">', page)
    assert icon and finders.find(icon["path"])
