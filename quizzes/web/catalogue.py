"""The catalogue (the home page), a quiz's page, and starting an attempt from it.

Reads come from selectors/, the start from services/; the guests' home page is cached (caching/).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import caching, parameters, selectors, services
from ..errors import QuizError
from ..languages import interface_language
from ..models import Language
from ..owners import owner_of_request
from .errors import page_number_or_404, report_error

# The home page shows this many quizzes per page.
CATALOGUE_PAGE_SIZE = 24


def home(request):
    language = request.GET.get("language", "")
    if language not in Language.values:
        language = ""
    topic_slug = parameters.text_parameter(request, "topic")
    page = page_number_or_404(request)

    def render_catalogue(owner):
        catalogue = selectors.catalogue_page(
            owner=owner,
            preferred_language=interface_language(),
            language=language,
            topic_slug=topic_slug,
            page=page,
            per_page=CATALOGUE_PAGE_SIZE,
        )
        if page > 1 and not catalogue.quizzes:
            raise Http404(_("No such page."))
        selected_topic = topic_slug if topic_slug in {topic.slug for topic in catalogue.topics} else ""
        is_filtered = bool(language or selected_topic)
        return render_to_string(
            "quizzes/includes/catalogue.html",
            {
                "catalogue": catalogue,
                "quiz_languages": Language.choices,
                "selected_language": language,
                "selected_topic": selected_topic,
                "is_filtered": is_filtered,
                # The other pages keep the filters, in the form the filter form sends them.
                "page_filters": urlencode({"language": language, "topic": selected_topic}) + "&" if is_filtered else "",
            },
            request=request,
        )

    # The one whitelist says which queries a cache may key on (a topic slug is open-ended: not cached).
    query = caching.cacheable_query(request)

    def render_page():
        owner = owner_of_request(request)
        if owner is None and query is not None:
            # Everyone who never started a quiz sees the same catalogue: rendered once per content
            # version, interface language and query.
            catalogue_html = caching.cached_fragment("home-catalogue", [query], lambda: render_catalogue(owner))
        else:
            catalogue_html = render_catalogue(owner)
        return render_to_string("quizzes/home.html", {"catalogue_html": catalogue_html}, request=request)

    if request.method in ("GET", "HEAD") and query is not None:
        # A visitor without a session or messages has nothing of their own on this page (no best
        # scores, no CSRF token: the language switch is a GET form), so it is rendered once per
        # content version, interface language and query; cached_page renders it per request for
        # everyone else. The response is new each time, so middleware still sets its headers.
        response = HttpResponse(caching.cached_page(request, "home", [query], render_page))
        # A hit never reads the session, so SessionMiddleware would not say the page varies with it.
        patch_vary_headers(response, ["Cookie"])
        return response
    return HttpResponse(render_page())


def _quiz_or_404(request, slug):
    quiz = selectors.quiz_overview(slug=slug, owner=owner_of_request(request), include_unpublished=request.user.is_staff)
    if quiz is None:
        raise Http404(_("No such quiz."))
    return quiz


def quiz_detail(request, slug):
    quiz = _quiz_or_404(request, slug)
    return render(request, "quizzes/quiz.html", {"quiz": quiz})


@require_POST
def start(request, slug):
    quiz = selectors.published_quiz(slug=slug, include_unpublished=request.user.is_staff)
    if quiz is None:
        raise Http404(_("No such quiz."))
    try:
        attempt, _created = services.start_attempt(quiz=quiz, owner=owner_of_request(request, create=True))
    except QuizError as error:
        report_error(request, error)
        return redirect("web:quiz", slug=slug)
    return redirect("web:attempt", attempt_id=attempt.pk)
