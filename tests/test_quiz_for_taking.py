"""The quiz a learner takes, read as a plain value (selectors.quiz_for_taking) and told by the quiz's endpoint."""

import dataclasses

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from quizzes import selectors
from quizzes.models import Quiz
from tests.factories import QuestionFactory, QuizFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _quiz_with_a_topic(**fields):
    quiz = QuizFactory(**fields)
    quiz.topics.add(TopicFactory(slug="ruling", name_de="Urteil", name_en="Ruling"))
    QuestionFactory(quiz=quiz)
    return quiz


def test_the_quiz_for_taking_is_a_frozen_value_not_a_quiz_row(django_assert_num_queries):
    quiz = _quiz_with_a_topic()

    with django_assert_num_queries(3):
        taken = selectors.quiz_for_taking(slug=quiz.slug)

    assert isinstance(taken, selectors.QuizForTaking) and not isinstance(taken, Quiz)
    assert [question.text for question in taken.questions] == [quiz.questions.get().text]
    with pytest.raises(dataclasses.FrozenInstanceError):
        taken.questions = ()


def test_the_quiz_for_taking_names_its_topics_in_the_language_active_when_they_are_shown():
    # The endpoint reads the quiz before it knows which language its response speaks.
    with translation.override("de"):
        taken = selectors.quiz_for_taking(slug=_quiz_with_a_topic().slug)

    with translation.override("en"):
        assert [topic.name for topic in taken.topics] == ["Ruling"]
    with translation.override("de"):
        assert [topic.name for topic in taken.topics] == ["Urteil"]


def test_the_quiz_endpoint_tells_the_same_settings_and_topics_as_the_catalogue():
    quiz = _quiz_with_a_topic(language="en", questions_per_attempt=1, time_limit_seconds=90, max_attempts=2)

    listed = APIClient().get("/api/v1/quizzes/", HTTP_ACCEPT_LANGUAGE="de").json()["results"][0]
    detail = APIClient().get(f"/api/v1/quizzes/{quiz.slug}/", HTTP_ACCEPT_LANGUAGE="de").json()

    assert {name: detail[name] for name in listed} == listed
    assert listed["topics"] == [{"slug": "ruling", "name": "Urteil"}]
    assert len(detail["questions"]) == 1
