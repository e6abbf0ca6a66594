"""Loading the shipped content never reverts an editor's work; overwriting it is explicit."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Question, Quiz, Topic

pytestmark = pytest.mark.django_db

SHIPPED_QUIZ = "parler-at-a-glance"


def load_content(*arguments):
    output = StringIO()
    call_command("load_content", *arguments, stdout=output)
    return output.getvalue()


def test_load_content_fills_an_empty_database_and_says_what_it_loaded():
    output = load_content()

    assert Quiz.objects.filter(slug=SHIPPED_QUIZ).exists()
    assert f"quiz {SHIPPED_QUIZ}" in output.split("Loaded", 1)[1]
    assert "Skipped" not in output


def test_an_editors_title_and_pass_mark_survive_the_load_at_the_next_start():
    load_content()
    quiz = Quiz.objects.get(slug=SHIPPED_QUIZ)
    quiz.title = "Corrected by an editor"
    quiz.pass_mark = 75
    quiz.save()
    question = quiz.questions.order_by("position").first()
    question.text = "A question an editor rewrote"
    question.save()

    output = load_content()

    quiz.refresh_from_db()
    question.refresh_from_db()
    assert (quiz.title, quiz.pass_mark) == ("Corrected by an editor", 75)
    assert question.text == "A question an editor rewrote"
    assert f"quiz {SHIPPED_QUIZ}" in output.split("Skipped", 1)[1]
    assert "Loaded" not in output


def test_a_shipped_quiz_the_database_lacks_is_loaded_beside_the_ones_it_has():
    load_content()
    Question.objects.filter(quiz__slug=SHIPPED_QUIZ).delete()
    Quiz.objects.filter(slug=SHIPPED_QUIZ).delete()
    Topic.objects.filter(slug="shutdown").update(name_en="Edited topic")

    output = load_content()

    assert Quiz.objects.get(slug=SHIPPED_QUIZ).questions.count() == 3
    assert Topic.objects.get(slug="shutdown").name_en == "Edited topic"
    loaded, skipped = output.split("Skipped", 1)
    assert loaded.strip() == f"Loaded (1): quiz {SHIPPED_QUIZ}"
    assert "topic shutdown" in skipped


def test_overwrite_with_yes_lists_the_quizzes_it_overwrites_and_restores_them():
    load_content()
    Quiz.objects.filter(slug=SHIPPED_QUIZ).update(title="Corrected by an editor")

    output = load_content("--overwrite", "--yes")

    assert Quiz.objects.get(slug=SHIPPED_QUIZ).title == "Parler at a glance"
    warning, done = output.split("Overwritten", 1)
    assert "Will overwrite" in warning and f"quiz {SHIPPED_QUIZ}" in warning
    assert f"quiz {SHIPPED_QUIZ}" in done


def test_overwrite_asks_and_changes_nothing_without_a_yes(monkeypatch):
    load_content()
    Quiz.objects.filter(slug=SHIPPED_QUIZ).update(title="Corrected by an editor")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Nothing changed"):
        load_content("--overwrite")

    assert Quiz.objects.get(slug=SHIPPED_QUIZ).title == "Corrected by an editor"


def test_overwrite_without_a_terminal_to_ask_changes_nothing(monkeypatch):
    load_content()
    Quiz.objects.filter(slug=SHIPPED_QUIZ).update(title="Corrected by an editor")

    def no_terminal(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)

    with pytest.raises(CommandError, match="Nothing changed"):
        load_content("--overwrite")

    assert Quiz.objects.get(slug=SHIPPED_QUIZ).title == "Corrected by an editor"


def test_overwrite_confirmed_interactively_restores_the_quiz(monkeypatch):
    load_content()
    Quiz.objects.filter(slug=SHIPPED_QUIZ).update(title="Corrected by an editor")
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")

    load_content("--overwrite")

    assert Quiz.objects.get(slug=SHIPPED_QUIZ).title == "Parler at a glance"


def test_a_missing_fixture_file_is_a_clear_error_and_loads_nothing():
    with pytest.raises(CommandError, match="No such fixture file"):
        load_content("fixtures/no-such-file.yaml")

    assert not Quiz.objects.exists()


def test_the_shipped_content_has_an_immediate_and_an_interactive_quiz_in_each_language():
    load_content()

    settings = {
        (quiz.language, quiz.behaviour): quiz.slug for quiz in Quiz.objects.exclude(behaviour="deferred")
    }
    assert settings == {
        ("de", "immediate"): "parler-auf-einen-blick",
        ("en", "immediate"): "parler-at-a-glance",
        ("de", "interactive"): "parler-macher-und-zahlen",
        ("en", "interactive"): "parler-people-and-figures",
    }
    interactive = Quiz.objects.get(slug="parler-people-and-figures")
    assert (interactive.max_tries, str(interactive.penalty)) == (3, "0.3333")
    assert Quiz.objects.filter(behaviour="deferred").count() == 6
