"""Shared-cache reads: public responses and submitted results, and when they stop being valid.

Everything lives in Django's default cache (the database table, or Redis when REDIS_URL is set), so
every process on every machine sees the same entries and the same invalidation.

- Public content (quizzes, questions, choices, citations, topics, sources, feedback bands, the site's
  texts) has one *content version*, replaced whenever any of it is saved or deleted, one row
  (signals) or in bulk (ContentQuerySet). Public responses carry the version in
  their key; other entries record the version they were built under and are read together with the
  current one in one round trip. Either way a save makes every old entry unusable at once.
- A submitted result only changes when it is regraded; it is kept as its rendered JSON body, under
  a key with the attempt's state, score and maximum, which a regrade rewrites. The percentile in a
  result compares with other learners and may lag by RESULT_TIMEOUT.
- Statistics are cached for STATISTICS_TIMEOUT: they move with every submission, and an editor's
  dashboard a minute behind costs nothing, while aggregating all attempts per request grows with them.
- The home page is cached whole, as rendered HTML, for visitors who carry no session and no
  messages (nothing on their page is their own); for everyone else only its catalogue is cached
  while they never started a quiz.
- Cached public responses carry an ETag and Last-Modified, and a conditional GET gets 304. Each
  process also keeps them in its *public copy* (settings.PUBLIC_COPY_SECONDS, Django's local-memory
  cache), so a hit needs no shared-cache round trip: a save clears the saving process's copy at once,
  and every other process's copy is at most PUBLIC_COPY_SECONDS old.
"""

import hashlib
import logging
import threading
import time
from contextlib import contextmanager
from email.utils import formatdate
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

from . import languages, parameters
from .models import AnswerVisibility, Language
from .models.content import content_written_in_bulk

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "quizzes:content-version"
# Old versions' entries are never read again; they only need to expire eventually.
PUBLIC_TIMEOUT = 60 * 60
RESULT_TIMEOUT = 5 * 60
# Statistics move with every submitted attempt; editors read them as "as of a minute ago".
STATISTICS_TIMEOUT = 60


def _new_version():
    # Nanoseconds since the epoch: unique per save and usable as Last-Modified.
    return str(time.time_ns())


class CacheUnavailable(Exception):
    """The shared cache failed; the caller serves the read uncached."""


def _cache_call(method, *args, **kwargs):
    # A cache is an optimisation: when it is down (Redis unreachable, cache table missing) reads are
    # served from the database, slower but correct, and the failure is logged.
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - any backend's failure means the same: no cache
        logger.warning("shared cache %s failed: %r", method, error)
        raise CacheUnavailable from error


def content_version():
    """The current version of all public content, created on first use."""
    version = _cache_call("get", CONTENT_VERSION_KEY)
    if version is None:
        _cache_call("add", CONTENT_VERSION_KEY, _new_version(), timeout=None)
        version = _cache_call("get", CONTENT_VERSION_KEY)
    if version is None:
        # A cache that ignores its connection errors (django-redis with IGNORE_EXCEPTIONS) answers
        # every read with a miss: without a version nothing may be read or stored, so the caller
        # builds from the database.
        raise CacheUnavailable
    return version


PUBLIC_COPY = "public-copy"


def _public_copy():
    """This process's copy of public responses; None where the settings define none (tests replacing CACHES)."""
    return caches[PUBLIC_COPY] if PUBLIC_COPY in settings.CACHES else None


def _bump(*, build=False):
    copy = _public_copy()
    if copy is not None:
        copy.clear()
    version = _new_version()
    try:
        _cache_call("set", CONTENT_VERSION_KEY, version, timeout=None)
        if build:
            _build_for_version(version)
    except CacheUnavailable:
        # Nothing can be served stale from a cache that is down; entries written before it failed
        # expire after PUBLIC_TIMEOUT at the latest.
        pass


# How deep the current thread is in one_content_change() blocks.
_batches = threading.local()


def content_changed(*, site_texts_unchanged=False):
    """Make every cached public read stale: now, and again once the current transaction commits.

    Now, so the saving request and (with the database cache, which shares the transaction) everyone
    after the commit see the new content; after commit again, so a request that read the old rows
    meanwhile cannot have stored them under the version that is current from then on. Inside
    one_content_change(), its end does this once for every save in it.

    The entries of build_with_each_version are built after the commit, from committed rows, and
    also now when the save did not touch what they read (`site_texts_unchanged`): a rollback must
    not leave a text that was never saved in the cache.
    """
    if getattr(_batches, "depth", 0):
        return
    _bump(build=site_texts_unchanged)
    transaction.on_commit(lambda: _bump(build=True))


