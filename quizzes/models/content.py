"""Content: sources, topics and quizzes; the questions are in questions.py.

Content models have natural keys (slugs and per-parent keys), so fixtures load idempotently and a
corrected fixture updates rows in place.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from ..languages import interface_language


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


# Sent after a write that bypasses post_save and post_delete (QuerySet.update, bulk_create, bulk_update)
# on public content, so the cache (quizzes/caching/invalidation.py receives it) learns of every change
# without each caller saying so.
content_written_in_bulk = Signal()


class ContentQuerySet(models.QuerySet):
    """A queryset of public content whose bulk writes announce themselves (content_written_in_bulk)."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            content_written_in_bulk.send(sender=self.model)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_written_in_bulk.send(sender=self.model)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            content_written_in_bulk.send(sender=self.model)
        return rows


class SlugManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Source(models.Model):
    """A news article that questions are grounded in.

    Its full text is for editors alone: quotes are checked against it (quotes.py), and it never
    reaches a learner, the API, a cached entry or an export; learners see only the quotes.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher or agency"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("URL"), blank=True)
    text = models.TextField(
        _("full text"),
        blank=True,
        help_text=_(
            "The article's whole text, pasted as published: every quote of it is checked against it. Only editors "
            "see it. Without it, quotes of this source are flagged “unverified”."
        ),
    )

    objects = SlugManager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


class Topic(models.Model):
    """A subject area shared by both languages, used to group questions and to show mastery."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_(
            "The short name in links and filters: filled from the English name as you type; letters, digits "
            "and hyphens."
        ),
    )
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    objects = SlugManager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def name(self):
        """The name in the active interface language."""
        return self.name_in_active_language(name_de=self.name_de, name_en=self.name_en)

    @staticmethod
    def name_in_active_language(*, name_de, name_en):
        """Of a topic's two names, the one in the active interface language (for reads of both names)."""
        return name_en if interface_language() == "en" else name_de


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class AnswerVisibility(models.TextChoices):
    AFTER_SUBMISSION = "after_submission", _("Right after submission")
    AFTER_LAST_ATTEMPT = "after_last_attempt", _("After the last allowed attempt")
    NEVER = "never", _("Never")


class QuestionBehaviour(models.TextChoices):
    """How a quiz's questions give feedback, as Moodle's question behaviours (see quizzes/behaviours.py)."""

    DEFERRED = "deferred", _("Deferred feedback")
    IMMEDIATE = "immediate", _("Immediate feedback")
    INTERACTIVE = "interactive", _("Interactive with multiple tries")


DEFAULT_PENALTY = Decimal("0.33")


class Quiz(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    translation_key = models.SlugField(
        _("translation key"),
        max_length=80,
        help_text=_("The same key on the German and the English version of one quiz."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), help_text=_("What a learner will know afterwards."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    topics = models.ManyToManyField(Topic, related_name="quizzes", blank=True, verbose_name=_("topics"))
    is_published = models.BooleanField(_("published"), default=False)

    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("A random subset of the questions; blank for all."),
    )
    time_limit_seconds = models.PositiveIntegerField(
        _("time limit (seconds)"), null=True, blank=True, validators=[MinValueValidator(10)],
        help_text=_("Blank for no limit."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Blank for unlimited."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (percent)"), default=50, validators=[MaxValueValidator(100)]
    )
    grading_method = models.CharField(
        _("grading method"), max_length=16, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    answer_visibility = models.CharField(
        _("show correct answers"),
        max_length=24,
        choices=AnswerVisibility.choices,
        default=AnswerVisibility.AFTER_SUBMISSION,
    )
    behaviour = models.CharField(
        _("question behaviour"),
        max_length=16,
        choices=QuestionBehaviour.choices,
        default=QuestionBehaviour.DEFERRED,
        help_text=_(
            "Deferred: feedback after submitting. Immediate: each question has a Check button and shows its "
            "feedback once checked. Interactive: a wrong check shows a hint and allows another try."
        ),
    )
    max_tries = models.PositiveSmallIntegerField(
        _("tries per question"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Interactive behaviour only: how many checks a question allows."),
    )
    penalty = models.DecimalField(
        _("penalty per wrong try"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_PENALTY,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "Interactive behaviour only: the share of a question's points each wrong try costs, from 0 to 1 "
            "(0.33 is a third)."
        ),
    )
    one_question_per_page = models.BooleanField(
        _("one question per page"),
        default=False,
        help_text=_("Learners see one question at a time, with next and previous and the question navigator."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SlugManager()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["language", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="quiz_one_translation_per_language"
            ),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_at_most_100"),
            models.CheckConstraint(
                condition=Q(questions_per_attempt__isnull=True) | Q(questions_per_attempt__gte=1),
                name="quiz_questions_per_attempt_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1),
                name="quiz_max_attempts_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_tries__gte=1),
                name="quiz_max_tries_positive",
                violation_error_message=_("A question needs at least one try."),
            ),
            models.CheckConstraint(
                condition=Q(penalty__gte=0) & Q(penalty__lte=1),
                name="quiz_penalty_between_0_and_1",
                violation_error_message=_("The penalty is a share of the points, from 0 to 1."),
            ),
            # A check shows the question's answer at once, which a quiz that never shows answers forbids.
            models.CheckConstraint(
                condition=Q(behaviour="deferred") | ~Q(answer_visibility="never"),
                name="quiz_checks_need_visible_answers",
                violation_error_message=_(
                    "Immediate and interactive feedback show each checked question's answer, so they cannot be "
                    "combined with “Never” showing correct answers."
                ),
            ),
        ]
        indexes = [models.Index(fields=["is_published", "language"], name="quiz_catalogue_idx")]
        # Statistics and teacher reports show how a class did; editors and teachers hold this.
        permissions = [("view_quiz_reports", _("Can view quiz statistics and reports"))]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)
