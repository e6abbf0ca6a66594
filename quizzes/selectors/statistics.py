"""Statistics for editors, aggregated in the database, never by loading every attempt into Python."""

from decimal import Decimal

from django.db.models import Count, F, FloatField, Max, Min, Sum
from django.db.models.functions import Cast

from .. import measures, scoring
from ..models import (
    CLOSED_STATES,
    Answer,
    Attempt,
    Question,
    Selection,
)


def _as_float(expression):
    return Cast(expression, output_field=FloatField())


def quiz_statistics(*, quiz):
    """Item analysis of a quiz's closed attempts, aggregated in the database. Five queries.

    Facility, discrimination, the median and the histogram are the teacher reports' own measures.

    Returns a dict: attempt_count, mean, median, stdev (population), high, low, histogram (10 bins
    of percent, the last one including 100) and `questions`, each with facility (mean share of
    points), discrimination (Pearson correlation of the question's score with the rest of the
    attempt's score) and how often each choice was picked.
    """
    closed = Attempt.objects.filter(quiz=quiz, state__in=CLOSED_STATES)
    percent = _as_float("percent")
    # SQLite has no StdDev aggregate: the variance comes from the sums of x and x².
    summary = closed.aggregate(
        n=Count("id"), total=Sum(percent), squares=Sum(percent * percent), high=Max("percent"), low=Min("percent")
    )
    # Percents have two decimals, so at most 10 001 groups: the median and the bins come from these,
    # computed as the teacher reports compute them (quizzes/measures.py).
    percent_counts = list(closed.order_by("percent").values_list("percent").annotate(count=Count("id")))
    count = summary["n"]
    statistics = {
        "attempt_count": count,
        "mean": None,
        "median": None,
        "stdev": None,
        "high": summary["high"],
        "low": summary["low"],
        "histogram": [
            {"low": bin_.low, "high": bin_.high, "count": bin_.count} for bin_ in measures.histogram(percent_counts)
        ],
    }
    if count:
        mean = summary["total"] / count
        statistics["mean"] = _rounded(mean)
        statistics["stdev"] = _rounded(max(0.0, summary["squares"] / count - mean * mean) ** 0.5)
        statistics["median"] = scoring.to_cents(measures.median_of_counts(percent_counts))

    statistics["questions"] = _question_statistics(quiz=quiz, closed=closed)
    return statistics


def _rounded(value):
    return None if value is None else scoring.to_cents(Decimal(str(value)))


def _question_statistics(*, quiz, closed):
    answers = Answer.objects.filter(attempt__in=closed)
    x = _as_float("score")
    y = _as_float(F("attempt__score") - F("score"))
    sums = {
        row["question_id"]: row
        for row in answers.values("question_id")
        .annotate(n=Count("id"), sx=Sum(x), sy=Sum(y), sxy=Sum(x * y), sxx=Sum(x * x), syy=Sum(y * y))
        .order_by()
    }
    picks = dict(
        Selection.objects.filter(answer__attempt__in=closed)
        .values("choice_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("choice_id", "n")
    )
    rows = (
        Question.objects.filter(quiz=quiz)
        .order_by("position", "id", "choices__position", "choices__id")
        .values_list("id", "text", "kind", "points", "choices__id", "choices__text", "choices__is_correct")
    )
    questions = {}
    for question_id, text, kind, points, choice_id, choice_text, is_correct in rows:
        if question_id not in questions:
            row = sums.get(question_id)
            questions[question_id] = {
                "id": question_id,
                "text": text,
                "kind": kind,
                "points": points,
                "answer_count": row["n"] if row else 0,
                "facility": _rounded(measures.facility(total_score=row["sx"], count=row["n"], points=points))
                if row
                else None,
                "discrimination": _rounded(measures.discrimination(_sums(row))) if row else None,
                "choices": [],
            }
        if choice_id is not None:
            questions[question_id]["choices"].append(
                {"id": choice_id, "text": choice_text, "is_correct": is_correct, "picked": picks.get(choice_id, 0)}
            )
    return list(questions.values())


def _sums(row):
    return measures.Sums(
        n=row["n"], sum_x=row["sx"], sum_y=row["sy"], sum_xy=row["sxy"], sum_xx=row["sxx"], sum_yy=row["syy"]
    )
