"""Question versions in the admin: the list's version filter, writing a validated edit of a shown question onto a
new version, and regrading an earlier version's attempts against a later one."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..errors import VersionsDoNotMatch
from ..models import Choice, Question
from ..selectors.versions import attempts_showing_question

# The inline forms' fields that are not the row's own content.
NOT_CONTENT = {"id", "question", "DELETE"}
# Positions are unique per question: rows that move go this far out of the way before they are saved.
OUT_OF_THE_WAY = 10_000


class VersionFilter(admin.SimpleListFilter):
    """The question list shows current versions unless asked for the earlier ones."""

    title = _("version")
    parameter_name = "versions"

    def lookups(self, request, model_admin):
        return [("earlier", _("Earlier versions")), ("all", _("All versions"))]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == gettext("All"):
                choice["display"] = gettext("Current versions")
            yield choice

    def queryset(self, request, queryset):
        if self.value() == "earlier":
            return queryset.filter(is_current=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(is_current=True)


def is_content_edit(form, formsets) -> bool:
    """Whether a validated edit changes what a version holds (rather than only the shared fields)."""
    return services.changes_a_version(form.changed_data) or any(formset.has_changed() for formset in formsets)


@transaction.atomic
def write_edit_as_new_version(form, formsets) -> bool:
    """Write the question form's edit, and its inlines', onto a new version; False (nothing written) when the
    edit touches only shared fields. The form's instance becomes the new version."""
    if not is_content_edit(form, formsets):
        return False
    question = form.instance
    version = become_new_version(question)
    question.save()
    for formset in formsets:
        copies = version.choice_copies if formset.model is Choice else version.citation_copies
        _write_rows_onto(formset, copies=copies, question=question)
    return True


def become_new_version(question):
    """Make a new version of a shown question and turn the edited, unsaved instance into it, for the caller to
    save over the copy; returns the services.EditableVersion."""
    version = services.new_version(Question.objects.get(pk=question.pk))
    copy = version.question
    question.pk, question.version, question.first_version_id, question.is_current = (
        copy.pk, copy.version, copy.first_version_id, True
    )
    return version


def save_question_rows(formset):
    """Save the quiz page's question rows; a row that edits a shown question's text or kind becomes a new version."""
    for form in formset.initial_forms:
        if form.has_changed() and services.changes_a_version(form.changed_data):
            if not (formset.can_delete and formset._should_delete_form(form)):
                if attempts_showing_question(form.instance.pk, quiz_id=form.instance.quiz_id):
                    become_new_version(form.instance)
    formset.save()
    for form in formset.initial_forms:
        if form.instance.pk and form.has_changed():
            services.share_fields(form.instance)


def _write_rows_onto(formset, *, copies, question):
    # What formset.save() would have recorded, for the admin's change message.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    kept = []
    for form in formset.initial_forms:
        row = copies[form.instance.pk]
        if formset.can_delete and formset._should_delete_form(form):
            formset.deleted_objects.append(row)
        elif form.has_changed():
            changed = sorted(set(form.changed_data) - NOT_CONTENT)
            for name in changed:
                setattr(row, name, form.cleaned_data[name])
            kept.append(row)
            formset.changed_objects.append((row, changed))
    for form in formset.extra_forms:
        if form.has_changed() and not (formset.can_delete and formset._should_delete_form(form)):
            row = form.save(commit=False)
            row.question = question
            kept.append(row)
            formset.new_objects.append(row)
    formset.model.objects.filter(pk__in=[row.pk for row in formset.deleted_objects]).delete()
    saved_ids = [row.pk for row, _changed in formset.changed_objects]
    formset.model.objects.filter(pk__in=saved_ids).update(position=F("position") + OUT_OF_THE_WAY)
    for row in kept:
        row.save()


class RegradeOntoForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("Recorded with each score that changes, for the learners' record.")
    )


def regrade_onto_version_urls(model_admin):
    def view(request, object_id, shown_id):
        return regrade_onto_version_view(model_admin, request, object_id, shown_id)

    name = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_regrade_onto"
    return [path("<int:object_id>/regrade-from/<int:shown_id>/", model_admin.admin_site.admin_view(view), name=name)]


def regrade_onto_version_view(model_admin, request, object_id, shown_id):
    """Confirm, then move the attempts that showed an earlier version onto this one and regrade them."""
    onto = get_object_or_404(Question.objects.select_related("quiz"), pk=object_id)
    shown = get_object_or_404(Question.objects.select_related("quiz"), pk=shown_id)
    if not model_admin.has_change_permission(request, onto):
        raise PermissionDenied
    change_url = reverse(f"admin:{onto._meta.app_label}_question_change", args=[onto.pk])
    form = RegradeOntoForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            changes = services.regrade_onto_version(
                shown=shown, onto=onto, changed_by=request.user, reason=form.cleaned_data["reason"]
            )
        except VersionsDoNotMatch as error:
            model_admin.message_user(request, str(error.message), messages.ERROR)
            return redirect(change_url)
        model_admin.message_user(
            request,
            ngettext(
                "The attempts that showed version %(shown)d now show version %(onto)d: %(count)d score changed.",
                "The attempts that showed version %(shown)d now show version %(onto)d: %(count)d scores changed.",
                len(changes),
            )
            % {"shown": shown.version, "onto": onto.version, "count": len(changes)},
            messages.SUCCESS,
        )
        return redirect(change_url)
    return TemplateResponse(
        request,
        "admin/quizzes/question/regrade_onto_version.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": gettext("Regrade attempts against another version"),
            "opts": model_admin.opts,
            "form": form,
            "shown": shown,
            "onto": onto,
            "attempt_count": attempts_showing_question(shown.pk, quiz_id=shown.quiz_id),
            "change_url": change_url,
        },
    )
