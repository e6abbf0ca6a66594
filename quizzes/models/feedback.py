"""Overall feedback: a quiz's bands of percents, each with the text a result in it shows (Moodle's
"overall feedback")."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .content import ContentQuerySet, Quiz


class FeedbackBandManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, quiz_slug, from_percent):
        return self.get(quiz__slug=quiz_slug, from_percent=from_percent)


class FeedbackBand(models.Model):
    """The text a result shows for percents from `from_percent` up to the next band's bound.

    The lowest band of a quiz starts at 0 and the top one includes 100 (rules.overall_feedback picks,
    authoring.feedback_band_problems validates).
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="feedback_bands", verbose_name=_("quiz"))
    from_percent = models.DecimalField(
        _("from percent"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("The band covers results from this percent up to the next band's; the lowest band starts at 0."),
    )
    text = models.TextField(_("feedback"), help_text=_("What a learner whose result falls in this band reads."))

    objects = FeedbackBandManager()

    class Meta:
        verbose_name = _("overall feedback band")
        verbose_name_plural = _("overall feedback by grade band")
        ordering = ["quiz", "from_percent"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "from_percent"], name="feedback_band_bound_unique_per_quiz"),
            models.CheckConstraint(
                condition=Q(from_percent__gte=0) & Q(from_percent__lte=100), name="feedback_band_bound_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.from_percent} %"

    def natural_key(self):
        return self.quiz.natural_key() + (str(self.from_percent),)

    natural_key.dependencies = ["quizzes.quiz"]
