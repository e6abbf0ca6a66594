"""The review page: the questions due now across quizzes, one at a time, answered by a plain form post.

Works without JavaScript: the form posts one answer and is redirected to the page showing its review
(answer key, explanation, feedback, sources, next due) and a link to the next question, so reloading
that page never grades the answer twice.
"""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import redirect, render
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


# The answer just graded, for the page its post redirects to (one per visitor's session).
_ANSWERED_SESSION_KEY = "quizzes.review_answered"


def _keep_answered(request, graded):
    request.session[_ANSWERED_SESSION_KEY] = {
        "question_id": graded.question_id,
        "selected": list(graded.selected),
        "score": str(graded.score),
        "points": str(graded.points),
        "is_right": graded.is_right,
        "due": graded.due.isoformat(),
    }


def _kept_answered(request, question_id):
    """The services.ReviewAnswer kept for `question_id` by the post before, or None.

    Shown once: a reload (or going back) then shows the queue. Kept longer, it would show the
    question's answer key again after the learner started a quiz that asks it.
    """
    kept = request.session.pop(_ANSWERED_SESSION_KEY, None)
    if question_id is None or not kept or kept["question_id"] != question_id:
        return None
    return services.ReviewAnswer(
        question_id=kept["question_id"],
        selected=tuple(kept["selected"]),
        score=Decimal(kept["score"]),
        points=Decimal(kept["points"]),
        is_right=kept["is_right"],
        due=datetime.fromisoformat(kept["due"]),
    )


@require_http_methods(["GET", "POST"])
def review_page(request):
    if request.method == "GET":
        attempt_id = _attempt_of(request.GET)
        answered = _kept_answered(request, parameters.posted_id(request.GET.get("answered", "")))
        if answered is None:
            return _page(request, attempt_id=attempt_id)
        return _page(request, attempt_id=attempt_id, answered=selectors.reviewed_question(answer=answered))
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
    _keep_answered(request, graded)
    query = {"answered": graded.question_id, **({"attempt": attempt_id} if attempt_id else {})}
    return redirect(f"{reverse('web:review')}?{urlencode(query)}")
