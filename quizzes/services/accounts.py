"""Accounts: a learner signs up, through the API or the sign-up page alike."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from ..errors import UsernameTaken


def register_learner(*, username, password, email=""):
    """Create a learner's account; UsernameTaken if the name is taken in any letter case.

    The caller has validated the username's characters and the password's strength (a form or a
    serializer does, with its field messages); this decides that one name is one account. The email
    address is optional: it is only for resetting a forgotten password.
    """
    user_model = get_user_model()
    try:
        with transaction.atomic():
            # Case-insensitively: "Anna" and "anna" would be one person to anyone reading a name.
            if user_model.objects.filter(username__iexact=username).exists():
                raise UsernameTaken
            return user_model.objects.create_user(username=username, password=password, email=email)
    except IntegrityError as error:
        # A parallel sign-up with the same name won between the check and the insert.
        raise UsernameTaken from error


def password_was_reset(*, user):
    """After a password reset, the account's API tokens stop working: one stolen before it must not outlive it."""
    Token.objects.filter(user=user).delete()
