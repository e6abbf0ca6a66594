"""Spaced review: what a learner remembers of each question, scheduled by FSRS (quizzes/memory.py)."""

from django.conf import settings
from django.db import models
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils.translation import gettext_lazy as _

from .content import Quiz
from .questions import Question


# MemoryState.key_of in SQL, over a question's fields: its translation key, or "#<id>" of its first version.
QUESTION_MEMORY_KEY = Coalesce(
    NullIf(F("translation_key"), Value("")),
    Concat(Value("#"), Cast(Coalesce("first_version_id", "id"), CharField())),
)


# services/review.py tells a parallel first feed of one state by this name in the database's error.
MEMORY_STATE_ONE_PER_OWNER_AND_KEY = "memory_state_one_per_owner_and_key"


class MemoryState(models.Model):
    """One learner's memory of one question, shared by its German and English versions.

    Keyed by the question's translation key (`key`), so a learner who switches language keeps what
    they learned; a question without one is keyed by its first version's id (`#<id>`, which no slug
    can spell), so its later versions share the state. `question` is the question last answered (moved
    to the current version when an edit makes a new one), shown when none exists in the learner's language.
    `user` is set for an account's states too, so they go with the account. The FSRS fields are fsrs.Card's; `practised_at` is when it was last answered in review (not in a quiz).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memory_states",
        verbose_name=_("user"),
    )
    # Owner.key: "user:<id>" or "guest:<guest key>", one column, so a write is one upsert on (owner, key).
    owner = models.CharField(_("owner"), max_length=80)
    key = models.CharField(_("review key"), max_length=90)
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="memory_states", verbose_name=_("question")
    )
    # The quiz of `question`, kept beside it: the queue leaves out quizzes that never show answers or
    # are being taken, and so counts an owner's states from the index alone, without joining questions.
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="memory_states", verbose_name=_("quiz"))
    state = models.PositiveSmallIntegerField(_("FSRS state"))
    step = models.PositiveSmallIntegerField(_("FSRS step"), null=True, blank=True)
    stability = models.FloatField(_("stability"), null=True, blank=True)
    difficulty = models.FloatField(_("difficulty"), null=True, blank=True)
    due = models.DateTimeField(_("due"))
    last_review = models.DateTimeField(_("last answered"), null=True, blank=True)
    practised_at = models.DateTimeField(_("last answered in review"), null=True, blank=True)

    class Meta:
        verbose_name = _("memory state")
        verbose_name_plural = _("memory states")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name=MEMORY_STATE_ONE_PER_OWNER_AND_KEY),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(owner__startswith="user:"))
                | (Q(user__isnull=True) & Q(owner__startswith="guest:")),
                name="memory_state_owner_is_user_or_guest",
            ),
        ]
        indexes = [
            # The review queue: an owner's states in the order they fall due, with what leaves one out
            # (its quiz, its key), so counting them reads the index alone.
            models.Index(fields=["owner", "due", "quiz", "key"], name="memory_state_due_key_idx"),
        ]

    def __str__(self):
        return f"{self.key} ({self.due:%Y-%m-%d %H:%M})"

    @staticmethod
    def key_of(*, lineage_id, translation_key):
        """The key a question's memory state is stored under: its translation key, or `#<id>` of its first
        version (Question.lineage_id) without one."""
        return translation_key or f"#{lineage_id}"
