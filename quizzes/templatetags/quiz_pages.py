"""Formatting for the learner pages: durations, percentages, points, and the progress chart.

The markup is in the templates (quizzes/templates/quizzes/includes/, and quizzes/jinja2/ for the
loops that Django's engine made too slow); these are filters, one inclusion tag and the tag that
puts a Jinja2 include into a Django page.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template import engines
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..web.chart import progress_chart as chart_geometry

register = template.Library()


@register.filter
def duration(seconds):
    """A time limit in words: "90 seconds", "5 minutes", "1 h 30 min"."""
    seconds = int(seconds or 0)
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        text = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        return text if not rest else _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": rest}
    hours, minutes = divmod(minutes, 60)
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}


@register.filter
def clock(seconds):
    """Seconds as a countdown, m:ss or h:mm:ss."""
    seconds = max(0, math.ceil(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def percent(value):
    """A percentage for people: "66.7 %" (locale-aware), "100 %"."""
    if value is None:
        return "–"
    # number_format truncates; round half up first so 77.67 shows as 77.7, and decide on the decimal
    # after rounding so 99.96 shows as 100, like a whole 100, not as 100.0.
    value = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    places = 0 if value == value.to_integral_value() else 1
    return f"{number_format(value, places)}\u00a0%"  # no line break between number and sign


@register.filter
def share_as_percent(share):
    """A share of 1 as a percentage for people: 0.3333 as "33.3 %"."""
    return percent(Decimal(share) * 100)


@register.filter
def points(value):
    """Points without needless decimals: "1", "0.5", "1.33" (locale-aware)."""
    value = Decimal(value or 0).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, min(places, 2))


@register.filter
def points_int(value):
    """Points as a number for plural forms (1 point, 2 points)."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else 2


@register.inclusion_tag("quizzes/includes/progress_chart.html")
def progress_chart(attempts):
    """A small SVG line chart of the percent of each closed attempt, oldest first, with a summary in words."""
    chart = chart_geometry(attempts)
    first, last = chart.first_attempt, chart.last_attempt
    summary = ngettext(
        "Score of %(count)d finished attempt on %(first)s: %(latest)s.",
        "Scores of %(count)d finished attempts from %(first)s to %(last)s; latest %(latest)s.",
        len(attempts),
    ) % {
        "count": len(attempts),
        "first": date_format(timezone.localtime(first.submitted_at), "SHORT_DATE_FORMAT"),
        "last": date_format(timezone.localtime(last.submitted_at), "SHORT_DATE_FORMAT"),
        "latest": percent(last.percent),
    }
    return {"chart": chart, "summary": summary}


@register.simple_tag
def jinja2_include(template_name, **values):
    """One of quizzes/jinja2/'s templates, rendered with only `values`, in place in a Django page."""
    # Jinja2 escaped every value in it (quizzes/web/jinja2_environment.py): its output is markup.
    return mark_safe(engines["jinja2"].get_template(template_name).render(values))  # nosec B308 B703


@register.filter
def time_taken(started_at, submitted_at):
    """How long an attempt took, in words ("4 minutes 10 seconds" style via `duration`)."""
    if not started_at or not submitted_at:
        return "–"
    return duration(max(0, int((submitted_at - started_at).total_seconds())))
