"""Migration 0013 moves the English notes' labelled translations into Citation.translation, and back.

The rows are built with the migration state's historical models, which the factories cannot make.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("quizzes", "0008_topic_slug_help_text")
AFTER = ("quizzes", "0013_navigator_flags_layout_translation")


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def citation_with(apps, *, language, note, slug):
    Source, Topic = apps.get_model("quizzes", "Source"), apps.get_model("quizzes", "Topic")
    Quiz, Question = apps.get_model("quizzes", "Quiz"), apps.get_model("quizzes", "Question")
    Citation = apps.get_model("quizzes", "Citation")
    source, _ = Source.objects.get_or_create(
        slug="artikel", defaults={"title": "Artikel", "publisher": "dpa", "language": "de"}
    )
    topic, _ = Topic.objects.get_or_create(slug="topic", defaults={"name_de": "Thema", "name_en": "Topic"})
    quiz = Quiz.objects.create(slug=slug, translation_key=slug, title=slug, description="d", language=language)
    question = Question.objects.create(quiz=quiz, key="q", text="Q?", explanation="E.", topic=topic)
    return Citation.objects.create(question=question, position=1, source=source, quote="Ein Zitat.", note=note).pk


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    """The other tests need every migration applied: back to the newest ones at the end."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_labelled_translations_move_and_come_back():
    apps = migrate_to(BEFORE)
    with_context = citation_with(
        apps, language="en", slug="en-1", note='Translation: "A quote." The article gives no year; it is 2021.'
    )
    bracketed = citation_with(apps, language="en", slug="en-2", note='Translation: "A quote." ("A" means one.)')
    unlabelled = citation_with(apps, language="en", slug="en-3", note="A quote, in English.")
    german = citation_with(apps, language="de", slug="de-1", note='Translation: "kein Fall"')

    apps = migrate_to(AFTER)
    Citation = apps.get_model("quizzes", "Citation")
    fields = {
        pk: Citation.objects.values_list("translation", "note").get(pk=pk)
        for pk in (with_context, bracketed, unlabelled, german)
    }

    assert fields[with_context] == ("A quote.", "The article gives no year; it is 2021.")
    assert fields[bracketed] == ("A quote.", '"A" means one.')
    assert fields[unlabelled] == ("", "A quote, in English.")
    assert fields[german] == ("", 'Translation: "kein Fall"')

    apps = migrate_to(BEFORE)
    Citation = apps.get_model("quizzes", "Citation")
    assert Citation.objects.get(pk=with_context).note == 'Translation: "A quote." The article gives no year; it is 2021.'
