"""The learner pages through Django's test client: no JavaScript, plain form posts."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from django.utils import timezone

from quizzes import services
from quizzes.throttles import RegisterThrottle
from quizzes.models import Attempt, AttemptState, Choice, QuestionKind, Source
from tests.factories import PASSWORD, QuestionFactory, QuizFactory, TopicFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def start(client, quiz):
    response = client.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    assert response.status_code == 302
    return Attempt.objects.get(pk=response.url.split("/")[2])


def form_of(response):
    """The attempt form's questions and inputs, without the per-response CSRF token."""
    page = response.content.decode()
    return page[page.index("<fieldset") : page.index('id="submit"')]


def right_choice(question):
    return question.choices.get(is_correct=True)


def wrong_choice(question):
    return question.choices.filter(is_correct=False).first()


def answers_for(quiz, *, right=(), wrong=()):
    """Form data answering the questions at the given positions right or wrong."""
    data = {}
    for question in quiz.questions.all():
        if question.position in right:
            data[f"question-{question.pk}"] = str(right_choice(question).pk)
        elif question.position in wrong:
            data[f"question-{question.pk}"] = str(wrong_choice(question).pk)
    return data


# ---------------------------------------------------------------------------------------------
# Catalogue


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


# ---------------------------------------------------------------------------------------------
# Quiz page and starting


def test_quiz_page_shows_rules_and_a_start_button(client):
    quiz = quiz_with_questions(4, max_attempts=2, pass_mark=70, time_limit_seconds=600)
    response = client.get(reverse("web:quiz", kwargs={"slug": quiz.slug}))
    page = response.content.decode()
    assert quiz.description in page
    assert "2 / 2" in page  # attempts left
    assert "70\u00a0%" in page
    assert "10 Minuten" in page
    assert reverse("web:start", kwargs={"slug": quiz.slug}) in page


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


# ---------------------------------------------------------------------------------------------
# Taking an attempt


def test_attempt_page_shows_questions_as_fieldsets_with_the_right_inputs(client):
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz, position=1, kind=QuestionKind.SINGLE)
    QuestionFactory(quiz=quiz, position=2, kind=QuestionKind.MULTIPLE, choices__correct=2)
    QuestionFactory(quiz=quiz, position=3, kind=QuestionKind.TRUE_FALSE)
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert page.count("<fieldset") == 3
    assert page.count("<legend") == 3
    assert page.count('type="checkbox" name="question-') == 4
    assert page.count('type="checkbox" name="flag-') == 3  # one "flag to review" per question
    assert page.count('type="radio"') == 3 + 2
    assert "0 von 3 beantwortet" in page


def test_attempt_page_escapes_question_and_choice_text(client):
    # The question fieldsets are a Jinja2 include (quizzes/jinja2/quizzes/includes/question_fieldsets.html)
    # in a Django page: this pins that editors' text still cannot inject markup, whichever engine renders it.
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, text='Who said "<script>alert(1)</script>"?')
    Choice.objects.filter(question=question).update(text="<b>Amazon</b> & Co")
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "Who said &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;?" in page
    assert "<b>Amazon</b>" not in page
    assert "&lt;b&gt;Amazon&lt;/b&gt; &amp; Co" in page


def test_attempt_page_shows_one_answer_or_several_and_the_points_per_question(client):
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz, position=1, kind=QuestionKind.SINGLE, points=Decimal("1"))
    QuestionFactory(quiz=quiz, position=2, kind=QuestionKind.MULTIPLE, choices__correct=2, points=Decimal("2"))
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "Frage 1 von 2" in page and "Frage 2 von 2" in page
    assert "Wählen Sie eine Antwort." in page and "1 Punkt" in page
    assert "Wählen Sie alle zutreffenden Antworten." in page and "2 Punkte" in page


