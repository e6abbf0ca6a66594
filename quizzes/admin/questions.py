"""Questions: choices and citations inline, validated by the authoring rules. Deleting a question that
attempts showed is refused; editing what it showed makes a new version (services/versions.py), written by
save_related from the validated forms, and the question's page lists its versions."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import authoring, services
from ..errors import QuestionChangedMeanwhile
from ..models import Choice, Citation, Question, Quiz
from ..selectors.authoring import question_draft, questions_for_rules, quiz_publishing_problems
from ..selectors.versions import attempts_showing_any_version, attempts_showing_question, versions_of
from .citations import CitationForm, QuoteCheckFilter, with_quote_check, with_unverified_quotes
from .formsets import ChoiceFormSet, CitationFormSet, refusal_to_delete
from .versions import VersionFilter, regrade_onto_version_urls, write_edit_as_new_version


class QuestionForm(forms.ModelForm):
    # Whether attempts had shown the question when the edit was saved: its edit then becomes a new version.
    was_shown = False

    class Meta:
        model = Question
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" not in self.fields:
            return  # an earlier version, shown read only
        self.fields["key"].required = False
        self.fields["key"].help_text = _("Stable identifier within the quiz, used by fixtures; blank makes one up.")

    def clean(self):
        cleaned = super().clean()
        quiz, key = cleaned.get("quiz") or getattr(self.instance, "quiz", None), cleaned.get("key")
        # The key is unique among a quiz's current versions: a partial constraint, which the form's own
        # validation skips (is_current is not a form field).
        if quiz is not None and key:
            others = Question.objects.current().filter(quiz=quiz, key=key)
            if self.instance.pk is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("key", _("Another question of this quiz has this key."))
        return cleaned


class OfCurrentVersionOnly:
    """An inline of a question: an earlier version's rows are shown read only, like the version itself."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.is_current)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_current)


class ChoiceInline(OfCurrentVersionOnly, admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text", "is_correct", "feedback"]
    extra = 4
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
    }

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.pk else self.extra

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The admin refuses deleting a row that protected rows (a submitted answer's selections) point at.
        # Only a shown choice has them, and deleting it deletes it from the new version the edit makes
        # (admin/versions.py): the choice and its selections stay with the version the attempts showed.
        formset.form.hand_clean_DELETE = lambda form: None
        return formset


class CitationInline(OfCurrentVersionOnly, admin.StackedInline):
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    fields = ["position", "source", "quote", "translation", "note"]
    extra = 1

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.pk else self.extra


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    inlines = [ChoiceInline, CitationInline]
    # Whether a question is ready comes right after its text, and the list fits a 1280 px screen beside
    # its filters: difficulty and language are filters, the choices are on the question's page.
    list_display = ["short_text", "is_ready", "quiz", "position", "kind", "topic", "points"]
    list_filter = [VersionFilter, "quiz__language", "topic", "quiz__is_published", "kind", "difficulty", QuoteCheckFilter, "quiz"]
    list_select_related = ["quiz", "topic"]
    search_fields = ["text", "key", "explanation", "quiz__title"]
    readonly_fields = ["usage", "versions"]
    fields = [
        "quiz", "key", "translation_key", "position", "kind", "text", "explanation", "points", "topic", "difficulty",
        "usage", "versions",
    ]

    class Media:
        # The list's column widths and wrapping, so it fits 1280 px beside the navigation sidebar.
        css = {"all": ["quizzes/css/admin-questions.css"]}

    def get_urls(self):
        return regrade_onto_version_urls(self) + super().get_urls()

    def has_change_permission(self, request, obj=None):
        # An earlier version is what old attempts showed: it is read, never edited or deleted.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_current)

    def save_model(self, request, obj, form, change):
        form.was_shown = change and bool(attempts_showing_question(obj.pk, quiz_id=obj.quiz_id))
        if not form.was_shown:
            super().save_model(request, obj, form, change)
        # Else save_related writes the edit: onto a new version, or in place when it changes only shared fields.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except QuestionChangedMeanwhile as changed:
            # Raised inside the save's transaction, so nothing of the edit was written.
            self.message_user(request, str(changed.message), messages.ERROR)
            edited = Question.objects.get(pk=object_id)
            current = Question.objects.current().filter(quiz_id=edited.quiz_id, key=edited.key).first() or edited
            return redirect(reverse("admin:quizzes_question_change", args=[current.pk]))

    def response_change(self, request, obj):
        if "_continue" in request.POST and request.resolver_match.kwargs.get("object_id") != str(obj.pk):
            # The edit became a new version: continue editing that one, not the earlier one now read only.
            return redirect(reverse("admin:quizzes_question_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def save_related(self, request, form, formsets, change):
        question = form.instance
        if form.was_shown and write_edit_as_new_version(form, formsets):
            self.message_user(
                request,
                gettext(
                    "Attempts had shown this question, so your edit is version %(version)d; those attempts keep "
                    "showing the version they showed."
                )
                % {"version": question.version},
                messages.INFO,
            )
        else:
            if form.was_shown:
                question.save()
            super().save_related(request, form, formsets, change)
        services.share_fields(question)
        # A question's topic joins its quiz's topics, so the quiz shows under it in the catalogue.
        services.add_topics_of_questions(quiz=question.quiz)

    def get_queryset(self, request):
        return with_unverified_quotes(questions_for_rules(super().get_queryset(request)))

    @admin.display(description=_("question"), ordering="text")
    def short_text(self, question):
        return with_quote_check(authoring.question_label(question.text), question)

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
            "%(count)d attempt showed this question. Editing its text, choices, explanation or citations makes a "
            "new version; that attempt keeps showing this one.",
            "%(count)d attempts showed this question. Editing its text, choices, explanation or citations makes a "
            "new version; those attempts keep showing this one.",
            shown,
        ) % {"count": shown}

    @admin.display(description=_("versions"))
    def versions(self, question):
        if question.pk is None:
            return "–"
        return render_to_string(
            "admin/quizzes/question/versions.html",
            {"question": question, "versions": versions_of(question), "opts": self.opts},
        )

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
        if obj is not None and attempts_showing_any_version(obj):
            # Moving a shown question to another quiz would take it out of the attempts that showed it.
            readonly.append("quiz")
        return readonly

    def get_deleted_objects(self, objs, request):
        deletable, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for question in objs:
            attempt_count = attempts_showing_any_version(question)
            if attempt_count:
                protected.append(refusal_to_delete(question, attempt_count=attempt_count))
        deleted_ids = {question.pk for question in objs}
        for quiz in Quiz.objects.filter(is_published=True, questions__in=deleted_ids).distinct():
            questions = list(questions_for_rules(quiz.questions.current()))
            remaining = [question_draft(question) for question in questions if question.pk not in deleted_ids]
            if authoring.publishing_problems(questions=remaining) and not quiz_publishing_problems(quiz):
                protected.append(
                    gettext(
                        "“%(quiz)s” is published and would not be publishable without these questions: %(problems)s"
                    )
                    % {
                        "quiz": quiz.title,
                        "problems": authoring.summary(authoring.publishing_problems(questions=remaining)),
                    }
                )
        return deletable, model_count, perms_needed, protected
