"""The review page: the questions due now across quizzes, one at a time, answered by a plain form post.

Works without JavaScript: the form posts one answer, the response shows its review (answer key,
explanation, feedback, sources, next due) and a link to the next question.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import parameters, selectors, services
from ..errors import AnswersHidden, AttemptNotFound, AttemptStillOpen, InvalidAnswer, NotInReview, status_code_of
from ..owners import owner_of_request
from .errors import raise_404_where_the_api_does
from .questions import verdict_shown


def _attempt_of(values):
    """The attempt whose mistakes are practised (`attempt` in the query or form), or None; 404 if malformed."""
    value = values.get("attempt")
    if not value:
        return None
    attempt_id = parameters.uuid_parameter(value)
    if attempt_id is None:
        raise Http404(_("No such attempt."))
    return attempt_id


def _page(request, *, attempt_id, answered=None, error=None, status=200):
    owner = owner_of_request(request)
    try:
        queue = selectors.review_queue(owner=owner, attempt_id=attempt_id)
    except (AttemptNotFound, AnswersHidden, AttemptStillOpen) as refused:
        raise_404_where_the_api_does(refused)
        context = {"hidden": refused.message, "attempt_id": attempt_id}
        if isinstance(refused, AttemptStillOpen):
            context["resume_url"] = reverse("web:attempt", kwargs={"attempt_id": attempt_id})
        return render(request, "quizzes/review.html", context, status=status_code_of(refused))
    next_url = reverse("web:review") + (f"?{urlencode({'attempt': attempt_id})}" if attempt_id else "")
    return render(
        request,
        "quizzes/review.html",
        {
            "queue": queue,
            "question": queue.questions[0] if queue.questions and answered is None else None,
            "answered": answered,
            "verdict": answered
            and verdict_shown(score=answered.score, points=answered.points, is_answered=bool(answered.selected)),
            "error": error,
            "attempt_id": attempt_id,
            # Shown at the end of practising: the mistakes just missed again are due in review at once.
            "due_in_review": queue.due_in_review if attempt_id else 0,
            "next_url": next_url,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def review_page(request):
    if request.method == "GET":
        return _page(request, attempt_id=_attempt_of(request.GET))
    attempt_id = _attempt_of(request.POST)
    question_id = parameters.posted_id(request.POST.get("question", ""))
    choice_ids = [parameters.posted_id(value) for value in request.POST.getlist("choice")]
    if question_id is None:
        raise Http404(_("This question is not in your review."))
    if None in choice_ids:
        return _page(request, attempt_id=attempt_id, error=_("This answer is not valid for this question."), status=400)
    try:
        graded = services.answer_review(owner=owner_of_request(request), question_id=question_id, choice_ids=choice_ids)
    except NotInReview as refused:
        # Say so on the review as it is now, not on the 404 page: a form left open in another tab
        # whose question's quiz was started since is the common case. The status stays the API's.
        why = _("That question is not in your review now (a quiz you are taking may ask it). Here is what is due.")
        return _page(request, attempt_id=attempt_id, error=why, status=status_code_of(refused))
    except InvalidAnswer as refused:
        return _page(request, attempt_id=attempt_id, error=refused.message, status=status_code_of(refused))
    return _page(request, attempt_id=attempt_id, answered=selectors.reviewed_question(answer=graded))
