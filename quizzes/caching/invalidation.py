"""What makes cached public reads stale: any save or delete of public content, bulk writes, a regrade.

Each replaces the content version (versions.py), which makes every entry built under the old one
unusable at once, and clears this process's public copy.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models.content import content_written_in_bulk
from .public import public_copy
from .reads import build_for_version
from .versions import CONTENT_VERSION_KEY, CacheUnavailable, cache_call, new_version


def _bump(*, build=False):
    copy = public_copy()
    if copy is not None:
        copy.clear()
    version = new_version()
    try:
        cache_call("set", CONTENT_VERSION_KEY, version, timeout=None)
        if build:
            build_for_version(version)
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
    meanwhile cannot have stored them under the version that is current from then on. Saves inside
    one_content_change() do not call this: its end does, once for all of them.

    The entries of build_with_each_version are built after the commit, from committed rows, and
    also now when the save did not touch what they read (`site_texts_unchanged`): a rollback must
    not leave a text that was never saved in the cache.
    """
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
    # The one check for one_content_change(): inside it, its end is the one change for every save in it.
    if not getattr(_batches, "depth", 0):
        content_changed(site_texts_unchanged=sender.__name__ != "SiteText")


def connect_signals():
    """Called from QuizzesConfig.ready(): any save or delete of public content bumps the version."""
    from ..models import (  # noqa: PLC0415 - apps are ready now
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
