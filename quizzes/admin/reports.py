"""Teacher reports in the admin: overview, results, responses and item analysis of one quiz, and the
results and responses as CSV. Registered by QuizAdmin.get_urls(); readable with the reports permission."""

from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .. import measures
from ..models import AttemptState, Quiz
from ..reports import exports, learners, selectors
from ..reports.access import can_view_reports
from ..reports.filters import ReportFilterForm

REPORTS = [
    ("overview", _("Overview")),
    ("results", _("Results")),
    ("responses", _("Responses")),
    ("items", _("Item analysis")),
]
FILTER_FIELDS = ("attempts", "date_from", "date_to")
FLAG_TEXTS = {
    measures.TOO_EASY: _("Too easy: facility above 0.9"),
    measures.TOO_HARD: _("Too hard: facility below 0.2"),
    measures.WEAK_DISCRIMINATION: _("Weak or negative discrimination: below 0.2"),
}
HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT, HISTOGRAM_PLOT_HEIGHT = 640, 272, 200


class ResultsForm(ReportFilterForm):
    """The filter plus the results table's sort, which must be one of the offered ones."""

    sort = forms.ChoiceField(
        label=_("Sort"), choices=[(key, key) for key in learners.RESULT_SORTS], required=False
    )

    def clean_sort(self):
        return self.cleaned_data["sort"] or learners.DEFAULT_RESULT_SORT


def url_name(report):
    return f"quizzes_quiz_report_{report}"


def report_urls(model_admin):
    """The report URLs under a quiz's admin URL, to be placed before the ModelAdmin's own."""

    def view(function):
        return reports_view(model_admin, function)

    return [
        path("<int:quiz_id>/reports/", view(overview), name=url_name("overview")),
        path("<int:quiz_id>/reports/results/", view(results), name=url_name("results")),
        path("<int:quiz_id>/reports/responses/", view(responses), name=url_name("responses")),
        path("<int:quiz_id>/reports/items/", view(items), name=url_name("items")),
        path("<int:quiz_id>/reports/attempts/<uuid:attempt_id>/", view(attempt), name=url_name("attempt")),
        path("<int:quiz_id>/reports/results.csv", view(results_csv), name=url_name("results_csv")),
        path("<int:quiz_id>/reports/responses.csv", view(responses_csv), name=url_name("responses_csv")),
    ]


def reports_view(model_admin, function):
    """Anonymous visitors go to the admin login; anyone signed in who is not staff with the permission gets 403."""

    @never_cache
    @wraps(function)
    def guarded(request, quiz_id, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        # Every admin page is for staff; reports also need their permission.
        if not (request.user.is_staff and can_view_reports(request.user)):
            raise PermissionDenied
        quiz = get_object_or_404(Quiz, pk=quiz_id)
        return function(request, model_admin=model_admin, quiz=quiz, **kwargs)

    return guarded


def _context(request, *, model_admin, quiz, report, form):
    filter_query = urlencode({name: request.GET[name] for name in FILTER_FIELDS if request.GET.get(name)})
    suffix = f"?{filter_query}" if filter_query else ""
    labels = dict(REPORTS)
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "quiz": quiz,
        "title": gettext("%(report)s: %(quiz)s") % {"report": labels[report], "quiz": quiz.title},
        "report_label": labels[report],
        "form": form,
        "is_valid": form.is_valid(),
        "tabs": [
            {"url": reverse(f"admin:{url_name(key)}", args=[quiz.pk]) + suffix, "label": label, "is_current": key == report}
            for key, label in REPORTS
        ],
        "filter_query": filter_query,
        "results_csv_url": reverse(f"admin:{url_name('results_csv')}", args=[quiz.pk]) + suffix,
        "responses_csv_url": reverse(f"admin:{url_name('responses_csv')}", args=[quiz.pk]) + suffix,
    }


def _render(request, report, context):
    return TemplateResponse(request, f"admin/quizzes/quiz/report_{report}.html", context)


def overview(request, *, model_admin, quiz):
    form = ReportFilterForm(request.GET)
    context = _context(request, model_admin=model_admin, quiz=quiz, report="overview", form=form)
    if form.is_valid():
        figures = selectors.overview(quiz=quiz, attempt_filter=form.attempt_filter())
        context.update(overview=figures, bars=histogram_bars(figures.histogram))
    return _render(request, "overview", context)


