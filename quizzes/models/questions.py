"""Questions with their choices and citations, and the versions a question keeps once attempts showed it."""

import secrets
import uuid
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .content import ContentQuerySet, Quiz, Source, Topic


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice (several correct)")
    TRUE_FALSE = "true_false", _("True or false")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionQuerySet(ContentQuerySet):
    def current(self):
        """The questions as new attempts, the catalogue, exports and editors see them: each one's current version."""
        return self.filter(is_current=True)


class QuestionManager(models.Manager.from_queryset(QuestionQuerySet)):
    def get_by_natural_key(self, quiz_slug, key, version=None):
        # Fixtures and imports name a question by its key: they mean its current version. A backup
        # (dumpdata --natural-foreign) names an earlier version by its number too (Question.natural_key).
        if version is None:
            return self.get(quiz__slug=quiz_slug, key=key, is_current=True)
        return self.get(quiz__slug=quiz_slug, key=key, version=version)


# What a version holds: editing any of these (or the choices and citations) after an attempt showed the
# question makes a new version (services/versions.py). The other fields say how the question counts in
# its quiz (points, position, topic, difficulty, translation key) and are shared by all its versions.
VERSIONED_FIELDS = ("kind", "text", "explanation")
SHARED_FIELDS = ("key", "translation_key", "position", "points", "topic", "difficulty")


class Question(models.Model):
    """A question, as one of its versions.

    Once an attempt has shown a question, its text, choices and citations are what that attempt showed and
    is graded against: an edit makes a new version (a new row with new choices) and the old one stays,
    no longer current, for the attempts that showed it. Every version of a question shares its key.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz"))
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stable identifier within the quiz, used by fixtures.")
    )
    # Links a question to its translation (for spaced review and export to follow); admin-authored
    # questions without a pair may leave it blank.
    translation_key = models.SlugField(
        _("translation key"),
        max_length=80,
        blank=True,
        db_index=True,
        help_text=_("The same key on the German and the English version of one question."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), help_text=_("Why the right answer is right."))
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("topic"))
    difficulty = models.CharField(
        _("difficulty"), max_length=8, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )

    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    # The first version, blank on the first itself: the lineage that later versions share, so what a
    # learner remembers of a question (MemoryState) outlives its versions.
    first_version = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="later_versions",
        verbose_name=_("first version"),
    )
    is_current = models.BooleanField(_("current version"), default=True, editable=False)

    objects = QuestionManager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "key"], condition=Q(is_current=True), name="question_key_unique_per_quiz"
            ),
            models.UniqueConstraint(fields=["quiz", "key", "version"], name="question_version_unique"),
            models.CheckConstraint(condition=Q(points__gt=0), name="question_points_positive"),
        ]

    def __str__(self):
        return self.text[:80]

    def natural_key(self):
        if self.is_current:
            return self.quiz.natural_key() + (self.key,)
        return self.quiz.natural_key() + (self.key, self.version)

    natural_key.dependencies = ["quizzes.quiz"]

    @property
    def lineage_id(self):
        """The id all versions of this question share: the first version's."""
        return self.lineage_of(pk=self.pk, first_version_id=self.first_version_id)

    @staticmethod
    def lineage_of(*, pk, first_version_id):
        """lineage_id of a question read as plain columns."""
        return first_version_id or pk

    def save(self, *args, **kwargs):
        if not self.key:
            # Editors in the admin need not invent keys; fixtures set them explicitly.
            self.key = uuid.uuid4().hex[:12]
        super().save(*args, **kwargs)


class ChildOfQuestionManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, quiz_slug, question_key, *version_and_position):
        # (quiz, key, position) for the current version's rows; (quiz, key, version, position) for an earlier one's.
        *version, position = version_and_position
        question = Question.objects.get_by_natural_key(quiz_slug, question_key, *version)
        return self.get(question=question, position=position)


# Choice ids reach every client (API ids, form values), so they are drawn at random rather than
# counted up: sequential ids would follow the authored order, in which the right choice often comes
# first. Below 2**53, so JavaScript clients read them exactly.
CHOICE_ID_LIMIT = 2**53


def random_choice_id():
    """A random primary key for a new choice: its id tells nothing about its position or correctness."""
    return secrets.randbelow(CHOICE_ID_LIMIT - 1) + 1


class Choice(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_choice_id, editable=False)
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Why this choice is right or wrong."))

    objects = ChildOfQuestionManager()

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="choice_position_unique_per_question"),
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return self.question.natural_key() + (self.position,)

    natural_key.dependencies = ["quizzes.question"]


class Citation(models.Model):
    """A verbatim quote from a source that backs a question's answer."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="citations", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source"))
    quote = models.TextField(_("quote"), help_text=_("Copied verbatim from the source."))
    translation = models.TextField(
        _("translation"),
        blank=True,
        help_text=_("The quote in the quiz's language when the source is in another; shown above the original."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("A correction or context."))

    objects = ChildOfQuestionManager()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="citation_position_unique_per_question"
            ),
        ]

    def __str__(self):
        return self.quote[:80]

    def natural_key(self):
        return self.question.natural_key() + (self.position,)

    natural_key.dependencies = ["quizzes.question", "quizzes.source"]
