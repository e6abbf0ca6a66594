"""Public responses (the catalogue, a quiz's questions) cached whole for visitors without credentials.

Keyed by language, URL with its normalised query and Accept header, and read and stored as every
entry is (versions.read_many, store_many: valid while the content version it was built under stands);
served with ETag and Last-Modified, and kept in each process's public copy (settings.PUBLIC_COPY_SECONDS)
so a hit needs no shared-cache round trip.
"""

import hashlib
from email.utils import formatdate
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

from .. import languages, parameters
from ..models import Language
from .versions import PUBLIC_TIMEOUT, entry_key, read_many, store_many

PUBLIC_COPY = "public-copy"


def public_copy():
    """This process's copy of public responses; None where the settings define none (tests replacing CACHES)."""
    return caches[PUBLIC_COPY] if PUBLIC_COPY in settings.CACHES else None


# The one whitelist of query parameters a cached read (API or page) may carry, each with few possible
# values once normalised. Anything else (search text, topic slugs, unknown or repeated parameters) is
# answered uncached, or anyone could fill the cache with one entry per made-up URL.
CACHEABLE_NUMBERS = {"page": 9_999, "page_size": 100}
CACHEABLE_CHOICES = {"language": frozenset(Language.values)}
# Filters whose empty value means "no filter", as the catalogue's filter form sends them.
EMPTY_MEANS_ABSENT = frozenset({"language", "topic"})


def cacheable_query(request):
    """The request's query string as a cache key part, or None when the answer must not be cached.

    Equivalent queries ("page=01", "language=&topic=&page=2" and "page=2") share one key: they ask for
    the same content, and links built from either lead to equivalent pages.
    """
    normalised = []
    for name in sorted(request.GET):
        values = request.GET.getlist(name)
        if len(values) != 1:
            return None
        value = values[0]
        if value == "" and name in EMPTY_MEANS_ABSENT:
            continue
        if name in CACHEABLE_NUMBERS:
            # ASCII digits only: int() refuses "²" and 5 000 digits, and reads "٣" as 3.
            number = parameters.positive_number(value, largest=CACHEABLE_NUMBERS[name])
            if number is None:
                return None
            value = str(number)
        elif value not in CACHEABLE_CHOICES.get(name, ()):
            return None
        normalised.append(f"{name}={value}")
    return "&".join(normalised)


def _has_credentials(request):
    # A request with a session or a token may see something of its own; it is never served from or
    # stored into the shared entry.
    return bool(request.headers.get("Authorization")) or settings.SESSION_COOKIE_NAME in request.COOKIES


def _public_key_parts(request, query):
    # The host is one of ALLOWED_HOSTS; links in the response (next page) are built from it. Whether
    # the client asked for a language, and which, decides the response's (languages.response_language).
    origin = f"{request.scheme}://{request.get_host()}{request.path}"
    requested = languages.requested_language(request) or ""
    return (get_language() or "", requested, origin, query, request.headers.get("Accept", ""))


def _is_storable(request, response):
    """Only a plain 200 that set no cookie and used no CSRF token is the same for every visitor."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _with_validators(request, response, *, etag, version):
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(int(version) / 1e9, usegmt=True)
    patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie", "Authorization"])
    return get_conditional_response(
        request, etag=etag, last_modified=int(int(version) / 1e9), response=response
    ) or response


def public_get(view):
    """Serve a view's GET for visitors without credentials from the shared cache, with ETag/Last-Modified.

    For reads that are the same for every anonymous visitor (the catalogue, a quiz's questions);
    the entry is keyed by language, URL with its normalised query and Accept header, and valid under
    the content version it records.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        query = cacheable_query(request)
        if request.method not in ("GET", "HEAD") or _has_credentials(request) or query is None:
            return view(request, *args, **kwargs)
        parts = _public_key_parts(request, query)
        copy, copy_key = public_copy(), entry_key("public", parts, per_language=False)
        copied = copy.get(copy_key) if copy is not None else None
        if copied is not None:
            content, content_type, etag, language, version = copied
            response = HttpResponse(content, content_type=content_type)
        else:
            version, found = read_many("public", [parts], per_language=False)
            if version is None:
                return view(request, *args, **kwargs)  # the shared cache failed: served uncached
            if parts in found:
                content, content_type, etag, language = found[parts]
                response = HttpResponse(content, content_type=content_type)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                if not _is_storable(request, response):
                    return response
                content, content_type = response.content, response["Content-Type"]
                etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
                language = get_language() or settings.LANGUAGE_CODE
                store_many("public", version, {parts: (content, content_type, etag, language)},
                           timeout=PUBLIC_TIMEOUT, per_language=False)
            if copy is not None:
                copy.set(copy_key, (content, content_type, etag, language, version))
        # The language the view spoke (a quiz's own), not the one LocaleMiddleware chose.
        response["Content-Language"] = language
        return _with_validators(request, response, etag=etag, version=version)

    return cached_view
