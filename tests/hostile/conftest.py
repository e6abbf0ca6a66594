"""The small world hostile values are thrown at: two learners' attempts at one quiz, and another quiz."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes.models import Choice
from quizzes.services import Owner, start_attempt
from tests.factories import QuestionFactory, UserFactory, quiz_with_questions

@pytest.fixture
def world(db):
    quiz = quiz_with_questions(3, slug="hostile-quiz")
    QuestionFactory(quiz=quiz, position=9, kind="multiple", choices__correct=2, choices__wrong=1)
    other_quiz = quiz_with_questions(1, slug="other-quiz")
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    alice_attempt, _ = start_attempt(quiz=quiz, owner=Owner(user_id=alice.pk))
    bob_attempt, _ = start_attempt(quiz=quiz, owner=Owner(user_id=bob.pk))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    single = alice_attempt.question_order[0]
    return {
        "quiz": quiz,
        "alice": alice,
        "bob": bob,
        "client": client,
        "attempt": alice_attempt,
        "bob_attempt": bob_attempt,
        "single_question": single,
        "choices": list(Choice.objects.filter(question_id=single).values_list("id", flat=True)),
        "foreign_choice": Choice.objects.filter(question__quiz=other_quiz).values_list("id", flat=True).first(),
        "foreign_question": other_quiz.questions.values_list("id", flat=True).first(),
    }
