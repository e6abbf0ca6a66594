"""How the pages tell bad input and domain errors: a page number that does not exist is a 404, a domain
error a message on the next page the learner sees (or a 404 for an attempt that is not theirs).
"""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from .. import parameters
from ..errors import AttemptClosed, AttemptNotFound, DeadlinePassed, QuestionLocked


def page_number_or_404(request):
    """The `page` query parameter as a number from 1; anything else is a page that does not exist.

    At most six digits, so the offset stays within what a database accepts.
    """
    page = parameters.positive_number(request.GET.get("page", "1"), largest=999_999)
    if page is None:
        raise Http404(_("No such page."))
    return page


def report_error(request, error):
    """Tell the learner about a domain error on the next page they see."""
    if isinstance(error, AttemptNotFound):
        raise Http404(error.message)
    level = messages.WARNING if isinstance(error, (AttemptClosed, DeadlinePassed, QuestionLocked)) else messages.ERROR
    messages.add_message(request, level, error.message)
