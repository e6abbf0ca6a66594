"""The content version, and the versioned read and store every cached entry goes through (read_many,
store_many, and get_or_build on them): public responses, results, content, a learner's reads.

A cache is an optimisation: every call here that fails raises CacheUnavailable, and the callers then
serve from the database.
"""

import hashlib
import logging
import time

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "quizzes:content-version"
# Old versions' entries are never read again; they only need to expire eventually.
PUBLIC_TIMEOUT = 60 * 60
# Statistics move with every submitted attempt; editors read them as "as of a minute ago".
STATISTICS_TIMEOUT = 60


def new_version():
    # Nanoseconds since the epoch: unique per save and usable as Last-Modified.
    return str(time.time_ns())


class CacheUnavailable(Exception):
    """The shared cache failed; the caller serves the read uncached."""


def cache_call(method, *args, **kwargs):
    # A cache is an optimisation: when it is down (Redis unreachable, cache table missing) reads are
    # served from the database, slower but correct, and the failure is logged.
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - any backend's failure means the same: no cache
        logger.warning("shared cache %s failed: %r", method, error)
        raise CacheUnavailable from error


def content_version():
    """The current version of all public content, created on first use."""
    return current_version(CONTENT_VERSION_KEY)


def current_version(key, *, timeout=None):
    """The version stored at `key`, created on first use (and again once it is evicted or expired:
    versions are never reused, so entries built under a lost one are never read again)."""
    version = cache_call("get", key)
    if version is None:
        cache_call("add", key, new_version(), timeout=timeout)
        version = cache_call("get", key)
    if version is None:
        # A cache that ignores its connection errors (django-redis with IGNORE_EXCEPTIONS) answers
        # every read with a miss: without a version nothing may be read or stored, so the caller
        # builds from the database.
        raise CacheUnavailable
    return version


def entry_key(namespace, key_parts, *, per_language=True):
    parts = [get_language() or "" if per_language else "", *map(str, key_parts)]
    return f"quizzes:{namespace}:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def read_many(namespace, key_parts_list, *, per_language=True, also_version=None, create_versions=True):
    """(version, {key_parts: value}) of the entries at `key_parts_list` built under the current content
    version; (None, {}) when the cache fails. Store what was missing under the version returned here.

    One shared-cache round trip (with the database cache each read is a query): the keys leave the
    version out and each entry records the version it was built under, so get_many fetches both.
    `also_version` is (key, timeout) of a second version the entries must have been built under too
    (one learner's: learners.py); the version returned is then the pair. A version that does not
    exist yet is created, unless `create_versions` is false: then (None, {}) says so, and nothing
    is written (a read that may not lead to a store: tokens.py, learners.cached_result).
    """
    keys = {
        entry_key(namespace, key_parts, per_language=per_language): tuple(key_parts) for key_parts in key_parts_list
    }
    version_keys = [CONTENT_VERSION_KEY] + ([also_version[0]] if also_version else [])
    try:
        found = cache_call("get_many", [*version_keys, *keys])
        if not create_versions and any(key not in found for key in version_keys):
            return None, {}
        version = found.get(CONTENT_VERSION_KEY) or content_version()
        if also_version:
            key, timeout = also_version
            version = (version, found.get(key) or current_version(key, timeout=timeout))
    except CacheUnavailable:
        return None, {}
    return version, {
        keys[key]: stored[1] for key, stored in found.items() if key in keys and stored[0] == version
    }


def write_in_writers_transaction(method, *args):
    """cache_call for a write inside a writer's transaction. With the database cache on a database other
    than SQLite it runs in a savepoint: a failing cache table then rolls back to it, where it would
    abort the writer's transaction, which would commit as a silent rollback (SQLite's stays usable)."""
    if isinstance(caches["default"], DatabaseCache) and connections[DEFAULT_DB_ALIAS].vendor != "sqlite":
        with transaction.atomic():
            return cache_call(method, *args)
    return cache_call(method, *args)


def store_many(namespace, version, values, *, timeout, per_language=True):
    """Store {key_parts: value}, built after read_many returned `version`; nothing when that read failed."""
    if version is None or not values:
        return
    entries = {
        entry_key(namespace, key_parts, per_language=per_language): (version, value)
        for key_parts, value in values.items()
    }
    try:
        cache_call("set_many", entries, timeout)
    except CacheUnavailable:
        pass  # served uncached; the next request tries again


def get_or_build(namespace, key_parts, build, *, timeout, may_store=lambda: True, per_language=True):
    """`build()`'s value, cached per language and `key_parts` while the content version stands.

    `may_store()`, asked after building, can keep a value out of the cache (a page that turned out
    to be per visitor).
    """
    # The version is read before building, so what was built from older rows is stored under the
    # older version and is not served once an editor's save has replaced it.
    version, found = read_many(namespace, [key_parts], per_language=per_language)
    value = found.get(tuple(key_parts))
    if value is None:
        value = build()
        if value is None:
            return value  # read back as a miss anyway: storing it would only crowd out real entries
        if version is None or not may_store():
            return value  # the cache failed: served uncached, the next request tries again
        try:
            cache_call("set", entry_key(namespace, key_parts, per_language=per_language), (version, value), timeout)
        except CacheUnavailable:
            pass  # served uncached; the next request tries again
    return value
