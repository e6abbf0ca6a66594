"""The review queue's plain representation is exactly what its serializer (the OpenAPI schema's shape)
gives, with the times in the site's zone as DRF writes them, and the API answers it."""

import datetime
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.api import serializers
from quizzes.selectors import ShownChoice
from quizzes.selectors.review import ReviewQuestion, ReviewQueue
from tests.factories import MemoryStateFactory, QuestionFactory, QuizFactory, UserFactory
from tests.serializer_walk import generic_representation


DUE = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.timezone.utc)  # 01:30 in Berlin, before the switch
QUESTION = ReviewQuestion(
    id=7,
    kind="multiple",
    text="Who took Parler offline?",
    language="en",
    quiz="parler",
    quiz_title="Parler at a glance",
    due=DUE,
    choices=(ShownChoice(id=3, text="Amazon Web Services"), ShownChoice(id=4, text="Google")),
)


@pytest.mark.parametrize(
    "queue",
    [
        ReviewQueue(
            questions=(QUESTION,), due_now=1, due_in_review=1, later_today=2, this_week=5,
            next_due=DUE + timedelta(days=1),
        ),
        ReviewQueue(questions=(), due_now=0, due_in_review=0, later_today=0, this_week=0, next_due=None),
        ReviewQueue(questions=(QUESTION, QUESTION), due_now=2, due_in_review=7, later_today=0, this_week=0, next_due=None,
                    attempt=uuid.UUID("6d5f0c1e-2b8f-4a7c-9d0e-1f2a3b4c5d6e")),
    ],
    ids=["counts", "empty", "practising"],
)
def test_the_plain_queue_is_what_its_serializer_gives(queue):
    assert serializers.review_queue_representation(queue) == generic_representation(
        serializers.ReviewQueueSerializer, queue
    )


def test_due_times_are_written_in_the_sites_zone_like_every_other_api_time():
    representation = serializers.review_queue_representation(
        ReviewQueue(questions=(QUESTION,), due_now=1, due_in_review=1, later_today=0, this_week=0, next_due=DUE)
    )

    assert representation["questions"][0]["due"] == "2026-03-29T01:30:00+01:00"
    assert representation["next_due"] == "2026-03-29T01:30:00+01:00"


@pytest.mark.django_db
def test_the_api_answers_the_queue_with_every_field_of_the_schema():
    user = UserFactory()
    quiz = QuizFactory(language="de")
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=1)
    MemoryStateFactory(user=user, question=question, due=timezone.now() - timedelta(hours=1))
    MemoryStateFactory(user=user, question=QuestionFactory(quiz=quiz), due=timezone.now() + timedelta(days=2))
    client = APIClient()
    client.force_authenticate(user)

    body = client.get("/api/v1/me/review/").json()

    assert set(body) == {"questions", "due_now", "later_today", "this_week", "next_due", "attempt"}
    assert [shown["id"] for shown in body["questions"]] == [question.pk]
    assert set(body["questions"][0]) == {"id", "kind", "text", "language", "quiz", "quiz_title", "due", "choices"}
    assert {choice["id"] for choice in body["questions"][0]["choices"]} == set(question.choices.values_list("pk", flat=True))
    assert body["due_now"] == 1 and body["this_week"] == 1 and body["attempt"] is None
    assert timezone.datetime.fromisoformat(body["next_due"]) > timezone.now()
