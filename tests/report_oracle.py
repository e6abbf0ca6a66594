"""The straightforward report figures, computed from every answer and selection of the covered attempts:
what the reports computed before tallies were kept. Only the tests use it, as the oracle the tallied
figures must equal (tests/test_report_tallies.py)."""

from fractions import Fraction

from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast

from quizzes import measures, scoring
from quizzes.models import Answer, Choice, Question, Selection
from quizzes.reports.selectors import Overview, _figures_of, covered_attempts, covered_conditions


def _as_float(expression):
    return Cast(expression, output_field=FloatField())


def overview(*, quiz, attempt_filter):
    attempts = covered_attempts(quiz=quiz, attempt_filter=attempt_filter)
    summary = attempts.aggregate(
        attempt_count=Count("id"),
        learner_count=Count("user", distinct=True),
        guest_count=Count("guest_key", distinct=True, filter=Q(user__isnull=True)),
        passed_count=Count("id", filter=Q(passed=True)),
    )
    percent_counts = list(attempts.order_by("percent").values_list("percent").annotate(count=Count("id")))
    count = summary["attempt_count"]
    total = sum((Fraction(percent) * number for percent, number in percent_counts), Fraction(0))
    median = measures.median_of_counts(percent_counts)
    return Overview(
        attempt_count=count,
        learner_count=summary["learner_count"],
        guest_count=summary["guest_count"],
        mean_percent=scoring.to_cents(total / count) if count else None,
        median_percent=scoring.to_cents(median) if median is not None else None,
        passed_count=summary["passed_count"],
        pass_rate=measures.share(summary["passed_count"], count),
        histogram=measures.histogram(percent_counts),
    )


def question_figures(*, quiz, attempt_filter):
    answers = Answer.objects.filter(covered_conditions(quiz=quiz, attempt_filter=attempt_filter, prefix="attempt__"))
    score = _as_float("score")
    rest = _as_float(F("attempt__score") - F("score"))
    points = F("question__points")
    sums = {
        row["question_id"]: row
        for row in answers.order_by()
        .values("question_id")
        .annotate(
            n=Count("id"),
            sum_x=Sum(score),
            sum_y=Sum(rest),
            sum_xy=Sum(score * rest),
            sum_xx=Sum(score * score),
            sum_yy=Sum(rest * rest),
            right=Count("id", filter=Q(score__gte=points)),
            partial=Count("id", filter=Q(score__gt=0, score__lt=points)),
            unanswered=Count("id", filter=Q(choice_ids=[])),
        )
    }
    selections = Selection.objects.filter(
        covered_conditions(quiz=quiz, attempt_filter=attempt_filter, prefix="answer__attempt__")
    )
    picks = dict(selections.order_by().values("choice_id").annotate(count=Count("id")).values_list("choice_id", "count"))
    choices_of = {}
    for choice in Choice.objects.filter(question__quiz=quiz).order_by("position", "id").values(
        "id", "question_id", "position", "text", "is_correct"
    ):
        choices_of.setdefault(choice["question_id"], []).append(choice)
    questions = Question.objects.filter(quiz=quiz).order_by("position", "id").values(
        "id", "position", "text", "kind", "points", "version", "is_current"
    )
    return tuple(
        _figures_of(question, sums.get(question["id"]), choices_of.get(question["id"], []), picks)
        for question in questions
    )
