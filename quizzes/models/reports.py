"""Report tallies: sums over a quiz's closed attempts, kept as attempts close, so a report reads a few
hundred rows instead of every answer (quizzes/reports/tallies.py writes them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import Quiz


class TallySubject(models.IntegerChoices):
    """What a tally row counts."""

    # One row per quiz over every day: all attempts ever counted. Every close updates it first, so a
    # rebuild that locks it holds back the closes of that quiz until it has written.
    QUIZ = 0, _("quiz")
    # Attempts by (day, first or not, guest or not, percent, passed): overview, median, histogram.
    GRADE = 1, _("grade")
    # Answers to a question by (day, first or not): score sums for facility and discrimination.
    QUESTION = 2, _("question")
    # Picks of a choice by (day, first or not).
    CHOICE = 3, _("choice")


class ReportTally(models.Model):
    """Counts and sums of one subject over a quiz's attempts closed on one day (in the site's time zone).

    Scores are kept in hundredths (x: the question's score, y: the rest of the attempt's score), so
    the sums are exact integers whatever the order attempts closed in. Question and choice ids are
    plain numbers, 0 where the subject has none: a unique key cannot hold NULL on every database.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+", verbose_name=_("quiz"))
    subject = models.PositiveSmallIntegerField(_("subject"), choices=TallySubject.choices)
    day = models.DateField(_("day closed"))
    is_first = models.BooleanField(_("first attempt"))
    question_id = models.BigIntegerField(_("question id"), default=0)
    choice_id = models.BigIntegerField(_("choice id"), default=0)
    is_guest = models.BooleanField(_("guest"), default=False)
    percent_hundredths = models.IntegerField(_("percent in hundredths"), default=0)
    passed = models.BooleanField(_("passed"), default=False)
    count = models.BigIntegerField(_("count"), default=0)
    score_sum = models.BigIntegerField(default=0)
    score_squares = models.BigIntegerField(default=0)
    rest_sum = models.BigIntegerField(default=0)
    rest_squares = models.BigIntegerField(default=0)
    score_rest_products = models.BigIntegerField(default=0)
    right_count = models.BigIntegerField(default=0)
    partial_count = models.BigIntegerField(default=0)
    unanswered_count = models.BigIntegerField(default=0)

    KEY_FIELDS = (
        "quiz_id", "subject", "day", "is_first", "question_id", "choice_id", "is_guest", "percent_hundredths", "passed",
    )
    SUM_FIELDS = (
        "count", "score_sum", "score_squares", "rest_sum", "rest_squares", "score_rest_products",
        "right_count", "partial_count", "unanswered_count",
    )

    class Meta:
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "quiz", "subject", "day", "is_first", "question_id", "choice_id", "is_guest",
                    "percent_hundredths", "passed",
                ],
                name="report_tally_unique_key",
            ),
        ]

    def __str__(self):
        return f"{self.quiz_id} {self.get_subject_display()} {self.day}"
