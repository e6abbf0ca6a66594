"""Import and export in the admin, through the admin's own views, by an editor who is not a superuser."""

import io
import re
import zipfile

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from quizzes.interchange import gift, moodle_xml
from quizzes.interchange.mapping import quiz_interchange_questions
from quizzes.models import Question, Quiz
from tests.factories import EditorFactory, QuestionFactory, QuizFactory, SourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

FILE = (
    "$CATEGORY: $course$/top/shutdown\n\n"
    "// [id:when]\n// [citation:article] Amazon took Parler offline.\n"
    "When?{=On 10 January ~On 6 January ####AWS acted on 10 January.}\n\n"
    "// [id:existing]\n// [citation:article] Apple removed the app.\n"
    "Who removed the app?{~%50%Apple ~%50%Google ~%-100%Microsoft}\n\n"
    "// [id:essay]\nWrite about it.{}\n"
)


@pytest.fixture
def editor_client():
    client = Client(headers={"accept-language": "en"})
    client.force_login(EditorFactory())
    return client


@pytest.fixture
def quiz():
    TopicFactory(slug="shutdown")
    SourceFactory(slug="article")
    quiz = QuizFactory(slug="target", language="en", is_published=False)
    QuestionFactory(quiz=quiz, key="existing", text="Old text?")
    return quiz


def import_url(quiz):
    return reverse("admin:quizzes_quiz_import", args=[quiz.pk])


def upload(client, quiz, content, name="questions.gift"):
    return client.post(import_url(quiz), {"file": SimpleUploadedFile(name, content)})


def snapshot(quiz):
    return [(q.key, q.text, sorted(q.choices.values_list("text", flat=True))) for q in quiz.questions.order_by("key")]


def test_the_quiz_page_links_to_the_import(editor_client, quiz):
    page = editor_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
    assert import_url(quiz) in page and "Import questions" in page


def test_the_preview_lists_each_question_with_its_action_and_scoring_and_writes_nothing(editor_client, quiz):
    before = snapshot(quiz)

    response = upload(editor_client, quiz, FILE.encode())

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 to create, 1 to update, 0 unchanged." in page
    assert re.search(r'<tr class="import-created"><td>3</td><td>when</td><td>created</td><td>When\?</td>'
                     r"<td>Single choice: 1 point for", page)
    assert '<tr class="import-updated"><td>7</td><td>existing</td><td>updated</td>' in page
    assert "<td>11</td><td>skipped</td><td>An essay question" in page
    assert 'name="confirm"' in page
    assert snapshot(quiz) == before


def test_confirming_imports_exactly_the_previewed_file_and_says_how_many(editor_client, quiz):
    page = upload(editor_client, quiz, FILE.encode()).content.decode()
    confirmation = dict(re.findall(r'<input type="hidden" name="(upload|fingerprint|name)" value="([^"]*)"', page))

    response = editor_client.post(import_url(quiz), {**confirmation, "confirm": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    assert "Imported “questions.gift” into “Quiz" in response.content.decode()
    assert "1 created, 1 updated, 0 unchanged, 1 skipped." in response.content.decode()
    assert Question.objects.get(quiz=quiz, key="existing").text == "Who removed the app?"
    assert Question.objects.get(quiz=quiz, key="when").explanation == "AWS acted on 10 January."


def test_a_confirmation_after_the_quiz_changed_writes_nothing_and_asks_for_a_new_preview(editor_client, quiz):
    page = upload(editor_client, quiz, FILE.encode()).content.decode()
    confirmation = dict(re.findall(r'<input type="hidden" name="(upload|fingerprint|name)" value="([^"]*)"', page))
    QuestionFactory(quiz=quiz, key="when", text="Added meanwhile?")
    before = snapshot(quiz)

    response = editor_client.post(import_url(quiz), {**confirmation, "confirm": "1"}, follow=True)

    assert "The quiz changed since the preview" in response.content.decode()
    assert snapshot(quiz) == before


def test_a_confirmation_of_a_file_not_uploaded_writes_nothing(editor_client, quiz):
    before = snapshot(quiz)

    response = editor_client.post(
        import_url(quiz), {"upload": "0" * 64, "fingerprint": "0" * 64, "name": "x", "confirm": "1"}, follow=True
    )

    assert "no longer available; upload it again" in response.content.decode()
    assert snapshot(quiz) == before


def test_a_file_with_errors_shows_them_with_their_lines_and_offers_no_confirmation(editor_client, quiz):
    broken = FILE.replace("[citation:article] Amazon", "[citation:nowhere] Amazon")

    page = upload(editor_client, quiz, broken.encode()).content.decode()

    assert "The file has errors, so nothing can be imported." in page
    assert "<td>3</td><td>error</td><td>No source nowhere for a citation.</td>" in page
    assert 'name="confirm"' not in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.xml", b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>', "declares entities"),
        ("broken.gift", b"Q?{=\xff\xfe ~b}", "not valid UTF-8"),
        ("deep.xml", b"<quiz>" + b"<a>" * 100000 + b"</quiz>", "well-formed"),
    ],
)
def test_a_hostile_file_is_a_message_on_the_page_and_nothing_is_written(editor_client, quiz, name, content, message):
    before = snapshot(quiz)

    response = upload(editor_client, quiz, content, name)

    assert response.status_code == 200 and message in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()
    assert snapshot(quiz) == before