@contextmanager
def one_content_change():
    """Count every content save within the block as one change, made at its end (inside its transaction).

    Loading the fixtures saves thousands of rows; one new content version for all of them, instead
    of two per row, is the same for every reader: no one sees the rows before the transaction commits.
    """
    depth = getattr(_batches, "depth", 0)
    _batches.depth = depth + 1
    try:
        yield
    finally:
        _batches.depth = depth
        if depth == 0:
            content_changed()


def _content_saved(sender, **kwargs):
    # Inside one_content_change() its end is the one change for every save in it.
    if not getattr(_batches, "depth", 0):
        content_changed(site_texts_unchanged=sender.__name__ != "SiteText")


def connect_signals():
    """Called from QuizzesConfig.ready(): any save or delete of public content bumps the version."""
    from .models import (  # noqa: PLC0415 - apps are ready now
        Choice,
        Citation,
        FeedbackBand,
        Question,
        Quiz,
        SiteText,
        Source,
        Topic,
    )

    for model in (Quiz, Question, Choice, Citation, Topic, Source, FeedbackBand, SiteText):
        uid = f"quizzes.caching.{model.__name__}"
        post_save.connect(_content_saved, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_content_saved, sender=model, dispatch_uid=f"{uid}.delete")
    # Admin actions, imports and generated data write in bulk through ContentQuerySet, which says so.
    content_written_in_bulk.connect(_content_saved, dispatch_uid="quizzes.caching.bulk")
    m2m_changed.connect(_content_saved, sender=Quiz.topics.through, dispatch_uid="quizzes.caching.quiz_topics")


def _entry_key(namespace, key_parts, *, per_language=True):
    parts = [get_language() or "" if per_language else "", *map(str, key_parts)]
    return f"quizzes:{namespace}:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _read_current(key):
    """The content version and the value stored at `key` if it was built under that version, else None.

    One shared-cache round trip (with the database cache each read is a query): the key leaves the
    version out and the entry records the version it was built under, so get_many fetches both.
    """
    found = _cache_call("get_many", [CONTENT_VERSION_KEY, key])
    version = found.get(CONTENT_VERSION_KEY) or content_version()
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return version, stored[1]
    return version, None


def _get_or_build(namespace, key_parts, build, *, timeout, may_store=lambda: True, per_language=True):
    """`build()`'s value, cached per language and `key_parts` while the content version stands.

    `may_store()`, asked after building, can keep a value out of the cache (a page that turned out
    to be per visitor).
    """
    key = _entry_key(namespace, key_parts, per_language=per_language)
    try:
        # The version is read before building, so what was built from older rows is stored under the
        # older version and is not served once an editor's save has replaced it.
        version, value = _read_current(key)
    except CacheUnavailable:
        return build()
    if value is None:
        value = build()
        if not may_store():
            return value
        try:
            _cache_call("set", key, (version, value), timeout)
        except CacheUnavailable:
            pass  # served uncached; the next request tries again
    return value


# ---------------------------------------------------------------------------------------------
# Public responses


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


def _public_key(request, version, query):
    # The host is one of ALLOWED_HOSTS; links in the response (next page) are built from it. Whether
    # the client asked for a language, and which, decides the response's (languages.response_language).
    origin = f"{request.scheme}://{request.get_host()}{request.path}"
    requested = languages.requested_language(request) or ""
    parts = [version, get_language() or "", requested, origin, query, request.headers.get("Accept", "")]
    return "quizzes:public:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


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
    the entry is keyed by content version, language, URL with its normalised query and Accept header.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        query = cacheable_query(request)
        if request.method not in ("GET", "HEAD") or _has_credentials(request) or query is None:
            return view(request, *args, **kwargs)
        copy, copy_key = _public_copy(), _public_key(request, "", query)
        copied = copy.get(copy_key) if copy is not None else None
        if copied is not None:
            content, content_type, etag, language, version = copied
            response = HttpResponse(content, content_type=content_type)
        else:
            try:
                version = content_version()
                key = _public_key(request, version, query)
                stored = _cache_call("get", key)
            except CacheUnavailable:
                return view(request, *args, **kwargs)
            if stored is not None:
                content, content_type, etag, language = stored
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
                try:
                    _cache_call("set", key, (content, content_type, etag, language), PUBLIC_TIMEOUT)
                except CacheUnavailable:
                    pass  # served uncached; the next request tries again
            if copy is not None:
                copy.set(copy_key, (content, content_type, etag, language, version))
        # The language the view spoke (a quiz's own), not the one LocaleMiddleware chose.
        response["Content-Language"] = language
        return _with_validators(request, response, etag=etag, version=version)

    return cached_view


