"""Formatting for the learner pages: durations, percentages, points, and the progress chart."""

import math
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..web import links

register = template.Library()

CHART_WIDTH = 400
CHART_HEIGHT = 180
CHART_MARGIN = 24
CHART_LABEL_SPACE = 56  # room left of the plot for "100 %"


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
    """A percentage for people: "66.67 %" (locale-aware), "100 %"."""
    if value is None:
        return "–"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 1
    # number_format truncates; round half up first so 77.67 shows as 77.7.
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{number_format(value, places)}\u00a0%"  # no line break between number and sign


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


@register.simple_tag
def progress_chart(attempts):
    """A small SVG line chart of the percent of each closed attempt, oldest first."""
    plot_width = CHART_WIDTH - CHART_LABEL_SPACE - CHART_MARGIN
    plot_height = CHART_HEIGHT - 2 * CHART_MARGIN
    count = len(attempts)
    step = plot_width / (count - 1) if count > 1 else 0

    def position(index, value):
        x = CHART_LABEL_SPACE + (index * step if count > 1 else plot_width / 2)
        y = CHART_MARGIN + plot_height * (1 - float(value) / 100)
        return round(x, 1), round(y, 1)

    points_ = [position(index, attempt.percent) for index, attempt in enumerate(attempts)]
    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-grid"/>'
        '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}\u00a0%</text>',
        (
            (CHART_LABEL_SPACE, y, CHART_WIDTH - CHART_MARGIN, y, CHART_LABEL_SPACE - 4, y + 4, level)
            for level in (0, 50, 100)
            for y in [position(0, level)[1]]
        ),
    )
    line = " ".join(f"{x},{y}" for x, y in points_)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="5" class="chart-dot"><title>{}</title></circle>',
        (
            (x, y, f"{attempt.quiz.title}: {percent(attempt.percent)}")
            for (x, y), attempt in zip(points_, attempts)
        ),
    )
    first, last = attempts[0], attempts[-1]
    summary = ngettext(
        "Score of %(count)d finished attempt on %(first)s: %(latest)s.",
        "Scores of %(count)d finished attempts from %(first)s to %(last)s; latest %(latest)s.",
        count,
    ) % {
        "count": count,
        "first": date_format(timezone.localtime(first.submitted_at), "SHORT_DATE_FORMAT"),
        "last": date_format(timezone.localtime(last.submitted_at), "SHORT_DATE_FORMAT"),
        "latest": percent(last.percent),
    }
    return format_html(
        '<figure class="chart"><svg viewBox="0 0 {} {}" role="img" aria-labelledby="chart-summary" '
        'preserveAspectRatio="xMidYMid meet">{}<polyline points="{}" class="chart-line"/>{}</svg>'
        '<figcaption id="chart-summary">{}</figcaption></figure>',
        CHART_WIDTH,
        CHART_HEIGHT,
        grid,
        line,
        dots,
        summary,
    )


@register.simple_tag
def question_fieldset(question, *, total, language):
    """One question of the attempt form: its heading, hint, errors and choices, as a fieldset.

    Built in Python rather than as a template loop: the questions and their choices are almost all
    of the attempt page (80 inputs on a quiz of 20 questions), and the template engine's cost per
    variable made this loop the slowest part of the page. Every text is escaped here; ids, input
    types and field names are built from integers.
    """
    hint_id = f"question-{question.id}-hint"
    error_id = f"question-{question.id}-error"
    kind_hint = _("Select all that apply.") if question.is_multiple else _("Select one answer.")
    point_count = points_int(question.points)
    points_hint = ngettext("%(points)s point", "%(points)s points", point_count) % {"points": point_count}
    heading = _("Question %(number)s of %(total)s") % {"number": question.number, "total": total}
    language = escape(language)
    choices = "\n".join(
        f'<label class="choice" for="q{question.id}-c{choice.id}"><input type="{question.input_type}" '
        f'name="{question.field_name}" id="q{question.id}-c{choice.id}" value="{choice.id}"'
        f'{" checked" if choice.is_selected else ""}><span>{escape(choice.text)}</span></label>'
        for choice in question.choices
    )
    errors = "".join(f'<p class="field-error" id="{error_id}">{escape(error)}</p>' for error in question.errors)
    return mark_safe(  # nosec B308 B703 - every text above is escaped
        f'<fieldset class="question{" has-error" if question.errors else ""}" id="question-{question.id}" '
        f'data-question-id="{question.id}" aria-describedby="{hint_id}{f" {error_id}" if question.errors else ""}">\n'
        f'<legend lang="{language}"><span class="question-number">{escape(heading)}</span> '
        f"{escape(question.text)}</legend>\n"
        f'<p class="hint" id="{hint_id}">{escape(kind_hint)} {escape(points_hint)}</p>\n{errors}'
        f'<div class="choices" lang="{language}">\n{choices}\n</div>\n</fieldset>'
    )


# The progress page's tables are built in Python, as the admin builds its change list rows: the
# template engine's cost per variable made their loops most of the page's time.


@register.simple_tag
def grade_rows(entries):
    """The progress page's rows of grades: one per quiz the learner finished an attempt of."""
    quiz_link = links.quiz_link()
    return format_html_join(
        "\n",
        '<tr><td><a href="{}" lang="{}">{}</a></td><td>{}</td><td>{}</td><td>{}, {}</td></tr>',
        (
            (
                quiz_link(entry.slug),
                entry.language,
                entry.title,
                entry.attempt_count,
                percent(entry.best_percent),
                percent(entry.grade),
                _("passed") if entry.has_passed else _("not passed"),
            )
            for entry in entries
        ),
    )


@register.simple_tag
def attempt_rows(attempts):
    """The progress page's rows of attempts: quiz, number, start, and the score or a link to resume."""
    quiz_link = links.quiz_link()
    result_link, taking_link = links.attempt_links()
    rows = []
    for attempt in attempts:
        if attempt.is_open:
            outcome = format_html('<a href="{}">{}</a>', taking_link(attempt.pk), _("Resume"))
        else:
            outcome = format_html(
                '<a href="{}">{}, {}</a>',
                result_link(attempt.pk),
                percent(attempt.percent),
                _("passed") if attempt.passed else _("not passed"),
            )
        rows.append(
            format_html(
                '<tr><td><a href="{}" lang="{}">{}</a> <span class="hint">{}</span></td><td>{}</td><td>{}</td></tr>',
                quiz_link(attempt.quiz.slug),
                attempt.quiz.language,
                attempt.quiz.title,
                _("Attempt %(number)s") % {"number": attempt.number},
                date_format(timezone.localtime(attempt.started_at), "SHORT_DATETIME_FORMAT"),
                outcome,
            )
        )
    return mark_safe("\n".join(rows))  # nosec B308 B703 - each row is built by format_html


@register.filter
def time_taken(started_at, submitted_at):
    """How long an attempt took, in words ("4 minutes 10 seconds" style via `duration`)."""
    if not started_at or not submitted_at:
        return "–"
    return duration(max(0, int((submitted_at - started_at).total_seconds())))
