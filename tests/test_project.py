"""The project as a whole: checks, migrations, fixtures, settings and the helper commands."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from quizzes.models import Choice, Citation, Question, Quiz, Source, Topic

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(str(path) for path in (ROOT / "fixtures").glob("*.yaml"))


def test_system_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def content_counts():
    return [model.objects.count() for model in (Source, Topic, Quiz, Question, Choice, Citation)]


@pytest.mark.django_db
def test_loading_the_fixtures_twice_changes_nothing():
    call_command("loaddata", *FIXTURES, verbosity=0)
    once = content_counts()
    assert once[2] >= 1 and once[3] >= 1
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert content_counts() == once


@pytest.mark.django_db
def test_a_corrected_fixture_updates_rows_in_place(tmp_path):
    call_command("loaddata", *FIXTURES, verbosity=0)
    question = Question.objects.order_by("pk").first()
    original_pk, original_count = question.pk, Question.objects.count()
    question.text = "Edited by hand in the database"
    question.save()
    call_command("loaddata", *FIXTURES, verbosity=0)
    question.refresh_from_db()
    assert question.pk == original_pk
    assert question.text != "Edited by hand in the database"
    assert Question.objects.count() == original_count


@pytest.mark.django_db
def test_editors_group_can_author_content_and_nothing_else():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    for model in ("source", "topic", "quiz", "question", "choice", "citation"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= codenames
    assert not any(codename.endswith(("_attempt", "_answer", "_user", "_group")) for codename in codenames)


@pytest.mark.django_db
def test_demo_editor_is_created_only_with_a_password(settings):
    from django.contrib.auth import get_user_model

    settings.DEMO_EDITOR_PASSWORD = ""
    out = StringIO()
    call_command("ensure_demo_editor", stdout=out)
    assert "createsuperuser" in out.getvalue()
    assert not get_user_model().objects.filter(username="editor").exists()

    settings.DEBUG = True  # the test runner turns DEBUG off; the demo editor exists only with it on
    settings.DEMO_EDITOR_PASSWORD = "a-local-demo-password"
    call_command("ensure_demo_editor", stdout=StringIO())
    call_command("ensure_demo_editor", stdout=StringIO())
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert editor.check_password("a-local-demo-password")
    assert editor.groups.filter(name="Editors").exists()


def run_settings(env):
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "quizsite.settings", **env},
        capture_output=True,
        text=True,
    )


def test_without_environment_it_is_a_local_development_server():
    result = run_settings({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_with_debug_off_it_refuses_to_start_without_a_secret_key():
    result = run_settings({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
