"""Report tallies: the figures read from them equal the straightforward computation over every answer
(tests/report_oracle.py) on random classes, through closing, expiry, guest claims, regrades and deleted
accounts; a rebuild gives the tallies grading kept; two attempts closing at once are both counted; and
the overview and item analysis take as many queries for 200 attempts as for 10."""

import datetime
import math
import random
from dataclasses import asdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes import services
from quizzes.models import Attempt, AttemptState, Choice, QuestionKind, ReportTally, TallySubject
from quizzes.reports import selectors, tallies
from quizzes.reports.filters import AttemptFilter
from quizzes.services import AnswerInput, Owner
from quizzes.services.grading import close_attempt
from tests import report_oracle
from tests.factories import EditorFactory, QuestionFactory, QuizFactory, UserFactory
from tests.test_concurrency import run_in_parallel

DAYS = 8


def moment(day, minute_of_day):
    start = datetime.datetime(2026, 3, 1) + datetime.timedelta(days=day)
    return timezone.make_aware(start + datetime.timedelta(minutes=minute_of_day))


def random_quiz(rng):
    quiz = QuizFactory(pass_mark=rng.choice([40, 50, 75]))
    for position in range(rng.randint(2, 5)):
        kind = rng.choice([QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE])
        counts = {
            QuestionKind.SINGLE: {"choices__correct": 1, "choices__wrong": rng.randint(1, 3)},
            QuestionKind.MULTIPLE: {"choices__correct": rng.randint(1, 3), "choices__wrong": rng.randint(1, 2)},
            QuestionKind.TRUE_FALSE: {"choices__correct": 1, "choices__wrong": 1},
        }[kind]
        QuestionFactory(quiz=quiz, position=position, kind=kind, points=rng.choice([1, 2, 3]), **counts)
    return quiz


def random_picks(rng, questions):
    picks = {}
    for question in questions:
        if rng.random() < 0.15:
            continue  # left unanswered
        choice_ids = [choice.pk for choice in question.choices.all()]
        size = 1 if question.kind != QuestionKind.MULTIPLE else rng.randint(1, len(choice_ids))
        picks[question.pk] = rng.sample(choice_ids, size)
    return picks


def take_randomly(rng, quiz, owner):
    """Start an attempt on a random day and time, then submit it or let it expire with what was saved."""
    questions = list(quiz.questions.prefetch_related("choices"))
    day, minute = rng.randrange(DAYS), rng.choice([5, 30, 600, 1380, 1435])
    started = moment(day, minute)
    attempt, _ = services.start_attempt(quiz=quiz, owner=owner, now=started, rng=rng)
    picks = random_picks(rng, questions)
    closed_at = started + datetime.timedelta(minutes=rng.choice([3, 40]))
    if rng.random() < 0.2:
        for question_id, choice_ids in picks.items():
            services.save_answer(attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=choice_ids, now=started)
        close_attempt(attempt_id=attempt.pk, state=AttemptState.EXPIRED, now=closed_at)
    else:
        answers = [AnswerInput(question_id=question_id, choice_ids=tuple(ids)) for question_id, ids in picks.items()]
        services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers, now=closed_at)


def random_class(seed):
    """A quiz taken by accounts (several attempts each) and guests, some guests then claimed by accounts
    with attempts of their own (renumbered) or without, a regrade, and a deleted account."""
    rng = random.Random(seed)
    quiz = random_quiz(rng)
    users = [UserFactory() for _ in range(rng.randint(3, 6))]
    guests = [f"guest-{seed}-{number}" for number in range(rng.randint(2, 5))]
    owners = [Owner.of(user=user) for user in users] + [Owner.of(guest_key=key) for key in guests]
    for _ in range(rng.randint(12, 30)):
        take_randomly(rng, quiz, rng.choice(owners))
    for key in rng.sample(guests, 2):
        services.claim_guest_attempts(guest_key=key, user=rng.choice(users + [UserFactory()]))
    if rng.random() < 0.7:
        question = rng.choice(list(quiz.questions.filter(kind=QuestionKind.SINGLE))) if quiz.questions.filter(
            kind=QuestionKind.SINGLE
        ).exists() else None
        if question is not None:
            right, wrong = question.choices.get(is_correct=True), question.choices.filter(is_correct=False).first()
            Choice.objects.filter(pk=right.pk).update(is_correct=False)
            Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
            services.regrade_quiz(quiz=quiz, changed_by=None, reason="key corrected")
    for _ in range(2):
        take_randomly(rng, quiz, rng.choice(owners[: len(users)]))
    rng.choice(users).delete()
    return quiz


