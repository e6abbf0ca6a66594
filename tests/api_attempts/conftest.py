"""The quiz these tests take: one question of each kind, one of them worth 2 points."""

import pytest

from tests.factories import QuestionFactory, QuizFactory


@pytest.fixture
def quiz():
    quiz = QuizFactory(slug="parler", pass_mark=60)
    QuestionFactory(quiz=quiz, position=1, kind="single", points="1")
    QuestionFactory(quiz=quiz, position=2, kind="true_false", points="1")
    QuestionFactory(quiz=quiz, position=3, kind="multiple", points="2", choices__correct=2, choices__wrong=2)
    return quiz
