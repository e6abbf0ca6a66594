"""Uploaded files waiting for an editor's confirmation, in the shared cache.

An admin import is previewed, then confirmed: the uploaded bytes wait here in between, under their
SHA-256 and the editor's id, so the confirmed import reads exactly the previewed file, on whichever
process the confirmation lands. When the cache is down, nothing waits, and the editor uploads again.
"""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

PENDING_UPLOAD_TIMEOUT = 30 * 60


def _key(user_id, digest):
    return f"quizzes:pending-upload:{user_id}:{digest}"


def keep(*, user_id, raw):
    """Keep an uploaded file for its confirmation; returns its SHA-256, or None when the cache is down."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        cache.set(_key(user_id, digest), raw, PENDING_UPLOAD_TIMEOUT)
    except Exception as error:  # noqa: BLE001 - any backend's failure means the same: nothing kept
        logger.warning("shared cache set failed: %r", error)
        return None
    return digest


def find(*, user_id, digest):
    """The bytes kept under this SHA-256 for this user, or None when they expired or the cache is down."""
    try:
        raw = cache.get(_key(user_id, digest))
    except Exception as error:  # noqa: BLE001
        logger.warning("shared cache get failed: %r", error)
        return None
    if not isinstance(raw, bytes) or hashlib.sha256(raw).hexdigest() != digest:
        return None
    return raw


def forget(*, user_id, digest):
    try:
        cache.delete(_key(user_id, digest))
    except Exception as error:  # noqa: BLE001
        logger.warning("shared cache delete failed: %r", error)
