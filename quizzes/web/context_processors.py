"""Template context for every page: the site's own texts (selectors.site_texts)."""

from django.utils.functional import SimpleLazyObject

from .. import selectors
from ..languages import interface_language


def site_texts(request):
    """`site_texts`: the site's name, headline, introduction and footer in the page's language.

    Lazy, so a response that renders no page (a redirect, JSON, the admin) never reads them. Not
    `site`: Django's login and password-reset views put the current Site there.
    """
    return {
        "site_texts": SimpleLazyObject(
            lambda: selectors.site_texts(language=interface_language())
        )
    }
