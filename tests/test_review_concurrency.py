"""Spaced review under parallel requests: real threads, real transactions, one database (as in
tests/test_concurrency.py)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from quizzes import memory
from quizzes.errors import NotInReview
from quizzes.models import Choice, MemoryState
from quizzes.selectors import review_queue
from quizzes.services import (
    AnswerInput,
    Owner,
    RememberedAnswer,
    answer_review,
    claim_guest_attempts,
    remember_answers,
    start_attempt,
    submit_attempt,
)
from quizzes.services.review import RUNS_WHEN_FED_IN_PARALLEL, FedInParallel, retried_when_fed_in_parallel
from tests.factories import UserFactory, quiz_with_questions, translated_quizzes
from tests.review_helpers import right_choices
from tests.test_concurrency import PARALLEL, run_in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def wrong_answers(attempt):
    return [
        AnswerInput(
            question_id=question_id,
            choice_ids=(Choice.objects.filter(question_id=question_id, is_correct=False).values_list("pk", flat=True)[0],),
        )
        for question_id in attempt.question_order
    ]


def learner_who_missed_one_question():
    """(owner, question id): an account that answered the one question of a new quiz wrong, due in review."""
    quiz = quiz_with_questions(1)
    owner = Owner.of(user=UserFactory())
    attempt, _created = start_attempt(quiz=quiz, owner=owner)
    submit_attempt(attempt_id=attempt.pk, owner=owner, answers=wrong_answers(attempt))
    (question_id,) = attempt.question_order
    return owner, question_id


def test_parallel_answers_to_one_question_in_review_each_land_once_on_one_memory_state():
    owner, question_id = learner_who_missed_one_question()

    outcomes = run_in_parallel(
        [lambda: answer_review(owner=owner, question_id=question_id, choice_ids=()) for _call in range(PARALLEL)]
    )

    assert [error for _result, error in outcomes] == [None] * PARALLEL
    assert MemoryState.objects.filter(owner=owner.key).count() == 1
    assert MemoryState.objects.get().practised_at is not None


def test_german_and_english_attempts_closing_at_once_keep_one_memory_state_per_question():
    german, english = translated_quizzes(3)
    owner = Owner.of(user=UserFactory())
    attempts = [start_attempt(quiz=quiz, owner=owner)[0] for quiz in (german, english)]

    outcomes = run_in_parallel(
        [
            lambda attempt=attempt: submit_attempt(attempt_id=attempt.pk, owner=owner, answers=wrong_answers(attempt))
            for attempt in attempts
        ]
    )

    assert [error for _result, error in outcomes] == [None, None]
    assert MemoryState.objects.filter(owner=owner.key).count() == 3


def test_a_queue_read_while_a_review_answer_commits_leaves_no_stale_queue_behind():
    # Another request reads the learner's queue while a review answer is written but not committed,
    # and caches what it read: the read after the commit must show the answer all the same
    # (caching/learners.py: learner_changed).
    owner, question_id = learner_who_missed_one_question()
    written, read = threading.Event(), threading.Event()

    def answer_and_hold_the_commit():
        with transaction.atomic():
            answer_review(owner=owner, question_id=question_id, choice_ids=right_choices(question_id))
            written.set()
            # On SQLite the read's cache write waits for this commit, so it cannot finish first.
            read.wait(timeout=1 if connection.vendor == "sqlite" else 10)

    def read_the_queue_meanwhile():
        written.wait(timeout=10)
        try:
            return len(review_queue(owner=owner).questions)
        finally:
            read.set()

    outcomes = run_in_parallel([answer_and_hold_the_commit, read_the_queue_meanwhile])

    assert [error for _result, error in outcomes] == [None, None]
    if connection.vendor != "sqlite":
        assert outcomes[1][0] == 1, "the read saw the rows before the commit: the race this test is about"
    assert review_queue(owner=owner).questions == ()


def wait_until_blocked_or_done(thread):
    """Until `thread` has finished or waits for a lock on a memory state another transaction holds.

    PostgreSQL says when a connection waits for a lock. SQLite does not: there the second writer
    waits for the write lock (its busy timeout), and half a second of it is taken as waiting.
    """
    if connection.vendor == "sqlite":
        thread.join(timeout=0.5)
        return
    deadline = time.monotonic() + 10
    while thread.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND wait_event_type = 'Lock'"
                " AND query LIKE %s AND pid <> pg_backend_pid()",
                ["%quizzes_memorystate%"],
            )
            if cursor.fetchone()[0]:
                return
        thread.join(timeout=0.01)


def run_both_with_the_first_held_while_it_feeds_review(monkeypatch, first_feed, second_feed):
    """Run two feeds of review in two threads, the first holding on just after it computed its first
    memory (inside its transaction, if it has one open then); {thread name: [(memory before, memory
    after)]} of what each fed, in the order fed (a feed run twice feeds twice), and under "order"
    the thread names in the order they fed."""
    fed, errors, holding, released = {"first": [], "second": [], "order": []}, [], threading.Event(), threading.Event()
    review_one_answer = memory.review

    def review_and_hold(before, *, is_right, now):
        after = review_one_answer(before, is_right=is_right, now=now)
        name = threading.current_thread().name
        fed[name].append((before, after))
        fed["order"].append(name)
        if name == "first":
            holding.set()
            released.wait(timeout=30)
        return after

    monkeypatch.setattr(memory, "review", review_and_hold)

    def run(feed):
        try:
            feed()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=(first_feed,), name="first")
    second = threading.Thread(target=run, args=(second_feed,), name="second")
    try:
        first.start()
        assert holding.wait(timeout=10), "the first feed never reached review"
        second.start()
        wait_until_blocked_or_done(second)
    finally:
        # Else the first would hold its transaction, and the test database's flush, for 30 seconds.
        released.set()
    for thread in (first, second):
        thread.join(timeout=30)
    assert not first.is_alive() and not second.is_alive(), "a feed hung"
    assert errors == []
    return fed


def close_both_with_the_first_held_while_it_feeds_review(monkeypatch, first_attempt, second_attempt, owner):
    """Close two attempts as run_both_with_the_first_held_while_it_feeds_review runs two feeds."""
    return run_both_with_the_first_held_while_it_feeds_review(
        monkeypatch,
        *(
            lambda attempt=attempt: submit_attempt(attempt_id=attempt.pk, owner=owner, answers=wrong_answers(attempt))
            for attempt in (first_attempt, second_attempt)
        ),
    )


def stored_memory(owner):
    state = MemoryState.objects.get(owner=owner.key)
    return memory.Memory(state.state, state.step, state.stability, state.difficulty, state.due, state.last_review)


def german_and_english_attempts(owner, *, answered_before):
    """A learner's open attempts on a one-question German quiz and its English version."""
    german, english = translated_quizzes(1)
    if answered_before:
        earlier, _created = start_attempt(quiz=german, owner=owner)
        submit_attempt(attempt_id=earlier.pk, owner=owner, answers=wrong_answers(earlier))
    return [start_attempt(quiz=quiz, owner=owner)[0] for quiz in (german, english)]


