"""The site's own texts, per language: its name, the home page's headline and introduction, the footer.

Editors change them in the admin; the shipped ones (fixtures/02-site.yaml) introduce the Parler
quizzes. selectors.site_texts reads them, with neutral defaults for a language without a row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import ContentQuerySet, Language


class SiteTextManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, language):
        return self.get(language=language)


class SiteText(models.Model):
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, unique=True)
    site_name = models.CharField(
        _("site name"), max_length=80, help_text=_("In the header of every page and in the browser's title.")
    )
    headline = models.CharField(_("home page headline"), max_length=200)
    introduction = models.TextField(_("home page introduction"), blank=True)
    footer = models.TextField(_("footer"), blank=True, help_text=_("At the foot of every page."))

    objects = SiteTextManager()

    class Meta:
        verbose_name = _("site texts")
        verbose_name_plural = _("site texts")
        ordering = ["language"]

    def __str__(self):
        return self.get_language_display()

    def natural_key(self):
        return (self.language,)
