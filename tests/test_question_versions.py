"""Question versions: editing what attempts showed makes a new version; old attempts keep showing, and are
regraded against, exactly what they showed; new attempts draw the current version."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from quizzes import services
from quizzes.services import importing
from quizzes.errors import QuestionChangedMeanwhile
from quizzes.models import Choice, MemoryState, Question, ScoreChange
from quizzes.selectors.versions import versions_of
from tests.admin_pages import admin_url, errors_of, form_data_of
from tests.factories import QuestionFactory, QuizFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def owner_and_user():
    user = UserFactory()
    return services.Owner.of(user=user), user


def submit(quiz, owner, picks):
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    answers = [
        services.AnswerInput(question_id=question.pk, choice_ids=tuple(choice.pk for choice in choices))
        for question, choices in picks.items()
    ]
    return services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers)


def result_of(attempt, user):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/attempts/{attempt.pk}/")
    assert response.status_code == 200
    return response.json()


def edit_in_admin(client, question, **changes):
    data = form_data_of(client.get(admin_url("question", "change", question.pk))) | changes
    return client.post(admin_url("question", "change", question.pk), data)


@pytest.fixture
def shown_question():
    """A question with a right and a wrong choice, and a learner's submitted attempt that picked the wrong one."""
    quiz = QuizFactory(answer_visibility="after_submission", shuffle_choices=False)
    question = QuestionFactory(quiz=quiz, text="Who took Parler offline?", choices__correct=1, choices__wrong=1)
    right, wrong = question.choices.order_by("position")
    owner, user = owner_and_user()
    attempt = submit(quiz, owner, {question: [wrong]})
    return question, attempt, user


def test_editing_the_text_of_a_shown_question_makes_a_new_version_and_the_old_result_keeps_the_old_text(
    editor_client, shown_question
):
    question, attempt, user = shown_question
    response = edit_in_admin(editor_client, question, text="Which company took Parler offline?", _continue="1")
    assert response.status_code == 302, errors_of(response)

    question.refresh_from_db()
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    assert (question.text, question.version, question.is_current) == ("Who took Parler offline?", 1, False)
    assert (current.text, current.version, current.first_version_id) == ("Which company took Parler offline?", 2, question.pk)
    # "Save and continue editing" continues with the new version.
    assert response.url == admin_url("question", "change", current.pk)
    assert set(current.choices.values_list("text", flat=True)) == set(question.choices.values_list("text", flat=True))
    assert not set(current.choices.values_list("pk", flat=True)) & set(question.choices.values_list("pk", flat=True))
    [shown] = result_of(attempt, user)["results"]
    assert (shown["question"], shown["text"]) == (question.pk, "Who took Parler offline?")
    # A new attempt draws the current version.
    owner, _user = owner_and_user()
    new_attempt, _created = services.start_attempt(quiz=question.quiz, owner=owner)
    assert new_attempt.question_order == [current.pk]
    # Editors edit the current version; the earlier one is read only.
    assert editor_client.get(admin_url("question", "changelist")).context["cl"].result_count == 1
    assert edit_in_admin(editor_client, question, text="Overwritten?").status_code == 403


def test_editing_an_unseen_question_changes_it_in_place(editor_client):
    question = QuestionFactory(quiz__is_published=False, choices__correct=1, choices__wrong=1)
    response = edit_in_admin(editor_client, question, text="Reworded?")
    assert response.status_code == 302, errors_of(response)
    assert list(Question.objects.values_list("pk", "text", "version")) == [(question.pk, "Reworded?", 1)]


def test_changing_only_the_points_of_a_shown_question_keeps_its_version_and_applies_to_all_versions(
    editor_client, shown_question
):
    question, _attempt, _user = shown_question
    assert edit_in_admin(editor_client, question, text="Reworded?").status_code == 302
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    response = edit_in_admin(editor_client, current, points="3")
    assert response.status_code == 302, errors_of(response)
    assert Question.objects.filter(quiz=question.quiz).count() == 2
    assert set(Question.objects.filter(quiz=question.quiz).values_list("points", flat=True)) == {Decimal("3")}


