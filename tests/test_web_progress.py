"""The progress page through Django's test client: attempts, grades, mastery per topic, pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt
from tests.factories import QuestionFactory, QuizFactory, TopicFactory, UserFactory, quiz_with_questions
from tests.pages import submitted

pytestmark = pytest.mark.django_db


def test_progress_lists_attempts_with_a_chart_and_mastery_per_topic(client):
    topic = TopicFactory(name_de="Die Abschaltung")
    quiz = QuizFactory(title="Mein Quiz")
    QuestionFactory(quiz=quiz, position=1, topic=topic)
    QuestionFactory(quiz=quiz, position=2, topic=topic)
    submitted(client, quiz, right=(1,), wrong=(2,))
    submitted(client, quiz, right=(1, 2))
    page = client.get(reverse("web:progress")).content.decode()
    assert "Mein Quiz" in page
    assert "<svg" in page and "<polyline" in page
    assert "Die Abschaltung" in page
    assert "75\u00a0%" in page  # 3 of 4 answered questions fully right


def test_the_charts_latest_result_is_the_last_one_finished_not_the_last_one_started(client):
    # Regression: the chart ran in the order attempts were started, so a quiz started first and
    # finished last was not the "latest".
    from tests.pages import answers_for, start

    finished_last, finished_first = QuizFactory(title="Finished last"), QuizFactory(title="Finished first")
    QuestionFactory(quiz=finished_last, position=1)
    QuestionFactory(quiz=finished_first, position=1)
    started_first = start(client, finished_last)
    submitted(client, finished_first, wrong=(1,))
    client.post(
        reverse("web:attempt", kwargs={"attempt_id": started_first.pk}),
        {"action": "submit", **answers_for(finished_last, right=(1,))},
    )

    page = client.get(reverse("web:progress"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "latest 100\u00a0%" in page


def test_progress_mastery_counts_every_question_asked_an_unanswered_one_as_a_miss(client):
    # As the result scores it (0 points) and review remembers it (a miss); counting only the answered
    # ones showed 100 % for a topic after an attempt with one answer right and ten left blank.
    topic = TopicFactory(name_de="Die Klage")
    quiz = QuizFactory(title="Mein Quiz")
    QuestionFactory(quiz=quiz, position=1, topic=topic)
    QuestionFactory(quiz=quiz, position=2, topic=topic)
    submitted(client, quiz, right=(1,), wrong=(2,))
    submitted(client, quiz)  # nothing answered: both questions are recorded, empty and worth 0
    page = client.get(reverse("web:progress")).content.decode()
    assert "(1 von 4 richtig)" in page and "25\u00a0%" in page


def test_a_second_progress_page_of_a_new_visitor_is_404(client):
    assert client.get(reverse("web:progress"), {"page": 2}).status_code == 404


def test_progress_of_a_new_visitor_invites_to_take_a_quiz(client):
    response = client.get(reverse("web:progress"))
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()


def test_progress_shows_the_grade_per_quiz(client):
    quiz = quiz_with_questions(2, title="Bewertetes Quiz")
    submitted(client, quiz, right=(1,))
    submitted(client, quiz, right=(1, 2))
    response = client.get(reverse("web:progress"))
    assert [(entry.title, entry.attempt_count, entry.grade) for entry in response.context["quizzes"]] == [
        ("Bewertetes Quiz", 2, Decimal("100.00"))
    ]
    assert "Ihre Gesamtergebnisse" in response.content.decode()


def finished_attempts(user, quiz, count):
    owner = services.Owner.of(user=user)
    for _ in range(count):
        attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
        services.submit_attempt(attempt_id=attempt.pk, owner=owner)


def test_progress_lists_twenty_attempts_per_page_newest_first_with_links_between_pages(client):
    user = UserFactory()
    client.force_login(user)
    first_quiz = quiz_with_questions(1, title="Altes Quiz", max_attempts=None)
    latest_quiz = quiz_with_questions(1, title="Neues Quiz", max_attempts=None)
    finished_attempts(user, first_quiz, 2)
    finished_attempts(user, latest_quiz, 20)
    open_attempt, _created = services.start_attempt(quiz=first_quiz, owner=services.Owner.of(user=user))

    first_page = client.get(reverse("web:progress")).content.decode()
    assert first_page.count('<span class="hint">Versuch ') == 20
    assert "Ältere Versuche" in first_page
    resume = reverse("web:attempt", kwargs={"attempt_id": open_attempt.pk})
    assert f'<a href="{resume}">Fortsetzen</a>' in first_page
    assert 'rel="next" href="?page=2"' in first_page and 'rel="prev"' not in first_page

    second_page = client.get(reverse("web:progress"), {"page": 2}).content.decode()
    assert second_page.count('<span class="hint">Versuch ') == 3
    oldest = Attempt.objects.get(quiz=first_quiz, number=1)
    assert f'<a href="{reverse("web:result", kwargs={"attempt_id": oldest.pk})}">0\u00a0%, nicht bestanden</a>' in (
        second_page
    )
    assert 'rel="prev" href="?page=1"' in second_page and 'rel="next"' not in second_page
    # The grades cover every finished attempt, whichever page of attempts is shown.
    assert "<td>20</td>" in second_page and "<td>2</td>" in second_page


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1", "\u00b2", "\u0663", "9" * 30])
def test_progress_page_that_does_not_exist_is_404(client, page):
    user = UserFactory()
    client.force_login(user)
    finished_attempts(user, quiz_with_questions(1, max_attempts=None), 21)
    assert client.get(reverse("web:progress"), {"page": page}).status_code == 404


def test_progress_escapes_quiz_titles(client):
    user = UserFactory()
    client.force_login(user)
    finished_attempts(user, quiz_with_questions(1, title="<i>Parler</i> & Amazon"), 1)
    page = client.get(reverse("web:progress")).content.decode()
    assert "<i>Parler</i>" not in page
    assert page.count("&lt;i&gt;Parler&lt;/i&gt; &amp; Amazon</a>") == 2  # grades and attempts
