"""Authoring quizzes and questions in the admin by POST, as an editor of the Editors group who is not a superuser."""

import html
from decimal import Decimal

import pytest
from django.test import Client

from quizzes.models import Choice, Question, QuestionKind, Quiz
from tests.admin_pages import (
    admin_url,
    errors_of,
    form_data_of,
    management_form,
    question_post,
    quiz_post,
)
from tests.factories import (
    QuestionFactory,
    QuizFactory,
    TopicFactory,
    UserFactory,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db


def test_editor_is_not_a_superuser_yet_opens_every_authoring_page(editor, editor_client):
    assert not editor.is_superuser
    for model in ["quiz", "question", "source", "topic"]:
        assert editor_client.get(admin_url(model, "changelist")).status_code == 200
        assert editor_client.get(admin_url(model, "add")).status_code == 200


def test_staff_without_the_editors_group_cannot_author():
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(admin_url("quiz", "add")).status_code == 403


def test_editor_adds_an_unpublished_quiz_with_topics(editor_client):
    topic = TopicFactory()
    response = editor_client.post(admin_url("quiz", "add"), quiz_post(topics=[topic.pk]))
    assert response.status_code == 302, errors_of(response)
    quiz = Quiz.objects.get(slug="parler-at-a-glance")
    assert not quiz.is_published
    assert list(quiz.topics.all()) == [topic]


def test_publishing_a_new_quiz_without_questions_is_refused_at_the_checkbox(editor_client):
    response = editor_client.post(admin_url("quiz", "add"), quiz_post(is_published="on"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_published"] == [
        "This quiz cannot be published yet:",
        "A quiz needs at least one question before it can be published.",
    ]
    assert not Quiz.objects.exists()


def test_editor_adds_questions_inline_on_the_quiz_page_in_order(editor_client):
    quiz = QuizFactory(is_published=False)
    topic = TopicFactory()
    data = quiz_post(slug=quiz.slug, translation_key=quiz.translation_key, **management_form("questions", total=2))
    for index, text in enumerate(["Second?", "First?"]):
        data |= {
            f"questions-{index}-position": str(2 - index),
            f"questions-{index}-text": text,
            f"questions-{index}-kind": "single",
            f"questions-{index}-topic": topic.pk,
            f"questions-{index}-points": "1",
            f"questions-{index}-difficulty": "medium",
        }
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert list(quiz.questions.order_by("position").values_list("text", flat=True)) == ["First?", "Second?"]
    page = editor_client.get(admin_url("quiz", "change", quiz.pk))
    # Each row links to the question's own page, where its choices are edited, and says what is missing.
    for question in quiz.questions.all():
        assert admin_url("question", "change", question.pk) in page.content.decode()
    assert "A single-choice question needs at least two choices; it has 0." in page.content.decode()


def test_editor_adds_a_question_with_choices_and_a_citation(editor_client):
    quiz, topic = QuizFactory(is_published=False), TopicFactory()
    data = question_post(quiz=quiz, topic=topic, choices=[("AWS", True), ("Google", False), ("Apple", False)])
    response = editor_client.post(admin_url("question", "add"), data)
    assert response.status_code == 302, errors_of(response)
    question = Question.objects.get(quiz=quiz)
    assert question.key  # made up when left blank
    assert list(question.choices.values_list("position", "text", "is_correct")) == [
        (1, "AWS", True),
        (2, "Google", False),
        (3, "Apple", False),
    ]
    assert question.citations.get().quote == "AWS nahm Parler vom Netz."


def test_editor_swaps_two_choices_and_deletes_one_in_a_single_save(editor_client):
    question = QuestionFactory(quiz__is_published=False, choices__correct=1, choices__wrong=3)
    page = editor_client.get(admin_url("question", "change", question.pk))
    # Right 0 moves to the end, Wrong 2 takes the freed first place, Wrong 1 goes, a new row takes its place.
    data = form_data_of(page) | {
        "choices-0-position": "4",
        "choices-3-position": "1",
        "choices-2-DELETE": "on",
        "choices-TOTAL_FORMS": "5",
        "choices-4-position": "3",
        "choices-4-text": "Twitter",
    }
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert list(question.choices.order_by("position").values_list("position", "text")) == [
        (1, "Wrong 2"),
        (2, "Wrong 0"),
        (3, "Twitter"),
        (4, "Right 0"),
    ]


def test_two_choices_at_the_same_position_are_refused_with_a_message(editor_client):
    quiz, topic = QuizFactory(is_published=False), TopicFactory()
    data = question_post(quiz=quiz, topic=topic, choices=[("AWS", True), ("Google", False)])
    data["choices-1-position"] = "1"
    response = editor_client.post(admin_url("question", "add"), data)
    assert response.status_code == 200
    assert (
        "Several rows have position 1; give each row its own position, or leave it blank to place the row last."
        in errors_of(response)
    )
    assert not Question.objects.exists()


def test_choice_rows_left_without_position_are_numbered_after_the_others(editor_client):
    quiz, topic = QuizFactory(is_published=False), TopicFactory()
    data = question_post(quiz=quiz, topic=topic, choices=[("AWS", True), ("Google", False), ("Apple", False)])
    data["choices-1-position"] = data["choices-2-position"] = ""
    response = editor_client.post(admin_url("question", "add"), data)
    assert response.status_code == 302, errors_of(response)
    assert list(Choice.objects.values_list("text", "position")) == [("AWS", 1), ("Google", 2), ("Apple", 3)]


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        (
            "single",
            [("AWS", False), ("Google", False)],
            "A single-choice question needs exactly one correct choice; 0 are marked correct.",
        ),
        (
            "single",
            [("AWS", True), ("Google", True), ("Apple", False)],
            "A single-choice question needs exactly one correct choice; 2 are marked correct.",
        ),
        ("single", [("AWS", True)], "A single-choice question needs at least two choices; it has 1."),
        (
            "true_false",
            [("True", True), ("False", False), ("Maybe", False)],
            "A true/false question needs exactly two choices (true and false); it has 3.",
        ),
        (
            "true_false",
            [("True", True), ("False", True)],
            "A true/false question needs exactly one correct choice; 2 are marked correct.",
        ),
        (
            "multiple",
            [("AWS", False), ("Google", False)],
            "A multiple-choice question needs at least one correct choice.",
        ),
        (
            "multiple",
            [("AWS", True), ("Google", True)],
            "A multiple-choice question needs at least one wrong choice, or selecting everything would score.",
        ),
        (
            "multiple",
            [("AWS", True), ("", True), ("Google", False)],
            "Every choice needs a text; fill in or remove the empty choice.",
        ),
        (
            "single",
            [("AWS", True), ("aws", False)],
            "Two choices have the same text; learners could not tell them apart.",
        ),
    ],
)
def test_invalid_choices_are_refused_with_a_message_in_the_form(editor_client, kind, choices, message):
    quiz, topic = QuizFactory(is_published=False), TopicFactory()
    response = editor_client.post(
        admin_url("question", "add"), question_post(quiz=quiz, topic=topic, kind=kind, choices=choices)
    )
    assert response.status_code == 200
    assert message in errors_of(response)
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_changing_the_kind_revalidates_the_saved_choices(editor_client):
    question = QuestionFactory(quiz__is_published=False, choices__correct=1, choices__wrong=2)
    page = editor_client.get(admin_url("question", "change", question.pk))
    data = form_data_of(page) | {"kind": QuestionKind.TRUE_FALSE}
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert "A true/false question needs exactly two choices (true and false); it has 3." in errors_of(response)
    question.refresh_from_db()
    assert question.kind == QuestionKind.SINGLE


