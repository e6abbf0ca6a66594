"""Outside an attempt (the public quiz, the review queue, an answered review question) every surface shows
choices in the one order rules.choice_order_outside_attempts gives: by id when the quiz's attempts
shuffle them, else as authored."""

import pytest

from quizzes import rules
from quizzes.models import Choice
from tests.factories import QuestionFactory, QuizFactory, UserFactory
from tests.review_helpers import client_for, right_choices, take

pytestmark = pytest.mark.django_db


def question_authored_against_id_order(*, shuffle_choices):
    """A question of its own quiz whose authored order of four choices is the reverse of their ids'."""
    quiz = QuizFactory(shuffle_choices=shuffle_choices)
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=3)
    ids = sorted(question.choices.values_list("pk", flat=True))
    # Through positions of their own first: (question, position) is unique.
    for offset in (100, 0):
        for position, choice_id in enumerate(reversed(ids)):
            Choice.objects.filter(pk=choice_id).update(position=offset + position)
    return quiz, question, ids


@pytest.mark.parametrize("shuffle_choices", [True, False], ids=["shuffling", "authored"])
def test_the_quiz_the_review_queue_and_the_answered_question_agree_on_the_order(shuffle_choices):
    quiz, question, ids = question_authored_against_id_order(shuffle_choices=shuffle_choices)
    expected = ids if shuffle_choices else list(reversed(ids))
    client = client_for(UserFactory())

    detail = client.get(f"/api/v1/quizzes/{quiz.slug}/").json()
    take(client, quiz, missed=[question.pk])
    queued = client.get("/api/v1/me/review/").json()["questions"]
    answered = client.post(
        f"/api/v1/me/review/{question.pk}/", {"choices": right_choices(question.pk)}, format="json"
    ).json()

    assert [choice["id"] for choice in detail["questions"][0]["choices"]] == expected
    assert [choice["id"] for choice in queued[0]["choices"]] == expected
    assert [choice["id"] for choice in answered["choices"]] == expected


def test_the_rule_orders_by_id_when_attempts_shuffle_and_by_position_otherwise():
    choices = [(7, 0), (3, 1), (5, 2)]  # (id, position)

    def order(shuffles_choices):
        return [
            choice_id
            for choice_id, position in sorted(
                choices,
                key=lambda choice: rules.choice_order_outside_attempts(
                    shuffles_choices=shuffles_choices, choice_id=choice[0], position=choice[1]
                ),
            )
        ]

    assert order(True) == [3, 5, 7]
    assert order(False) == [7, 3, 5]
