"""The site's own texts (name, home page headline and introduction, footer) in one language."""

from dataclasses import dataclass

from django.utils.translation import gettext, override

from .. import caching
from ..models import SiteText

# A site whose texts were never loaded is named neutrally, not after any one story.
NEUTRAL_SITE_NAME = "quizsite"


@dataclass(frozen=True)
class SiteTexts:
    site_name: str
    headline: str
    introduction: str
    footer: str


def neutral_site_texts(language):
    """What a language without site texts shows: the project's name and a plain headline."""
    with override(language):
        return SiteTexts(site_name=NEUTRAL_SITE_NAME, headline=gettext("Quizzes"), introduction="", footer="")


def site_texts_by_language():
    """Every language's site texts from the database, by language code. One query."""
    rows = SiteText.objects.values_list("language", "site_name", "headline", "introduction", "footer")
    return {language: SiteTexts(*texts) for language, *texts in rows}


def site_texts(*, language):
    """The site's texts in `language`, through the shared cache; neutral ones when it has none.

    No query while the shared cache holds them: the save that changes content builds them anew
    (caching.build_with_each_version), and otherwise the first read under a content version does.
    """
    texts = caching.cached_content("site-texts", [], site_texts_by_language).get(language)
    return texts if texts is not None else neutral_site_texts(language)


def build_site_texts_with_each_version():
    """Called from QuizzesConfig.ready(): every page shows them, so they are built by the save, not a visitor."""
    caching.build_with_each_version("site-texts", [], site_texts_by_language)
