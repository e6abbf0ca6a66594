"""Quizzes: the quiz page with its questions inline, publishing rules at the checkbox, and the
publish, unpublish, duplicate and regrade actions."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import authoring, services
from ..models import Attempt, Question, Quiz, ScoreChange
from ..reports.access import can_view_reports
from . import interchange, reports
from ..selectors.authoring import (
    has_attempts_in_progress,
    question_draft,
    questions_for_rules,
    quiz_publishing_problems,
)
from .feedback import FeedbackBandInline
from .formsets import QuizQuestionFormSet
from .versions import save_question_rows


def preview_url(quiz):
    """The learner page of a quiz, where staff may preview it unpublished; None until the page exists."""
    try:
        return reverse("web:quiz", kwargs={"slug": quiz.slug})
    except NoReverseMatch:
        return None


class QuizForm(forms.ModelForm):
    # Editors think of a time limit in minutes; the quiz keeps seconds (the API and the deadlines).
    time_limit_minutes = forms.DecimalField(
        label=_("time limit (minutes)"),
        required=False,
        min_value=Decimal("0.5"),
        max_digits=6,
        decimal_places=1,
        help_text=_("Blank for no limit."),
    )

    class Meta:
        model = Quiz
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seconds = self.instance.time_limit_seconds
        if seconds:
            self.initial.setdefault("time_limit_minutes", (Decimal(seconds) / 60).quantize(Decimal("0.1")))

    def clean(self):
        cleaned_data = super().clean()
        # Only when the editor changed it: the minutes shown are rounded, and saving the quiz for
        # another reason must not round a 45-second limit to 48.
        if "time_limit_minutes" in self.changed_data:
            minutes = cleaned_data.get("time_limit_minutes")
            self.instance.time_limit_seconds = round(minutes * 60) if minutes else None
        if "behaviour" in self.changed_data and self.instance.pk and has_attempts_in_progress(self.instance):
            # An attempt answers under one behaviour from start to end: its checks (or their absence)
            # decide how its locked questions are kept and scored.
            self.add_error(
                "behaviour",
                gettext("The question behaviour cannot change while learners have attempts in progress on this quiz."),
            )
        if cleaned_data.get("is_published"):
            problems = (
                quiz_publishing_problems(self.instance)
                if self.instance.pk
                else authoring.publishing_problems(questions=[])
            )
            if problems:
                self.add_error("is_published", [gettext("This quiz cannot be published yet:")] + problems)
        return cleaned_data


class QuizQuestionInline(admin.TabularInline):
    """A compact list of the quiz's questions; choices and citations are edited on each question's page."""

    model = Question
    formset = QuizQuestionFormSet
    fields = ["position", "text", "kind", "topic", "points", "problems"]
    readonly_fields = ["problems"]
    ordering = ["position", "id"]
    extra = 0
    show_change_link = True
    formfield_overrides = {
        # A small textarea, not a one-line input: that would drop the line breaks of a question's text.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            # A plain menu, without the add/change buttons: the row stays compact, and the formset
            # can give every row the same choices (topics are managed on their own page).
            return self.formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return questions_for_rules(super().get_queryset(request).current().select_related("topic"))

    @admin.display(description=_("problems"))
    def problems(self, question):
        if question.pk is None:
            return ""
        problems = authoring.question_problems(question_draft(question))
        if not problems:
            return gettext("none")
        return format_html_join("", "<div>{}</div>", ((problem,) for problem in problems))


def attempts_of_quiz(quiz_ref="pk"):
    return Coalesce(
        Subquery(
            Attempt.objects.filter(quiz=OuterRef(quiz_ref))
            .order_by()
            .values("quiz")
            .annotate(count=Count("id"))
            .values("count")
        ),
        0,
    )


class RegradeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=ScoreChange._meta.get_field("reason").max_length,
        help_text=_("Recorded with every changed score, e.g. which question was corrected and how."),
        widget=forms.TextInput(attrs={"size": 80}),
    )


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizForm
    inlines = [QuizQuestionInline, FeedbackBandInline]
    list_display = [
        "title",
        "language",
        "is_published",
        "question_count",
        "attempt_count",
        "preview_link",
        "reports_link",
        "updated_at",
    ]
    list_filter = ["language", "topics", "is_published"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"], "translation_key": ["title"]}
    filter_horizontal = ["topics"]
    readonly_fields = ["add_question_link"]
    actions = ["publish", "unpublish", "duplicate", "regrade", "export_questions"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "translation_key",
                    "language",
                    "description",
                    "topics",
                    "is_published",
                    "add_question_link",
                ]
            },
        ),
        (
            _("Taking the quiz"),
            {
                "fields": [
                    "shuffle_questions",
                    "shuffle_choices",
                    "questions_per_attempt",
                    "time_limit_minutes",
                    "one_question_per_page",
                ]
            },
        ),
        (_("Grading"), {"fields": ["max_attempts", "pass_mark", "grading_method", "answer_visibility"]}),
        (_("Feedback while answering"), {"fields": ["behaviour", "max_tries", "penalty"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                question_count=Count("questions", filter=Q(questions__is_current=True), distinct=True),
                attempt_count=attempts_of_quiz(),
            )
        )

    def view_on_site(self, quiz):
        return preview_url(quiz)

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, quiz):
        return quiz.question_count

    @admin.display(description=_("attempts"), ordering="attempt_count")
    def attempt_count(self, quiz):
        return quiz.attempt_count

    @admin.display(description=_("preview"))
    def preview_link(self, quiz):
        url = preview_url(quiz)
        return format_html('<a href="{}">{}</a>', url, gettext("Preview as a learner")) if url else "–"

    def get_urls(self):
        # Before the ModelAdmin's own: its "<path:object_id>/" would otherwise take them.
        return reports.report_urls(self) + interchange.import_urls(self) + super().get_urls()

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if can_view_reports(request.user) else [name for name in shown if name != "reports_link"]

    @admin.display(description=_("reports"))
    def reports_link(self, quiz):
        url = reverse("admin:quizzes_quiz_report_overview", args=[quiz.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Reports"))

    @admin.display(description=_("new question"))
    def add_question_link(self, quiz):
        if quiz.pk is None:
            return gettext("Save the quiz first; then add questions with their choices and citations.")
        url = reverse("admin:quizzes_question_add") + f"?quiz={quiz.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Add a question with its choices and citations"))

    def save_formset(self, request, form, formset, change):
        if formset.model is Question:
            with transaction.atomic():
                save_question_rows(formset)
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inline questions are saved: the quiz shows under every topic they have.
        services.add_topics_of_questions(quiz=form.instance)

    def get_deleted_objects(self, objs, request):
        deletable, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for quiz in objs:
            attempt_count = quiz.attempts.count()
            if attempt_count:
                protected.append(
                    ngettext(
                        "“%(quiz)s” cannot be deleted: learners made %(count)d attempt at it, and results must "
                        "stay. Unpublish it instead.",
                        "“%(quiz)s” cannot be deleted: learners made %(count)d attempts at it, and results must "
                        "stay. Unpublish it instead.",
                        attempt_count,
                    )
                    % {"quiz": quiz.title, "count": attempt_count}
                )
                # Attempts are protected, not merely beyond the editor's permissions: say so.
                perms_needed.discard(Attempt._meta.verbose_name)
        return deletable, model_count, perms_needed, protected

    def log_published_change(self, request, quizzes):
        """Record an action's change in each quiz's admin history, like a save of the checkbox would."""
        with translation.override(None):
            # Stored untranslated, as Django stores field names, and translated when the history is read.
            field = str(Quiz._meta.get_field("is_published").verbose_name)
        for quiz in quizzes:
            self.log_change(request, quiz, [{"changed": {"fields": [field]}}])

    @admin.action(description=_("Publish selected quizzes (only valid ones)"), permissions=["change"])
    def publish(self, request, queryset):
        outcome = services.publish_quizzes(quiz_ids=list(queryset.values_list("pk", flat=True)))
        for refused in outcome.refused:
            self.message_user(
                request,
                gettext("“%(quiz)s” was not published: %(problems)s")
                % {"quiz": refused.title, "problems": authoring.summary(refused.problems)},
                messages.ERROR,
            )
        self.log_published_change(request, Quiz.objects.filter(pk__in=outcome.published_ids))
        published = len(outcome.published_ids)
        if published:
            self.message_user(
                request,
                ngettext("Published %(count)d quiz.", "Published %(count)d quizzes.", published) % {"count": published},
                messages.SUCCESS,
            )
        elif not outcome.refused:
            self.message_user(request, gettext("The selected quizzes were already published."), messages.INFO)

    @admin.action(description=_("Unpublish selected quizzes"), permissions=["change"])
    def unpublish(self, request, queryset):
        unpublished_ids = services.unpublish_quizzes(quiz_ids=list(queryset.values_list("pk", flat=True)))
        self.log_published_change(request, Quiz.objects.filter(pk__in=unpublished_ids))
        unpublished = len(unpublished_ids)
        self.message_user(
            request,
            ngettext("Unpublished %(count)d quiz.", "Unpublished %(count)d quizzes.", unpublished)
            % {"count": unpublished},
            messages.SUCCESS,
        )

    @admin.action(description=_("Duplicate selected quizzes with their questions"), permissions=["add"])
    def duplicate(self, request, queryset):
        for quiz in queryset:
            copy = services.duplicate_quiz(quiz=quiz)
            self.log_addition(request, copy, [{"added": {}}])
            self.message_user(
                request,
                format_html(
                    gettext('Copied “{}” to <a href="{}">“{}”</a> (unpublished).'),
                    quiz.title,
                    reverse("admin:quizzes_quiz_change", args=[copy.pk]),
                    copy.title,
                ),
                messages.SUCCESS,
            )

    @admin.action(description=_("Regrade submitted attempts of selected quizzes…"), permissions=["change"])
    def regrade(self, request, queryset):
        form = RegradeForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            # First step, or no reason given: ask for the reason on a confirmation page.
            return TemplateResponse(
                request,
                "admin/quizzes/quiz/regrade_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Regrade attempts"),
                    "opts": self.opts,
                    "form": form,
                    "quizzes": queryset.annotate(attempt_count=attempts_of_quiz()),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for quiz in queryset:
            changes = services.regrade_quiz(quiz=quiz, changed_by=request.user, reason=form.cleaned_data["reason"])
            self.message_user(
                request,
                ngettext(
                    "Regraded “%(quiz)s”: %(count)d score changed.",
                    "Regraded “%(quiz)s”: %(count)d scores changed.",
                    len(changes),
                )
                % {"quiz": quiz.title, "count": len(changes)},
                messages.SUCCESS,
            )
        return None

    @admin.action(description=_("Export questions of selected quizzes (GIFT or Moodle XML)…"), permissions=["view"])
    def export_questions(self, request, queryset):
        return interchange.export_questions(self, request, queryset)