def test_correcting_the_key_of_a_shown_question_keeps_old_scores_even_after_a_regrade(editor_client, shown_question):
    question, attempt, user = shown_question
    data = form_data_of(editor_client.get(admin_url("question", "change", question.pk)))
    data.pop("choices-0-is_correct")
    data["choices-1-is_correct"] = "on"
    assert editor_client.post(admin_url("question", "change", question.pk), data).status_code == 302

    assert services.regrade_quiz(quiz=question.quiz, changed_by=None, reason="Nothing to do") == []
    attempt.refresh_from_db()
    assert (attempt.score, attempt.question_order) == (Decimal("0.00"), [question.pk])
    right_then = question.choices.get(position=1)
    [shown] = result_of(attempt, user)["results"]
    assert shown["correct"] == [right_then.pk]


def test_regrading_an_earlier_version_against_the_corrected_one_moves_its_attempts_and_records_the_change(
    editor, editor_client, shown_question
):
    question, attempt, user = shown_question
    data = form_data_of(editor_client.get(admin_url("question", "change", question.pk)))
    data.pop("choices-0-is_correct")
    data["choices-1-is_correct"] = "on"
    assert editor_client.post(admin_url("question", "change", question.pk), data).status_code == 302
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    page = editor_client.get(admin_url("question", "change", current.pk)).content.decode()
    regrade_url = admin_url("question", "regrade_onto", current.pk, question.pk)
    assert regrade_url in page

    assert editor_client.get(regrade_url).status_code == 200
    response = editor_client.post(regrade_url, {"reason": "The second choice was right"})
    assert response.status_code == 302

    attempt.refresh_from_db()
    assert (attempt.score, attempt.question_order) == (Decimal("1.00"), [current.pk])
    assert attempt.choice_order == {str(current.pk): list(current.choices.order_by("position").values_list("pk", flat=True))}
    change = ScoreChange.objects.get()
    assert (change.attempt_id, change.changed_by, change.old_score, change.new_score) == (
        attempt.pk, editor, Decimal("0.00"), Decimal("1.00")
    )
    [shown] = result_of(attempt, user)["results"]
    assert shown["question"] == current.pk and shown["score"] == "1.00"
    assert list(attempt.answers.get().selected_choices.values_list("pk", flat=True)) == [
        current.choices.get(position=2).pk
    ]


def test_regrading_onto_a_version_with_other_choices_is_refused_and_changes_nothing(editor_client, shown_question):
    question, attempt, _user = shown_question
    data = form_data_of(editor_client.get(admin_url("question", "change", question.pk)))
    data |= {
        "choices-TOTAL_FORMS": "3",
        "choices-2-position": "3",
        "choices-2-text": "Apple",
        "choices-2-question": str(question.pk),
    }
    assert editor_client.post(admin_url("question", "change", question.pk), data).status_code == 302
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    assert current.choices.count() == 3

    response = editor_client.post(
        admin_url("question", "regrade_onto", current.pk, question.pk), {"reason": "Try"}, follow=True
    )
    assert "choices are at the same positions" in response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.score, attempt.question_order) == (Decimal("0.00"), [question.pk])
    assert not ScoreChange.objects.exists()


def test_the_versions_panel_lists_each_version_with_the_attempts_that_showed_it(editor_client, shown_question):
    question, _attempt, _user = shown_question
    assert edit_in_admin(editor_client, question, text="Second wording?").status_code == 302
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    owner, _user = owner_and_user()
    submit(question.quiz, owner, {})
    submit(question.quiz, owner_and_user()[0], {})

    versions = {version.version: version.attempt_count for version in versions_of(current)}
    assert versions == {1: 1, 2: 2}
    page = editor_client.get(admin_url("question", "change", current.pk)).content.decode()
    assert "Second wording?" in page and "Who took Parler offline?" in page


def test_editing_a_shown_question_on_its_quiz_page_makes_a_new_version(editor_client, shown_question):
    question, attempt, user = shown_question
    data = form_data_of(editor_client.get(admin_url("quiz", "change", question.quiz.pk)))
    data["questions-0-text"] = "Edited on the quiz page?"
    response = editor_client.post(admin_url("quiz", "change", question.quiz.pk), data)
    assert response.status_code == 302, errors_of(response)
    question.refresh_from_db()
    assert question.text == "Who took Parler offline?" and not question.is_current
    assert Question.objects.current().get(quiz=question.quiz).text == "Edited on the quiz page?"
    assert result_of(attempt, user)["results"][0]["text"] == "Who took Parler offline?"