# ---------------------------------------------------------------------------------------------
# Submitted results


def _is_result_settled(status):
    """Whether only a regrade or a content edit can change this closed attempt's review.

    Under "after the last attempt" the review reveals answers once the learner uses up the quiz's
    attempts, that is after a later start, so those reviews are never cached.
    """
    return not status.is_open and not (
        status.answer_visibility == AnswerVisibility.AFTER_LAST_ATTEMPT and status.max_attempts is not None
    )


def cached_result(status, render):
    """A closed attempt's rendered review from the cache, or from `render()` and then cached.

    `status` is the attempt's selectors.AttemptStatus, read from the database on every request: the
    key carries its state, score and maximum, which a regrade rewrites, and ownership is never
    taken from the cache. `render()` returns the response body, so a hit neither serializes nor
    renders.
    """
    if not _is_result_settled(status):
        return render()
    return _get_or_build(
        "result",
        # The quiz's visibility settings too: an editor's change of them must show even when the
        # content version could not be replaced (the shared cache briefly unreachable).
        [status.pk, status.state, status.score, status.max_score, status.answer_visibility, status.max_attempts],
        render,
        timeout=RESULT_TIMEOUT,
    )


# ---------------------------------------------------------------------------------------------
# Statistics


def cached_statistics(quiz, build):
    """A quiz's statistics from the cache (at most STATISTICS_TIMEOUT old), or from `build()`.

    Aggregating every attempt of a popular quiz on each request would grow with its attempts; an
    editor's save of the quiz's content starts fresh at once through the content version.
    """
    return _get_or_build("statistics", [quiz.pk], build, timeout=STATISTICS_TIMEOUT)


# ---------------------------------------------------------------------------------------------
# Small pieces of content read on many requests


def cached_content(name, key_parts, build):
    """A small read of public content (a quiz's feedback bands, the site's texts), per content version.

    The same in every interface language (key parts say which language, if any, it is in). A hit
    costs no query with Redis (one shared-cache read with the database cache); an editor's save of
    any content makes it stale at once. Key parts must come from a small set of values.
    """
    return _get_or_build(f"content:{name}", key_parts, build, timeout=PUBLIC_TIMEOUT, per_language=False)


# Content that nearly every page reads (the site's texts): (name, key parts, build) of cached_content
# entries that the save replacing the content version builds once it commits, so no visitor's request
# pays for reading them. Registered from QuizzesConfig.ready().
_built_with_each_version = []


def build_with_each_version(name, key_parts, build):
    """Have the cached_content entry `name`/`key_parts` built whenever a save's commit replaces the content version."""
    _built_with_each_version.append((name, key_parts, build))


def _build_for_version(version):
    for name, key_parts, build in _built_with_each_version:
        key = _entry_key(f"content:{name}", key_parts, per_language=False)
        _cache_call("set", key, (version, build()), PUBLIC_TIMEOUT)


# ---------------------------------------------------------------------------------------------
# Page fragments


def cached_fragment(name, key_parts, render):
    """A rendered piece of a page that every visitor without attempts sees alike, per content version.

    For the parts of a page that hold no per-visitor state: the rest of the page (CSRF token, the
    signed-in user, messages) is still rendered per request around it. Key parts must come from a
    small, validated set of values, or visitors could fill the cache.
    """
    return _get_or_build(f"fragment:{name}", key_parts, render, timeout=PUBLIC_TIMEOUT)


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
    return _get_or_build(
        f"page:{name}", key_parts, render, timeout=PUBLIC_TIMEOUT, may_store=lambda: not _used_visitor_state(request)
    )

