"""Authoring in the admin, driven through the admin's own views by an editor who is not a superuser."""

import html
import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from quizzes import services
from quizzes.models import Choice, Question, QuestionKind, Quiz, ScoreChange
from tests.factories import (
    EditorFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    StaffFactory,
    TopicFactory,
    UserFactory,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return EditorFactory()


@pytest.fixture
def editor_client(editor):
    client = Client(headers={"accept-language": "en"})
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client():
    client = Client(headers={"accept-language": "en"})
    client.force_login(StaffFactory())
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:quizzes_{model}_{view}", args=args)


def management_form(prefix, *, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data_of(response):
    """The POST data the admin page in `response` would send unchanged: main form, inlines, management forms."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[bound.html_name] = [str(item) for item in value] if isinstance(value, list | tuple) else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data["_save"] = "Save"
    return data


def question_post(*, quiz, topic, kind="single", choices=(("AWS", True), ("Google", False)), citations=1, **fields):
    data = {
        "quiz": quiz.pk,
        "key": "",
        "position": "1",
        "kind": kind,
        "text": "Which service took Parler offline?",
        "explanation": "Parler ran on Amazon Web Services.",
        "points": "1",
        "topic": topic.pk,
        "difficulty": "easy",
        "_save": "Save",
        **management_form("choices", total=len(choices)),
        **management_form("citations", total=citations),
        **fields,
    }
    for index, (text, is_correct) in enumerate(choices):
        data[f"choices-{index}-position"] = str(index + 1)
        data[f"choices-{index}-text"] = text
        data[f"choices-{index}-feedback"] = ""
        if is_correct:
            data[f"choices-{index}-is_correct"] = "on"
    source = SourceFactory() if citations else None
    for index in range(citations):
        data[f"citations-{index}-position"] = str(index + 1)
        data[f"citations-{index}-source"] = source.pk
        data[f"citations-{index}-quote"] = "AWS nahm Parler vom Netz."
        data[f"citations-{index}-note"] = ""
    return data


def quiz_post(**fields):
    return {
        "title": "Parler at a glance",
        "slug": "parler-at-a-glance",
        "translation_key": "at-a-glance",
        "language": "en",
        "description": "Who took Parler offline, and why.",
        "shuffle_questions": "on",
        "pass_mark": "50",
        "grading_method": "highest",
        "answer_visibility": "after_submission",
        "behaviour": "deferred",
        "max_tries": "3",
        "penalty": "0.33",
        "_save": "Save",
        **management_form("questions", total=0),
        **management_form("feedback_bands", total=0),
        **fields,
    }


def errors_of(response):
    """Every error message on an admin form page: main form, inline rows and inline non-form errors."""
    messages = [str(error) for errors in response.context["adminform"].form.errors.values() for error in errors]
    for inline in response.context["inline_admin_formsets"]:
        messages += [str(error) for error in inline.formset.non_form_errors()]
        for form_errors in inline.formset.errors:
            messages += [str(error) for errors in form_errors.values() for error in errors]
    return messages


def submitted_attempt(quiz, *, picks):
    """A learner's submitted attempt; `picks` maps question to the choices they selected."""
    owner = services.Owner.of(user=UserFactory())
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    answers = [
        services.AnswerInput(question_id=question.pk, choice_ids=tuple(choice.pk for choice in choices))
        for question, choices in picks.items()
    ]
    return services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers)


# ---------------------------------------------------------------------------------------------
# The Editors group suffices


def test_editor_is_not_a_superuser_yet_opens_every_authoring_page(editor, editor_client):
    assert not editor.is_superuser
    for model in ["quiz", "question", "source", "topic"]:
        assert editor_client.get(admin_url(model, "changelist")).status_code == 200
        assert editor_client.get(admin_url(model, "add")).status_code == 200


def test_staff_without_the_editors_group_cannot_author():
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(admin_url("quiz", "add")).status_code == 403


# ---------------------------------------------------------------------------------------------
# Authoring a quiz and its questions by POST


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


# ---------------------------------------------------------------------------------------------
# Publishing on the quiz page


def test_quiz_with_valid_questions_is_published_from_its_page(editor_client):
    quiz = quiz_with_questions(2, is_published=False)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"is_published": "on"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert response.status_code == 302, errors_of(response)
    quiz.refresh_from_db()
    assert quiz.is_published


def test_quiz_with_an_invalid_question_is_not_published_and_the_form_names_it(editor_client):
    quiz = QuizFactory(is_published=False)
    QuestionFactory(quiz=quiz, text="Which court ruled?", choices__correct=0, choices__wrong=3)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"is_published": "on"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_published"] == [
        "This quiz cannot be published yet:",
        "Question “Which court ruled?”: "
        "A single-choice question needs exactly one correct choice; 0 are marked correct.",
    ]
    quiz.refresh_from_db()
    assert not quiz.is_published