def test_a_learners_memory_of_a_question_without_translation_key_outlives_its_versions(editor_client, shown_question):
    question, _attempt, user = shown_question
    assert question.translation_key == ""
    state = MemoryState.objects.get(user=user)
    assert state.key == f"#{question.pk}"

    assert edit_in_admin(editor_client, question, text="Second wording?").status_code == 302
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    state.refresh_from_db()
    assert (state.key, state.question_id) == (f"#{question.pk}", current.pk)
    client = APIClient()
    client.force_authenticate(user)
    due = client.get("/api/v1/me/review/").json()
    assert [item["id"] for item in due["questions"]] == [current.pk]
    right = current.choices.get(is_correct=True)
    answered = client.post(f"/api/v1/me/review/{current.pk}/", {"choices": [right.pk]}, format="json")
    assert answered.status_code == 200, answered.content
    assert MemoryState.objects.filter(user=user).count() == 1


def test_overwriting_the_shipped_content_versions_a_shown_question_it_changes(tmp_path):
    call_command("load_content", verbosity=0)
    question = Question.objects.current().filter(quiz__is_published=True).order_by("pk").first()
    owner, user = owner_and_user()
    attempt = submit(question.quiz, owner, {})
    Question.objects.filter(pk=question.pk).update(text="An editor's wording?")
    Question.objects.filter(quiz=question.quiz).exclude(pk=question.pk).update(text="Another editor's wording?")
    untouched_by_attempts = Question.objects.current().exclude(quiz=question.quiz).first()
    Question.objects.filter(pk=untouched_by_attempts.pk).update(text="Nobody saw this wording?")

    call_command("load_content", "--overwrite", "--yes", verbosity=0)

    kept = Question.objects.get(pk=question.pk)
    shipped = Question.objects.current().get(quiz=question.quiz, key=question.key)
    assert (kept.text, kept.is_current) == ("An editor's wording?", False)
    assert shipped.version == 2 and shipped.text != kept.text
    assert result_of(attempt, user)["results"][0]["text"] in {"An editor's wording?", "Another editor's wording?"}
    assert Question.objects.filter(pk=untouched_by_attempts.pk, version=1, is_current=True).exclude(
        text="Nobody saw this wording?"
    ).exists()
    # Loading again changes nothing more.
    count = Question.objects.count()
    call_command("load_content", "--overwrite", "--yes", verbosity=0)
    assert Question.objects.count() == count
    assert Choice.objects.filter(question=kept).exists()


def test_the_item_analysis_lists_each_version_attempts_showed_with_its_own_figures(editor_client, shown_question):
    question, _attempt, _user = shown_question
    assert edit_in_admin(editor_client, question, text="Second wording?").status_code == 302
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    submit(question.quiz, owner_and_user()[0], {current: [current.choices.get(is_correct=True)]})
    editor_client.force_login(StaffFactory())

    client = APIClient()
    client.force_authenticate(StaffFactory())
    response = client.get(f"/api/v1/quizzes/{question.quiz.slug}/report/?attempts=all")
    assert response.status_code == 200, response.content
    figures = {
        (row["version"], row["is_current"]): (row["answer_count"], row["right_count"])
        for row in response.json()["questions"]
    }
    assert figures == {(1, False): (1, 0), (2, True): (1, 1)}
    page = editor_client.get(admin_url("quiz", "report_items", question.quiz.pk) + "?attempts=all").content.decode()
    assert "(version 1)" in page and "(version 2, current)" in page


