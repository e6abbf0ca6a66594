"""Cached reads of one learner's own state (the review queue, the progress page, their submitted results),
and what makes them stale.

Each learner (owners.Owner.key) has a *learner version* beside the content version. The writers of
what such a read depends on (their memory states, which attempts they have in progress) call
learner_changed() for every learner they wrote; it replaces the learner's version, so no entry built
before is read again. An entry also records the content version and the time span it is right for
without any write (the read says when the clock next changes it, say when the next question falls
due), and lives at most LEARNER_TIMEOUT: the one bound on what a write path that forgot to call
learner_changed could leave.
"""

from datetime import timedelta

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction

from .versions import (
    CacheUnavailable,
    cache_call,
    entry_key,
    new_version,
    read_many,
    store_many,
    write_in_writers_transaction,
)

# The longest an entry is served, in the learner's clock and in the cache's.
LEARNER_TIMEOUT = 60
# A learner's version only has to outlive the entries built under it. One that is lost (expired, culled)
# is created afresh by the next read: versions are never reused, so no entry built before is read.
LEARNER_VERSION_TIMEOUT = 24 * 60 * 60
# A settled review does not change with the clock: only LEARNER_TIMEOUT bounds it.
RESULT_SPAN = timedelta(seconds=LEARNER_TIMEOUT)


def _version_key(owner_key):
    return entry_key("learner-version", [owner_key], per_language=False)


def learner_changed(*owner_keys):
    """Make the learners' cached reads stale.

    Called where what a learner's review, progress or results show changes: an attempt starting
    (services.starting) or closing (services.grading.score_and_close, which also feeds review), a
    review answer (services.review_answers.answer_review) and a guest's attempts and memory joining an account
    (services.guests), and a check that locks a question in an attempt in progress (services.checking:
    its memory, which review leaves out until the attempt closes, counts in the progress page's recall).
    A regrade calls it for each regraded attempt's owner (their cached result) and changes the content
    version, which every entry records too.

    The old version goes now, so the writing request reads afresh. With the database cache that happens
    in the writer's transaction and commits with it, and a read meanwhile that would create a version
    waits for the commit: on SQLite for the database's one write lock, so dropping the version is
    enough; elsewhere (PostgreSQL) for the row of the new version written here. Any other cache gets
    another new version after the commit: a read that built from the rows before the commit meanwhile
    stored them under a version no read uses then.
    """
    keys = [_version_key(owner_key) for owner_key in owner_keys]
    if isinstance(caches["default"], DatabaseCache):
        # No second write after the commit, which on SQLite would wait for the one write lock again.
        try:
            if connection.vendor == "sqlite":
                # One statement where writing a version takes five (in one process 0.01 against 0.22 ms,
                # on every start, close and review answer); a failing cache table leaves SQLite's
                # transaction usable.
                cache_call("delete_many", keys)
            else:
                write_in_writers_transaction("set_many", _new_versions(keys), LEARNER_VERSION_TIMEOUT)
        except CacheUnavailable:
            pass  # nothing was cached from a table that fails
    else:
        _replace_versions_if_up(keys)
        transaction.on_commit(lambda: _replace_versions_if_up(keys))


def _new_versions(keys):
    return {key: new_version() for key in keys}


def _replace_versions(keys):
    cache_call("set_many", _new_versions(keys), LEARNER_VERSION_TIMEOUT)


def _replace_versions_if_up(keys):
    try:
        _replace_versions(keys)
    except CacheUnavailable:
        pass  # entries written before the cache failed live LEARNER_TIMEOUT at most


def cached_learner_read(name, owner_key, key_parts, build, *, now, kept_if=None):
    """`build()`'s value for this learner, cached while neither the learner nor the content changed.

    `build()` returns (value, valid_until): the value stays right until `valid_until` unless something
    is written (and at most LEARNER_TIMEOUT after `now`). One shared-cache round trip when cached: the
    content version, the learner's and the entry are read together. With `kept_if`, asked on a miss,
    only a value it allows is built and kept (None is returned otherwise), and nothing is written
    for one it refuses, not even a version.
    """
    # "learner-read": entries of this shape; the older "learner:" ones, stored as (versions, built at,
    # valid until, value), are never read, so a process started meanwhile cannot mistake one for the other.
    namespace, parts = f"learner-read:{name}", (owner_key, *key_parts)
    also_version = (_version_key(owner_key), LEARNER_VERSION_TIMEOUT)
    versions, found = read_many(
        namespace, [parts], per_language=False, also_version=also_version, create_versions=kept_if is None
    )
    stored = found.get(parts)
    if stored is not None:
        built_at, valid_until, value = stored
        if built_at <= now < valid_until:
            return value
    if kept_if is not None:
        if not kept_if():
            return None
        # The versions exist before the value is built, so a write meanwhile makes what is stored stale.
        versions, _found = read_many(namespace, [parts], per_language=False, also_version=also_version)
    value, valid_until = build()
    valid_until = min(valid_until, now + timedelta(seconds=LEARNER_TIMEOUT))
    # Nothing when the read failed (versions is None): served uncached, the next read tries again.
    store_many(namespace, versions, {parts: (now, valid_until, value)}, timeout=LEARNER_TIMEOUT, per_language=False)
    return value


# ---------------------------------------------------------------------------------------------
# Submitted results


def cached_result(owner_key, key_parts, *, is_settled, render, now):
    """A closed attempt's review as its owner reads it: from the cache, else `render()`'s, kept if settled.

    `is_settled()` reads the owner's attempt (raising AttemptNotFound for anyone else's) and says
    whether only a regrade or an edit can change its review (rules.review_is_settled); None is
    returned for any other, which is never kept, and nothing is written for it (an attempt in
    progress costs one shared-cache read). Kept as one learner's read: only for this owner (a hit
    reads neither the attempt nor its quiz), and stale once the learner starts or closes an attempt,
    answers in review or joins a guest's attempts to their account, once a regrade rewrites it
    (learner_changed) or an editor's save replaces the content version, or after LEARNER_TIMEOUT:
    the bound for a write no version tells of (an attempt deleted with its account, whose
    credentials go with it) and for the percentile, which compares with other learners.
    """
    return cached_learner_read(
        "result", owner_key, key_parts, lambda: (render(), now + RESULT_SPAN), now=now, kept_if=is_settled
    )