def test_two_closings_updating_one_memory_at_once_each_count(monkeypatch):
    # Regression: on PostgreSQL the closings of a learner's German and English attempt read the
    # shared memory state without a lock, so the later write replaced the earlier one's answer.
    owner = Owner.of(user=UserFactory())
    attempts = german_and_english_attempts(owner, answered_before=True)

    fed = close_both_with_the_first_held_while_it_feeds_review(monkeypatch, *attempts, owner)

    [(_first_before, first_after)] = fed["first"]
    [(second_before, second_after)] = fed["second"]
    assert second_before == first_after, "the second closing fed review from a memory the first replaced"
    assert stored_memory(owner) == second_after


def test_two_closings_creating_one_memory_at_once_each_count(monkeypatch):
    # Regression: the two first answers to a question, in German and in English, closed at once;
    # the second upsert replaced the first's memory.
    owner = Owner.of(user=UserFactory())
    attempts = german_and_english_attempts(owner, answered_before=False)

    fed = close_both_with_the_first_held_while_it_feeds_review(monkeypatch, *attempts, owner)

    if connection.vendor == "sqlite":
        # One writer at a time: the second closing waited for the first to commit.
        earlier, later = fed["first"], fed["second"]
    else:
        # No row to lock: the second created the state, the first's insert failed and it ran again.
        assert len(fed["first"]) == 2, "the first closing did not run again on the second's memory"
        earlier, later = fed["second"], fed["first"][1:]
    [(_earlier_before, earlier_after)] = earlier
    [(later_before, later_after)] = later
    assert later_before == earlier_after, "one closing fed review from a memory the other replaced"
    assert stored_memory(owner) == later_after


