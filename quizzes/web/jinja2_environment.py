"""The Jinja2 environment of the pages' loops: Django's gettext, url(), static() and the pages' filters.

Django's Jinja2 backend renders the attempt form's fieldsets and the progress page's rows (the chart is a Django inclusion tag)
(quizzes/jinja2/quizzes/includes/), where Django's engine cost the attempt page about 60 % more
(bench/README.md, "Template engines"). The pages around them stay Django templates.
"""

import html

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from jinja2 import Environment
from markupsafe import Markup

from ..templatetags import quiz_pages


def url(name, **kwargs):
    """reverse() as Jinja2 calls it: url("web:result", attempt_id=attempt.pk)."""
    return reverse(name, kwargs=kwargs)


def local_date(value, format_name):
    """A datetime in the current time zone, in one of Django's formats ("SHORT_DATETIME_FORMAT")."""
    return date_format(timezone.localtime(value), format_name)


def local_day(value, format_name):
    """A date (no time of day) in one of Django's formats ("DATE_FORMAT")."""
    return date_format(value, format_name)


def language_name(code):
    """A language's name in the interface language, as Django's language_name_translated filter says it."""
    return translation.get_language_info(code)["name_translated"]


def escape_as_django_does(value):
    """A printed value escaped by Django's rule (html.escape: &quot;, &#x27;), so both engines write the
    same entities into a page; markup (Django's SafeString, Jinja2's Markup) and numbers as they are.

    Django's conditional_escape does the same through its lazy-string wrappers: on the attempt page of
    20 questions, about 1 000 printed values, those cost about a seventh of the page (bench/README.md)."""
    if isinstance(value, int) or hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # nosec B704 - the text is escaped right here


def environment(**options):
    # Escaping is on whatever the settings say.
    options.pop("autoescape", None)
    jinja2_environment = Environment(autoescape=True, finalize=escape_as_django_does, **options)
    jinja2_environment.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    jinja2_environment.globals.update(url=url, static=static)
    jinja2_environment.filters.update(
        percent=quiz_pages.percent, points=quiz_pages.points, points_int=quiz_pages.points_int, date=local_date,
        day=local_day, language_name=language_name,
    )
    return jinja2_environment
