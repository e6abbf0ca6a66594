"""Importing a GIFT or Moodle XML file into a quiz (upload, preview, confirm) and the export action.

The preview is the import service's own, so the page shows exactly what the confirmation writes: the
uploaded bytes wait in the shared cache under their SHA-256, and the confirmation carries that digest
and the preview's fingerprint; if the quiz changed in between, nothing is written and the editor
previews again. Registered by QuizAdmin.get_urls() and its actions.
"""

import io
import zipfile
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import pending_uploads
from ..errors import ImportChangedSincePreview, ImportHasErrors
from ..interchange import files
from ..interchange.access import can_export_questions, can_import_questions
from ..interchange.mapping import CREATED, UNCHANGED, UPDATED, quiz_interchange_questions
from ..interchange.model import MAX_FILE_BYTES, file_too_large
from ..models import Quiz
from ..services import importing

SHA256 = RegexValidator(r"^[0-9a-f]{64}$")
ACTION_LABELS = {CREATED: _("created"), UPDATED: _("updated"), UNCHANGED: _("unchanged")}
NEW_VERSION_LABEL = _("updated as a new version (attempts showed it)")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("GIFT or Moodle XML file"),
        help_text=_("Questions are matched by key ([id:] in GIFT, <idnumber> in XML). Nothing is written before "
                    "you confirm the preview."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(file_too_large().message)
        return upload


class ImportConfirmForm(forms.Form):
    upload = forms.CharField(validators=[SHA256])
    fingerprint = forms.CharField(validators=[SHA256])
    name = forms.CharField(max_length=255, required=False)


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[(files.GIFT, _("GIFT (text)")), (files.XML, _("Moodle XML"))],
        widget=forms.RadioSelect,
        initial=files.GIFT,
    )


IMPORT_URL_NAME = "quizzes_quiz_import"


def import_urls(model_admin):
    """The import page under a quiz's admin URL, to be placed before the ModelAdmin's own."""
    view = model_admin.admin_site.admin_view(partial(import_questions, model_admin=model_admin))
    return [path("<int:quiz_id>/import/", view, name=IMPORT_URL_NAME)]


def import_questions(request, quiz_id, *, model_admin):
    """Upload a file and see its preview (POST with a file), or confirm a previewed one (POST with "confirm")."""
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if not (can_import_questions(request.user) and model_admin.has_change_permission(request, quiz)):
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, quiz, model_admin)
    is_upload = request.method == "POST"
    form = ImportUploadForm(request.POST if is_upload else None, request.FILES if is_upload else None)
    context = {"form": form}
    if is_upload and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read(MAX_FILE_BYTES + 1)
        name = upload.name[: ImportConfirmForm.base_fields["name"].max_length]
        preview = importing.preview_file(quiz=quiz, raw=raw, name=name)
        digest = pending_uploads.keep(user_id=request.user.pk, raw=raw)
        if digest is None:
            messages.error(request, gettext("The file cannot be kept for the confirmation right now; try again."))
        context.update(
            preview=preview,
            rows=[
                {"row": row, "label": NEW_VERSION_LABEL if row.is_new_version else ACTION_LABELS[row.action]}
                for row in preview.rows
            ],
            name=name,
            confirm=ImportConfirmForm(initial={"upload": digest, "fingerprint": preview.fingerprint, "name": name}),
            may_confirm=digest is not None and not preview.errors and (preview.count(CREATED) or preview.count(UPDATED)),
            counts={action: preview.count(action) for action in (CREATED, UPDATED, UNCHANGED)},
        )
    return _render(request, quiz, model_admin, context)


def _render(request, quiz, model_admin, context):
    return TemplateResponse(
        request,
        "admin/quizzes/quiz/import_questions.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": quiz,
            "quiz": quiz,
            "title": gettext("Import questions into “%(quiz)s”") % {"quiz": quiz.title},
            **context,
        },
    )


def _confirm(request, quiz, model_admin):
    page = reverse(f"admin:{IMPORT_URL_NAME}", args=[quiz.pk])
    form = ImportConfirmForm(request.POST)
    raw = None
    if form.is_valid():
        raw = pending_uploads.find(user_id=request.user.pk, digest=form.cleaned_data["upload"])
    if raw is None:
        messages.error(request, gettext("The previewed file is no longer available; upload it again."))
        return HttpResponseRedirect(page)
    try:
        outcome = importing.import_file(quiz=quiz, raw=raw, name=form.cleaned_data["name"],
                                        expected_fingerprint=form.cleaned_data["fingerprint"])
    except (ImportHasErrors, ImportChangedSincePreview) as error:
        messages.error(request, str(error.message))
        return HttpResponseRedirect(page)
    pending_uploads.forget(user_id=request.user.pk, digest=form.cleaned_data["upload"])
    summary = gettext(
        "Imported “%(name)s” into “%(quiz)s”: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
        "%(skipped)d skipped."
    ) % {"name": form.cleaned_data["name"], "quiz": quiz.title, "created": outcome.created,
         "updated": outcome.updated, "unchanged": outcome.unchanged, "skipped": len(outcome.preview.skipped)}
    model_admin.log_change(request, quiz, summary)
    messages.success(request, summary)
    return HttpResponseRedirect(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))


def export_questions(model_admin, request, queryset):
    """The export action: ask for the format, then one file per quiz, or a zip of them when several."""
    if not can_export_questions(request.user):
        raise PermissionDenied
    form = ExportForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "admin/quizzes/quiz/export_questions.html",
            {
                **model_admin.admin_site.each_context(request),
                "title": gettext("Export questions"),
                "opts": model_admin.opts,
                "form": form,
                "quizzes": list(queryset.order_by("language", "slug")),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
    file_format = form.cleaned_data["file_format"]
    quizzes = list(queryset.order_by("language", "slug"))
    if len(quizzes) == 1:
        content = files.write(quiz_interchange_questions(quizzes[0]), file_format)
        return _download(content, files.CONTENT_TYPES[file_format], files.file_name(quizzes[0].slug, file_format))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for quiz in quizzes:
            content = files.write(quiz_interchange_questions(quiz), file_format)
            archive.writestr(f"{quiz.language}/{files.file_name(quiz.slug, file_format)}", content)
    name = f"questions-{file_format}-{timezone.localdate().isoformat()}.zip"
    return _download(buffer.getvalue(), "application/zip", name)


def _download(content: bytes, content_type: str, name: str):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
