"""Languages, decided here alone: the interface language a page or response is in, and the language of
an API response: the one its client asked for, else the language of the quiz the response is about,
else the site's default.

A client asks with its language cookie (as the pages' language switch sets it) or Accept-Language,
when either names a language the site speaks. The pages follow Django's LocaleMiddleware alone.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header


def interface_language():
    """The active interface language as one of the site's codes ("de", "en"): what LocaleMiddleware chose
    for a page, or use_for_response for an API response; the site's default when none is active."""
    code = (get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _supported(code):
    if not code or code == "*":
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def requested_language(request):
    """The site's language that the client asked for, or None when it named none that the site speaks."""
    chosen = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        chosen = _supported(code)
        if chosen:
            return chosen
    return None


def response_language(request, *, quiz_language=None):
    """The language of an API response about a quiz in `quiz_language` (None: about no one quiz)."""
    return requested_language(request) or quiz_language or settings.LANGUAGE_CODE


def use_for_response(request, *, quiz_language):
    """Speak response_language for the rest of this request (serializers, errors, Content-Language)."""
    language = response_language(request, quiz_language=quiz_language)
    translation.activate(language)
    return language
