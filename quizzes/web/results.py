"""A closed attempt's result page and the learner's progress page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors
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
        attempts_page, quizzes, topics = selectors.AttemptPage(attempts=(), number=page, has_older=False), [], []
    else:
        attempts_page = selectors.attempts_page(owner=owner, number=page, per_page=PROGRESS_ATTEMPTS_PER_PAGE)
        learner_progress = selectors.learner_progress(owner=owner)
        quizzes, topics = learner_progress.quizzes, learner_progress.topics
    if attempts_page.number > 1 and not attempts_page.attempts:
        raise Http404(_("No such page."))
    attempts = attempts_page.attempts
    closed = [attempt for attempt in reversed(attempts) if not attempt.is_open]
    return render(
        request,
        "quizzes/progress.html",
        {
            "attempts": attempts,
            "attempts_page": attempts_page,
            "closed_attempts": closed,
            "quizzes": quizzes,
            "topics": topics,
        },
    )

