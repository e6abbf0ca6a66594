"""Learners' attempts: an attempt, its answers and selected choices, and the record of regrades."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .content import Quiz
from .questions import Choice, Question


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Expired")


# Closed: scored, and never open again (submitted by the learner, or closed at its deadline).
CLOSED_STATES = (AttemptState.SUBMITTED, AttemptState.EXPIRED)


class Attempt(models.Model):
    """One learner's go at a quiz. Belongs to a user, or to a guest's browser session."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attempts",
        verbose_name=_("user"),
    )
    guest_key = models.CharField(_("guest key"), max_length=64, blank=True, db_index=True)
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=16, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # What this attempt showed, fixed at start so a reload shows the same quiz and later edits to the
    # quiz cannot change it: question_order lists question ids; choice_order maps str(question id) to
    # its choice ids in display order; question_kinds maps str(question id) to its kind.
    question_order = models.JSONField(_("question order"), default=list)
    choice_order = models.JSONField(_("choice order"), default=dict)
    question_kinds = models.JSONField(_("question kinds"), default=dict)
    # The question ids the learner flagged "to review", in the attempt's question order. A reminder
    # for the learner, not an answer: scoring never reads it.
    flagged_questions = models.JSONField(_("flagged questions"), default=list, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_key=""))
                | (Q(user__isnull=True) & ~Q(guest_key="")),
                name="attempt_belongs_to_user_or_guest",
            ),
            models.UniqueConstraint(
                fields=["quiz", "user", "number"],
                condition=Q(user__isnull=False),
                name="attempt_number_unique_per_user",
            ),
            models.UniqueConstraint(
                fields=["quiz", "guest_key", "number"],
                condition=Q(user__isnull=True),
                name="attempt_number_unique_per_guest",
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="in_progress", user__isnull=False),
                name="attempt_one_in_progress_per_user",
            ),
            models.UniqueConstraint(
                fields=["quiz", "guest_key"],
                condition=Q(state="in_progress", user__isnull=True),
                name="attempt_one_in_progress_per_guest",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=0), name="attempt_max_score_not_negative"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=models.F("max_score"))),
                name="attempt_score_within_bounds",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | (Q(percent__gte=0) & Q(percent__lte=100)),
                name="attempt_percent_within_bounds",
            ),
            models.CheckConstraint(
                condition=Q(state="in_progress")
                | (Q(score__isnull=False) & Q(percent__isnull=False) & Q(submitted_at__isnull=False)),
                name="attempt_closed_is_scored",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-started_at"], name="attempt_history_idx"),
            models.Index(fields=["quiz", "state"], name="attempt_quiz_state_idx"),
            models.Index(fields=["state", "deadline"], name="attempt_deadline_idx"),
            # Every submit's result ranks the attempt among the quiz's closed ones (the percentile):
            # with these columns the count never reads the attempt rows, which carry the question
            # and choice order (6.5 -> 0.6 ms for a quiz with 6500 attempts on SQLite).
            models.Index(fields=["quiz", "state", "percent", "user", "id"], name="attempt_percentile_idx"),
            # A report of all attempts counts distinct learners and guests among a quiz's closed ones
            # within dates: from this index alone, without reading the wide attempt rows.
            models.Index(fields=["quiz", "state", "submitted_at", "user", "guest_key"], name="attempt_report_learners_idx"),
        ]

    def __str__(self):
        return f"{self.quiz} #{self.number}"

    @property
    def is_open(self):
        return self.state == AttemptState.IN_PROGRESS


class Answer(models.Model):
    """The choices a learner selected for one question of one attempt.

    `choice_ids` is the live selection, rewritten by every autosave in one statement. When the attempt
    closes, the final selection is also written as Selection rows, which statistics aggregate over and
    which protect the chosen choices from deletion.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt"))
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    choice_ids = models.JSONField(_("selected choice ids"), default=list)
    selected_choices = models.ManyToManyField(
        Choice, through="Selection", related_name="answers", verbose_name=_("submitted choices"), blank=True
    )
    score = models.DecimalField(_("awarded score"), max_digits=6, decimal_places=2, null=True, blank=True)
    saved_at = models.DateTimeField(_("last saved"))
    # Checks (immediate and interactive behaviours): the choice ids each try selected, oldest first, so
    # grading and a regrade recompute the question's score from them; a locked answer's last try is
    # what counts, and neither autosave nor submit changes it.
    tries = models.JSONField(_("tries"), default=list, blank=True)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    is_locked = models.BooleanField(_("locked by a check"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_one_per_attempt_and_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0), name="answer_score_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(checked_at__isnull=False) | (Q(is_locked=False) & Q(tries=[])),
                name="answer_tries_are_checked",
            ),
        ]

    def __str__(self):
        return f"{self.attempt} / {self.question_id}"


# scoring.earns_full_points in SQL, for reads of many answers: right is the question's full points
# (a partly right answer is not right; an answer without a score is not either).
EARNS_FULL_POINTS = Q(score__gte=models.F("question__points"))


class Selection(models.Model):
    """One choice of a submitted answer. Protects the choice from deletion while answers use it."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="selections")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="selections")

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="selection_unique_per_answer"),
        ]


class ScoreChange(models.Model):
    """An audit record of a regrade: who changed which attempt's score, from what to what."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="score_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="score_changes"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    old_score = models.DecimalField(_("old score"), max_digits=8, decimal_places=2)
    new_score = models.DecimalField(_("new score"), max_digits=8, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        ordering = ["-changed_at"]