def test_attempt_page_never_leaks_correctness_explanation_or_feedback(client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, explanation="SECRET-EXPLANATION")
    Choice.objects.filter(question=question).update(feedback="SECRET-FEEDBACK")
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    for secret in ("SECRET-EXPLANATION", "SECRET-FEEDBACK", "is_correct", "A verbatim quote", "correct"):
        assert secret not in page


def test_attempt_page_keeps_the_attempts_order_and_saved_answers_on_reload(client):
    quiz = quiz_with_questions(4, shuffle_questions=True, shuffle_choices=True)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    first_question = quiz.questions.get(pk=attempt.question_order[0])
    chosen = wrong_choice(first_question)
    response = client.post(url, {"action": "save", f"question-{first_question.pk}": str(chosen.pk)})
    assert response.status_code == 302 and response.url == url

    first, second = client.get(url), client.get(url)
    assert form_of(first) == form_of(second)
    shown = [question.id for question in first.context["questions"]]
    assert shown == attempt.question_order
    assert [choice.id for choice in first.context["questions"][0].choices] == attempt.choice_order[
        str(first_question.pk)
    ]
    assert f'value="{chosen.pk}" checked' in first.content.decode()
    assert "1 von 4 beantwortet" in first.content.decode()


def test_submitting_with_unanswered_questions_asks_once_then_scores(client):
    quiz = quiz_with_questions(3)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    response = client.post(url, {"action": "submit", **answers_for(quiz, right=(1,))})
    assert response.status_code == 302 and response.url.endswith("?confirm=1#submit")
    page = client.get(response.url).content.decode()
    assert "2 Fragen sind noch nicht beantwortet" in page
    assert 'name="confirm_incomplete"' in page
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS

    response = client.post(url, {"action": "submit", "confirm_incomplete": "1", **answers_for(quiz, right=(1,))})
    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert str(attempt.score) == "1.00"


def test_a_choice_of_another_question_is_a_400_with_a_message_and_nothing_saved(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    first, second = quiz.questions.order_by("position")
    response = client.post(
        reverse("web:attempt", kwargs={"attempt_id": attempt.pk}),
        {"action": "submit", f"question-{first.pk}": str(right_choice(second).pk)},
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert not attempt.answers.exists()


def test_an_invalid_post_shows_the_choices_the_learner_posted_not_what_was_saved(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    first, second = quiz.questions.order_by("position")
    posted = right_choice(first)

    response = client.post(
        reverse("web:attempt", kwargs={"attempt_id": attempt.pk}),
        {"action": "save", f"question-{first.pk}": str(posted.pk), f"question-{second.pk}": str(right_choice(first).pk)},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{posted.pk}" checked' in page
    assert page.count(" checked") == 1
    assert not attempt.answers.exists()


def test_a_submitted_attempt_page_redirects_to_its_result(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    client.post(url, {"action": "submit", **answers_for(quiz, right=(1,))})
    assert client.get(url).url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    response = client.post(url, {"action": "submit", **answers_for(quiz, wrong=(1,))})
    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert str(attempt.score) == "1.00"


def test_someone_elses_attempt_is_404(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    client.cookies.clear()
    assert client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).status_code == 404
    assert client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).status_code == 404


def test_after_the_deadline_the_server_scores_the_saved_answers(client):
    quiz = quiz_with_questions(2, time_limit_seconds=60)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    client.post(url, {"action": "save", **answers_for(quiz, right=(1,))})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))

    response = client.post(url, {"action": "submit", "confirm_incomplete": "1", **answers_for(quiz, right=(1, 2))})
    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert str(attempt.score) == "1.00"  # the late answer did not count
    page = client.get(response.url).content.decode()
    assert "Zeitlimit" in page


def test_opening_an_overdue_attempt_shows_its_result(client):
    quiz = quiz_with_questions(1, time_limit_seconds=60)
    attempt = start(client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk}))
    assert response.url == reverse("web:result", kwargs={"attempt_id": attempt.pk})
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED


