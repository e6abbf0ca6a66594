"""Authoring in the Django admin: sources, topics, quizzes with their questions, choices and citations.

The rules for valid choices and publishable quizzes live in authoring.py; here they are wired into the
forms, the inline formsets and the actions, so an editor sees every problem right in the form. Attempts
and score changes are shown read-only: scores change only through the regrade action, which records who
changed what.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import authoring, services
from .models import (
    Answer,
    Attempt,
    Choice,
    Citation,
    Question,
    Quiz,
    ScoreChange,
    Selection,
    Source,
    Topic,
)

# ---------------------------------------------------------------------------------------------
# Reading content for the rules, and what attempts have shown


def question_draft(question, *, kind=None, text=None):
    """A saved question as the rules see it; its choices and citations should be prefetched."""
    return authoring.QuestionDraft(
        text=question.text if text is None else text,
        kind=question.kind if kind is None else kind,
        choices=tuple(
            authoring.ChoiceDraft(text=choice.text, is_correct=choice.is_correct) for choice in question.choices.all()
        ),
        citation_count=len(question.citations.all()),
    )


def questions_for_rules(queryset):
    return queryset.prefetch_related("choices", "citations")


def quiz_publishing_problems(quiz):
    """Why a saved quiz cannot be published, from its saved questions."""
    questions = questions_for_rules(Question.objects.filter(quiz=quiz).order_by("position", "id"))
    return authoring.publishing_problems(questions=[question_draft(question) for question in questions])


def preview_url(quiz):
    """The learner page of a quiz, where staff may preview it unpublished; None until the page exists."""
    try:
        return reverse("web:quiz", kwargs={"slug": quiz.slug})
    except NoReverseMatch:
        return None


def refusal_to_delete(item, *, attempt_count):
    return ngettext(
        "“%(item)s” cannot be deleted: %(count)d attempt showed it, and its result must keep showing what the "
        "learner saw. Edit it instead, and regrade the quiz if the correction changes scores.",
        "“%(item)s” cannot be deleted: %(count)d attempts showed it, and their results must keep showing what "
        "the learners saw. Edit it instead, and regrade the quiz if the correction changes scores.",
        attempt_count,
    ) % {"item": authoring.question_label(str(item)), "count": attempt_count}


def attempts_showing_question(question_id, *, quiz_id):
    """How many attempts showed a question (answered or not)."""
    attempts = Attempt.objects.filter(quiz_id=quiz_id)
    if connection.features.supports_json_field_contains:
        return attempts.filter(question_order__contains=[question_id]).count()
    return sum(question_id in order for order in attempts.values_list("question_order", flat=True).iterator())


def attempts_showing_choice(choice):
    """How many attempts showed a choice (selected or not)."""
    key = str(choice.question_id)
    attempts = Attempt.objects.filter(quiz_id=choice.question.quiz_id)
    if connection.features.supports_json_field_contains:
        return attempts.filter(choice_order__contains={key: [choice.pk]}).count()
    return sum(
        choice.pk in order.get(key, ()) for order in attempts.values_list("choice_order", flat=True).iterator()
    )


# ---------------------------------------------------------------------------------------------
# Inline formsets: positions filled in, deletions of shown items refused, rules applied


class PositionedInlineFormSet(forms.BaseInlineFormSet):
    """Numbers new rows after the existing ones, so editors need not type positions."""

    def _next_position(self):
        if not hasattr(self, "_first_new_position"):
            positions = [item.position for item in self.get_queryset()] if self.instance.pk else []
            self._first_new_position = max(positions, default=0) + 1
        return self._first_new_position

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None:
            # The blank row that "Add another" copies: numbered on save.
            kwargs["initial"] = {"position": None}
        elif index >= self.initial_form_count():
            kwargs["initial"] = {"position": self._next_position() + index - self.initial_form_count()}
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["position"].required = False

    def kept_forms(self):
        """Forms whose rows remain after saving: filled-in new rows and existing rows not marked for deletion."""
        return [
            form
            for form in self.forms
            if form.cleaned_data
            and not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk or form.has_changed())
        ]

    def clean(self):
        # Before Django's own checks: they stop at the first protected row with a vaguer message.
        self.refuse_deleting_shown()
        kept = self.kept_forms()
        next_position = max((form.cleaned_data.get("position") or 0 for form in kept), default=0) + 1
        for form in kept:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = form.instance.position = next_position
                next_position += 1
        super().clean()

    def attempts_showing(self, item):
        """How many attempts showed a saved row; such rows are never deleted."""
        return 0

    def refuse_deleting_shown(self):
        """Refuse ticked deletions of rows that attempts have shown (answered rows are among them)."""
        refusals = []
        # Not self.deleted_forms: that is empty while any row has errors.
        for form in self.forms:
            if form.instance.pk and self.can_delete and self._should_delete_form(form):
                attempt_count = self.attempts_showing(form.instance)
                if attempt_count:
                    refusals.append(refusal_to_delete(form.instance, attempt_count=attempt_count))
        if refusals:
            raise ValidationError(refusals)


class ChoiceFormSet(PositionedInlineFormSet):
    def attempts_showing(self, choice):
        return attempts_showing_choice(choice)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # An empty text gets the rule's message from authoring.py, not a generic "required".
        form.fields["text"].required = False

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        choices = [
            authoring.ChoiceDraft(text=form.cleaned_data.get("text") or "", is_correct=form.cleaned_data["is_correct"])
            for form in self.kept_forms()
        ]
        problems = authoring.choice_problems(kind=self.instance.kind, choices=choices)
        if problems:
            raise ValidationError(problems)


class CitationFormSet(PositionedInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        quiz = self.instance.quiz if self.instance.quiz_id else None
        if quiz is not None and quiz.is_published:
            problems = authoring.citation_problems(citation_count=len(self.kept_forms()))
            if problems:
                raise ValidationError(problems)


class QuizQuestionFormSet(PositionedInlineFormSet):
    def attempts_showing(self, question):
        return attempts_showing_question(question.pk, quiz_id=question.quiz_id)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        saved = {question.pk: question for question in questions_for_rules(self.get_queryset())}
        drafts = []
        for form in self.kept_forms():
            question = saved.get(form.instance.pk)
            if question is None:
                drafts.append(authoring.QuestionDraft(text=form.cleaned_data["text"], kind=form.cleaned_data["kind"]))
                continue
            draft = question_draft(question, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"])
            if draft.choices:
                for problem in authoring.choice_problems(kind=draft.kind, choices=draft.choices):
                    form.add_error("kind", problem)
            drafts.append(draft)
        if any(self.errors) or not self.instance.is_published:
            return
        # Problems already in the saved questions are reported at the "published" checkbox;
        # here only the ones this edit would bring in (a new question, the last one deleted).
        if not authoring.publishing_problems(questions=[question_draft(q) for q in saved.values()]):
            problems = authoring.publishing_problems(questions=drafts)
            if problems:
                raise ValidationError(
                    [gettext("This edit would leave the published quiz invalid; unpublish it first or:")] + problems
                )


# ---------------------------------------------------------------------------------------------
# Sources and topics


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "language", "published_on", "citation_count"]
    list_filter = ["language", "publisher"]
    search_fields = ["title", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_de", "name_en", "question_count"]
    search_fields = ["slug", "name_de", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, topic):
        return topic.question_count


# ---------------------------------------------------------------------------------------------
# Quizzes


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = "__all__"

    def clean(self):
        cleaned_data = super().clean()
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
    fields = ["position", "text", "kind", "topic", "points", "difficulty", "problems"]
    readonly_fields = ["problems"]
    ordering = ["position", "id"]
    extra = 0
    show_change_link = True
    formfield_overrides = {
        # The full text is edited on the question's page; here one line suffices.
        models.TextField: {"widget": forms.TextInput(attrs={"size": 60})},
    }

    def get_queryset(self, request):
        return questions_for_rules(super().get_queryset(request).select_related("topic"))

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
    )


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizForm
    inlines = [QuizQuestionInline]
    list_display = [
        "title",
        "language",
        "is_published",
        "question_count",
        "attempt_count",
        "preview_link",
        "updated_at",
    ]
    list_filter = ["language", "topics", "is_published"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"], "translation_key": ["title"]}
    filter_horizontal = ["topics"]
    readonly_fields = ["add_question_link"]
    actions = ["publish", "unpublish", "duplicate", "regrade"]
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
            {"fields": ["shuffle_questions", "shuffle_choices", "questions_per_attempt", "time_limit_seconds"]},
        ),
        (_("Grading"), {"fields": ["max_attempts", "pass_mark", "grading_method", "answer_visibility"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(question_count=Count("questions", distinct=True), attempt_count=attempts_of_quiz())
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

    @admin.display(description=_("new question"))
    def add_question_link(self, quiz):
        if quiz.pk is None:
            return gettext("Save the quiz first; then add questions with their choices and citations.")
        url = reverse("admin:quizzes_question_add") + f"?quiz={quiz.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Add a question with its choices and citations"))

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

    @admin.action(description=_("Publish selected quizzes (only valid ones)"), permissions=["change"])
    def publish(self, request, queryset):
        publishable = []
        for quiz in queryset.filter(is_published=False):
            problems = quiz_publishing_problems(quiz)
            if problems:
                self.message_user(
                    request,
                    gettext("“%(quiz)s” was not published: %(problems)s")
                    % {"quiz": quiz.title, "problems": authoring.summary(problems)},
                    messages.ERROR,
                )
            else:
                publishable.append(quiz.pk)
        published = Quiz.objects.filter(pk__in=publishable, is_published=False).update(is_published=True)
        if published:
            self.message_user(
                request,
                ngettext("Published %(count)d quiz.", "Published %(count)d quizzes.", published) % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(description=_("Unpublish selected quizzes"), permissions=["change"])
    def unpublish(self, request, queryset):
        unpublished = queryset.filter(is_published=True).update(is_published=False)
        self.message_user(
            request,
            ngettext("Unpublished %(count)d quiz.", "Unpublished %(count)d quizzes.", unpublished)
            % {"count": unpublished},
            messages.SUCCESS,
        )

    @admin.action(description=_("Duplicate selected quizzes with their questions"), permissions=["add"])
    def duplicate(self, request, queryset):
        for quiz in queryset:
            copy = duplicate_quiz(quiz=quiz)
            self.message_user(
                request,
                format_html(
                    gettext("Copied “{}” to <a href=\"{}\">“{}”</a> (unpublished)."),
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


def unused_copy_slug(field, value, *, taken):
    """The first of value-copy, value-copy-2, … that fits the field and is not taken."""
    max_length = Quiz._meta.get_field(field).max_length
    number = 1
    while True:
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        candidate = value[: max_length - len(suffix)] + suffix
        if not taken(candidate):
            return candidate
        number += 1


@transaction.atomic
def duplicate_quiz(*, quiz):
    """An unpublished deep copy of a quiz: questions, choices, citations and topics, under new keys."""
    questions = list(questions_for_rules(quiz.questions.order_by("position", "id")))
    topics = list(quiz.topics.all())
    copy = Quiz.objects.get(pk=quiz.pk)
    copy.pk = None
    copy._state.adding = True
    copy.slug = unused_copy_slug("slug", quiz.slug, taken=lambda slug: Quiz.objects.filter(slug=slug).exists())
    copy.translation_key = unused_copy_slug(
        "translation_key",
        quiz.translation_key,
        taken=lambda key: Quiz.objects.filter(translation_key=key, language=quiz.language).exists(),
    )
    with translation.override(quiz.language):
        # The title is content in the quiz's language, not in the editor's.
        copy.title = (gettext("%(title)s (copy)") % {"title": quiz.title})[: Quiz._meta.get_field("title").max_length]
    copy.is_published = False
    copy.save()
    copy.topics.set(topics)
    for question in questions:
        choices, citations = list(question.choices.all()), list(question.citations.all())
        question.pk = None
        question._state.adding = True
        question.quiz = copy
        question.save()
        for child in choices + citations:
            child.pk = None
            child._state.adding = True
            child.question = question
        Choice.objects.bulk_create(choices)
        Citation.objects.bulk_create(citations)
    return copy


# ---------------------------------------------------------------------------------------------
# Questions


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False
        self.fields["key"].help_text = _("Stable identifier within the quiz, used by fixtures; blank makes one up.")


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text", "is_correct", "feedback"]
    extra = 4
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
    }

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.pk else self.extra


class CitationInline(admin.StackedInline):
    model = Citation
    formset = CitationFormSet
    fields = ["position", "source", "quote", "note"]
    extra = 1

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.pk else self.extra


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    inlines = [ChoiceInline, CitationInline]
    list_display = ["short_text", "quiz", "position", "kind", "topic", "difficulty", "points", "choice_count", "is_ready"]
    list_filter = ["quiz__language", "topic", "quiz__is_published", "kind", "difficulty", "quiz"]
    list_select_related = ["quiz", "topic"]
    search_fields = ["text", "key", "explanation", "quiz__title"]
    readonly_fields = ["usage"]
    fields = ["quiz", "key", "position", "kind", "text", "explanation", "points", "topic", "difficulty", "usage"]

    def get_queryset(self, request):
        return questions_for_rules(super().get_queryset(request))

    @admin.display(description=_("question"), ordering="text")
    def short_text(self, question):
        return authoring.question_label(question.text)

    @admin.display(description=_("choices"))
    def choice_count(self, question):
        return len(question.choices.all())

    @admin.display(description=_("ready to publish"), boolean=True)
    def is_ready(self, question):
        return not authoring.question_problems(question_draft(question))

    @admin.display(description=_("use in attempts"))
    def usage(self, question):
        if question.pk is None:
            return "–"
        shown = attempts_showing_question(question.pk, quiz_id=question.quiz_id)
        if not shown:
            return gettext("No attempt has shown this question yet.")
        return ngettext(
            "%(count)d attempt showed this question. Saved scores stay as they are when you edit it; after a "
            "correction, use the quiz list's “Regrade” action.",
            "%(count)d attempts showed this question. Saved scores stay as they are when you edit it; after a "
            "correction, use the quiz list's “Regrade” action.",
            shown,
        ) % {"count": shown}

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        quiz_id = initial.get("quiz")
        if quiz_id and str(quiz_id).isdigit():
            # "Add a question" from a quiz's page: place it after the quiz's last question.
            last = Question.objects.filter(quiz_id=quiz_id).order_by("-position").values_list("position", flat=True)
            initial.setdefault("position", (last.first() or 0) + 1)
        return initial

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and attempts_showing_question(obj.pk, quiz_id=obj.quiz_id):
            # Moving a shown question to another quiz would take it out of the attempts that showed it.
            readonly.append("quiz")
        return readonly

    def get_deleted_objects(self, objs, request):
        deletable, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for question in objs:
            attempt_count = attempts_showing_question(question.pk, quiz_id=question.quiz_id)
            if attempt_count:
                protected.append(refusal_to_delete(question, attempt_count=attempt_count))
        return deletable, model_count, perms_needed, protected


# ---------------------------------------------------------------------------------------------
# Attempts and score changes: read-only records


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
