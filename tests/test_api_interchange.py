"""The staff API's import and export: editors only, a preview on dry_run, all or nothing, in the schema."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes.interchange import gift, moodle_xml
from quizzes.interchange.mapping import quiz_interchange_questions
from quizzes.models import Question
from quizzes.throttles import InterchangeThrottle
from tests.factories import EditorFactory, QuestionFactory, QuizFactory, SourceFactory, StaffFactory, TopicFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILE = (
    "$CATEGORY: shutdown\n\n"
    "// [id:when]\n// [citation:article] Amazon took Parler offline.\nWhen?{=On 10 January ~On 6 January}\n\n"
    "// [id:essay]\nWrite about it.{}\n"
)


def token_client(user=None):
    client = APIClient(headers={"accept-language": "en"})
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def quiz():
    TopicFactory(slug="shutdown")
    SourceFactory(slug="article")
    quiz = QuizFactory(slug="target", language="en")
    QuestionFactory(quiz=quiz, key="kept")
    return quiz


def post_file(client, quiz, content, query="", name="questions.gift"):
    return client.post(f"/api/v1/quizzes/{quiz.slug}/import/{query}",
                       {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_a_dry_run_answers_the_preview_and_writes_nothing(quiz):
    response = post_file(token_client(EditorFactory()), quiz, FILE.encode(), "?dry_run=1")

    assert response.status_code == 200
    body = response.json()
    assert body["is_written"] is False and (body["created"], body["updated"], body["unchanged"]) == (1, 0, 0)
    assert body["questions"] == [{"line": 3, "key": "when", "action": "created", "text": "When?", "is_new_version": False,
                                  "scoring": "Single choice: 1 point for the one right answer, otherwise 0."}]
    assert body["problems"][0]["line"] == 7 and body["problems"][0]["severity"] == "skipped"
    assert not Question.objects.filter(key="when").exists()


def test_an_import_writes_and_a_second_one_changes_nothing(quiz):
    client = token_client(EditorFactory())

    first = post_file(client, quiz, FILE.encode())
    second = post_file(client, quiz, FILE.encode())

    assert first.status_code == 200 and first.json()["is_written"] is True and first.json()["created"] == 1
    assert second.json()["unchanged"] == 1 and second.json()["created"] == 0
    assert Question.objects.filter(quiz=quiz, key="when").count() == 1


def test_a_file_with_errors_is_400_with_the_problems_and_nothing_is_written(quiz):
    broken = FILE.replace("[citation:article]", "[citation:nowhere]")

    response = post_file(token_client(EditorFactory()), quiz, broken.encode())

    assert response.status_code == 400
    assert {"line": 3, "severity": "error", "message": "No source nowhere for a citation."} in response.json()["problems"]
    assert response.json()["is_written"] is False
    assert not Question.objects.filter(key="when").exists()


def test_a_hostile_file_is_400_not_500(quiz):
    bomb = b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>'

    response = post_file(token_client(EditorFactory()), quiz, bomb, name="bomb.xml")

    assert response.status_code == 400 and "declares entities" in response.json()["problems"][0]["message"]


def test_no_file_or_a_bad_dry_run_is_400(quiz):
    client = token_client(EditorFactory())
    assert client.post(f"/api/v1/quizzes/{quiz.slug}/import/", {}, format="multipart").status_code == 400
    assert post_file(client, quiz, FILE.encode(), "?dry_run=maybe").json() == {
        "dry_run": ["Use 1 to preview, or 0 (or nothing) to import."]}
    assert not Question.objects.filter(key="when").exists()


@pytest.mark.parametrize(("file_format", "reader"), [("gift", gift.parse), ("xml", moodle_xml.parse)])
def test_the_export_answers_the_file_which_reads_back_as_the_quizs_questions(quiz, file_format, reader):
    response = token_client(StaffFactory()).get(f"/api/v1/quizzes/{quiz.slug}/export/", {"format": file_format})

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="target.{file_format}"'
    assert list(reader(response.content).questions) == quiz_interchange_questions(quiz)


def test_the_export_of_an_unknown_quiz_is_404(db):
    assert token_client(EditorFactory()).get("/api/v1/quizzes/nope/export/", {"format": "xml"}).status_code == 404


@pytest.mark.parametrize("file_format", ["gift", "xml"])
@pytest.mark.parametrize("accept", ["*/*", "application/json"])
def test_the_exports_refusals_are_json_whatever_the_format_or_accept_header(quiz, file_format, accept):
    # ?format= used to choose DRF's renderer: refusals came as plain text or XML, and 406 for JSON clients.
    def export(client, slug):
        return client.get(f"/api/v1/quizzes/{slug}/export/", {"format": file_format}, HTTP_ACCEPT=accept)

    learner, visitor = export(token_client(UserFactory()), quiz.slug), export(token_client(), quiz.slug)
    missing = export(token_client(EditorFactory()), "nope")

    assert [learner.status_code, visitor.status_code, missing.status_code] == [403, 401, 404]
    assert all(response["Content-Type"] == "application/json" for response in (learner, visitor, missing))
    assert missing.json() == {"detail": "No quiz with this slug."}


def test_the_export_of_an_unknown_format_is_a_json_404(quiz):
    response = token_client(EditorFactory()).get(f"/api/v1/quizzes/{quiz.slug}/export/", {"format": "csv"})

    assert response.status_code == 404 and response.json() == {"detail": "No such format; use gift or xml."}


def test_the_export_with_an_accept_header_for_its_file_answers_the_file(quiz):
    response = token_client(EditorFactory()).get(
        f"/api/v1/quizzes/{quiz.slug}/export/", {"format": "xml"}, HTTP_ACCEPT="application/xml"
    )

    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")


@pytest.mark.parametrize("method", ["import", "export"])
def test_learners_get_403_and_visitors_401(quiz, method):
    def call(client):
        if method == "import":
            return post_file(client, quiz, FILE.encode(), "?dry_run=1")
        return client.get(f"/api/v1/quizzes/{quiz.slug}/export/", {"format": "gift"})

    learner, visitor = call(token_client(UserFactory())), call(token_client())

    assert learner.status_code == 403 and b"Right" not in learner.content
    assert visitor.status_code == 401 and b"Right" not in visitor.content
    assert not Question.objects.filter(key="when").exists()


def test_staff_without_the_authoring_permissions_get_403(quiz):
    staff = UserFactory(is_staff=True)
    assert post_file(token_client(staff), quiz, FILE.encode(), "?dry_run=1").status_code == 403
    assert token_client(staff).get(f"/api/v1/quizzes/{quiz.slug}/export/").status_code == 403


def test_imports_and_exports_are_throttled(quiz, monkeypatch):
    cache.clear()
    monkeypatch.setitem(InterchangeThrottle.THROTTLE_RATES, "interchange", "2/minute")
    client = token_client(EditorFactory())

    statuses = [client.get(f"/api/v1/quizzes/{quiz.slug}/export/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_both_endpoints_are_in_the_openapi_schema(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    import_operation = schema["paths"]["/api/v1/quizzes/{slug}/import/"]["post"]
    export_operation = schema["paths"]["/api/v1/quizzes/{slug}/export/"]["get"]
    assert "multipart/form-data" in import_operation["requestBody"]["content"]
    assert {"400", "401", "403"} <= set(import_operation["responses"])
    assert {"text/plain", "application/xml"} <= set(export_operation["responses"]["200"]["content"])