def test_attempt_page_shows_the_time_left(client):
    quiz = quiz_with_questions(1, time_limit_seconds=600)
    attempt = start(client, quiz)
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert 'id="countdown"' in page
    assert ">10:00<" in page or ">9:59<" in page


# ---------------------------------------------------------------------------------------------
# Autosave: the API's endpoint, which the page's script uses for guests too (their browser session)


def test_autosave_saves_one_answer_for_the_guest(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    question = quiz.questions.first()
    response = client.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert f'value="{right_choice(question).pk}" checked' in page


@pytest.mark.parametrize(
    "body", ['{"choices": "1"}', "not json", "{}", '{"choices": [true]}', '{"choices": [NaN]}', "[" * 50_000 + "]" * 50_000]
)
def test_autosave_rejects_malformed_bodies_with_400(client, body):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    question = quiz.questions.first()
    response = client.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    # The API's error shapes: a field error on "choices", or a JSON parse error.
    error = response.json()
    assert "choices" in error or "JSON" in error["detail"]
    assert not attempt.answers.exists()


def test_autosave_maps_domain_errors_to_status_codes(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    first, second = quiz.questions.order_by("position")
    url = reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": first.pk})
    foreign = client.put(url, {"choices": [right_choice(second).pk]}, content_type="application/json")
    assert foreign.status_code == 400
    client.post(reverse("web:attempt", kwargs={"attempt_id": attempt.pk}), {"action": "submit", "confirm_incomplete": "1"})
    closed = client.put(url, {"choices": [right_choice(first).pk]}, content_type="application/json")
    assert closed.status_code == 409


def test_autosave_for_another_browsers_attempt_is_404(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    question = quiz.questions.first()
    client.cookies.clear()
    start(client, quiz_with_questions(1))  # a guest of their own
    response = client.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
    )
    assert response.status_code == 404


def csrf_token_on(page):
    """The CSRF token a page's form carries, as the attempt page's script reads it."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


def guest_with_an_attempt(quiz):
    """A browser that checks CSRF like a real one, as a guest who has started `quiz`: (client, attempt, token)."""
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token_on(browser.get(reverse("web:quiz", kwargs={"slug": quiz.slug})))
    started = browser.post(reverse("web:start", kwargs={"slug": quiz.slug}), {"csrfmiddlewaretoken": token})
    assert started.status_code == 302
    attempt = Attempt.objects.get(pk=started.url.split("/")[2])
    token = csrf_token_on(browser.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})))
    return browser, attempt, token


def test_a_guest_autosaves_through_the_api_with_their_session_and_csrf_token():
    quiz = quiz_with_questions(1)
    browser, attempt, token = guest_with_an_attempt(quiz)
    question = quiz.questions.get()
    response = browser.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert response.json()["choices"] == [right_choice(question).pk]
    assert attempt.answers.get().choice_ids == [right_choice(question).pk]


@pytest.mark.parametrize("forgery", ["no token", "another site"])
def test_a_guests_autosave_without_the_csrf_check_is_403_and_saves_nothing(forgery):
    quiz = quiz_with_questions(1)
    browser, attempt, token = guest_with_an_attempt(quiz)
    question = quiz.questions.get()
    # A page elsewhere can make the browser send the session cookie, but cannot read the token;
    # with a token, the Origin header still names the other site.
    headers = {} if forgery == "no token" else {"HTTP_X_CSRFTOKEN": token, "HTTP_ORIGIN": "https://evil.example"}
    response = browser.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not attempt.answers.exists()


def test_autosave_from_another_browsers_guest_with_their_csrf_token_is_404():
    quiz = quiz_with_questions(1)
    _first_browser, attempt, _token = guest_with_an_attempt(quiz)
    other_browser, _other_attempt, other_token = guest_with_an_attempt(quiz)
    question = quiz.questions.get()
    response = other_browser.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=other_token,
    )
    assert response.status_code == 404
    assert not attempt.answers.exists()


def test_autosave_without_token_session_or_guest_is_401_and_saves_nothing(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    question = quiz.questions.get()
    client.cookies.clear()
    response = client.put(
        reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": question.pk}),
        {"choices": [right_choice(question).pk]},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not attempt.answers.exists()


# ---------------------------------------------------------------------------------------------
# Result


def submitted(client, quiz, **answers):
    attempt = start(client, quiz)
    client.post(
        reverse("web:attempt", kwargs={"attempt_id": attempt.pk}),
        {"action": "submit", "confirm_incomplete": "1", **answers_for(quiz, **answers)},
    )
    return attempt


def test_result_shows_score_answers_explanation_feedback_and_quotes(client):
    quiz = quiz_with_questions(2, pass_mark=60)
    wrong_question = quiz.questions.get(position=2)
    Choice.objects.filter(question=wrong_question, is_correct=False).update(feedback="Not this one, because...")
    attempt = submitted(client, quiz, right=(1,), wrong=(2,))
    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "50\u00a0%" in page
    assert "Nicht bestanden" in page
    assert "Because the source says so." in page
    assert "Not this one, because..." in page
    assert "<blockquote" in page and "A verbatim quote." in page
    assert "Reuters" in page  # the source's agency
    assert "Richtige Antwort" in page


def test_result_compares_with_other_learners(client):
    quiz = quiz_with_questions(2)
    submitted(client, quiz, wrong=(1, 2))
    client.cookies.clear()
    attempt = submitted(client, quiz, right=(1, 2))
    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "besser als 100\u00a0%" in page


def test_a_result_without_others_to_compare_with_encourages_instead_of_comparing(client):
    quiz = quiz_with_questions(2)
    attempt = submitted(client, quiz, right=(1,))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk}), HTTP_ACCEPT_LANGUAGE="en")

    assert "You are among the first to finish this quiz" in page.content.decode()


def test_a_result_tied_with_everyone_else_encourages_instead_of_saying_better_than_0_percent(client):
    quiz = quiz_with_questions(2)
    submitted(client, quiz, right=(1,))
    client.cookies.clear()
    attempt = submitted(client, quiz, right=(1,))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()

    assert "besser als 0\u00a0%" not in page
    assert "genauso gut oder besser" in page


def test_a_quote_s_source_shows_its_date_when_it_has_one(client):
    quiz = quiz_with_questions(1)
    Source.objects.update(published_on=date(2021, 1, 21))
    attempt = submitted(client, quiz, right=(1,))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk}), HTTP_ACCEPT_LANGUAGE="en")

    assert '<time datetime="2021-01-21">' in page.content.decode()


def test_review_my_mistakes_shows_only_the_questions_not_fully_right(client):
    quiz = quiz_with_questions(3)
    attempt = submitted(client, quiz, right=(1, 3), wrong=(2,))
    url = reverse("web:result", kwargs={"attempt_id": attempt.pk})
    assert f"{url}?show=mistakes" in client.get(url).content.decode()
    response = client.get(url, {"show": "mistakes"})
    assert [question.number for question in response.context["questions"]] == [2]


def test_result_hides_correct_answers_until_the_last_attempt_when_the_quiz_says_so(client):
    quiz = quiz_with_questions(1, max_attempts=2, answer_visibility="after_last_attempt")
    quiz.questions.update(explanation="SECRET-EXPLANATION")
    first = submitted(client, quiz, wrong=(1,))
    page = client.get(reverse("web:result", kwargs={"attempt_id": first.pk})).content.decode()
    assert "SECRET-EXPLANATION" not in page and "A verbatim quote." not in page
    assert "nach Ihrem letzten Versuch gezeigt" in page
    second = submitted(client, quiz, wrong=(1,))
    page = client.get(reverse("web:result", kwargs={"attempt_id": second.pk})).content.decode()
    assert "SECRET-EXPLANATION" in page


def test_result_never_shows_correct_answers_when_the_quiz_says_never(client):
    quiz = quiz_with_questions(1, answer_visibility="never")
    quiz.questions.update(explanation="SECRET-EXPLANATION")
    attempt = submitted(client, quiz, wrong=(1,))
    url = reverse("web:result", kwargs={"attempt_id": attempt.pk})
    page = client.get(url).content.decode()
    assert "SECRET-EXPLANATION" not in page and "Right 0" not in page
    assert "?show=mistakes" not in page  # which questions were wrong is an answer key too
    assert "SECRET-EXPLANATION" not in client.get(url, {"show": "mistakes"}).content.decode()


def test_result_of_an_open_attempt_redirects_to_the_attempt(client):
    quiz = quiz_with_questions(1)
    attempt = start(client, quiz)
    response = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk}))
    assert response.url == reverse("web:attempt", kwargs={"attempt_id": attempt.pk})


# ---------------------------------------------------------------------------------------------
# Progress


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


def test_progress_mastery_counts_only_the_questions_a_learner_answered(client):
    topic = TopicFactory(name_de="Die Klage")
    quiz = QuizFactory(title="Mein Quiz")
    QuestionFactory(quiz=quiz, position=1, topic=topic)
    QuestionFactory(quiz=quiz, position=2, topic=topic)
    submitted(client, quiz, right=(1,), wrong=(2,))
    submitted(client, quiz)  # nothing answered: both questions are recorded, empty and worth 0
    page = client.get(reverse("web:progress")).content.decode()
    assert "(1 von 2 richtig)" in page


def test_a_second_progress_page_of_a_new_visitor_is_404(client):
    assert client.get(reverse("web:progress"), {"page": 2}).status_code == 404


def test_progress_of_a_new_visitor_invites_to_take_a_quiz(client):
    response = client.get(reverse("web:progress"))
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Accounts


def test_signing_up_after_a_guest_attempt_keeps_it(client):
    quiz = quiz_with_questions(1)
    attempt = submitted(client, quiz, right=(1,))
    response = client.post(
        reverse("signup"), {"username": "newlearner", "password1": PASSWORD, "password2": PASSWORD, "next": "/progress/"}
    )
    assert response.status_code == 302 and response.url == "/progress/"
    attempt.refresh_from_db()
    assert attempt.user.username == "newlearner" and attempt.guest_key == ""
    page = client.get(reverse("web:progress")).content.decode()
    assert quiz.title in page


def test_logging_in_after_a_guest_attempt_keeps_it(client):
    user = UserFactory()
    quiz = quiz_with_questions(1)
    attempt = submitted(client, quiz, right=(1,))
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user == user


def test_signup_with_mismatched_passwords_shows_the_error(client):
    response = client.post(reverse("signup"), {"username": "x", "password1": PASSWORD, "password2": "other"})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()


def test_signup_refuses_an_offsite_next(client):
    response = client.post(
        reverse("signup"),
        {"username": "learner", "password1": PASSWORD, "password2": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_logout_is_a_post_and_ends_the_session(client, user):
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "Anmelden" in client.get(reverse("web:home")).content.decode()


def test_auth_urls_are_where_other_parts_expect_them():
    assert reverse("signup") == "/accounts/signup/"
    assert reverse("login") == "/accounts/login/"
    assert reverse("logout") == "/accounts/logout/"
    assert reverse("web:home") == "/"


def test_the_page_script_saves_through_the_api_for_accounts_and_guests(client, user):
    quiz = quiz_with_questions(1)
    guest_attempt = start(client, quiz)
    guest_page = client.get(reverse("web:attempt", kwargs={"attempt_id": guest_attempt.pk})).content.decode()
    assert f'data-autosave-url="/api/v1/attempts/{guest_attempt.pk}/answers/{{question}}/"' in guest_page

    client.force_login(user)
    attempt = start(client, quiz_with_questions(1))
    page = client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert f'data-autosave-url="/api/v1/attempts/{attempt.pk}/answers/{{question}}/"' in page


def test_a_guests_attempt_in_progress_can_be_resumed_after_signing_up(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    client.post(url, {"action": "save", **answers_for(quiz, right=(1,))})
    client.post(reverse("signup"), {"username": "resumer", "password1": PASSWORD, "password2": PASSWORD})
    response = client.get(url)
    assert response.status_code == 200
    assert "1 von 2 beantwortet" in response.content.decode()
    assert start(client, quiz) == attempt


def test_quiz_page_shows_the_grade_by_the_quizzes_grading_method(client):
    quiz = quiz_with_questions(2, grading_method="last", pass_mark=60)
    submitted(client, quiz, right=(1, 2))
    submitted(client, quiz, right=(1,))
    page = client.get(reverse("web:quiz", kwargs={"slug": quiz.slug})).content.decode()
    assert "Ihr Gesamtergebnis (Letzter Versuch): 50\u00a0%" in page
    assert "nicht bestanden" in page


def test_result_shows_when_the_attempt_started_and_how_long_it_took(client):
    quiz = quiz_with_questions(1)
    attempt = submitted(client, quiz, right=(1,))
    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "Dauer" in page and "Sekunde" in page


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


def test_quiz_page_links_the_same_quiz_in_the_other_language(client):
    german = quiz_with_questions(1, title="Auf einen Blick", language="de", translation_key="glance")
    quiz_with_questions(1, title="At a glance", language="en", translation_key="glance")
    page = client.get(reverse("web:quiz", kwargs={"slug": german.slug})).content.decode()
    assert 'hreflang="en">At a glance</a> (Englisch)' in page


def test_signup_shares_the_registration_limit_with_the_api(client, monkeypatch):
    """Regression: the API throttled registrations but the sign-up page did not."""
    monkeypatch.setattr(RegisterThrottle, "THROTTLE_RATES", {RegisterThrottle.scope: "2/hour"})
    first = APIClient().post("/api/v1/auth/register/", {"username": "first", "password": PASSWORD}, format="json")
    assert first.status_code == 201
    second = client.post(reverse("signup"), {"username": "second", "password1": PASSWORD, "password2": PASSWORD})
    assert second.status_code == 302
    client.logout()

    third = client.post(reverse("signup"), {"username": "third", "password1": PASSWORD, "password2": PASSWORD})

    assert third.status_code == 429
    assert "Retry-After" in third
    assert not User.objects.filter(username="third").exists()


@pytest.mark.parametrize("page", ["signup", "login"])
def test_a_sign_up_or_log_in_form_with_an_error_keeps_where_the_visitor_was_going(client, page):
    # "Sign up to keep this result" must land on the result even after a mistake in the form.
    target = "/attempts/00000000-0000-0000-0000-000000000001/result/"
    fields = {"username": "", "password1": "x", "password2": "y"} if page == "signup" else {"username": "nobody"}

    response = client.post(reverse(page), {**fields, "password": "wrong", "next": target})

    assert response.status_code in (200, 400)
    assert f'<input type="hidden" name="next" value="{target}">' in response.content.decode()


def test_the_result_opens_with_a_mark_per_question_and_folds_the_right_ones(client):
    quiz = quiz_with_questions(3, shuffle_questions=False)
    attempt = submitted(client, quiz, right=(1,), wrong=(2,))

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt.pk})).content.decode()

    strip = page[page.index('<nav class="result-strip"') : page.index("</nav>", page.index('<nav class="result-strip"'))]
    assert re.findall(r'class="mark (is-\w+)"', strip) == ["is-right", "is-wrong", "is-unanswered"]
    for question in quiz.questions.all():
        assert f'href="#result-{question.pk}"' in strip
    folded = re.findall(r'<details class="result-question (is-\w+)" id="result-\d+"( open)?>', page)
    assert folded == [("is-right", ""), ("is-wrong", " open"), ("is-unanswered", " open")]
