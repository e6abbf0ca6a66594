"""Public reads and submitted results come from the shared cache, and an editor's save is seen at once."""

import threading

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.db import connection, transaction
import pytest
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes import selectors, services
from quizzes.models import AnswerVisibility, Attempt, Choice, Question, Quiz
from tests.factories import (
    EditorFactory,
    StaffFactory,
    TopicFactory,
    UserFactory,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/quizzes/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def detail_url(quiz):
    return f"/api/v1/quizzes/{quiz.slug}/"


def titles(response):
    return [quiz["title"] for quiz in response.json()["results"]]


def test_a_repeated_catalogue_read_is_served_from_the_cache_without_touching_the_quizzes(
    api_client, django_assert_max_num_queries
):
    quiz_with_questions(2, title="Parler")
    api_client.get(LIST_URL)
    # A change that bypasses the model (and so the editors' path) is not seen: proof of a cache hit.
    Quiz.objects.update(title="Changed behind the cache's back")

    with django_assert_max_num_queries(2) as reads:
        response = api_client.get(LIST_URL)

    assert titles(response) == ["Parler"]
    assert not any("quizzes_quiz" in query["sql"] for query in reads.captured_queries)


def test_the_catalogue_shows_a_title_an_editor_saved_right_away(api_client):
    quiz = quiz_with_questions(1, title="Before")
    assert titles(api_client.get(LIST_URL)) == ["Before"]

    quiz.title = "After"
    quiz.save()

    assert titles(api_client.get(LIST_URL)) == ["After"]


def test_a_topic_renamed_in_the_admin_shows_in_the_catalogue_at_once(api_client):
    topic = TopicFactory(name_de="Alt", name_en="Old")
    quiz = quiz_with_questions(1)
    quiz.topics.add(topic)
    assert api_client.get(LIST_URL).json()["results"][0]["topics"][0]["name"] == "Alt"
    editor = Client()
    editor.force_login(StaffFactory())

    response = editor.post(
        f"/admin/quizzes/topic/{topic.pk}/change/", {"slug": topic.slug, "name_de": "Neu", "name_en": "New"}
    )

    assert response.status_code == 302
    assert api_client.get(LIST_URL).json()["results"][0]["topics"][0]["name"] == "Neu"


def test_adding_a_topic_to_a_quiz_shows_in_the_catalogue_at_once(api_client):
    quiz = quiz_with_questions(1)
    assert api_client.get(LIST_URL).json()["results"][0]["topics"] == []

    quiz.topics.add(TopicFactory(name_de="Klage"))

    assert [topic["name"] for topic in api_client.get(LIST_URL).json()["results"][0]["topics"]] == ["Klage"]


def test_quiz_detail_shows_an_edited_choice_and_a_deleted_question_right_away(api_client):
    quiz = quiz_with_questions(2)
    first, second = Question.objects.filter(quiz=quiz).order_by("position")
    assert len(api_client.get(detail_url(quiz)).json()["questions"]) == 2

    choice = first.choices.order_by("position").first()
    choice.text = "Edited choice"
    choice.save()
    second.delete()

    questions = api_client.get(detail_url(quiz)).json()["questions"]
    assert [question["id"] for question in questions] == [first.pk]
    assert "Edited choice" in [choice["text"] for choice in questions[0]["choices"]]


def test_unpublishing_a_quiz_makes_its_cached_detail_a_404(api_client):
    quiz = quiz_with_questions(1)
    assert api_client.get(detail_url(quiz)).status_code == 200

    quiz.is_published = False
    quiz.save()

    assert api_client.get(detail_url(quiz)).status_code == 404


def test_each_interface_language_has_its_own_cached_catalogue(api_client):
    quiz = quiz_with_questions(1)
    quiz.topics.add(TopicFactory(name_de="Urteil", name_en="Ruling"))

    german = api_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="de").json()
    english = api_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert german["results"][0]["topics"][0]["name"] == "Urteil"
    assert english["results"][0]["topics"][0]["name"] == "Ruling"


