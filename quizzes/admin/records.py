"""Attempts and score changes: read-only records. Scores change only through the regrade action,
which records who changed what."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Answer, Attempt, ScoreChange, Selection


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = Answer
    fields = ["question", "selected", "score", "saved_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("question")
            .prefetch_related(Prefetch("selections", queryset=Selection.objects.select_related("choice")))
        )

    @admin.display(description=_("selected choices"))
    def selected(self, answer):
        return ", ".join(selection.choice.text for selection in answer.selections.all()) or "–"


class ScoreChangeColumns:
    """Columns for the two ScoreChange fields that have no translated name of their own."""

    @admin.display(description=_("attempt"), ordering="attempt__started_at")
    def attempt_of(self, score_change):
        return score_change.attempt

    @admin.display(description=_("changed by"), ordering="changed_by__username")
    def editor(self, score_change):
        return score_change.changed_by.get_username() if score_change.changed_by_id else "–"


class ScoreChangeInline(ReadOnlyMixin, ScoreChangeColumns, admin.TabularInline):
    model = ScoreChange
    fields = ["changed_at", "editor", "old_score", "new_score", "reason"]
    readonly_fields = fields


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyMixin, admin.ModelAdmin):
    inlines = [AnswerInline, ScoreChangeInline]
    list_display = ["quiz", "learner", "number", "state", "score", "max_score", "percent", "passed", "started_at"]
    list_filter = ["state", "quiz", "passed"]
    list_select_related = ["quiz", "user"]
    search_fields = ["user__username", "quiz__title"]
    date_hierarchy = "started_at"
    exclude = ["guest_key", "question_order", "choice_order"]

    @admin.display(description=_("learner"), ordering="user__username")
    def learner(self, attempt):
        return attempt.user.get_username() if attempt.user_id else gettext("guest")


@admin.register(ScoreChange)
class ScoreChangeAdmin(ReadOnlyMixin, ScoreChangeColumns, admin.ModelAdmin):
    list_display = ["changed_at", "quiz", "attempt_of", "editor", "old_score", "new_score", "reason"]
    fields = ["changed_at", "attempt_of", "editor", "old_score", "new_score", "reason"]
    readonly_fields = fields
    list_filter = ["attempt__quiz", "changed_by"]
    list_select_related = ["attempt__quiz", "attempt__user", "changed_by"]
    search_fields = ["reason", "attempt__quiz__title", "changed_by__username"]

    @admin.display(description=_("quiz"), ordering="attempt__quiz__title")
    def quiz(self, score_change):
        return score_change.attempt.quiz
