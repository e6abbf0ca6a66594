"""Public reads come from the shared cache, and an editor's save (one row or in bulk) is seen at once."""

import threading
import time
from types import SimpleNamespace

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.db import connection, transaction
import pytest
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes import caching, services
from quizzes.models import Attempt, Choice, Question, Quiz
from tests.factories import (
    EditorFactory,
    StaffFactory,
    TopicFactory,
    UserFactory,
    quiz_with_questions,
    submitted_attempt_answered_right,
    update_behind_the_caches_back,
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
    update_behind_the_caches_back(Quiz, title="Changed behind the cache's back")

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


def test_bulk_writes_that_send_no_save_signal_show_in_cached_reads_at_once(api_client):
    """QuerySet.update, bulk_update and bulk_create skip post_save; the content's queryset reports them."""
    quiz = quiz_with_questions(1, title="Before")
    question = quiz.questions.get()
    assert api_client.get(detail_url(quiz)).status_code == 200

    Choice.objects.filter(question=question).update(text="Renamed in bulk")
    question.text = "Reworded in bulk"
    Question.objects.bulk_update([question], ["text"])
    Choice.objects.bulk_create([Choice(question=question, position=9, text="Added in bulk", is_correct=False)])

    shown = api_client.get(detail_url(quiz)).json()["questions"][0]
    assert shown["text"] == "Reworded in bulk"
    assert {choice["text"] for choice in shown["choices"]} == {"Renamed in bulk", "Added in bulk"}

    Quiz.objects.filter(pk=quiz.pk).update(title="After")
    assert titles(api_client.get(LIST_URL)) == ["After"]


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

    update_behind_the_caches_back(Quiz, title="Seen only fresh")
    assert titles(with_token.get(LIST_URL)) == ["Seen only fresh"]
    update_behind_the_caches_back(Quiz, title="Fresh again")
    assert titles(api_client.get(LIST_URL)) == ["Fresh again"]


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
    attempt = submitted_attempt_answered_right(quiz, user)
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


# ---------------------------------------------------------------------------------------------
# Home page


def test_the_home_page_catalogue_of_a_first_time_guest_comes_from_the_cache(client, django_assert_max_num_queries):
    quiz_with_questions(1, title="Parler")
    client.get("/")
    update_behind_the_caches_back(Quiz, title="Changed behind the cache's back")

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
    update_behind_the_caches_back(Quiz, title="Fresh")

    assert titles(api_client.get(LIST_URL + "?search=Fresh")) == ["Fresh"]
    assert titles(api_client.get(LIST_URL + "?utm_source=x")) == ["Fresh"]


def test_equivalent_page_numbers_share_one_cached_page(api_client):
    quiz_with_questions(1, title="Parler")
    api_client.get(LIST_URL + "?page=1&language=de")
    update_behind_the_caches_back(Quiz, title="Changed behind the cache's back")

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
# This process's copy of public reads


def test_a_repeated_public_read_comes_from_the_process_copy_without_a_query(api_client, django_assert_num_queries):
    quiz_with_questions(2, title="Parler")
    api_client.get(LIST_URL)

    # With the database cache a shared-cache read is a query too: none is made.
    with django_assert_num_queries(0):
        response = api_client.get(LIST_URL)

    assert titles(response) == ["Parler"]
    assert response["ETag"]


def test_another_process_s_save_shows_here_within_the_public_copy_s_staleness_bound(api_client, monkeypatch, settings):
    quiz_with_questions(1, title="Before")
    assert titles(api_client.get(LIST_URL)) == ["Before"]
    # Another process saves: its rows change and it replaces the shared content version, but this
    # process's copy is not told.
    update_behind_the_caches_back(Quiz, title="After")
    cache.set(caching.CONTENT_VERSION_KEY, str(time.time_ns()), timeout=None)
    assert titles(api_client.get(LIST_URL)) == ["Before"]

    later = time.time() + settings.PUBLIC_COPY_SECONDS + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))

    assert titles(api_client.get(LIST_URL)) == ["After"]
