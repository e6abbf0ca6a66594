"""The generate_demo_data command: a consistent, scored, repeatable data set for load tests."""

from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes import scoring, services
from quizzes.models import Answer, Attempt, AttemptState, Question, QuestionKind, Quiz, ReportTally, Selection
from quizzes.reports import tallies
from tests.factories import QuizFactory


def generate(*arguments):
    stdout, stderr = StringIO(), StringIO()
    call_command("generate_demo_data", *arguments, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


SMALL = ["--quizzes", "4", "--questions", "6", "--users", "5", "--attempts", "40", "--seed", "7"]


@pytest.mark.django_db
def test_creates_the_requested_numbers_of_quizzes_questions_choices_and_attempts():
    stdout, _stderr = generate(*SMALL, "--choices", "5")

    assert Quiz.objects.filter(slug__startswith="demo-").count() == 4
    assert Question.objects.filter(quiz__slug__startswith="demo-").count() == 4 * 6
    for question in Question.objects.prefetch_related("choices"):
        expected = 2 if question.kind == QuestionKind.TRUE_FALSE else 5
        assert len(question.choices.all()) == expected
        assert question.citations.count() == 1
    assert Attempt.objects.count() == 40
    assert "40 attempts" in stdout


@pytest.mark.django_db
def test_mixes_question_kinds_and_gives_multiple_choice_several_right_answers():
    generate("--quizzes", "10", "--questions", "10", "--attempts", "0", "--seed", "3")

    kinds = set(Question.objects.values_list("kind", flat=True))
    assert kinds == {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE}
    for question in Question.objects.filter(kind=QuestionKind.MULTIPLE):
        assert question.choices.filter(is_correct=True).count() == 2
    for question in Question.objects.exclude(kind=QuestionKind.MULTIPLE):
        assert question.choices.filter(is_correct=True).count() == 1


@pytest.mark.django_db
def test_attempt_scores_agree_with_the_scoring_rules_for_every_answer():
    generate(*SMALL)

    keys = {}
    for question in Question.objects.prefetch_related("choices"):
        choices = list(question.choices.all())
        keys[question.pk] = scoring.QuestionKey(
            kind=question.kind,
            points=question.points,
            choice_ids=frozenset(choice.pk for choice in choices),
            correct_ids=frozenset(choice.pk for choice in choices if choice.is_correct),
        )
    selected = defaultdict(set)
    for answer_id, choice_id in Selection.objects.values_list("answer_id", "choice_id"):
        selected[answer_id].add(choice_id)

    for attempt in Attempt.objects.prefetch_related("answers").select_related("quiz"):
        assert attempt.state in (AttemptState.SUBMITTED, AttemptState.EXPIRED)
        total = Decimal("0")
        for answer in attempt.answers.all():
            assert answer.score == scoring.question_score(keys[answer.question_id], selected[answer.pk])
            assert set(answer.choice_ids) == selected[answer.pk]
            total += answer.score
        assert attempt.score == total
        assert attempt.max_score == sum(keys[question_id].points for question_id in attempt.question_order)
        assert attempt.percent == scoring.percent_of(attempt.score, attempt.max_score)
        assert attempt.passed == scoring.has_passed(attempt.percent, attempt.quiz.pass_mark)
        assert sorted(attempt.question_order) == sorted(
            Question.objects.filter(quiz=attempt.quiz).values_list("pk", flat=True)
        )


@pytest.mark.django_db
def test_attempts_are_numbered_per_learner_and_respect_the_attempt_limit():
    generate(*SMALL, "--attempts", "120")

    seen = defaultdict(list)
    for attempt in Attempt.objects.filter(user__isnull=False).select_related("quiz"):
        seen[(attempt.quiz_id, attempt.user_id)].append(attempt.number)
        if attempt.quiz.max_attempts is not None:
            assert attempt.number <= attempt.quiz.max_attempts
    for numbers in seen.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert Attempt.objects.filter(user__isnull=True).exclude(guest_key="").exists()


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_content():
    generate(*SMALL, "--prefix", "one")
    generate(*SMALL, "--prefix", "two")

    def content(prefix):
        return [
            (question.kind, question.points, [choice.is_correct for choice in question.choices.all()])
            for question in Question.objects.filter(quiz__slug__startswith=f"{prefix}-")
            .order_by("quiz__slug", "position")
            .prefetch_related("choices")
        ]

    assert content("one") == content("two")
    assert Answer.objects.filter(attempt__quiz__slug__startswith="one-").count() == (
        Answer.objects.filter(attempt__quiz__slug__startswith="two-").count()
    )


@pytest.mark.django_db
def test_prefix_keeps_generated_quizzes_apart_from_existing_ones_and_a_rerun_is_refused():
    existing = QuizFactory(slug="parler-quiz")
    generate(*SMALL)

    with pytest.raises(CommandError, match="prefix 'demo' exists already"):
        generate(*SMALL)
    assert Quiz.objects.filter(slug__startswith="demo-").count() == 4
    assert Quiz.objects.filter(pk=existing.pk).exists()


@pytest.mark.django_db
def test_ids_given_out_by_the_database_afterwards_do_not_collide():
    generate(*SMALL)

    quiz = QuizFactory()
    question = Question.objects.create(
        quiz=quiz, key="after", text="?", explanation=".", topic=Question.objects.first().topic
    )
    assert question.pk > Question.objects.exclude(pk=question.pk).order_by("-pk").first().pk


@pytest.mark.django_db
def test_generated_choices_get_random_ids_as_authored_ones_do():
    # Choice ids reach every client, so, as in production, they must not follow the authored order.
    generate(*SMALL)

    ids_in_authored_order = [
        list(question.choices.order_by("position").values_list("id", flat=True))
        for question in Question.objects.all()
    ]
    assert not all(ids == sorted(ids) for ids in ids_in_authored_order)
    assert all(0 < choice_id < 2**53 for ids in ids_in_authored_order for choice_id in ids)


@pytest.mark.django_db
def test_progress_goes_to_stderr_and_is_silent_at_verbosity_zero():
    _stdout, stderr = generate(*SMALL)
    assert "attempts" in stderr and "100%" in stderr

    _stdout, stderr = generate(*SMALL, "--prefix", "quiet", "--verbosity", "0")
    assert stderr == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--quizzes", "0"], "--quizzes must be at least 1"),
        (["--choices", "1"], "--choices must be at least 2"),
        (["--attempts", "-1"], "--attempts must be at least 0"),
        (["--prefix", "no spaces"], "--prefix must be"),
    ],
)
def test_bad_arguments_are_refused_with_a_message_and_nothing_is_written(arguments, message):
    with pytest.raises(CommandError, match=message):
        generate(*arguments)
    assert not Quiz.objects.exists()


