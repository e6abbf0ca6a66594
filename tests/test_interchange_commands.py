"""export_questions and import_questions --dry-run: every shipped quiz survives a round trip; a dry run writes nothing."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from quizzes.interchange import gift, moodle_xml
from quizzes.interchange.mapping import quiz_interchange_questions
from quizzes.models import Choice, Question, Quiz
from tests.factories import QuestionFactory, QuizFactory


@pytest.fixture(autouse=True)
def messages_in_english():
    # The site's default language is German; these tests read the English messages.
    with translation.override("en"):
        yield


FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
READERS = {"gift": gift.parse, "xml": moodle_xml.parse}


@pytest.fixture
def shipped_quizzes(db):
    call_command("loaddata", *sorted(str(path) for path in FIXTURES_DIR.glob("*.yaml")), verbosity=0)
    return list(Quiz.objects.order_by("slug"))


@pytest.mark.parametrize("file_format", ["gift", "xml"])
def test_every_shipped_quiz_exported_and_read_again_is_unchanged(shipped_quizzes, file_format, tmp_path):
    assert len(shipped_quizzes) >= 10
    for quiz in shipped_quizzes:
        path = tmp_path / f"{quiz.slug}.{file_format}"
        call_command("export_questions", quiz.slug, "--format", file_format, "--output", str(path))

        result = READERS[file_format](path.read_bytes())

        assert result.problems == (), quiz.slug
        assert list(result.questions) == quiz_interchange_questions(quiz), quiz.slug
        assert len(result.questions) == quiz.questions.count()


def test_a_shipped_quiz_imported_into_itself_is_all_unchanged(shipped_quizzes, tmp_path, capsys):
    quiz = shipped_quizzes[0]
    path = tmp_path / "quiz.gift"
    call_command("export_questions", quiz.slug, "--format", "gift", "--output", str(path))

    call_command("import_questions", str(path), "--quiz", quiz.slug, "--dry-run")

    output = capsys.readouterr().out
    assert f"0 created, 0 updated, {quiz.questions.count()} unchanged, 0 skipped, 0 errors" in output


def test_export_writes_to_standard_output_by_default(db, capsys):
    question = QuestionFactory(key="first-question")

    call_command("export_questions", question.quiz.slug, "--format", "xml")

    assert "<idnumber>first-question</idnumber>" in capsys.readouterr().out


def test_export_of_an_unknown_quiz_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No quiz"):
        call_command("export_questions", "no-such-quiz", "--format", "gift")


def test_dry_run_lists_created_updated_scoring_and_problems_and_writes_nothing(db, tmp_path, capsys):
    # Unpublished: a published quiz would also refuse the new question for its missing citation.
    existing = QuestionFactory(key="kept", text="Old text?", quiz__is_published=False)
    quiz, topic = existing.quiz, existing.topic.slug
    source = existing.citations.get().source.slug
    path = tmp_path / "questions.gift"
    path.write_text(
        f"$CATEGORY: $course$/top/{topic}\n\n"
        f"// [id:kept] [tag:difficulty-medium]\n// [citation:{source}] A verbatim quote.\nNew text?{{=Right 0 ~Wrong 0 ~Wrong 1}}\n\n"
        "// [id:brand-new]\nAnother?{~%50%a ~%50%b ~%-100%c}\n\n"
        "Essay?{}\n",
        encoding="utf-8",
    )
    counts = (Question.objects.count(), Choice.objects.count())

    call_command("import_questions", str(path), "--quiz", quiz.slug, "--dry-run")

    output = capsys.readouterr().out
    assert "line 3: updated kept: Single choice" in output
    assert (
        "line 7: created brand-new: Multiple choice: 1 point; each of the 2 right answers earns 1/2 of the points, "
        "the wrong answer costs all the points, never below 0."
    ) in output
    assert "line 10: skipped: An essay question" in output
    assert "1 created, 1 updated, 0 unchanged, 1 skipped, 0 errors.\nDry run: nothing was written." in output
    assert (Question.objects.count(), Choice.objects.count()) == counts
    assert Question.objects.get(key="kept").text == "Old text?"


def test_dry_run_reports_unknown_topics_and_sources_by_line(db, tmp_path, capsys):
    quiz = QuizFactory()
    path = tmp_path / "questions.xml"
    path.write_bytes(moodle_xml.write(gift.parse("$CATEGORY: nowhere\n\n// [citation:no-source] q\nQ?{=a ~b}").questions))

    call_command("import_questions", str(path), "--quiz", quiz.slug, "--dry-run")

    output = capsys.readouterr().out
    assert "error: No topic nowhere" in output and "error: No source no-source" in output


def test_dry_run_reports_points_our_questions_cannot_hold(db, tmp_path, capsys):
    existing = QuestionFactory()
    path = tmp_path / "questions.gift"
    path.write_text(
        f"$CATEGORY: {existing.topic.slug}\n\n// [points:1E+999999]\nHuge?{{=a ~b}}\n\n// [points:0.125]\nFine?{{=a ~b}}",
        encoding="utf-8",
    )

    call_command("import_questions", str(path), "--quiz", existing.quiz.slug, "--dry-run")

    output = capsys.readouterr().out
    assert output.count("error: The points must be at most 9999.99, in hundredths.") == 2


def test_import_of_a_missing_file_or_quiz_is_a_clear_error(db, tmp_path):
    quiz = QuizFactory()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_questions", str(tmp_path / "missing.gift"), "--quiz", quiz.slug, "--dry-run")
    with pytest.raises(CommandError, match="No quiz"):
        call_command("import_questions", str(tmp_path / "missing.gift"), "--quiz", "nope", "--dry-run")


def test_a_hostile_file_is_a_problem_in_the_preview_not_a_crash(db, tmp_path, capsys):
    quiz = QuizFactory()
    path = tmp_path / "bomb.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>')

    call_command("import_questions", str(path), "--quiz", quiz.slug, "--dry-run")

    assert "whole file: error: The file declares entities" in capsys.readouterr().out


def test_the_readme_examples_of_both_formats_read_without_problems():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Moodle formats", 1)[1].split("\n### ", 1)[0]
    gift_example = section.split("```\n// ", 1)[1].split("```", 1)[0]
    xml_example = section.split("```xml\n", 1)[1].split("```", 1)[0]

    (gift_question,) = gift.parse("// " + gift_example).questions
    (xml_question,) = moodle_xml.parse(b"<quiz>" + xml_example.encode() + b"</quiz>").questions

    assert gift_question.key == "date-of-shutdown" and gift_question.citations
    assert xml_question.key == "notices-ignored" and xml_question.citations[0].source.startswith("parler-")
