"""Nothing lost: a dumpdata/loaddata round trip restores every account, attempt, answer and score.

The dump is the README's recipe: YAML, because Django's JSON encoder cuts timestamps to milliseconds;
natural keys for references to content types and permissions, which Django rebuilds itself and which
are left out, as are sessions and the admin log; and primary keys kept, because an attempt stores
the ids of the questions and choices it showed.
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from quizzes.models import Answer, Attempt, AttemptState, Choice, Question, Selection
from quizzes.services import AnswerInput, Owner, new_version, regrade_quiz, save_answer, start_attempt, submit_attempt
from tests.factories import PASSWORD, QuestionFactory, StaffFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db(transaction=True)

BACKUP_EXCLUDES = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def snapshot():
    """Everything a learner or an editor would miss if it came back different."""
    attempts = {
        str(attempt.pk): (
            attempt.user.username if attempt.user else attempt.guest_key,
            attempt.quiz.slug,
            attempt.number,
            attempt.state,
            attempt.score,
            attempt.max_score,
            attempt.percent,
            attempt.passed,
            attempt.submitted_at,
            tuple(attempt.question_order),
        )
        for attempt in Attempt.objects.select_related("user", "quiz")
    }
    answers = {
        (str(answer.attempt_id), answer.question.key): (
            answer.score,
            tuple(sorted(answer.selections.values_list("choice__position", flat=True))),
        )
        for answer in Answer.objects.select_related("question")
    }
    users = set(get_user_model().objects.values_list("username", "is_staff", "password"))
    return attempts, answers, users


def build_history():
    quiz = quiz_with_questions(3, max_attempts=3)
    QuestionFactory(quiz=quiz, position=4, kind="multiple", choices__correct=2, choices__wrong=2, points=Decimal("2"))
    learner, other = UserFactory(), UserFactory()
    for user, picks_right in ((learner, True), (other, False)):
        owner = Owner(user_id=user.pk)
        attempt, _ = start_attempt(quiz=quiz, owner=owner)
        answers = []
        for question_id in attempt.question_order:
            choices = Choice.objects.filter(question_id=question_id, is_correct=picks_right).order_by("position")
            picked = tuple(choices.values_list("id", flat=True))
            if choices.first().question.kind != "multiple":
                picked = picked[:1]
            answers.append(AnswerInput(question_id=question_id, choice_ids=picked))
        submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers)
    # An attempt still in progress with one saved answer, and a guest's attempt.
    in_progress, _ = start_attempt(quiz=quiz, owner=Owner(user_id=learner.pk))
    first = in_progress.question_order[0]
    save_answer(
        attempt_id=in_progress.pk, owner=Owner(user_id=learner.pk), question_id=first,
        choice_ids=[Choice.objects.get(question_id=first, is_correct=True).pk],
    )
    guest = Owner(guest_key="guest-browser-key")
    guest_attempt, _ = start_attempt(quiz=quiz, owner=guest)
    submit_attempt(attempt_id=guest_attempt.pk, owner=guest, now=timezone.now())
    StaffFactory(username="editor")
    return quiz


def dump():
    out = StringIO()
    call_command(
        "dumpdata", "--natural-foreign", "--format=yaml",
        *[f"--exclude={label}" for label in BACKUP_EXCLUDES], stdout=out,
    )
    return out.getvalue()


def restore(backup, tmp_path):
    path = tmp_path / "backup.yaml"
    path.write_text(backup, encoding="utf-8")
    call_command("flush", "--no-input", verbosity=0)
    assert not Attempt.objects.exists()
    call_command("loaddata", str(path), verbosity=0)


def test_dump_and_load_restores_every_attempt_answer_and_score(tmp_path):
    build_history()
    before = snapshot()
    assert len(before[0]) == 4 and len(before[1]) >= 9
    assert {row[4] for row in before[0].values()} >= {Decimal("5.00"), Decimal("0.00")}

    restore(dump(), tmp_path)

    assert snapshot() == before
    assert Selection.objects.exists()


def test_restored_scores_agree_with_the_restored_answers(tmp_path):
    quiz = build_history()
    restore(dump(), tmp_path)

    changes = regrade_quiz(quiz=quiz, changed_by=get_user_model().objects.get(username="editor"))

    assert changes == []


def test_restored_accounts_can_log_in_and_continue_their_attempt(tmp_path, client):
    build_history()
    restore(dump(), tmp_path)
    learner = get_user_model().objects.filter(is_staff=False).order_by("username").first()
    in_progress = Attempt.objects.get(user=learner, state=AttemptState.IN_PROGRESS)

    assert client.login(username=learner.username, password=PASSWORD)
    finished = submit_attempt(attempt_id=in_progress.pk, owner=Owner(user_id=learner.pk))
    assert finished.score == Decimal("1.00")


def test_a_backup_restores_each_version_of_a_question_with_the_attempts_that_showed_it(tmp_path):
    quiz = build_history()
    shown = quiz.questions.order_by("position").first()
    copy = new_version(shown).question
    Choice.objects.filter(question=copy, position=1).update(text="Reworded choice")
    before = snapshot()
    versions = set(Question.objects.values_list("quiz__slug", "key", "version", "is_current", "first_version__version"))
    choices = set(Choice.objects.values_list("question__key", "question__version", "position", "text"))

    restore(dump(), tmp_path)

    assert snapshot() == before
    assert set(Question.objects.values_list("quiz__slug", "key", "version", "is_current", "first_version__version")) == versions
    assert set(Choice.objects.values_list("question__key", "question__version", "position", "text")) == choices