def filters_to_compare():
    day = lambda number: timezone.make_aware(datetime.datetime(2026, 3, 1) + datetime.timedelta(days=number))  # noqa: E731
    ranges = [(None, None), (day(3), None), (None, day(5)), (day(2), day(6)), (day(4), day(5)), (day(20), None)]
    return [
        AttemptFilter(first_only=first_only, closed_from=start, closed_before=end)
        for first_only in (True, False)
        for start, end in ranges
    ]


def approximately(value):
    """Figures as plain data, floats compared to 1e-9: the tallies sum exact hundredths, the oracle
    sums floats in the database's order."""
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-9, abs=1e-12)
    if isinstance(value, dict):
        return {key: approximately(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(approximately(item) for item in value)
    return value


def as_data(figures):
    return [asdict(item) for item in figures] if isinstance(figures, tuple) else asdict(figures)


def tally_rows(quiz):
    """The quiz's tally rows that count something, as {key: sums}."""
    rows = ReportTally.objects.filter(quiz=quiz).values_list(*tallies.KEY_FIELDS, *tallies.SUM_FIELDS)
    return {
        tuple(row[: len(tallies.KEY_FIELDS)]): tuple(row[len(tallies.KEY_FIELDS) :])
        for row in rows
        if any(row[len(tallies.KEY_FIELDS) :])
    }


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_tallied_figures_equal_the_figures_of_every_answer_on_random_classes(seed):
    quiz = random_class(seed)
    for attempt_filter in filters_to_compare():
        tallied = selectors.overview(quiz=quiz, attempt_filter=attempt_filter)
        assert tallied == report_oracle.overview(quiz=quiz, attempt_filter=attempt_filter), attempt_filter
        questions = as_data(selectors.question_figures(quiz=quiz, attempt_filter=attempt_filter))
        oracle = as_data(report_oracle.question_figures(quiz=quiz, attempt_filter=attempt_filter))
        assert questions == approximately(oracle), attempt_filter


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6, 10))
def test_a_rebuild_gives_the_tallies_that_grading_kept(seed):
    quiz = random_class(seed)
    kept = tally_rows(quiz)
    closed = Attempt.objects.filter(quiz=quiz).exclude(state=AttemptState.IN_PROGRESS).count()
    assert kept[(quiz.pk, TallySubject.QUIZ, tallies.ALL_DAYS, False, 0, 0, False, 0, False)][0] == closed
    ReportTally.objects.filter(quiz=quiz).update(count=7, score_sum=-1)  # damaged, then recounted
    call_command("rebuild_report_tallies", quiz.slug, stdout=open("/dev/null", "w"))
    assert tally_rows(quiz) == kept


@pytest.mark.django_db
def test_an_attempt_closed_just_before_midnight_counts_on_its_day_in_the_site_time_zone():
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz)
    owner = Owner.of(guest_key="guest-late")
    attempt, _ = services.start_attempt(quiz=quiz, owner=owner, now=moment(2, 1430))
    # 23:58 in Berlin is 22:58 UTC: the day in UTC and in the site's zone agree; 00:10 is the day after.
    services.submit_attempt(attempt_id=attempt.pk, owner=owner, now=moment(2, 1438))
    later = Owner.of(guest_key="guest-early")
    attempt, _ = services.start_attempt(quiz=quiz, owner=later, now=moment(3, 5))
    services.submit_attempt(
        attempt_id=attempt.pk, owner=later, now=moment(3, 10),
        answers=[AnswerInput(question_id=question.pk, choice_ids=(question.choices.get(is_correct=True).pk,))],
    )
    on_day = AttemptFilter(closed_from=moment(2, 0), closed_before=moment(3, 0))
    assert selectors.overview(quiz=quiz, attempt_filter=on_day).attempt_count == 1
    day_after = AttemptFilter(closed_from=moment(3, 0), closed_before=moment(4, 0))
    assert selectors.overview(quiz=quiz, attempt_filter=day_after).mean_percent == 100


