"""The review queue is cached per learner (quizzes/caching/learners.py). Each test reads the queue first, so
a cached copy is there, then changes what the queue shows through the public interfaces: every write
that changes it, the content and the clock make the next read fresh; nothing else does."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes import caching, selectors, services
from quizzes.models import AnswerVisibility, MemoryState
from quizzes.owners import GUEST_SESSION_KEY, Owner
from tests.factories import PASSWORD, UserFactory, quiz_with_questions
from tests.review_helpers import (
    check_an_answer_in_review_leaves_the_queue,
    client_for,
    due_ids,
    guest_takes,
    question_ids,
    right_choices,
    take,
    wrong_choice,
)

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/me/review/"


def cache_read_queries():
    """Queries of one shared-cache read: one with the database cache, none with Redis."""
    return int("DatabaseCache" in settings.CACHES["default"]["BACKEND"])


def test_an_answer_in_review_leaves_the_cached_queue():
    check_an_answer_in_review_leaves_the_queue(client_for(UserFactory()))


def test_starting_an_attempt_takes_its_quiz_out_of_the_cached_queue():
    client = client_for(UserFactory())
    quiz = quiz_with_questions(2)
    take(client, quiz, missed=question_ids(quiz))
    assert len(due_ids(client)) == 2

    client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")

    assert due_ids(client) == []


def test_submitting_another_quiz_adds_its_misses_to_the_cached_queue():
    client = client_for(UserFactory())
    first, second = quiz_with_questions(1), quiz_with_questions(1)
    take(client, first, missed=question_ids(first))
    assert due_ids(client) == question_ids(first)

    take(client, second, missed=question_ids(second))

    assert due_ids(client) == sorted(question_ids(first) + question_ids(second))


def test_closing_an_attempt_whose_answers_were_all_checked_brings_its_quiz_back():
    # Every question was locked by a check (remembered then), so closing feeds review nothing new: only
    # the attempt's closing says the learner no longer takes the quiz.
    client = client_for(UserFactory())
    quiz = quiz_with_questions(1, behaviour="immediate")
    (question,) = question_ids(quiz)
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    check_url = f"/api/v1/attempts/{started['id']}/answers/{question}/check/"
    checked = client.post(check_url, {"choices": wrong_choice(question)}, format="json")
    assert checked.status_code == 200, checked.content
    assert due_ids(client) == []

    assert client.post(f"/api/v1/attempts/{started['id']}/submit/", {"answers": []}, format="json").status_code == 200

    assert due_ids(client) == [question]


def account_with_a_cached_queue():
    """A learner who missed the one question of a quiz, with their queue read once, so it is cached."""
    user = UserFactory()
    account = client_for(user)
    quiz = quiz_with_questions(1)
    take(account, quiz, missed=question_ids(quiz))
    assert due_ids(account) == question_ids(quiz)
    return user, account, quiz


def test_a_guests_cached_queue_moves_to_the_account_they_log_in_with():
    user, account, known = account_with_a_cached_queue()
    guest = Client()
    quiz = quiz_with_questions(2)
    guest_takes(guest, quiz, missed=question_ids(quiz))
    assert 'name="choice"' in guest.get(reverse("web:review")).content.decode()

    logged_in = guest.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert logged_in.status_code == 302
    assert due_ids(account) == sorted(question_ids(known) + question_ids(quiz))


def test_a_guests_attempt_in_progress_moves_to_the_account_and_takes_its_quiz_out():
    user, account, quiz = account_with_a_cached_queue()
    guest = Client()
    assert guest.post(reverse("web:start", kwargs={"slug": quiz.slug})).status_code == 302

    guest.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert due_ids(account) == []


def test_signing_up_keeps_the_guests_queue_read_before():
    guest = Client()
    quiz = quiz_with_questions(2)
    guest_takes(guest, quiz, missed=question_ids(quiz)[:1])
    assert guest.get(reverse("web:review")).status_code == 200
    guest_key = guest.session[GUEST_SESSION_KEY]
    guests_queue = selectors.review_queue(owner=Owner(guest_key=guest_key))
    assert [question.id for question in guests_queue.questions] == question_ids(quiz)[:1]

    guest.post(reverse("signup"), {"username": "learner", "password1": PASSWORD, "password2": PASSWORD})

    assert selectors.review_queue(owner=Owner(guest_key=guest_key)).questions == ()
    account = client_for(get_user_model().objects.get(username="learner"))
    assert due_ids(account) == question_ids(quiz)[:1]


def test_an_editors_change_of_the_quiz_reaches_the_cached_queue():
    client = client_for(UserFactory())
    quiz = quiz_with_questions(2)
    take(client, quiz, missed=question_ids(quiz))
    assert len(due_ids(client)) == 2

    quiz.answer_visibility = AnswerVisibility.NEVER
    quiz.save()

    assert due_ids(client) == []


def test_a_question_falling_due_shows_though_the_queue_was_cached_before():
    user = UserFactory()
    client = client_for(user)
    quiz = quiz_with_questions(2)
    missed, known = question_ids(quiz)
    take(client, quiz, missed=[missed])
    owner = Owner.of(user=user)
    due = MemoryState.objects.get(owner=owner.key, question_id=known).due
    before = selectors.review_queue(owner=owner, now=due - timedelta(seconds=1))
    assert [question.id for question in before.questions] == [missed] and before.next_due == due

    at_due = selectors.review_queue(owner=owner, now=due)

    assert [question.id for question in at_due.questions] == [missed, known]


def learner_with_one_state_due(due):
    """An owner whose one memory state (a missed question) is due at `due`, with no cached queue."""
    user = UserFactory()
    owner = Owner.of(user=user)
    quiz = quiz_with_questions(1)
    take(client_for(user), quiz, missed=question_ids(quiz))
    MemoryState.objects.filter(owner=owner.key).update(due=due)
    caching.learner_changed(owner.key)
    return owner


def local_noon():
    """Today's noon in the site's time zone: far from midnight, so only what a test moves is the clock."""
    return timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)


def test_the_day_turning_moves_later_today_though_the_queue_was_cached():
    midnight = local_noon().replace(hour=0) + timedelta(days=1)
    # Due a minute after midnight: "this week" just before midnight, "later today" just after.
    owner = learner_with_one_state_due(midnight + timedelta(minutes=1))
    # Closer to midnight than caching.LEARNER_TIMEOUT, so only the end of the day ends the entry.
    evening = selectors.review_queue(owner=owner, now=midnight - timedelta(seconds=30))
    assert (evening.later_today, evening.this_week) == (0, 1)

    night = selectors.review_queue(owner=owner, now=midnight + timedelta(seconds=10))

    assert (night.later_today, night.this_week) == (1, 1)


def test_a_cached_queue_is_served_at_most_learner_timeout():
    now = local_noon()
    owner = learner_with_one_state_due(now - timedelta(hours=1))
    assert selectors.review_queue(owner=owner, now=now).due_now == 1
    # Written behind the services' back: only the clock makes the cached copy go.
    MemoryState.objects.filter(owner=owner.key).update(due=now + timedelta(days=30))

    assert selectors.review_queue(owner=owner, now=now + timedelta(seconds=caching.LEARNER_TIMEOUT - 1)).due_now == 1
    assert selectors.review_queue(owner=owner, now=now + timedelta(seconds=caching.LEARNER_TIMEOUT)).due_now == 0


def test_a_cached_queue_is_never_served_for_an_earlier_time():
    due = local_noon()
    owner = learner_with_one_state_due(due)
    assert selectors.review_queue(owner=owner, now=due + timedelta(seconds=10)).due_now == 1

    assert selectors.review_queue(owner=owner, now=due - timedelta(seconds=10)).due_now == 0


def test_with_any_cache_but_the_databases_the_learner_gets_a_new_version_again_after_the_commit(
    settings, django_capture_on_commit_callbacks
):
    # A read between the write and its commit may have stored the rows as they were under the version
    # written first: the one written after the commit leaves that entry unread.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    user = UserFactory()
    owner = Owner.of(user=user)
    quiz = quiz_with_questions(1)
    take(client_for(user), quiz, missed=question_ids(quiz))
    assert len(selectors.review_queue(owner=owner).questions) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        caching.learner_changed(owner.key)
        # Another request's read before the write commits: it sees the rows as they were and stores
        # them under the version written first. (Here it runs before the write, on the same connection.)
        assert len(selectors.review_queue(owner=owner).questions) == 1
        MemoryState.objects.filter(owner=owner.key).update(due=timezone.now() + timedelta(days=3))

    assert len(callbacks) == 1
    callbacks[0]()
    assert selectors.review_queue(owner=owner).questions == ()


def test_one_learners_writes_leave_anothers_cached_queue_alone(django_assert_num_queries):
    quiz = quiz_with_questions(1)
    learner, other = client_for(UserFactory()), client_for(UserFactory())
    take(learner, quiz, missed=question_ids(quiz))
    take(other, quiz, missed=question_ids(quiz))
    assert due_ids(learner) == due_ids(other) == question_ids(quiz)
    (question,) = question_ids(quiz)

    other.post(f"{QUEUE}{question}/", {"choices": right_choices(question)}, format="json")

    assert due_ids(other) == []
    with django_assert_num_queries(cache_read_queries()):
        assert due_ids(learner) == [question]


def test_answering_in_review_through_the_services_drops_the_cached_queue():
    user = UserFactory()
    owner = Owner.of(user=user)
    quiz = quiz_with_questions(1)
    (question,) = question_ids(quiz)
    take(client_for(user), quiz, missed=[question])
    assert [q.id for q in selectors.review_queue(owner=owner).questions] == [question]

    services.answer_review(owner=owner, question_id=question, choice_ids=right_choices(question))

    assert selectors.review_queue(owner=owner).questions == ()


def test_with_the_database_cache_on_any_database_a_write_makes_the_next_read_fresh(settings):
    # The suite's PostgreSQL run caches in Redis: this runs the database cache's way there too.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "quizsite_cache"}
    }
    call_command("createcachetable", verbosity=0)  # there when the suite's own cache is the database's

    check_an_answer_in_review_leaves_the_queue(client_for(UserFactory()))
