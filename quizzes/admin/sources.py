"""Sources that questions quote, and topics that group them."""

from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..models import Source, Topic


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "language", "published_on", "has_text", "citation_count"]
    list_filter = ["language", "publisher"]
    search_fields = ["title", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description=_("full text, to check quotes"), boolean=True)
    def has_text(self, source):
        return bool(source.text)

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_de", "name_en", "question_count"]
    # Editors need not invent the short name: Django's admin fills it from the name as they type.
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["slug", "name_de", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions", filter=Q(questions__is_current=True)))

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, topic):
        return topic.question_count