def test_public_reads_carry_an_etag_and_last_modified_and_answer_a_matching_conditional_get_with_304(api_client):
    quiz = quiz_with_questions(1)
    first = api_client.get(detail_url(quiz))
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]

    unchanged = api_client.get(detail_url(quiz), HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    quiz.title = "Corrected"
    quiz.save()
    changed = api_client.get(detail_url(quiz), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["title"] == "Corrected"
    assert changed["ETag"] != first["ETag"]


def test_a_request_with_a_token_is_answered_fresh_and_never_stored_for_others(api_client):
    quiz_with_questions(1, title="Parler")
    token = Token.objects.create(user=UserFactory())
    with_token = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")

    Quiz.objects.update(title="Seen only fresh")
    assert titles(with_token.get(LIST_URL)) == ["Seen only fresh"]
    Quiz.objects.update(title="Fresh again")
    assert titles(api_client.get(LIST_URL)) == ["Fresh again"]


# ---------------------------------------------------------------------------------------------
# Results


def submitted_attempt(quiz, user):
    owner = services.Owner.of(user=user)
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    answers = [
        services.AnswerInput(
            question_id=question.pk, choice_ids=(question.choices.get(is_correct=True).pk,)
        )
        for question in Question.objects.filter(quiz=quiz)
    ]
    return services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers)


def test_a_submitted_result_is_served_from_the_cache_until_a_regrade_changes_its_score(
    user, user_client, staff_user
):
    quiz = quiz_with_questions(2)
    attempt = submitted_attempt(quiz, user)
    url = f"/api/v1/attempts/{attempt.pk}/"
    assert user_client.get(url).json()["score"] == "2.00"

    # An editor fixes the answer key of the first question; only a regrade rescores.
    question = Question.objects.filter(quiz=quiz).order_by("position").first()
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(question=question, position=2).update(is_correct=True)
    assert user_client.get(url).json()["score"] == "2.00"

    services.regrade_quiz(quiz=quiz, changed_by=staff_user, reason="Answer key corrected")

    assert user_client.get(url).json()["score"] == "1.00"


def test_a_review_that_reveals_answers_only_after_the_last_attempt_is_never_served_stale(user, user_client):
    quiz = quiz_with_questions(1, max_attempts=2, answer_visibility=AnswerVisibility.AFTER_LAST_ATTEMPT)
    first = submitted_attempt(quiz, user)
    url = f"/api/v1/attempts/{first.pk}/"
    review = user_client.get(url).json()
    assert review["reveals_answers"] is False
    assert review["results"][0]["correct"] is None

    submitted_attempt(quiz, user)

    review = user_client.get(url).json()
    assert review["reveals_answers"] is True
    assert review["results"][0]["correct"]


def test_someone_elses_cached_result_stays_a_404(user, user_client):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt(quiz, user)
    assert user_client.get(f"/api/v1/attempts/{attempt.pk}/").status_code == 200
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    assert stranger.get(f"/api/v1/attempts/{attempt.pk}/").status_code == 404


def read_in_another_request(read):
    """`read()`'s value, run in a thread with its own database connection, as another worker would."""
    outcome = {}

    def worker():
        try:
            outcome["value"] = read()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the other request hung"
    return outcome["value"]


@pytest.mark.django_db(transaction=True)
def test_content_saved_in_a_transaction_is_seen_after_commit(settings):
    if not settings.REDIS_URL:
        # The database cache writes inside the editor's transaction, so nobody can store under the
        # new version before the commit; Redis (here: a per-process cache) is outside it, as in the race.
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    quiz = quiz_with_questions(1, title="Before")
    visitor = APIClient()

    with transaction.atomic():
        quiz.title = "After"
        quiz.save()
        # Between the save's own bump and the commit another request reads the committed rows and
        # stores them under the version that is current now.
        assert read_in_another_request(lambda: titles(visitor.get(LIST_URL))) == ["Before"]

    # The bump on commit makes that entry stale: without it the old title would be served from now on.
    assert titles(visitor.get(LIST_URL)) == ["After"]


def test_reads_are_served_from_the_database_when_the_shared_cache_is_down(api_client, user, user_client):
    quiz = quiz_with_questions(1, title="Parler")
    attempt = submitted_attempt(quiz, user)
    # Nothing listens on port 9 (discard): every cache call fails at once.
    unreachable = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }

    with override_settings(CACHES=unreachable):
        assert titles(api_client.get(LIST_URL)) == ["Parler"]
        assert api_client.get(detail_url(quiz)).json()["title"] == "Parler"
        assert user_client.get(f"/api/v1/attempts/{attempt.pk}/").json()["score"] == "1.00"
        assert "Parler" in Client().get("/").content.decode()