@pytest.mark.django_db(transaction=True)
def test_attempts_closing_at_once_are_all_counted():
    quiz = QuizFactory()
    questions = [QuestionFactory(quiz=quiz, position=position) for position in range(3)]
    owners = [Owner.of(user=UserFactory()) for _ in range(8)]
    started = [services.start_attempt(quiz=quiz, owner=owner)[0] for owner in owners]
    answers = [AnswerInput(question_id=question.pk, choice_ids=(question.choices.get(is_correct=True).pk,)) for question in questions]

    outcomes = run_in_parallel(
        [
            (lambda attempt=attempt, owner=owner: services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers))
            for attempt, owner in zip(started, owners)
        ]
    )

    assert [error for _, error in outcomes if error is not None] == []
    overview = selectors.overview(quiz=quiz, attempt_filter=AttemptFilter())
    assert (overview.attempt_count, overview.learner_count, overview.mean_percent) == (8, 8, 100)
    assert [figures.right_count for figures in selectors.question_figures(quiz=quiz, attempt_filter=AttemptFilter())] == [8] * 3


@pytest.mark.django_db(transaction=True)
def test_attempts_closing_during_a_rebuild_are_counted_once():
    quiz = QuizFactory()
    questions = [QuestionFactory(quiz=quiz, position=position) for position in range(2)]
    owners = [Owner.of(guest_key=f"guest-rebuild-{number}") for number in range(6)]
    for owner in owners[:3]:
        attempt, _ = services.start_attempt(quiz=quiz, owner=owner)
        services.submit_attempt(attempt_id=attempt.pk, owner=owner)
    started = [services.start_attempt(quiz=quiz, owner=owner)[0] for owner in owners[3:]]
    answers = [AnswerInput(question_id=question.pk, choice_ids=(question.choices.get(is_correct=True).pk,)) for question in questions]
    submits = [
        (lambda attempt=attempt, owner=owner: services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers))
        for attempt, owner in zip(started, owners[3:])
    ]
    rebuilds = [lambda: tallies.rebuild(quiz_id=quiz.pk) for _ in range(2)]

    outcomes = run_in_parallel([submits[0], rebuilds[0], submits[1], rebuilds[1], submits[2]])

    assert [error for _, error in outcomes if error is not None] == []
    overview = selectors.overview(quiz=quiz, attempt_filter=AttemptFilter())
    assert (overview.attempt_count, overview.mean_percent) == (6, 50)
    kept = tally_rows(quiz)
    tallies.rebuild(quiz_id=quiz.pk)
    assert tally_rows(quiz) == kept


@pytest.mark.django_db
def test_a_claim_by_an_account_with_attempts_makes_the_guests_first_attempt_a_later_one():
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz)
    right = question.choices.get(is_correct=True).pk
    user, guest = UserFactory(), Owner.of(guest_key="guest-before-login")
    for owner, picks in ((Owner.of(user=user), ()), (guest, (right,))):
        attempt, _ = services.start_attempt(quiz=quiz, owner=owner)
        services.submit_attempt(
            attempt_id=attempt.pk, owner=owner, answers=[AnswerInput(question_id=question.pk, choice_ids=picks)]
        )
    first = selectors.overview(quiz=quiz, attempt_filter=AttemptFilter())
    assert (first.attempt_count, first.learner_count, first.guest_count, first.mean_percent) == (2, 1, 1, 50)

    services.claim_guest_attempts(guest_key="guest-before-login", user=user)

    first = selectors.overview(quiz=quiz, attempt_filter=AttemptFilter())
    assert (first.attempt_count, first.learner_count, first.guest_count, first.mean_percent) == (1, 1, 0, 0)
    every = selectors.overview(quiz=quiz, attempt_filter=AttemptFilter(first_only=False))
    assert (every.attempt_count, every.learner_count, every.guest_count, every.mean_percent) == (2, 1, 0, 50)
    (figures,) = selectors.question_figures(quiz=quiz, attempt_filter=AttemptFilter())
    assert (figures.answer_count, figures.right_count, figures.unanswered_count) == (1, 0, 1)


