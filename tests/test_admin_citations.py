"""Quotes checked against their source's text in the admin: a quote not in it is refused with the closest
passage, and questions citing a source without a text are flagged unverified in the list, with a filter."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Question
from tests.admin_pages import errors_of, form_data_of, question_post
from tests.factories import EditorFactory, QuestionFactory, QuizFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

TEXT = 'Amazon Web Services nahm Parler am 10. Januar vom Netz. Der Anbieter sprach von "Gewaltaufrufen".'


@pytest.fixture
def editor_client():
    client = Client(headers={"accept-language": "en"})
    client.force_login(EditorFactory())
    return client


def post_with_quote(editor_client, quote, *, text=TEXT):
    source = SourceFactory(text=text, title="The article")
    data = question_post(quiz=QuizFactory(is_published=False), topic=TopicFactory())
    data["citations-0-source"] = source.pk
    data["citations-0-quote"] = quote
    return editor_client.post(reverse("admin:quizzes_question_add"), data)


def test_a_quote_not_in_its_sources_text_is_refused_with_the_closest_passage(editor_client):
    response = post_with_quote(editor_client, "Amazon nahm Parler am 11. Januar vom Netz.")

    assert response.status_code == 200
    assert errors_of(response) == [
        "This quote is not in “The article” word for word (spaces and the style of quotation marks aside). The "
        "closest passage there: “nahm Parler am 10. Januar vom Netz.”"
    ]
    assert not Question.objects.exists()


def test_a_quote_with_other_line_breaks_and_quotation_marks_is_accepted(editor_client):
    response = post_with_quote(editor_client, "Der Anbieter sprach\nvon „Gewaltaufrufen“.")

    assert response.status_code == 302, errors_of(response)
    assert Question.objects.get().citations.get().quote == "Der Anbieter sprach\nvon „Gewaltaufrufen“."


def test_a_quote_of_a_source_without_text_is_saved_unverified(editor_client):
    response = post_with_quote(editor_client, "Anything at all.", text="")

    assert response.status_code == 302, errors_of(response)


def test_editing_another_field_of_a_question_whose_quote_is_wrong_asks_to_correct_the_quote(editor_client):
    question = QuestionFactory(quiz__is_published=False)
    source = question.citations.get().source
    source.text = TEXT
    source.save()
    data = form_data_of(editor_client.get(reverse("admin:quizzes_question_change", args=[question.pk])))

    response = editor_client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)

    assert response.status_code == 200
    assert "is not in “" in errors_of(response)[0]


def test_the_question_list_flags_unverified_quotes_and_filters_them(editor_client):
    verified = QuestionFactory(text="Verified question?", citation=False)
    verified.citations.create(position=1, source=SourceFactory(text=TEXT), quote="nahm Parler am 10. Januar")
    QuestionFactory(text="Unverified question?")  # its factory source has no text
    changelist = reverse("admin:quizzes_question_changelist")

    page = editor_client.get(changelist).content.decode()
    unverified = editor_client.get(changelist, {"quotes": "unverified"}).context["cl"].result_list
    checked = editor_client.get(changelist, {"quotes": "verified"}).context["cl"].result_list

    assert page.count('Unverified question? <em class="quote-unverified">(unverified)</em>') == 1
    assert page.count("quote-unverified") == 1
    assert "Unverified (a source without its text)" in page
    assert [question.text for question in unverified] == ["Unverified question?"]
    assert [question.text for question in checked] == ["Verified question?"]


def test_the_full_text_is_edited_on_the_source_page(editor_client):
    source = SourceFactory(text=TEXT)
    page = editor_client.get(reverse("admin:quizzes_source_change", args=[source.pk])).content.decode()
    assert 'name="text"' in page and "vom Netz. Der Anbieter" in page


def test_the_source_list_shows_which_sources_have_their_text(editor_client):
    SourceFactory(title="With text", text=TEXT)
    SourceFactory(title="Without text")

    page = editor_client.get(reverse("admin:quizzes_source_changelist")).content.decode()

    assert page.count('<td class="field-has_text"><img src="/static/admin/img/icon-yes.svg" alt="True">') == 1
    assert page.count('<td class="field-has_text"><img src="/static/admin/img/icon-no.svg" alt="False">') == 1