def test_generated_demo_data_appears_in_a_catalogue_cached_before(api_client):
    from django.core.management import call_command

    quiz_with_questions(1, title="Parler")
    assert api_client.get(LIST_URL).json()["count"] == 1

    call_command("generate_demo_data", "--quizzes", "2", "--questions", "2", "--attempts", "0", verbosity=0)

    assert api_client.get(LIST_URL).json()["count"] > 1


def test_statistics_are_cached_for_a_minute_and_start_fresh_when_an_editor_saves_the_quiz(user, staff_user):
    quiz = quiz_with_questions(1)
    submitted_attempt(quiz, user)
    staff = APIClient()
    staff.force_authenticate(staff_user)
    url = f"/api/v1/quizzes/{quiz.slug}/statistics/"
    assert staff.get(url).json()["attempt_count"] == 1

    submitted_attempt(quiz, UserFactory())
    assert staff.get(url).json()["attempt_count"] == 1

    quiz.title = "Edited"
    quiz.save()
    assert staff.get(url).json()["attempt_count"] == 2


def test_cached_statistics_stay_staff_only(user, user_client, staff_user):
    quiz = quiz_with_questions(1)
    staff = APIClient()
    staff.force_authenticate(staff_user)
    assert staff.get(f"/api/v1/quizzes/{quiz.slug}/statistics/").status_code == 200

    assert user_client.get(f"/api/v1/quizzes/{quiz.slug}/statistics/").status_code == 403


# ---------------------------------------------------------------------------------------------
# Home page


def test_the_home_page_catalogue_of_a_first_time_guest_comes_from_the_cache(client, django_assert_max_num_queries):
    quiz_with_questions(1, title="Parler")
    client.get("/")
    Quiz.objects.update(title="Changed behind the cache's back")

    with django_assert_max_num_queries(2) as reads:
        response = Client().get("/")

    assert "Parler" in response.content.decode()
    assert not any("quizzes_quiz" in query["sql"] for query in reads.captured_queries)


def test_a_guest_sees_a_quiz_an_editor_published_on_the_home_page_right_away():
    quiz = quiz_with_questions(1, title="Coming soon", is_published=False)
    assert "Coming soon" not in Client().get("/").content.decode()

    quiz.is_published = True
    quiz.save()

    assert "Coming soon" in Client().get("/").content.decode()


def test_the_shared_home_page_carries_no_csrf_token_while_forms_that_post_get_their_own():
    quiz = quiz_with_questions(1)
    first, second = Client(), Client()

    first_page, second_page = first.get("/"), second.get("/")

    # The language switch is a GET form, so nothing per visitor is in (or cached with) the page.
    assert first_page.content == second_page.content
    assert "csrfmiddlewaretoken" not in first_page.content.decode()
    assert "csrftoken" not in first.cookies
    first.get(f"/quizzes/{quiz.slug}/")
    second.get(f"/quizzes/{quiz.slug}/")
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_a_guest_with_attempts_sees_their_best_score_not_the_shared_catalogue():
    quiz = quiz_with_questions(1, title="Parler")
    Client(headers={"accept-language": "en"}).get("/")  # fills the shared catalogue
    guest = Client(headers={"accept-language": "en"})
    guest.post(f"/quizzes/{quiz.slug}/start/")
    session_owner = services.Owner.of(guest_key=guest.session["quizsite_guest_key"])
    attempt = Attempt.objects.get(guest_key=session_owner.guest_key)
    question = Question.objects.get(quiz=quiz)
    services.submit_attempt(
        attempt_id=attempt.pk,
        owner=session_owner,
        answers=[services.AnswerInput(question_id=question.pk, choice_ids=(question.choices.get(is_correct=True).pk,))],
    )

    page = guest.get("/").content.decode()

    assert "Your best" in page


def test_search_and_made_up_parameters_are_answered_fresh_so_they_cannot_fill_the_cache(api_client):
    quiz_with_questions(1, title="Parler")
    for query in ("?search=Parler", "?utm_source=x", "?page=1&page=2", "?language=xx"):
        api_client.get(LIST_URL + query)
    Quiz.objects.update(title="Fresh")

    assert titles(api_client.get(LIST_URL + "?search=Fresh")) == ["Fresh"]
    assert titles(api_client.get(LIST_URL + "?utm_source=x")) == ["Fresh"]