def test_changing_the_kind_on_the_quiz_page_revalidates_that_questions_choices(editor_client):
    quiz = quiz_with_questions(1, is_published=False)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"questions-0-kind": "true_false"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert "A true/false question needs exactly two choices (true and false); it has 3." in errors_of(response)
    assert quiz.questions.get().kind == QuestionKind.SINGLE


def test_quiz_page_edits_question_text_in_a_textarea_so_line_breaks_survive(editor_client):
    quiz = QuizFactory(is_published=False)
    QuestionFactory(quiz=quiz, text="Line one\nline two?")
    page = editor_client.get(admin_url("quiz", "change", quiz.pk)).content.decode()
    # A one-line <input> would make the browser drop the line break on the next save.
    assert '<textarea name="questions-0-text"' in page
    response = editor_client.post(
        admin_url("quiz", "change", quiz.pk), form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk)))
    )
    assert response.status_code == 302, errors_of(response)
    assert quiz.questions.get().text == "Line one\nline two?"


def test_add_question_link_on_the_quiz_page_preselects_the_quiz_and_next_position(editor_client):
    quiz = quiz_with_questions(2, is_published=False)
    link = admin_url("question", "add") + f"?quiz={quiz.pk}"
    assert link in editor_client.get(admin_url("quiz", "change", quiz.pk)).content.decode()
    form = editor_client.get(link).context["adminform"].form
    assert (str(form["quiz"].value()), form["position"].value()) == (str(quiz.pk), 3)


