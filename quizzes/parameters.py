"""What a client sends in a form or a query string, read in one place per kind of value.

Numbers are ASCII digits within a bound, and a text parameter either reaches a lookup or is a 400:
values that `str.isdigit` accepts but `int` refuses ("²") or reads as another number ("٣"), numbers
beyond what a database column holds, and NUL bytes (which PostgreSQL refuses in any text) never
get as far as int() or the ORM.
"""

import uuid

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# Ids are BigAutoField: a signed 64-bit integer.
LARGEST_ID = 2**63 - 1


def positive_number(value, *, largest=LARGEST_ID):
    """A whole number from 1 to `largest` written in ASCII digits ("17"), or None for anything else.

    The length is checked before int(), which refuses numbers of more than 4 300 digits.
    """
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(largest))):
        return None
    number = int(value)
    return number if 0 < number <= largest else None


def posted_id(value):
    """A database id from a form value, or None when the value cannot be one."""
    return positive_number(value)


def text_parameter(request, name):
    """The query parameter `name` as text ("" when absent); a NUL byte in it is a 400, not a lookup."""
    value = request.GET.get(name, "")
    if "\x00" in value:
        raise BadRequest(_("The parameter “%(name)s” must not contain a NUL character.") % {"name": name})
    return value


def uuid_parameter(value):
    """A UUID from a query string or form (an attempt id), or None when the value cannot be one."""
    if not isinstance(value, str) or len(value) > 36 or not value.isascii():
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