def test_equivalent_page_numbers_share_one_cached_page(api_client):
    quiz_with_questions(1, title="Parler")
    api_client.get(LIST_URL + "?page=1&language=de")
    Quiz.objects.update(title="Changed behind the cache's back")

    assert titles(api_client.get(LIST_URL + "?language=de&page=01")) == ["Parler"]


def editor_admin_client():
    editor = EditorFactory()
    client = Client(headers={"accept-language": "en"})
    client.force_login(editor)
    return client


def run_admin_action(client, action, quiz):
    return client.post(
        "/admin/quizzes/quiz/", {"action": action, ACTION_CHECKBOX_NAME: [quiz.pk]}, follow=True
    )


def test_the_admins_unpublish_action_takes_the_quiz_out_of_cached_reads_at_once(api_client):
    """Regression: the publish actions update rows in bulk, which sends no save signal, so cached
    catalogue and detail kept showing an unpublished quiz until their entries expired."""
    quiz = quiz_with_questions(1, title="Withdrawn")
    assert "Withdrawn" in titles(api_client.get(LIST_URL))
    assert api_client.get(detail_url(quiz)).status_code == 200

    run_admin_action(editor_admin_client(), "unpublish", quiz)

    assert "Withdrawn" not in titles(api_client.get(LIST_URL))
    assert api_client.get(detail_url(quiz)).status_code == 404


def test_the_admins_publish_action_shows_the_quiz_in_cached_reads_at_once(api_client):
    quiz = quiz_with_questions(1, title="Fresh", is_published=False)
    assert "Fresh" not in titles(api_client.get(LIST_URL))

    run_admin_action(editor_admin_client(), "publish", quiz)

    assert "Fresh" in titles(api_client.get(LIST_URL))


# ---------------------------------------------------------------------------------------------
# A settled result is kept as its rendered body


def token_client(user):
    """A client that authenticates like an integrator, with the Authorization header on every request."""
    return APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def result_url(attempt):
    return f"/api/v1/attempts/{attempt.pk}/"


def test_a_cached_result_is_byte_for_byte_the_result_rendered_fresh(user, django_assert_max_num_queries):
    quiz = quiz_with_questions(3)
    attempt = submitted_attempt(quiz, user)
    client = token_client(user)
    fresh = client.get(result_url(attempt))
    # Edited behind the models' back (no save signal): only a fresh rendering could show it.
    Question.objects.filter(quiz=quiz).update(explanation="Changed behind the cache's back")

    with django_assert_max_num_queries(3) as reads:
        cached = client.get(result_url(attempt))

    assert not any("quizzes_question" in query["sql"] for query in reads.captured_queries)
    assert cached.status_code == fresh.status_code == 200
    assert cached.content == fresh.content
    for header in ("Content-Type", "Content-Language", "Vary", "Allow"):
        assert cached.get(header) == fresh.get(header), header
    assert cached["Content-Type"] == "application/json"
    assert cached.json()["results"][0]["explanation"] == "Because the source says so."


def test_a_cached_result_read_stays_well_under_the_result_query_budget(user, django_assert_max_num_queries):
    quiz = quiz_with_questions(5)
    attempt = submitted_attempt(quiz, user)
    client = token_client(user)
    client.get(result_url(attempt))

    # The token, the attempt's status with its ownership, and one cache read (content version and
    # body together); the result's budget when it is built is 6 (test_api_query_budgets.py).
    with django_assert_max_num_queries(3):
        response = client.get(result_url(attempt))

    assert response.status_code == 200 and len(response.json()["results"]) == 5


def test_a_regrade_changes_the_next_result_read(user, staff_user):
    quiz = quiz_with_questions(2)
    attempt = submitted_attempt(quiz, user)
    client = token_client(user)
    before = client.get(result_url(attempt)).json()
    assert [result["score"] for result in before["results"]] == ["1.00", "1.00"]
    question = Question.objects.filter(quiz=quiz).order_by("position").first()
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(question=question, position=2).update(is_correct=True)

    services.regrade_quiz(quiz=quiz, changed_by=staff_user, reason="Answer key corrected")

    after = client.get(result_url(attempt)).json()
    assert after["score"] == "1.00" and after["percent"] == "50.00"
    assert [result["score"] for result in after["results"]] == ["0.00", "1.00"]