def test_deleting_the_last_question_of_a_published_quiz_is_refused(editor_client):
    quiz = quiz_with_questions(1, is_published=True)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"questions-0-DELETE": "on"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert "A quiz needs at least one question before it can be published." in errors_of(response)
    assert quiz.questions.count() == 1


def test_adding_a_question_without_choices_to_a_published_quiz_is_refused(editor_client):
    quiz = quiz_with_questions(1, is_published=True)
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk)))
    data |= {
        "questions-TOTAL_FORMS": "2",
        "questions-1-text": "A new question?",
        "questions-1-kind": "single",
        "questions-1-topic": TopicFactory().pk,
        "questions-1-points": "1",
        "questions-1-difficulty": "easy",
    }
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert "Question “A new question?”: A single-choice question needs at least two choices; it has 0." in errors_of(
        response
    )
    assert quiz.questions.count() == 1


# ---------------------------------------------------------------------------------------------
# The changelist


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


# ---------------------------------------------------------------------------------------------
# Actions


def run_action(client, action, quizzes, **extra):
    return client.post(
        admin_url("quiz", "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [quiz.pk for quiz in quizzes], **extra},
        follow=True,
    )


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def test_publish_action_publishes_valid_quizzes_and_names_the_refused_ones(editor_client):
    valid = quiz_with_questions(1, is_published=False, title="Valid")
    empty = QuizFactory(is_published=False, title="Empty")
    response = run_action(editor_client, "publish", [valid, empty])
    assert page_messages(response) == [
        "“Empty” was not published: A quiz needs at least one question before it can be published.",
        "Published 1 quiz.",
    ]
    assert Quiz.objects.get(pk=valid.pk).is_published
    assert not Quiz.objects.get(pk=empty.pk).is_published
    history = editor_client.get(admin_url("quiz", "history", valid.pk)).content.decode()
    assert "Changed published." in history


def test_publish_action_on_published_quizzes_says_so(editor_client):
    response = run_action(editor_client, "publish", [quiz_with_questions(1)])
    assert page_messages(response) == ["The selected quizzes were already published."]


def test_unpublish_action(editor_client):
    quizzes = [quiz_with_questions(1), quiz_with_questions(1)]
    response = run_action(editor_client, "unpublish", quizzes)
    assert page_messages(response) == ["Unpublished 2 quizzes."]
    assert not Quiz.objects.filter(is_published=True).exists()


def test_duplicate_action_copies_quiz_questions_choices_citations_and_topics_unpublished(editor_client):
    quiz = quiz_with_questions(2, slug="original", title="Original", language="en")
    quiz.topics.add(TopicFactory())
    QuestionFactory(quiz=quiz, kind=QuestionKind.MULTIPLE, choices__correct=2, choices__wrong=2)
    response = run_action(editor_client, "duplicate", [quiz])
    copy = Quiz.objects.get(slug="original-copy")
    assert copy.title == "Original (copy)"
    assert copy.translation_key == "original-copy"
    assert not copy.is_published
    assert set(copy.topics.all()) == set(quiz.topics.all())

    def content(of):
        return [
            (
                question.key,
                question.kind,
                question.text,
                list(question.choices.values_list("position", "text", "is_correct", "feedback")),
                list(question.citations.values_list("position", "source", "quote")),
            )
            for question in of.questions.order_by("position", "id")
        ]

    assert content(copy) == content(quiz)
    assert Question.objects.filter(quiz=quiz).count() == 3  # the original keeps its own rows
    assert "Copied “Original” to" in page_messages(response)[0]

    run_action(editor_client, "duplicate", [quiz])
    assert Quiz.objects.filter(slug="original-copy-2", translation_key="original-copy-2").exists()


def test_regrade_action_asks_for_a_reason_then_records_who_changed_which_scores(editor, editor_client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=2)
    right, wrong, _other = question.choices.order_by("position")
    attempt = submitted_attempt(quiz, picks={question: [wrong]})
    assert attempt.score == Decimal("0.00")

    confirmation = run_action(editor_client, "regrade", [quiz])
    assert "Reason" in confirmation.content.decode()
    refused = run_action(editor_client, "regrade", [quiz], apply="yes", reason="")
    assert "Please give a reason for the regrade." in refused.content.decode()
    assert not ScoreChange.objects.exists()

    # The correction: the second choice was right all along.
    Choice.objects.filter(pk=right.pk).update(is_correct=False)
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
    response = run_action(editor_client, "regrade", [quiz], apply="yes", reason="Question 1 had the wrong key")
    assert page_messages(response) == [f"Regraded “{quiz.title}”: 1 score changed."]
    change = ScoreChange.objects.get()
    assert (change.attempt_id, change.changed_by, change.old_score, change.new_score, change.reason) == (
        attempt.pk,
        editor,
        Decimal("0.00"),
        Decimal("1.00"),
        "Question 1 had the wrong key",
    )


# ---------------------------------------------------------------------------------------------
# Integrity once attempts exist


def test_editing_the_correct_choice_keeps_stored_scores_until_a_regrade(editor_client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=1)
    right, wrong = question.choices.order_by("position")
    attempt = submitted_attempt(quiz, picks={question: [right]})

    page = editor_client.get(admin_url("question", "change", question.pk))
    assert "1 attempt showed this question." in page.content.decode()
    data = form_data_of(page)
    data.pop("choices-0-is_correct")
    data["choices-1-is_correct"] = "on"
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert response.status_code == 302, errors_of(response)

    attempt.refresh_from_db()
    assert attempt.score == Decimal("1.00")
    assert list(attempt.answers.values_list("score", flat=True)) == [Decimal("1.00")]
    assert attempt.question_order == [question.pk]


def test_shown_question_cannot_move_to_another_quiz(editor_client):
    question = QuestionFactory()
    other = QuizFactory()
    submitted_attempt(question.quiz, picks={})
    page = editor_client.get(admin_url("question", "change", question.pk))
    assert "quiz" not in page.context["adminform"].form.fields
    data = form_data_of(page) | {"quiz": other.pk}
    editor_client.post(admin_url("question", "change", question.pk), data)
    question.refresh_from_db()
    assert question.quiz_id != other.pk


def test_deleting_an_answered_question_is_refused_on_the_delete_page(editor_client):
    question = QuestionFactory()
    submitted_attempt(question.quiz, picks={question: [question.choices.first()]})
    page = editor_client.get(admin_url("question", "delete", question.pk))
    assert page.status_code == 200
    assert "cannot be deleted: 1 attempt showed it" in page.content.decode()
    response = editor_client.post(admin_url("question", "delete", question.pk), {"post": "yes"})
    assert response.status_code == 200
    assert Question.objects.filter(pk=question.pk).exists()


def test_deleting_a_shown_but_unanswered_question_is_refused_too(editor_client):
    quiz = quiz_with_questions(2)
    answered, unanswered = quiz.questions.order_by("position")
    submitted_attempt(quiz, picks={answered: [answered.choices.first()]})
    response = editor_client.post(admin_url("question", "delete", unanswered.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "cannot be deleted: 1 attempt showed it" in response.content.decode()
    assert Question.objects.filter(pk=unanswered.pk).exists()


def test_deleting_the_last_question_of_a_published_quiz_on_its_delete_page_is_refused(editor_client):
    quiz = quiz_with_questions(1, title="Live")
    question = quiz.questions.get()
    response = editor_client.post(admin_url("question", "delete", question.pk), {"post": "yes"})
    assert response.status_code == 200
    assert (
        "“Live” is published and would not be publishable without these questions: "
        "A quiz needs at least one question before it can be published."
    ) in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_question_nobody_saw_can_be_deleted(editor_client):
    question = QuestionFactory(quiz__is_published=False)
    response = editor_client.post(admin_url("question", "delete", question.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_ticking_delete_on_an_answered_question_in_the_quiz_page_is_refused(editor_client):
    quiz = quiz_with_questions(2)
    question = quiz.questions.order_by("position").first()
    submitted_attempt(quiz, picks={question: [question.choices.first()]})
    data = form_data_of(editor_client.get(admin_url("quiz", "change", quiz.pk))) | {"questions-0-DELETE": "on"}
    response = editor_client.post(admin_url("quiz", "change", quiz.pk), data)
    assert response.status_code == 200
    assert any("cannot be deleted: 1 attempt showed it" in error for error in errors_of(response))
    assert quiz.questions.count() == 2


def test_ticking_delete_on_a_selected_choice_makes_a_new_version_and_the_attempt_keeps_the_choice(editor_client):
    # Before question versions this was refused; now the edit is a new version and the attempt keeps its own.
    question = QuestionFactory(choices__correct=1, choices__wrong=2)
    selected = question.choices.order_by("position").first()
    attempt = submitted_attempt(question.quiz, picks={question: [selected]})
    data = form_data_of(editor_client.get(admin_url("question", "change", question.pk)))
    data |= {"choices-0-DELETE": "on", "choices-1-is_correct": "on"}
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert Choice.objects.filter(pk=selected.pk, question=question).exists()
    assert question.choices.count() == 3
    new_version = Question.objects.current().get(quiz=question.quiz, key=question.key)
    assert new_version.pk != question.pk and new_version.choices.count() == 2
    attempt.refresh_from_db()
    assert attempt.question_order == [question.pk]


def test_ticking_delete_on_a_choice_of_an_unseen_question_works(editor_client):
    question = QuestionFactory(quiz__is_published=False, choices__correct=1, choices__wrong=2)
    data = form_data_of(editor_client.get(admin_url("question", "change", question.pk))) | {"choices-2-DELETE": "on"}
    response = editor_client.post(admin_url("question", "change", question.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert question.choices.count() == 2


@pytest.mark.parametrize("client_fixture", ["editor_client", "superuser_client"])
def test_deleting_a_quiz_with_attempts_is_refused_with_the_reason(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    quiz = quiz_with_questions(1, title="Taken")
    submitted_attempt(quiz, picks={})
    response = client.post(admin_url("quiz", "delete", quiz.pk), {"post": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Taken” cannot be deleted: learners made 1 attempt at it, and results must stay." in page
    assert "doesn't have permission" not in page
    assert Quiz.objects.filter(pk=quiz.pk).exists()


def test_deleting_a_quiz_nobody_took_deletes_its_questions_too(editor_client):
    quiz = quiz_with_questions(2, is_published=False)
    response = editor_client.post(admin_url("quiz", "delete", quiz.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Quiz.objects.exists()
    assert not Question.objects.exists()


@pytest.mark.parametrize("model", ["topic", "source"])
def test_deleting_a_topic_or_source_in_use_shows_what_uses_it(editor_client, model):
    question = QuestionFactory()
    used = question.topic if model == "topic" else question.citations.get().source
    response = editor_client.post(admin_url(model, "delete", used.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert type(used).objects.filter(pk=used.pk).exists()


# ---------------------------------------------------------------------------------------------
# Attempts and score changes are read-only records


def test_attempt_page_shows_answers_read_only(superuser_client):
    quiz = quiz_with_questions(1)
    question = quiz.questions.get()
    attempt = submitted_attempt(quiz, picks={question: [question.choices.first()]})
    listing = superuser_client.get(admin_url("attempt", "changelist") + f"?quiz__id__exact={quiz.pk}&state=submitted")
    assert list(listing.context["cl"].result_list) == [attempt]
    page = superuser_client.get(admin_url("attempt", "change", attempt.pk))
    assert page.status_code == 200
    assert "Right 0" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    response = superuser_client.post(admin_url("attempt", "change", attempt.pk), {"score": "0"})
    assert response.status_code == 403
    assert superuser_client.get(admin_url("attempt", "add")).status_code == 403
    assert superuser_client.get(admin_url("attempt", "delete", attempt.pk)).status_code == 403


def test_score_changes_are_listed_read_only(superuser_client, editor):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=1)
    right, wrong = question.choices.order_by("position")
    submitted_attempt(quiz, picks={question: [wrong]})
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
    Choice.objects.filter(pk=right.pk).update(is_correct=False)
    services.regrade_quiz(quiz=quiz, changed_by=editor, reason="Wrong key")
    listing = superuser_client.get(admin_url("scorechange", "changelist"))
    assert "Wrong key" in listing.content.decode()
    assert editor.username in listing.content.decode()
    change = ScoreChange.objects.get()
    assert superuser_client.post(admin_url("scorechange", "change", change.pk), {"new_score": "0"}).status_code == 403


def test_a_duplicated_quiz_s_questions_share_no_translation_key_with_the_originals(editor_client):
    quiz = quiz_with_questions(2, slug="paired", language="en")
    Question.objects.filter(quiz=quiz).update(translation_key="shared-pair")

    run_action(editor_client, "duplicate", [quiz])

    copy = Quiz.objects.get(slug="paired-copy")
    assert set(copy.questions.values_list("translation_key", flat=True)) == {""}
    assert set(quiz.questions.values_list("translation_key", flat=True)) == {"shared-pair"}


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


def test_the_question_list_shows_whether_each_question_is_ready_right_after_its_text(editor_client):
    # The last of nine columns scrolled out of sight beside the filters at 1280 px.
    quiz_with_questions(1)

    page = editor_client.get(admin_url("question", "changelist")).content.decode()

    columns = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', page)
    assert columns[:2] == ["short_text", "is_ready"]
    assert len(columns) <= 7


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