def test_question_of_a_published_quiz_needs_a_citation(editor_client):
    quiz, topic = QuizFactory(is_published=True), TopicFactory()
    response = editor_client.post(admin_url("question", "add"), question_post(quiz=quiz, topic=topic, citations=0))
    assert "A question needs at least one citation from a source before its quiz can be published." in errors_of(
        response
    )
    assert not Question.objects.exists()


def test_deleting_the_last_citation_of_a_published_question_is_refused(editor_client):
    question = QuestionFactory(quiz__is_published=True)
    data = form_data_of(editor_client.get(admin_url("question", "change", question.pk))) | {"citations-0-DELETE": "on"}
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert "A question needs at least one citation from a source before its quiz can be published." in errors_of(
        response
    )
    assert question.citations.count() == 1


def test_question_of_a_draft_quiz_may_wait_for_its_citation(editor_client):
    quiz, topic = QuizFactory(is_published=False), TopicFactory()
    response = editor_client.post(admin_url("question", "add"), question_post(quiz=quiz, topic=topic, citations=0))
    assert response.status_code == 302, errors_of(response)


def test_a_topic_s_short_name_is_filled_from_its_english_name_as_the_editor_types(editor_client):
    page = html.unescape(editor_client.get("/admin/quizzes/topic/add/").content.decode())

    # Django's admin wires the slug to the name through its prepopulate script and this data.
    assert 'id="django-admin-prepopulated-fields-constants"' in page
    assert '"id": "#id_slug"' in page and '"dependency_ids": ["#id_name_en"]' in page
    assert "filled from the English name as you type" in editor_client.get(
        "/admin/quizzes/topic/add/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()


def test_an_editor_enters_a_quiz_s_time_limit_in_minutes(editor_client):
    quiz = quiz_with_questions(1, time_limit_seconds=600)
    page = editor_client.get(admin_url("quiz", "change", quiz.pk))
    assert page.context["adminform"].form["time_limit_minutes"].value() == Decimal("10.0")

    response = editor_client.post(admin_url("quiz", "change", quiz.pk), form_data_of(page) | {"time_limit_minutes": "1.5"})
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.time_limit_seconds == 90

    blank = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"time_limit_minutes": ""}
    editor_client.post(admin_url("quiz", "change", quiz.pk), blank)
    quiz.refresh_from_db()
    assert quiz.time_limit_seconds is None

    refused = editor_client.post(
        admin_url("quiz", "change", quiz.pk),
        form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"time_limit_minutes": "0.1"},
    )
    assert refused.status_code == 200 and refused.context["adminform"].form.errors["time_limit_minutes"]


def test_a_quiz_takes_its_questions_topics_so_it_shows_under_them_on_the_home_page(editor_client):
    quiz = QuizFactory(slug="new-quiz")
    topic = TopicFactory(slug="shutdown")
    response = editor_client.post(admin_url("question", "add"), question_post(quiz=quiz, topic=topic))
    assert response.status_code == 302

    assert list(quiz.topics.values_list("slug", flat=True)) == ["shutdown"]
    other = TopicFactory(slug="lawsuit")
    page = editor_client.get(admin_url("quiz", "change", quiz.pk))
    data = form_data_of(page) | {"questions-0-topic": str(other.pk)}
    assert editor_client.post(admin_url("quiz", "change", quiz.pk), data).status_code == 302
    # The editor's own choice stays; the questions' topics join it.
    assert set(quiz.topics.values_list("slug", flat=True)) == {"shutdown", "lawsuit"}