def test_a_regrade_that_moves_points_between_questions_shows_in_the_next_result_read(user, staff_user):
    # The total stays 1 of 2, so only the regrade itself can tell the cache that the review changed.
    quiz = quiz_with_questions(2)
    first, second = Question.objects.filter(quiz=quiz).order_by("position")
    owner = services.Owner.of(user=user)
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    chosen_wrong = second.choices.filter(is_correct=False).first()
    services.submit_attempt(
        attempt_id=attempt.pk,
        owner=owner,
        answers=[
            services.AnswerInput(question_id=first.pk, choice_ids=(first.choices.get(is_correct=True).pk,)),
            services.AnswerInput(question_id=second.pk, choice_ids=(chosen_wrong.pk,)),
        ],
    )
    client = token_client(user)
    # The editor's corrections: the first question's key was wrong, and so was the second's.
    for choice in first.choices.all():
        choice.is_correct = choice.position == 2
        choice.save()
    for choice in second.choices.all():
        choice.is_correct = choice.pk == chosen_wrong.pk
        choice.save()
    before_regrade = client.get(result_url(attempt)).json()
    assert [result["score"] for result in before_regrade["results"]] == ["1.00", "0.00"]

    services.regrade_quiz(quiz=quiz, changed_by=staff_user, reason="Answer keys corrected")

    after = client.get(result_url(attempt)).json()
    assert after["score"] == "1.00"
    assert [result["score"] for result in after["results"]] == ["0.00", "1.00"]


def test_an_explanation_an_editor_saves_shows_in_a_cached_result_at_once(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt(quiz, user)
    client = token_client(user)
    assert client.get(result_url(attempt)).json()["results"][0]["explanation"] == "Because the source says so."
    question = Question.objects.get(quiz=quiz)

    question.explanation = "Amazon cited violent posts that Parler did not remove."
    question.save()

    review = client.get(result_url(attempt)).json()
    assert review["results"][0]["explanation"] == "Amazon cited violent posts that Parler did not remove."


def test_another_learners_token_gets_404_for_a_cached_result(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt(quiz, user)
    assert token_client(user).get(result_url(attempt)).status_code == 200

    response = token_client(UserFactory()).get(result_url(attempt))

    assert response.status_code == 404
    assert "results" not in response.json()


def test_a_revoked_token_is_refused_at_once_though_the_result_is_cached(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt(quiz, user)
    client = token_client(user)
    assert client.get(result_url(attempt)).status_code == 200

    Token.objects.filter(user=user).delete()

    response = client.get(result_url(attempt))
    assert response.status_code == 401
    assert "results" not in response.json()


def test_an_indented_result_asked_for_is_the_cached_result_pretty_printed(user):
    quiz = quiz_with_questions(2)
    attempt = submitted_attempt(quiz, user)
    client = token_client(user)
    compact = client.get(result_url(attempt))

    indented = client.get(result_url(attempt), HTTP_ACCEPT="application/json; indent=2")

    assert indented.status_code == 200
    assert indented.content.startswith(b'{\n  "id"')
    assert indented.json() == compact.json()


def test_a_result_in_a_format_the_api_does_not_speak_is_406_even_when_cached(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt(quiz, user)
    client = token_client(user)
    assert client.get(result_url(attempt)).status_code == 200

    response = client.get(result_url(attempt), HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert "results" not in response.json()


def test_each_language_gets_its_own_cached_result(user):
    quiz = quiz_with_questions(1)
    attempt = submitted_attempt(quiz, user)
    client = token_client(user)

    german = client.get(result_url(attempt), HTTP_ACCEPT_LANGUAGE="de")
    english = client.get(result_url(attempt), HTTP_ACCEPT_LANGUAGE="en")

    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    assert client.get(result_url(attempt), HTTP_ACCEPT_LANGUAGE="de").content == german.content


def test_the_status_read_behind_a_cached_result_finds_a_guests_attempt_only_with_their_key():
    quiz = quiz_with_questions(1)
    guest = services.Owner.of(guest_key="guest-key-of-the-learner")
    attempt, _created = services.start_attempt(quiz=quiz, owner=guest)
    services.submit_attempt(attempt_id=attempt.pk, owner=guest)

    status = selectors.attempt_status_for_owner(attempt_id=attempt.pk, owner=guest)

    assert (status.pk, status.state, status.is_open) == (attempt.pk, "submitted", False)
    for stranger in (services.Owner.of(guest_key="someone-else"), services.Owner.of(user=UserFactory())):
        with pytest.raises(services.AttemptNotFound):
            selectors.attempt_status_for_owner(attempt_id=attempt.pk, owner=stranger)