def test_two_review_answers_to_one_question_at_once_each_count(monkeypatch):
    # A review answer reads its memory state without a lock and writes it only if no other feed
    # changed it meanwhile (services/review_answers.py); the second answer lands while the first
    # is between its read and its write.
    owner, question_id = learner_who_missed_one_question()

    def answer():
        answer_review(owner=owner, question_id=question_id, choice_ids=right_choices(question_id))

    fed = run_both_with_the_first_held_while_it_feeds_review(monkeypatch, answer, answer)

    assert fed["order"] == ["first", "second", "first"], "the first answer was not scheduled again"
    [(_second_before, second_after)] = fed["second"]
    [_discarded, (first_before, first_after)] = fed["first"]
    assert first_before == second_after, "the first answer was written over the second's memory"
    assert stored_memory(owner) == first_after


def clashing_service(clashes):
    """A service whose first `clashes` runs find their feed clashing with a parallel one; its runs."""
    runs = []

    @retried_when_fed_in_parallel
    def service():
        runs.append(len(runs) + 1)
        if len(runs) <= clashes:
            raise FedInParallel()
        return "fed"

    return service, runs


def test_a_service_whose_feed_clashes_twice_runs_until_it_feeds():
    # A second clash needs a third transaction's first feed of another of the service's new keys.
    service, runs = clashing_service(clashes=RUNS_WHEN_FED_IN_PARALLEL - 1)

    assert service() == "fed"
    assert runs == list(range(1, RUNS_WHEN_FED_IN_PARALLEL + 1))


def test_a_service_whose_every_run_clashes_gives_up_after_its_runs():
    service, runs = clashing_service(clashes=RUNS_WHEN_FED_IN_PARALLEL)

    with pytest.raises(FedInParallel):
        service()
    assert len(runs) == RUNS_WHEN_FED_IN_PARALLEL


def test_a_guests_review_answer_while_the_guest_signs_up_lands_nowhere(monkeypatch):
    # The guest's memory joins the account between the answer's read and its write: the answer
    # must neither be written onto the account's state nor to the guest's, which is gone.
    quiz = quiz_with_questions(1)
    (question_id,) = quiz.questions.values_list("pk", flat=True)
    user, guest = UserFactory(), Owner(guest_key="guest-signing-up")
    with transaction.atomic():  # as a closing's transaction feeds it
        remember_answers(owner=guest, answers=[RememberedAnswer(question_id, False)], now=timezone.now())
    before = stored_memory(guest)
    outcome = []

    def answer_as_the_guest():
        try:
            answer_review(owner=guest, question_id=question_id, choice_ids=right_choices(question_id))
        except NotInReview:
            outcome.append("not in review")

    fed = run_both_with_the_first_held_while_it_feeds_review(
        monkeypatch, answer_as_the_guest, lambda: claim_guest_attempts(guest_key=guest.guest_key, user=user)
    )

    assert outcome == ["not in review"]
    assert fed["order"] == ["first"]
    assert stored_memory(Owner.of(user=user)) == before
