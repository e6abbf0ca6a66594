"""How the pages tell bad input and domain errors: a page number that does not exist is a 404, a domain
error a message on the next page the learner sees, or the 404 page where the API answers 404 (one
mapping for both, errors.status_code_of).
"""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from .. import parameters
from ..errors import AttemptClosed, DeadlinePassed, QuestionLocked, status_code_of


def page_number_or_404(request):
    """The `page` query parameter as a number from 1; anything else is a page that does not exist.

    At most six digits, so the offset stays within what a database accepts.
    """
    page = parameters.positive_number(request.GET.get("page", "1"), largest=999_999)
    if page is None:
        raise Http404(_("No such page."))
    return page


def raise_404_where_the_api_does(error):
    """Raise Http404 for a domain error that the API answers with 404 (errors.status_code_of, the one
    mapping): the page of something that is not the visitor's, or not there, is the 404 page."""
    if status_code_of(error) == 404:
        raise Http404(error.message) from error


def report_error(request, error):
    """Tell the learner about a domain error on the next page they see (or the 404 page, as above)."""
    raise_404_where_the_api_does(error)
    level = messages.WARNING if isinstance(error, (AttemptClosed, DeadlinePassed, QuestionLocked)) else messages.ERROR
    messages.add_message(request, level, error.message)