def histogram_bars(bins):
    """Geometry of the histogram's bars (SVG user units), tallest bar at full plot height."""
    tallest = max((item.count for item in bins), default=0) or 1
    slot = (HISTOGRAM_WIDTH - 40) / len(bins)
    bars = []
    for index, item in enumerate(bins):
        height = round(item.count / tallest * HISTOGRAM_PLOT_HEIGHT, 1)
        bars.append(
            {
                "low": item.low,
                "high": item.high,
                "is_last": item.is_last,
                "count": item.count,
                "x": round(40 + index * slot + 4, 1),
                "width": round(slot - 8, 1),
                "y": round(20 + HISTOGRAM_PLOT_HEIGHT - height, 1),
                "height": height,
                "label_x": round(40 + index * slot + slot / 2, 1),
                "count_y": round(20 + HISTOGRAM_PLOT_HEIGHT - height - 4, 1),
            }
        )
    return {
        "bars": bars,
        "width": HISTOGRAM_WIDTH,
        "height": HISTOGRAM_HEIGHT,
        "baseline": 20 + HISTOGRAM_PLOT_HEIGHT,
        "axis_label_y": 20 + HISTOGRAM_PLOT_HEIGHT + 20,
        "axis_end": HISTOGRAM_WIDTH - 4,
        "percent_label_y": HISTOGRAM_HEIGHT - 8,
    }


def results(request, *, model_admin, quiz):
    form = ResultsForm(request.GET)
    context = _context(request, model_admin=model_admin, quiz=quiz, report="results", form=form)
    if form.is_valid():
        sort = form.cleaned_data["sort"]
        page, rows = learners.results_page(
            quiz=quiz, attempt_filter=form.attempt_filter(), sort=sort, page_number=request.GET.get("page")
        )
        base = reverse(f"admin:{url_name('results')}", args=[quiz.pk])
        filter_query = context["filter_query"]

        def link(**query):
            return base + "?" + "&".join(part for part in [filter_query, urlencode(query)] if part)

        columns = [
            ("learner", gettext("Learner")),
            ("attempts", gettext("Attempts used")),
            (None, gettext("Grade")),
            ("best", gettext("Best")),
            (None, gettext("Last")),
            (None, gettext("Time taken (last attempt)")),
            ("last_activity", gettext("Last activity")),
            (None, gettext("Attempts")),
        ]
        context.update(
            page=page,
            rows=[
                {
                    "result": row,
                    "attempt_links": [
                        {"attempt": attempt, "url": reverse(f"admin:{url_name('attempt')}", args=[quiz.pk, attempt.id])}
                        for attempt in row.attempts
                    ],
                }
                for row in rows
            ],
            grading_method=quiz.get_grading_method_display(),
            columns=[
                {
                    "label": label,
                    "url": link(sort=f"-{key}" if sort == key else key) if key else None,
                    "sorted": "ascending" if sort == key else "descending" if sort == f"-{key}" else None,
                }
                for key, label in columns
            ],
            previous_url=link(sort=sort, page=page.previous_page_number()) if page.has_previous() else None,
            next_url=link(sort=sort, page=page.next_page_number()) if page.has_next() else None,
        )
    return _render(request, "results", context)


def responses(request, *, model_admin, quiz):
    form = ReportFilterForm(request.GET)
    context = _context(request, model_admin=model_admin, quiz=quiz, report="responses", form=form)
    if form.is_valid():
        context.update(questions=selectors.question_figures(quiz=quiz, attempt_filter=form.attempt_filter()))
    return _render(request, "responses", context)


def items(request, *, model_admin, quiz):
    form = ReportFilterForm(request.GET)
    context = _context(request, model_admin=model_admin, quiz=quiz, report="items", form=form)
    if form.is_valid():
        figures = selectors.question_figures(quiz=quiz, attempt_filter=form.attempt_filter())
        context.update(
            questions=[
                {
                    "figures": question,
                    "change_url": reverse("admin:quizzes_question_change", args=[question.id]),
                    "flags": [FLAG_TEXTS[flag] for flag in question.flags]
                    + [
                        gettext("Distractor “%(choice)s” picked by fewer than 5 %% of learners") % {"choice": choice.text}
                        for choice in question.choices
                        if choice.is_rare_distractor
                    ],
                }
                for question in figures
            ]
        )
    return _render(request, "items", context)


def attempt(request, *, model_admin, quiz, attempt_id):
    review = learners.attempt_review(quiz=quiz, attempt_id=attempt_id)
    if review is None:
        raise Http404(gettext("No closed attempt with this id belongs to this quiz."))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "quiz": quiz,
        "title": gettext("Attempt %(number)d of %(learner)s") % {"number": review.number, "learner": review.learner},
        "report_label": gettext("Attempt"),
        "review": review,
        "state": AttemptState(review.state).label,
        "results_url": reverse(f"admin:{url_name('results')}", args=[quiz.pk]),
    }
    return TemplateResponse(request, "admin/quizzes/quiz/report_attempt.html", context)


def _csv(request, quiz, rows_of, name):
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(str(message) for messages in form.errors.values() for message in messages)
        return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
    rows = rows_of(quiz=quiz, attempt_filter=form.attempt_filter())
    return exports.csv_response(rows, filename=f"{slugify(quiz.slug)}-{name}.csv")


def results_csv(request, *, model_admin, quiz):
    return _csv(request, quiz, exports.results_rows, "results")


def responses_csv(request, *, model_admin, quiz):
    return _csv(request, quiz, exports.responses_rows, "responses")
