"""A closed attempt's result page and the learner's progress page."""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import caching, selectors
from ..owners import owner_of_request
from ..scoring import Verdict
from . import questions as shown
from .errors import page_number_or_404


# The progress page lists this many attempts per page; the chart shows the finished ones among them.
PROGRESS_ATTEMPTS_PER_PAGE = 20


def result(request, attempt_id):
    owned = selectors.result_of_owner(attempt_id=attempt_id, owner=owner_of_request(request))
    if owned is None:
        raise Http404(_("No such attempt."))
    if owned.is_open:
        return redirect("web:attempt", attempt_id=owned.attempt_id)
    attempt = owned.result
    questions = shown.questions_in_review(result=attempt)
    # Which questions went wrong is itself an answer key, so it follows the quiz's visibility rule.
    show_mistakes_only = attempt.reveals_answers and request.GET.get("show") == "mistakes"
    mistakes = [question for question in questions if question.verdict != Verdict.RIGHT] if attempt.reveals_answers else []
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "attempts_left": owned.attempts_left,
            "quiz": attempt.quiz,
            "questions": mistakes if show_mistakes_only else questions,
            "question_count": len(questions),
            "mistake_count": len(mistakes),
            "show_mistakes_only": show_mistakes_only,
        },
    )


def progress(request):
    page = page_number_or_404(request)
    owner = owner_of_request(request)
    if owner is None:
        progress_html = _render_progress(request, owner=None, page=page)
    elif page == 1:
        # Rendering is most of this page's cost (in one process on the bench data 12.5 ms, two thirds
        # of it the templates), so the learner's own part is cached per learner and language until one
        # of their writes or an editor's save changes it (caching.cached_learner_read, at most
        # LEARNER_TIMEOUT seconds: the recall per topic follows the clock that slowly). Older pages
        # are built each time: their numbers are the visitor's input.
        now = timezone.now()

        def build():
            # Nothing here changes with the clock but the recall, so the longest an entry lives bounds it.
            return _render_progress(request, owner=owner, page=page), now + timedelta(seconds=caching.LEARNER_TIMEOUT)

        progress_html = caching.cached_learner_read("progress-page", owner.key, [get_language()], build, now=now)
    else:
        progress_html = _render_progress(request, owner=owner, page=page)
    if progress_html is None:
        raise Http404(_("No such page."))
    return render(request, "quizzes/progress.html", {"progress_html": progress_html})


def _render_progress(request, *, owner, page):
    """The page's own content for this owner (None when the page is past their last attempt)."""
    if owner is None:
        attempts_page, quizzes, topics = selectors.AttemptPage(attempts=(), number=page, has_older=False), [], []
    else:
        attempts_page = selectors.attempts_page(owner=owner, number=page, per_page=PROGRESS_ATTEMPTS_PER_PAGE)
        learner_progress = selectors.learner_progress(owner=owner)
        quizzes, topics = learner_progress.quizzes, learner_progress.topics
    if attempts_page.number > 1 and not attempts_page.attempts:
        return None
    attempts = attempts_page.attempts
    # In the order they were finished: the chart's last dot is the latest result, whichever quiz was
    # started first.
    closed = sorted((attempt for attempt in attempts if not attempt.is_open), key=lambda attempt: attempt.submitted_at)
    return render_to_string(
        "quizzes/includes/progress_content.html",
        {
            "attempts": attempts,
            "attempts_page": attempts_page,
            "closed_attempts": closed,
            "quizzes": quizzes,
            "topics": topics,
        },
        request=request,
    )
