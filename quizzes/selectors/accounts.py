"""Reads about accounts: whose an API token is."""

from rest_framework.authtoken.models import Token

from .. import caching

# What a request with a token needs of its user (its identity, and whether it may act and as staff);
# the rest of the user is read if something asks for it.
TOKEN_USER_FIELDS = ("id", "username", "is_active", "is_staff", "is_superuser")


def token_user_fields(key):
    """{field: value} of TOKEN_USER_FIELDS of the user whose API token `key` is, or None for no such token.

    One query, or a shared-cache read while neither the token nor its user changed (caching/tokens.py).
    """
    return caching.cached_token_user(key, lambda: _read_token_user_fields(key))


def _read_token_user_fields(key):
    row = Token.objects.filter(key=key).values(*(f"user__{field}" for field in TOKEN_USER_FIELDS)).first()
    return None if row is None else {field: row[f"user__{field}"] for field in TOKEN_USER_FIELDS}
