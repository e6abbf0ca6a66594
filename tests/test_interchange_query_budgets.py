"""Query budgets of import and export: constant in the number of questions, choices and citations.

Measured on quizzes of 5 and of 50 questions against the same limit, transaction statements included.
The cache is process-local, as with Redis (the database cache would add its own statements).
"""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from quizzes.interchange import files
from quizzes.interchange.mapping import quiz_interchange_questions
from tests.factories import EditorFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

BUDGETS = {
    "export": 7,
    "import preview": 9,
    "import, all unchanged": 12,
    # An import that writes is one content change, and the change builds the site's texts into the
    # cache at once (caching.build_with_each_version): one query each, whatever the file's size.
    "import, all created": 20,
    "import, all updated": 25,
}


@pytest.fixture(autouse=True)
def local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=[5, 50], ids=["5-questions", "50-questions"])
def quiz(request):
    quiz = QuizFactory(slug=f"budget-{request.param}", language="en")
    kinds = ["single", "multiple", "true_false"]
    for index in range(request.param):
        kind = kinds[index % 3]
        QuestionFactory(quiz=quiz, position=index, kind=kind, choices__correct=2 if kind == "multiple" else 1,
                        choices__wrong=2)
    return quiz


@pytest.fixture
def editor():
    client = APIClient()
    client.force_authenticate(EditorFactory())
    return client


def upload(client, quiz, content, query=""):
    return client.post(f"/api/v1/quizzes/{quiz.slug}/import/{query}",
                       {"file": SimpleUploadedFile("questions.xml", content)}, format="multipart")


@pytest.mark.parametrize("file_format", ["gift", "xml"])
def test_export(django_assert_max_num_queries, quiz, editor, file_format):
    with django_assert_max_num_queries(BUDGETS["export"]):
        response = editor.get(f"/api/v1/quizzes/{quiz.slug}/export/", {"format": file_format})

    assert response.status_code == 200


def test_import_preview(django_assert_max_num_queries, quiz, editor):
    content = files.write(quiz_interchange_questions(quiz), files.XML)

    with django_assert_max_num_queries(BUDGETS["import preview"]):
        response = upload(editor, quiz, content, "?dry_run=1")

    assert response.json()["unchanged"] == quiz.questions.count()


def test_import_of_an_unchanged_file(django_assert_max_num_queries, quiz, editor):
    content = files.write(quiz_interchange_questions(quiz), files.XML)

    with django_assert_max_num_queries(BUDGETS["import, all unchanged"]):
        response = upload(editor, quiz, content)

    assert response.json()["unchanged"] == quiz.questions.count()


def test_import_into_an_empty_quiz(django_assert_max_num_queries, quiz, editor):
    content = files.write(quiz_interchange_questions(quiz), files.XML)
    empty = QuizFactory(slug="empty", language="en", is_published=False)

    with django_assert_max_num_queries(BUDGETS["import, all created"]):
        response = upload(editor, empty, content)

    assert response.json()["created"] == quiz.questions.count()


def test_import_of_a_corrected_file(django_assert_max_num_queries, quiz, editor):
    content = files.write(quiz_interchange_questions(quiz), files.XML).replace(b"Question ", b"Corrected question ")

    with django_assert_max_num_queries(BUDGETS["import, all updated"]):
        response = upload(editor, quiz, content)

    assert response.json()["updated"] == quiz.questions.count()
