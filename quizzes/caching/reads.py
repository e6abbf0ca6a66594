"""Cached reads built through versions.get_or_build: results, statistics, small content, fragments, pages."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from .versions import (
    PUBLIC_TIMEOUT,
    STATISTICS_TIMEOUT,
    cache_call,
    entry_key,
    get_or_build,
    read_many,
    store_many,
)

# ---------------------------------------------------------------------------------------------
# Statistics


def cached_statistics(quiz, build):
    """A quiz's statistics from the cache (at most STATISTICS_TIMEOUT old), or from `build()`.

    Aggregating every attempt of a popular quiz on each request would grow with its attempts; an
    editor's save of the quiz's content starts fresh at once through the content version.
    """
    return get_or_build("statistics", [quiz.pk], build, timeout=STATISTICS_TIMEOUT)


# ---------------------------------------------------------------------------------------------
# Small pieces of content read on many requests


def cached_content(name, key_parts, build):
    """A small read of public content (a quiz's feedback bands, the site's texts), per content version.

    The same in every interface language (key parts say which language, if any, it is in). A hit
    costs no query with Redis (one shared-cache read with the database cache); an editor's save of
    any content makes it stale at once. Key parts must come from a small set of values.
    """
    return get_or_build(f"content:{name}", key_parts, build, timeout=PUBLIC_TIMEOUT, per_language=False)


def cached_content_entries(name, keys):
    """(version, {key: value}) of the `name` entries at `keys` (tuples of parts, say ("card", question id))
    built under the current content version, in one shared-cache round trip for all of them. Build
    the missing ones and pass them, with that version, to store_content_entries. Keys are content's own
    (ids, translation keys), never a visitor's input."""
    return read_many(f"content:{name}", keys, per_language=False)


def store_content_entries(name, version, values):
    """Store {key: value} as `name` entries, built after cached_content_entries returned `version`."""
    store_many(f"content:{name}", version, values, timeout=PUBLIC_TIMEOUT, per_language=False)


# Content that nearly every page reads (the site's texts): (name, key parts, build) of cached_content
# entries that the save replacing the content version builds once it commits, so no visitor's request
# pays for reading them. Registered from QuizzesConfig.ready().
_built_with_each_version = []


def build_with_each_version(name, key_parts, build):
    """Have the cached_content entry `name`/`key_parts` built whenever a save's commit replaces the content version."""
    _built_with_each_version.append((name, key_parts, build))


def build_for_version(version):
    for name, key_parts, build in _built_with_each_version:
        key = entry_key(f"content:{name}", key_parts, per_language=False)
        cache_call("set", key, (version, build()), PUBLIC_TIMEOUT)


# ---------------------------------------------------------------------------------------------
# Page fragments


def cached_fragment(name, key_parts, render):
    """A rendered piece of a page that every visitor without attempts sees alike, per content version.

    For the parts of a page that hold no per-visitor state: the rest of the page (CSRF token, the
    signed-in user, messages) is still rendered per request around it. Key parts must come from a
    small, validated set of values, or visitors could fill the cache.
    """
    return get_or_build(f"fragment:{name}", key_parts, render, timeout=PUBLIC_TIMEOUT)


# ---------------------------------------------------------------------------------------------
# Whole pages


def _carries_visitor_state(request):
    # A session (a guest who started a quiz, a signed-in user) or pending messages put something of
    # the visitor's own on the page.
    return settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES


def _used_visitor_state(request):
    # A CSRF token or a session written while rendering belongs to this visitor alone.
    session = getattr(request, "session", None)
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or (session is not None and session.modified)


def cached_page(request, name, key_parts, render):
    """A whole rendered page for visitors without a session or messages, per content version and language.

    Through _get_or_build: one shared-cache read per hit. A page that used a CSRF token or the session
    is per visitor and never stored. Key parts must come from a small, validated set of values, or
    visitors could fill the cache.
    """
    if _carries_visitor_state(request):
        return render()
    return get_or_build(
        f"page:{name}", key_parts, render, timeout=PUBLIC_TIMEOUT, may_store=lambda: not _used_visitor_state(request)
    )