def test_the_api_import_preview_says_which_updates_become_new_versions(shown_question):
    question, _attempt, _user = shown_question
    client = APIClient()
    client.force_authenticate(StaffFactory())
    exported = client.get(f"/api/v1/quizzes/{question.quiz.slug}/export/", {"format": "gift"})
    assert exported.status_code == 200, exported.content
    changed = exported.content.decode().replace("Who took Parler offline?", "Which company took Parler offline?")
    upload = SimpleUploadedFile("changed.gift", changed.encode())
    preview = client.post(f"/api/v1/quizzes/{question.quiz.slug}/import/?dry_run=1", {"file": upload}, format="multipart")
    assert preview.status_code == 200, preview.content
    assert [(row["action"], row["is_new_version"]) for row in preview.json()["questions"]] == [("updated", True)]
    assert Question.objects.filter(quiz=question.quiz).count() == 1


def test_a_question_whose_earlier_version_attempts_showed_cannot_be_deleted(editor_client, shown_question):
    # Its key would be free again, and a new question under it would collide with the versions kept.
    question, _attempt, _user = shown_question
    assert edit_in_admin(editor_client, question, text="Second wording?").status_code == 302
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    page = editor_client.post(admin_url("question", "delete", current.pk), {"post": "yes"})
    assert page.status_code == 200
    assert "cannot be deleted: 1 attempt showed it" in page.content.decode()
    assert Question.objects.filter(pk=current.pk, is_current=True).exists()


def test_a_key_another_current_question_has_is_a_form_error_not_a_500(editor_client, shown_question):
    question, _attempt, _user = shown_question
    other = QuestionFactory(quiz=question.quiz, key="other-key", choices__correct=1, choices__wrong=1)
    response = edit_in_admin(editor_client, other, key=question.key)
    assert response.status_code == 200
    assert "Another question of this quiz has this key." in errors_of(response)
    # Its own earlier versions share the key: editing the current version keeps it.
    assert edit_in_admin(editor_client, question, text="Second wording?").status_code == 302
    current = Question.objects.current().get(quiz=question.quiz, key=question.key)
    assert edit_in_admin(editor_client, current, text="Third wording?").status_code == 302


def test_a_version_cannot_be_made_of_a_version_already_replaced(shown_question):
    question, _attempt, _user = shown_question
    services.new_version(question)
    with pytest.raises(QuestionChangedMeanwhile):
        services.new_version(question)
    assert Question.objects.current().filter(quiz=question.quiz, key=question.key).count() == 1


def test_an_import_keeps_the_shared_fields_of_all_versions_alike(shown_question):
    question, _attempt, _user = shown_question
    copy = services.new_version(question).question
    exported = export_gift(question.quiz)
    raw = re.sub(r"^(// \[id:[^\]]+\])", r"\1 [tag:difficulty-hard]", exported, count=1, flags=re.M)
    importing.import_file(quiz=question.quiz, raw=raw.encode(), name="changed.gift")
    assert set(Question.objects.filter(quiz=question.quiz).values_list("difficulty", flat=True)) == {"hard"}
    assert Question.objects.get(pk=copy.pk).difficulty == "hard"


def export_gift(quiz):
    client = APIClient()
    client.force_authenticate(StaffFactory())
    return client.get(f"/api/v1/quizzes/{quiz.slug}/export/", {"format": "gift"}).content.decode()


def test_an_attempt_closing_on_an_earlier_version_is_remembered_under_the_current_one(editor_client):
    quiz = QuizFactory(answer_visibility="after_submission")
    question = QuestionFactory(quiz=quiz, choices__correct=1, choices__wrong=1)
    owner, user = owner_and_user()
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    submit(quiz, owner_and_user()[0], {})  # another learner's closed attempt showed it
    current = services.new_version(question).question

    services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=[])

    assert attempt.question_order == [question.pk]
    assert MemoryState.objects.get(user=user).question_id == current.pk


def test_an_earlier_versions_page_is_read_only_with_its_choices_and_cannot_be_deleted(editor_client, shown_question):
    question, _attempt, _user = shown_question
    assert edit_in_admin(editor_client, question, text="Second wording?").status_code == 302
    page = editor_client.get(admin_url("question", "change", question.pk))
    assert page.status_code == 200
    assert all(not inline.formset.forms or not inline.has_change_permission for inline in page.context["inline_admin_formsets"])
    assert 'name="choices-0-text"' not in page.content.decode()
    assert editor_client.post(admin_url("question", "delete", question.pk), {"post": "yes"}).status_code == 403
    assert Question.objects.filter(pk=question.pk).exists()