def test_a_problem_of_the_whole_file_is_listed_as_such_not_on_a_line_0(editor_client, quiz):
    response = upload(editor_client, quiz, b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "a">]><quiz/>', "bomb.xml")

    assert "<td>whole file</td><td>error</td><td>The file declares entities" in response.content.decode()


def test_a_file_over_the_limit_is_a_form_message(editor_client, quiz, monkeypatch):
    monkeypatch.setattr("quizzes.admin.interchange.MAX_FILE_BYTES", 10)

    response = upload(editor_client, quiz, b"Q?{=a ~b}\n\n\n")

    assert "The file is larger than" in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()


def test_an_upload_without_a_file_is_a_form_message(editor_client, quiz):
    response = editor_client.post(import_url(quiz), {})
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_staff_without_authoring_permissions_cannot_import(quiz):
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(import_url(quiz)).status_code == 403


def test_a_learner_is_sent_to_the_admin_login(quiz):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(import_url(quiz))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def export(client, quizzes, file_format):
    return client.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": "export_questions", ACTION_CHECKBOX_NAME: [q.pk for q in quizzes], "apply": "yes",
         "file_format": file_format},
    )


def test_the_export_action_asks_for_the_format_first(editor_client, quiz):
    response = editor_client.post(
        reverse("admin:quizzes_quiz_changelist"), {"action": "export_questions", ACTION_CHECKBOX_NAME: [quiz.pk]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "GIFT (text)" in page and "Moodle XML" in page


@pytest.mark.parametrize(("file_format", "reader"), [("gift", gift.parse), ("xml", moodle_xml.parse)])
def test_exporting_one_quiz_downloads_its_file_which_reads_back_as_its_questions(editor_client, quiz, file_format,
                                                                                  reader):
    response = export(editor_client, [quiz], file_format)

    assert response["Content-Disposition"] == f'attachment; filename="target.{file_format}"'
    result = reader(response.content)
    assert result.problems == () and list(result.questions) == quiz_interchange_questions(quiz)


def test_exporting_several_quizzes_downloads_a_zip_with_one_file_per_quiz_and_language(editor_client, quiz):
    german = QuizFactory(slug="deutsch", language="de")
    QuestionFactory(quiz=german, key="frage")

    response = export(editor_client, [quiz, german], "xml")

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["de/deutsch.xml", "en/target.xml"]
    questions = moodle_xml.parse(archive.read("de/deutsch.xml")).questions
    assert [question.key for question in questions] == ["frage"]
    assert Quiz.objects.count() == 2


def test_the_preview_speaks_german_to_a_german_editor(quiz):
    client = Client(headers={"accept-language": "de"})
    client.force_login(EditorFactory())

    page = upload(client, quiz, FILE.encode()).content.decode()

    assert "1 neu anzulegen, 1 zu ändern, 0 unverändert." in page
    assert "Eine Freitextfrage (leere Klammern), die wir nicht haben; übersprungen." in page


def test_another_editor_cannot_confirm_someone_elses_upload(editor_client, quiz):
    page = upload(editor_client, quiz, FILE.encode()).content.decode()
    confirmation = dict(re.findall(r'<input type="hidden" name="(upload|fingerprint|name)" value="([^"]*)"', page))
    before = snapshot(quiz)
    other = Client(headers={"accept-language": "en"})
    other.force_login(EditorFactory())

    response = other.post(import_url(quiz), {**confirmation, "confirm": "1"}, follow=True)

    assert "no longer available; upload it again" in response.content.decode()
    assert snapshot(quiz) == before


def test_with_the_cache_down_the_preview_shows_but_offers_no_confirmation(editor_client, quiz, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr("quizzes.pending_uploads.cache.set", down)

    page = upload(editor_client, quiz, FILE.encode()).content.decode()

    assert "1 to create, 1 to update" in page and "cannot be kept for the confirmation" in page
    assert 'name="confirm"' not in page
