"""Overall feedback by grade band, edited inline on the quiz's page; the rules are authoring.feedback_band_problems."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from .. import authoring
from ..models import FeedbackBand


class FeedbackBandFormSet(forms.BaseInlineFormSet):
    """Refuses bands that overlap or leave results without feedback, with a message above the rows."""

    def clean(self):
        # Before the formset's own unique check, which would name a shared bound less helpfully.
        bounds = [
            form.cleaned_data.get("from_percent")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = authoring.feedback_band_problems(bounds)
        if problems:
            raise ValidationError(problems)
        super().clean()


class FeedbackBandInline(admin.TabularInline):
    model = FeedbackBand
    formset = FeedbackBandFormSet
    fields = ["from_percent", "text"]
    ordering = ["from_percent"]
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}}
