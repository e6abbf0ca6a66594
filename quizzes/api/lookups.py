"""The quiz an endpoint's URL names, read through the selectors; a missing one is the API's JSON 404."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound

from .. import selectors


def published_quiz_or_404(slug):
    """The published quiz with this slug, for learners' endpoints."""
    quiz = selectors.published_quiz(slug=slug)
    if quiz is None:
        raise NotFound(_("No published quiz with this slug."))
    return quiz


def any_quiz_or_404(slug):
    """The quiz with this slug, published or not, for the endpoints of editors and teachers."""
    quiz = selectors.published_quiz(slug=slug, include_unpublished=True)
    if quiz is None:
        raise NotFound(_("No quiz with this slug."))
    return quiz
