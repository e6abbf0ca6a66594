"""import_questions writes: all or nothing, idempotent by key, corrections in place, one content change."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from quizzes.caching import invalidation
from quizzes.interchange.mapping import quiz_interchange_questions
from quizzes.models import Choice, Citation, Question, Quiz
from quizzes.owners import Owner
from quizzes.services import start_attempt
from tests.factories import QuestionFactory, QuizFactory, SourceFactory, TopicFactory, UserFactory

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(autouse=True)
def messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def content_changes(monkeypatch):
    """Counts every call that makes the cached content stale (signals and services alike)."""
    calls = []
    # Patched where saves and one_content_change() look it up.
    original = invalidation.content_changed
    monkeypatch.setattr(invalidation, "content_changed", lambda **options: (calls.append(1), original(**options)))
    return calls


@pytest.fixture
def quiz(db):
    TopicFactory(slug="shutdown")
    SourceFactory(slug="article")
    return QuizFactory(slug="target", language="en", is_published=False)


def gift_file(tmp_path, text, name="questions.gift"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


TWO_QUESTIONS = (
    "$CATEGORY: $course$/top/shutdown\n\n"
    "// [id:when] [tag:difficulty-easy] [points:2]\n"
    "// [citation:article] Amazon took Parler offline.\n"
    "// [citation-note] A note.\n"
    "When?{=On 10 January#Right. ~On 6 January#No. ~On 1 May ####AWS took it offline on 10 January.}\n\n"
    "// [id:who]\n"
    "// [citation:article] Apple and Google removed the app.\n"
    "Who removed the app?{~%50%Apple ~%50%Google ~%-100%Microsoft#No.}\n"
)


def rows_of(quiz):
    """Everything an import writes, as plain values, to compare before and after."""
    return [
        (q.pk, q.key, q.position, q.kind, q.text, q.explanation, q.points, q.topic.slug, q.difficulty,
         [(c.pk, c.position, c.text, c.is_correct, c.feedback) for c in q.choices.order_by("position")],
         [(c.position, c.source.slug, c.quote, c.note) for c in q.citations.order_by("position")])
        for q in Question.objects.filter(quiz=quiz).order_by("position", "id")
    ]


def test_import_creates_questions_with_choices_citations_topic_points_and_difficulty(quiz, tmp_path, capsys):
    QuestionFactory(quiz=quiz, key="existing", position=7)

    call_command("import_questions", gift_file(tmp_path, TWO_QUESTIONS), "--quiz", quiz.slug)

    output = capsys.readouterr().out
    assert "2 created, 0 updated, 0 unchanged, 0 skipped, 0 errors." in output
    assert "Imported into target." in output
    when = Question.objects.get(quiz=quiz, key="when")
    assert (when.position, when.points, when.difficulty, when.topic.slug) == (8, Decimal("2"), "easy", "shutdown")
    assert when.explanation == "AWS took it offline on 10 January."
    assert [(c.text, c.is_correct, c.feedback) for c in when.choices.order_by("position")] == [
        ("On 10 January", True, "Right."), ("On 6 January", False, "No."), ("On 1 May", False, "")]
    assert [(c.source.slug, c.quote, c.note) for c in when.citations.all()] == [
        ("article", "Amazon took Parler offline.", "A note.")]
    who = Question.objects.get(quiz=quiz, key="who")
    assert (who.kind, who.position, who.difficulty) == ("multiple", 9, "medium")
    assert [c.is_correct for c in who.choices.order_by("position")] == [True, True, False]
    # As when an editor saves a question, the quiz shows under its questions' topics.
    assert "shutdown" in set(Quiz.objects.get(pk=quiz.pk).topics.values_list("slug", flat=True))


def test_the_same_file_imported_twice_changes_nothing(quiz, tmp_path, capsys, content_changes):
    path = gift_file(tmp_path, TWO_QUESTIONS)
    call_command("import_questions", path, "--quiz", quiz.slug)
    before, changes = rows_of(quiz), len(content_changes)

    call_command("import_questions", path, "--quiz", quiz.slug)

    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert rows_of(quiz) == before
    assert len(content_changes) == changes


def test_an_import_changes_the_content_version_once(quiz, tmp_path, content_changes):
    call_command("import_questions", gift_file(tmp_path, TWO_QUESTIONS), "--quiz", quiz.slug)

    assert Question.objects.filter(quiz=quiz).count() == 2
    assert len(content_changes) == 1


def test_a_corrected_file_updates_questions_in_place(quiz, tmp_path, capsys):
    call_command("import_questions", gift_file(tmp_path, TWO_QUESTIONS), "--quiz", quiz.slug)
    when = Question.objects.get(quiz=quiz, key="when")
    choice_ids = list(when.choices.order_by("position").values_list("pk", flat=True))
    corrected = TWO_QUESTIONS.replace("When?", "When exactly?").replace(
        "~On 1 May ####", "~On 1 May ~On 2 May ####").replace("Amazon took Parler offline.", "AWS took it offline.")

    call_command("import_questions", gift_file(tmp_path, corrected, "corrected.gift"), "--quiz", quiz.slug)

    assert "0 created, 1 updated, 1 unchanged" in capsys.readouterr().out
    when.refresh_from_db()
    assert when.text == "When exactly?"
    choices = list(when.choices.order_by("position"))
    assert [c.pk for c in choices[:3]] == choice_ids
    assert [c.text for c in choices] == ["On 10 January", "On 6 January", "On 1 May", "On 2 May"]
    assert [c.quote for c in when.citations.all()] == ["AWS took it offline."]
    assert Question.objects.filter(quiz=quiz).count() == 2


def test_a_file_with_fewer_answers_deletes_the_choices_no_attempt_showed(quiz, tmp_path):
    call_command("import_questions", gift_file(tmp_path, TWO_QUESTIONS), "--quiz", quiz.slug)
    shorter = TWO_QUESTIONS.replace(" ~On 1 May ####", " ####")

    call_command("import_questions", gift_file(tmp_path, shorter, "shorter.gift"), "--quiz", quiz.slug)

    assert list(Choice.objects.filter(question__key="when").values_list("text", flat=True).order_by("position")) == [
        "On 10 January", "On 6 January"]


def test_a_file_dropping_a_choice_an_attempt_showed_writes_a_new_version_and_keeps_the_shown_one(quiz, tmp_path):
    # Before question versions this was refused; now the attempt keeps the version it showed, choice included.
    call_command("import_questions", gift_file(tmp_path, TWO_QUESTIONS), "--quiz", quiz.slug)
    Quiz.objects.filter(pk=quiz.pk).update(is_published=True)
    attempt, _created = start_attempt(quiz=Quiz.objects.get(pk=quiz.pk), owner=Owner.of(user=UserFactory()))
    before = rows_of(quiz)
    shorter = TWO_QUESTIONS.replace(" ~On 1 May ####", " ####").replace("Who removed", "Which shops removed")

    call_command("import_questions", gift_file(tmp_path, shorter, "shorter.gift"), "--quiz", quiz.slug)

    retired = Question.objects.filter(quiz=quiz, is_current=False).order_by("key")
    assert [(question.key, question.version) for question in retired] == [("when", 1), ("who", 1)]
    assert [row for row in rows_of(quiz) if row[0] in attempt.question_order] == before
    when = Question.objects.current().get(quiz=quiz, key="when")
    assert (when.version, when.first_version_id) == (2, retired[0].pk)
    assert list(when.choices.order_by("position").values_list("text", flat=True)) == ["On 10 January", "On 6 January"]
    assert Question.objects.current().get(quiz=quiz, key="who").text.startswith("Which shops removed")
    # The same file again changes nothing more.
    call_command("import_questions", gift_file(tmp_path, shorter, "shorter.gift"), "--quiz", quiz.slug)
    assert Question.objects.filter(quiz=quiz).count() == 4


def test_any_error_writes_nothing_of_the_file(quiz, tmp_path, capsys, content_changes):
    QuestionFactory(quiz=quiz, key="who", text="Old text?")
    before, changes = rows_of(quiz), len(content_changes)
    broken = TWO_QUESTIONS + "\n// [id:third]\n// [citation:no-such-source] A quote.\nThird?{=a ~b}\n"

    with pytest.raises(CommandError, match="1 errors: nothing was written"):
        call_command("import_questions", gift_file(tmp_path, broken), "--quiz", quiz.slug)

    output = capsys.readouterr().out
    assert "line 12: error: No source no-such-source for a citation." in output
    assert rows_of(quiz) == before
    assert len(content_changes) == changes


def test_skipped_questions_are_listed_and_the_rest_is_imported(quiz, tmp_path, capsys):
    with_essay = TWO_QUESTIONS + "\n// [id:essay]\nWrite about it.{}\n\n// [id:weights]\nW?{~%50%a ~b ~c}\n"

    call_command("import_questions", gift_file(tmp_path, with_essay), "--quiz", quiz.slug)

    output = capsys.readouterr().out
    assert "line 12: skipped: An essay question" in output and "line 15: skipped: Weights" in output
    assert "2 created, 0 updated, 0 unchanged, 2 skipped, 0 errors." in output
    assert set(Question.objects.filter(quiz=quiz).values_list("key", flat=True)) == {"when", "who"}


def test_an_unknown_category_is_an_error_not_a_new_topic(quiz, tmp_path, capsys):
    elsewhere = TWO_QUESTIONS.replace("top/shutdown", "top/no-such-topic")

    with pytest.raises(CommandError, match="2 errors"):
        call_command("import_questions", gift_file(tmp_path, elsewhere), "--quiz", quiz.slug)

    assert "error: No topic no-such-topic" in capsys.readouterr().out
    assert not Question.objects.filter(quiz=quiz).exists()


def test_a_question_the_admin_would_refuse_is_an_error(quiz, tmp_path, capsys):
    duplicates = "$CATEGORY: shutdown\n\n// [id:twice]\nQ?{=Same ~Same}\n"

    with pytest.raises(CommandError):
        call_command("import_questions", gift_file(tmp_path, duplicates), "--quiz", quiz.slug)

    assert "error: Two choices have the same text" in capsys.readouterr().out


def test_a_published_quiz_refuses_questions_without_a_citation(quiz, tmp_path, capsys):
    Quiz.objects.filter(pk=quiz.pk).update(is_published=True)

    with pytest.raises(CommandError):
        call_command("import_questions", gift_file(tmp_path, "$CATEGORY: shutdown\n\n// [id:bare]\nQ?{=a ~b}\n"),
                     "--quiz", quiz.slug)

    assert "error: A question needs at least one citation" in capsys.readouterr().out


def test_a_question_without_an_id_takes_its_name_as_key_so_a_second_import_updates_it(quiz, tmp_path, capsys):
    named = "$CATEGORY: shutdown\n\n::When did AWS act?::When?{=10 January ~6 January}\n"
    call_command("import_questions", gift_file(tmp_path, named), "--quiz", quiz.slug)
    question = Question.objects.get(quiz=quiz)
    assert question.key == "when-did-aws-act"

    call_command("import_questions", gift_file(tmp_path, named.replace("When?", "When, then?")), "--quiz", quiz.slug)

    assert "0 created, 1 updated" in capsys.readouterr().out
    assert Question.objects.get(quiz=quiz).pk == question.pk


def test_true_false_questions_get_the_words_of_the_quizs_language(quiz, tmp_path):
    Quiz.objects.filter(pk=quiz.pk).update(language="de")

    call_command("import_questions", gift_file(tmp_path, "$CATEGORY: shutdown\n\n// [id:tf]\nStimmt es?{T}\n"),
                 "--quiz", quiz.slug)

    assert [(c.text, c.is_correct) for c in Choice.objects.order_by("position")] == [("Wahr", True), ("Falsch", False)]


def test_a_failure_halfway_through_writing_rolls_everything_back(quiz, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Citation.objects, "bulk_create", fail)

    with pytest.raises(RuntimeError):
        call_command("import_questions", gift_file(tmp_path, TWO_QUESTIONS), "--quiz", quiz.slug)

    assert not Question.objects.filter(quiz=quiz).exists() and not Choice.objects.exists()


def test_a_shipped_quiz_exported_and_imported_into_an_empty_quiz_is_the_same_and_then_unchanged(db, tmp_path, capsys):
    call_command("loaddata", *sorted(str(path) for path in FIXTURES_DIR.glob("*.yaml")), verbosity=0)
    shipped = Quiz.objects.get(slug="parler-shutdown")
    empty = QuizFactory(slug="empty", language=shipped.language, is_published=False)
    for file_format in ("gift", "xml"):
        path = tmp_path / f"shipped.{file_format}"
        call_command("export_questions", shipped.slug, "--format", file_format, "--output", str(path))

        call_command("import_questions", str(path), "--quiz", empty.slug)

        assert quiz_interchange_questions(empty) == quiz_interchange_questions(shipped)
    output = capsys.readouterr().out
    count = shipped.questions.count()
    assert f"{count} created, 0 updated, 0 unchanged" in output
    assert f"0 created, 0 updated, {count} unchanged" in output


def test_an_import_checks_each_quote_against_its_sources_text(quiz, tmp_path, capsys):
    SourceFactory(slug="checked", text='Amazon nahm Parler am 10. Januar vom Netz und sprach von "Gewalt".')
    checked = ("$CATEGORY: shutdown\n\n// [id:right]\n// [citation:checked] sprach von „Gewalt“.\nQ1?{=a ~b}\n\n"
               "// [id:wrong]\n// [citation:checked] Amazon nahm Parler am 11. Januar vom Netz\nQ2?{=a ~b}\n")

    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_questions", gift_file(tmp_path, checked), "--quiz", quiz.slug)

    assert ("line 7: error: The quote “Amazon nahm Parler am 11. Januar vom Netz” is not in the text of checked word "
            "for word; the closest passage there: “Amazon nahm Parler am 10. Januar vom Netz”") in capsys.readouterr().out
    assert not Question.objects.filter(quiz=quiz).exists()


def test_a_nul_character_in_any_text_is_an_error_not_a_database_failure(quiz, tmp_path, capsys):
    with_nul = TWO_QUESTIONS.replace("#Right.", "#Ri\x00ght.")

    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_questions", gift_file(tmp_path, with_nul), "--quiz", quiz.slug)

    assert "line 3: error: A text of the question contains a NUL character" in capsys.readouterr().out
    assert not Question.objects.filter(quiz=quiz).exists()
