"""What a visitor sends in a form or a query string, read in one place per kind of value.

A posted id is a database id or nothing, and a text parameter either reaches a lookup or is a 400:
values that `str.isdigit` accepts but `int` refuses, numbers beyond what a database column holds and
NUL bytes (which PostgreSQL refuses in any text) never get as far as the ORM.
"""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# Ids are BigAutoField: a signed 64-bit integer.
LARGEST_ID = 2**63 - 1


def posted_id(value):
    """A positive database id from a form value ("17"), or None for anything else.

    ASCII digits only: str.isdigit also takes "²" and "١", which int() refuses or reads as other
    numbers, and a number of thousands of digits is cut off at the length of the largest id before
    int() would refuse it.
    """
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(LARGEST_ID))):
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None


def text_parameter(request, name):
    """The query parameter `name` as text ("" when absent); a NUL byte in it is a 400, not a lookup."""
    value = request.GET.get(name, "")
    if "\x00" in value:
        raise BadRequest(_("The parameter “%(name)s” must not contain a NUL character.") % {"name": name})
    return value
