"""Citations checked against their source's text: the form refuses a quote that is not in it, and the
question list flags (and filters) questions citing a source whose text is missing: unverified."""

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Citation
from ..quotes import closest_passage, occurs_verbatim


class CitationForm(forms.ModelForm):
    class Meta:
        model = Citation
        fields = "__all__"

    def clean(self):
        cleaned_data = super().clean()
        source, quote = cleaned_data.get("source"), cleaned_data.get("quote")
        if source is not None and quote and source.text and not occurs_verbatim(quote, source.text):
            self.add_error("quote", gettext(
                "This quote is not in “%(source)s” word for word (spaces and the style of quotation marks aside). "
                "The closest passage there: “%(passage)s”"
            ) % {"source": source.title, "passage": closest_passage(quote, source.text)})
        return cleaned_data


def with_unverified_quotes(queryset):
    """Questions annotated with whether one of their citations quotes a source that has no text."""
    unverified = Citation.objects.filter(question=OuterRef("pk"), source__text="")
    return queryset.annotate(has_unverified_quote=Exists(unverified))


class QuoteCheckFilter(admin.SimpleListFilter):
    title = _("quotes")
    parameter_name = "quotes"

    def lookups(self, request, model_admin):
        return [("unverified", _("Unverified (a source without its text)")), ("verified", _("All verified"))]

    def queryset(self, request, queryset):
        if self.value() == "unverified":
            return queryset.filter(has_unverified_quote=True)
        if self.value() == "verified":
            return queryset.filter(has_unverified_quote=False)
        return queryset


def with_quote_check(label, question):
    """A question's label in the list, flagged “unverified” when a citation's source has no text to check it."""
    if not question.has_unverified_quote:
        return label
    # In the text's own column: the list keeps to the columns that fit a 1280 px screen beside its filters.
    return format_html('{} <em class="quote-unverified">({})</em>', label, gettext("unverified"))
