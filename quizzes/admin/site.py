"""The site's own texts, one row per language: editors change them; the languages come with the content."""

from django import forms
from django.contrib import admin
from django.db import models

from ..models import SiteText


@admin.register(SiteText)
class SiteTextAdmin(admin.ModelAdmin):
    list_display = ["language", "site_name", "headline"]
    fields = ["language", "site_name", "headline", "introduction", "footer"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}}

    def get_readonly_fields(self, request, site_text=None):
        # A row's language is what pages look it up by; changing it would swap two languages' texts.
        return ["language"] if site_text is not None else []
