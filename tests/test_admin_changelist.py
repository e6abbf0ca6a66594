"""The admin's lists of quizzes and questions: counts without a query per row, filters, search, links."""

import re

import pytest
from django.urls import reverse

from tests.admin_pages import admin_url
from tests.factories import (
    QuestionFactory,
    QuizFactory,
    TopicFactory,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db


def test_changelist_shows_question_counts_without_a_query_per_row(editor_client, django_assert_max_num_queries):
    quiz_with_questions(3, title="Three")
    QuizFactory(title="Empty")
    response = editor_client.get(admin_url("quiz", "changelist"))
    counts = {quiz.title: quiz.question_count for quiz in response.context["cl"].result_list}
    assert counts == {"Three": 3, "Empty": 0}
    with django_assert_max_num_queries(20) as few_quizzes:
        editor_client.get(admin_url("quiz", "changelist"))
    for _extra in range(8):
        quiz_with_questions(2)
    with django_assert_max_num_queries(len(few_quizzes.captured_queries)):
        editor_client.get(admin_url("quiz", "changelist"))


def test_quiz_page_and_question_list_read_questions_without_a_query_per_row(
    editor_client, django_assert_max_num_queries
):
    quiz = quiz_with_questions(2, is_published=False)
    pages = [admin_url("quiz", "change", quiz.pk), admin_url("question", "changelist")]
    budgets = []
    for page in pages:
        with django_assert_max_num_queries(40) as captured:
            editor_client.get(page)
        budgets.append(len(captured.captured_queries))
    for position in range(3, 11):
        QuestionFactory(quiz=quiz, position=position)
    for page, budget in zip(pages, budgets, strict=True):
        with django_assert_max_num_queries(budget):
            editor_client.get(page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language__exact=en", {"English draft"}),
        ("is_published__exact=1", {"Deutsch veröffentlicht"}),
        ("topics__id__exact={topic}", {"English draft"}),
        ("q=lawsuit", {"English draft"}),
        ("q=deutsch-slug", {"Deutsch veröffentlicht"}),
    ],
)
def test_changelist_filters_and_searches(editor_client, query, expected):
    topic = TopicFactory()
    english = QuizFactory(title="English draft", language="en", is_published=False, description="Parler's lawsuit")
    english.topics.add(topic)
    QuizFactory(title="Deutsch veröffentlicht", slug="deutsch-slug", language="de", is_published=True)
    response = editor_client.get(admin_url("quiz", "changelist") + "?" + query.format(topic=topic.pk))
    assert {quiz.title for quiz in response.context["cl"].result_list} == expected


def test_change_page_and_list_link_to_the_learner_preview(editor_client):
    quiz = QuizFactory(is_published=False)
    preview = reverse("web:quiz", kwargs={"slug": quiz.slug})
    assert f'href="{preview}"' in editor_client.get(admin_url("quiz", "change", quiz.pk)).content.decode()
    assert f'href="{preview}"' in editor_client.get(admin_url("quiz", "changelist")).content.decode()


def test_the_question_list_shows_whether_each_question_is_ready_right_after_its_text(editor_client):
    # The last of nine columns scrolled out of sight beside the filters at 1280 px.
    quiz_with_questions(1)

    page = editor_client.get(admin_url("question", "changelist")).content.decode()

    columns = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', page)
    assert columns[:2] == ["short_text", "is_ready"]
    assert len(columns) <= 7
