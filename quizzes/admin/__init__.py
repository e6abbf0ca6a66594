"""Authoring in the Django admin: sources, topics, quizzes with their questions, choices and citations.

The rules for valid choices and publishable quizzes live in quizzes/authoring.py; this package wires
them into the forms, the inline formsets and the actions, so an editor sees every problem right in the
form. Attempts and score changes are shown read-only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# Importing the modules registers their ModelAdmins with the default admin site.
from . import questions, quizzes, records, site, sources  # noqa: F401

admin.site.site_header = _("quizsite authoring")
admin.site.site_title = _("quizsite authoring")
admin.site.index_title = _("Quizzes, questions and sources")