@pytest.mark.django_db
def test_an_account_whose_first_attempt_is_open_still_counts_as_a_learner_of_all_attempts():
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz)
    user, guest = UserFactory(), Owner.of(guest_key="guest-with-a-closed-attempt")
    services.start_attempt(quiz=quiz, owner=Owner.of(user=user))  # open: number 1 of the account
    attempt, _ = services.start_attempt(quiz=quiz, owner=guest)
    services.submit_attempt(attempt_id=attempt.pk, owner=guest)

    services.claim_guest_attempts(guest_key="guest-with-a-closed-attempt", user=user)

    for attempt_filter in (AttemptFilter(), AttemptFilter(first_only=False)):
        tallied = selectors.overview(quiz=quiz, attempt_filter=attempt_filter)
        assert tallied == report_oracle.overview(quiz=quiz, attempt_filter=attempt_filter)
    every = selectors.overview(quiz=quiz, attempt_filter=AttemptFilter(first_only=False))
    assert (every.attempt_count, every.learner_count, every.guest_count) == (1, 1, 0)


@pytest.mark.django_db
def test_deleting_an_account_takes_its_attempts_out_of_the_reports():
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz)
    users = [UserFactory(), UserFactory()]
    for user in users:
        owner = Owner.of(user=user)
        attempt, _ = services.start_attempt(quiz=quiz, owner=owner)
        services.submit_attempt(attempt_id=attempt.pk, owner=owner)
    users[0].delete()
    overview = selectors.overview(quiz=quiz, attempt_filter=AttemptFilter())
    assert (overview.attempt_count, overview.learner_count) == (1, 1)
    assert selectors.question_figures(quiz=quiz, attempt_filter=AttemptFilter())[0].answer_count == 1


# Scale: the same number of queries for 10 attempts as for 200


def quiz_taken(count):
    quiz = QuizFactory()
    questions = [QuestionFactory(quiz=quiz, position=p, kind=QuestionKind.MULTIPLE, choices__correct=2) for p in range(3)]
    choices = {question.pk: [choice.pk for choice in question.choices.order_by("position")] for question in questions}
    for number in range(count):
        owner = Owner.of(user=UserFactory()) if number % 3 else Owner.of(guest_key=f"guest-{count}-{number}")
        attempt, _ = services.start_attempt(quiz=quiz, owner=owner, now=moment(number % DAYS, 600))
        answers = [AnswerInput(question_id=qid, choice_ids=tuple(ids[: 1 + number % 3])) for qid, ids in choices.items()]
        services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers, now=moment(number % DAYS, 610))
    return quiz


def report_queries(quiz, **query):
    client = APIClient()
    client.force_authenticate(EditorFactory())  # a fresh user each time: permissions are cached on it
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("api:quiz-report", kwargs={"slug": quiz.slug}), query)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"attempts": "all"}, {"date_from": "2026-03-02", "date_to": "2026-03-05"}])
def test_the_report_takes_as_many_queries_for_200_attempts_as_for_10(query):
    small, large = quiz_taken(10), quiz_taken(200)
    small_count, _ = report_queries(small, **query)
    large_count, report = report_queries(large, **query)
    assert small_count == large_count
    assert report["overview"]["attempt_count"] > 10 and not math.isnan(report["questions"][0]["facility"])


@pytest.mark.django_db
def test_the_overview_reads_one_query_for_first_attempts_and_the_item_analysis_three():
    quiz = quiz_taken(10)
    with CaptureQueriesContext(connection) as context:
        selectors.overview(quiz=quiz, attempt_filter=AttemptFilter())
    assert len(context.captured_queries) == 1
    with CaptureQueriesContext(connection) as context:
        selectors.overview(quiz=quiz, attempt_filter=AttemptFilter(first_only=False))
    assert len(context.captured_queries) == 2
    with CaptureQueriesContext(connection) as context:
        selectors.question_figures(quiz=quiz, attempt_filter=AttemptFilter())
    assert len(context.captured_queries) == 3