@pytest.mark.django_db
def test_writes_the_report_tallies_that_grading_would_have_kept():
    generate(*SMALL)
    fields = (*tallies.KEY_FIELDS, *tallies.SUM_FIELDS)
    written = {row for row in ReportTally.objects.values_list(*fields) if any(row[len(tallies.KEY_FIELDS) :])}
    assert written
    call_command("rebuild_report_tallies", stdout=StringIO())
    assert {row for row in ReportTally.objects.values_list(*fields) if any(row[len(tallies.KEY_FIELDS) :])} == written


@pytest.mark.django_db
def test_regrading_generated_attempts_rewrites_nothing_since_they_were_written_as_closing_writes():
    # Production's writer over the generated rows: a demo row of its own making would show here.
    generate(*SMALL)

    def written():
        attempts = set(Attempt.objects.values_list("pk", "score", "max_score", "percent", "passed"))
        answers = {
            (attempt_id, question_id, tuple(choice_ids), score, saved_at)
            for attempt_id, question_id, choice_ids, score, saved_at in Answer.objects.values_list(
                "attempt_id", "question_id", "choice_ids", "score", "saved_at"
            )
        }
        return attempts, answers, set(Selection.objects.values_list("answer_id", "choice_id"))

    before = written()
    for quiz in Quiz.objects.all():
        assert services.regrade_quiz(quiz=quiz, changed_by=None, reason="check") == []

    assert written() == before
