"""Spaced review's pure rules: the FSRS rating and steps (quizzes/memory.py) and what review may show
(rules.may_show_in_review)."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from fsrs import Rating

from quizzes import memory, rules
from quizzes.models import AnswerVisibility

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_a_right_answer_rates_good_and_any_other_again():
    assert memory.rating_for(is_right=True) == Rating.Good
    assert memory.rating_for(is_right=False) == Rating.Again


def test_a_new_question_missed_is_due_at_once_and_then_answered_right_is_due_in_days():
    missed = memory.review(memory.new_memory(now=NOW), is_right=False, now=NOW)
    assert missed.due == NOW

    right = memory.review(missed, is_right=True, now=NOW + timedelta(minutes=1))
    assert right.due - NOW >= timedelta(hours=23)


def test_a_new_question_answered_right_graduates_at_once():
    right = memory.review(memory.new_memory(now=NOW), is_right=True, now=NOW)
    assert right.due - NOW >= timedelta(days=1)


def test_a_known_question_missed_in_review_is_due_again_within_ten_minutes():
    known = memory.review(memory.new_memory(now=NOW), is_right=True, now=NOW)
    missed = memory.review(known, is_right=False, now=known.due)
    assert timedelta(0) < missed.due - known.due <= timedelta(minutes=10)


def test_times_in_any_time_zone_are_accepted():
    berlin = NOW.astimezone(ZoneInfo("Europe/Berlin"))
    assert memory.review(memory.new_memory(now=berlin), is_right=False, now=berlin).due == NOW


def test_the_chance_of_recall_falls_with_time_and_is_nothing_before_any_review():
    known = memory.review(memory.new_memory(now=NOW), is_right=True, now=NOW)
    chances = [
        memory.recall_chance(stability=known.stability, last_review=known.last_review, now=NOW + timedelta(days=days))
        for days in (0, 2, 10, 365)
    ]
    assert chances[0] == 1 and chances == sorted(chances, reverse=True) and chances[-1] < 0.5
    assert memory.recall_chance(stability=None, last_review=None, now=NOW) == 0


@pytest.mark.parametrize(
    ("visibility", "is_published", "is_learners_version", "is_quiz_in_progress", "expected"),
    [
        (AnswerVisibility.AFTER_SUBMISSION, True, True, False, True),
        (AnswerVisibility.AFTER_LAST_ATTEMPT, True, True, False, True),
        (AnswerVisibility.AFTER_LAST_ATTEMPT, True, False, False, False),
        (AnswerVisibility.AFTER_SUBMISSION, False, False, False, False),
        (AnswerVisibility.AFTER_SUBMISSION, True, False, False, True),
        (AnswerVisibility.NEVER, True, True, False, False),
        (AnswerVisibility.AFTER_SUBMISSION, True, True, True, False),
    ],
)
def test_what_review_may_show(visibility, is_published, is_learners_version, is_quiz_in_progress, expected):
    assert (
        rules.may_show_in_review(
            answer_visibility=visibility,
            is_published=is_published,
            is_learners_version=is_learners_version,
            is_quiz_in_progress=is_quiz_in_progress,
        )
        is expected
    )


def test_the_chance_of_recall_is_fsrs_retrievability_and_falls_within_a_day():
    from fsrs import Card, State

    missed = memory.review(memory.new_memory(now=NOW), is_right=False, now=NOW)
    card = Card(card_id=1, state=State.Learning, stability=missed.stability, last_review=NOW)
    for days in (1, 3, 30):
        later = NOW + timedelta(days=days)
        assert memory.recall_chance(stability=missed.stability, last_review=NOW, now=later) == pytest.approx(
            memory.SCHEDULER.get_card_retrievability(card, later)
        )
    evening = memory.recall_chance(stability=missed.stability, last_review=NOW, now=NOW + timedelta(hours=10))
    assert evening < 0.9
