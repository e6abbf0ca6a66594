"""Whose an API token is, through the shared cache: one round trip instead of a query joining the token
and its user, on every request that carries a token.

Each token has a version, as each learner has (learners.py): saving or deleting the token, or saving
its user (deleting a user deletes its token), replaces it, so no entry built before is read again.
An entry lives at most TOKEN_TIMEOUT: the bound on a change no signal tells of (a queryset's update(),
SQL by hand). A key that is no token writes nothing, so guessing cannot fill the cache.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .versions import (
    CacheUnavailable,
    entry_key,
    read_many,
    store_many,
    write_in_writers_transaction,
)

# As long as a learner's reads: the bound on a change no signal tells of, and on one whose
# invalidation could not reach the cache (Redis unreachable at that moment).
TOKEN_TIMEOUT = 60
_NAMESPACE = "token-user"


def _version_key(token_key):
    # entry_key hashes its parts: no token is ever a key of the cache.
    return entry_key("token-version", [token_key], per_language=False)


def cached_token_user(token_key, build):
    """`build()`'s value for this token (the fields of its user, or None for no such token), cached
    while neither the token, its user nor the content changed."""
    parts = (token_key,)

    def read(*, create_versions):
        also_version = (_version_key(token_key), TOKEN_TIMEOUT)
        return read_many(
            _NAMESPACE, [parts], per_language=False, also_version=also_version, create_versions=create_versions
        )

    versions, found = read(create_versions=False)
    if parts in found:
        return found[parts]
    value = build()
    if value is None:
        return None  # no such token: nothing is written, so guessing cannot fill the cache
    if versions is None:
        # The token's first read since its version went: create the version, then read the token
        # once more, so a deletion that committed before the version existed is seen, never stored.
        versions, _found = read(create_versions=True)
        if versions is None:
            return value  # the cache failed: served uncached
        value = build()
        if value is None:
            return None
    store_many(_NAMESPACE, versions, {parts: value}, timeout=TOKEN_TIMEOUT, per_language=False)
    return value


def tokens_changed(token_keys):
    """Make the cached users of these tokens stale: now, and again once the transaction commits.

    Now, so the writing request reads afresh (with the database cache the delete commits with the
    writer); after the commit again, so a read that built from the rows before it meanwhile has stored
    them under a version no read uses then.
    """
    keys = [_version_key(token_key) for token_key in token_keys]
    if keys:
        _drop_versions(keys)
        transaction.on_commit(lambda: _drop_versions(keys))


def _drop_versions(keys):
    try:
        write_in_writers_transaction("delete_many", keys)
    except CacheUnavailable:
        pass  # entries written before the cache failed live TOKEN_TIMEOUT at most


def _token_written(sender, instance, created=False, **kwargs):
    if not created:  # a new key has never been stored
        tokens_changed([instance.key])


def _user_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return  # a new user has no token yet; a login changes nothing a token's entry holds
    from rest_framework.authtoken.models import Token  # noqa: PLC0415 - apps are ready when this runs

    tokens_changed(list(Token.objects.filter(user_id=instance.pk).values_list("key", flat=True)))


def connect_token_signals():
    from rest_framework.authtoken.models import Token, TokenProxy  # noqa: PLC0415 - apps are ready now

    # DRF's admin edits tokens as TokenProxy, whose saves signal with that class as the sender.
    for model in (Token, TokenProxy):
        uid = f"quizzes.caching.{model.__name__}"
        post_save.connect(_token_written, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_token_written, sender=model, dispatch_uid=f"{uid}.delete")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="quizzes.caching.token.user")
