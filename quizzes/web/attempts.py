"""The attempt page: answering, saving, flagging, checking and submitting by plain form posts.

Reads come from selectors/ (questions.py shapes them for the templates, navigation.py pages them),
every state change from services/. The page's script autosaves, flags and checks through the API's
endpoints, linked by name.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import parameters, selectors, services
from ..behaviours import offers_checks
from ..errors import AttemptNotFound, ChecksNotOffered, DeadlinePassed, InvalidAnswer, QuestionLocked, QuizError
from ..owners import owner_of_request
from . import questions as shown
from .errors import page_number_or_404, report_error
from .forms import AttemptForm
from .navigation import attempt_layout


def _open_attempt_or_redirect(request, attempt_id):
    """(AttemptInProgress, None) for an open attempt in time, else (None, a redirect to its result)."""
    owner = owner_of_request(request)
    if owner is None:
        raise Http404(_("No such attempt."))
    try:
        attempt = selectors.attempt_for_owner(attempt_id=attempt_id, owner=owner)
    except AttemptNotFound:
        raise Http404(_("No such attempt.")) from None
    was_open = attempt.is_open
    attempt = services.close_if_overdue(attempt, owner=owner)
    if not attempt.is_open:
        if was_open:
            report_error(request, DeadlinePassed())
        return None, redirect("web:result", attempt_id=attempt.pk)
    return selectors.attempt_in_progress(attempt=attempt), None


# No question has this id: reversed with it, a per-question URL shows where the question goes.
_ANY_QUESTION = 987_654_321


def _per_question_url(name, attempt):
    """The API's per-question URL `name` for `attempt`, with a "{question}" placeholder that the page's
    script fills in: a link by name, not an import of the API (the autosave is the API's, for accounts
    and guests alike)."""
    url = reverse(name, kwargs={"attempt_id": attempt.pk, "question_id": _ANY_QUESTION})
    return url.replace(f"/{_ANY_QUESTION}/", "/{question}/")


def _page_url(attempt, layout, page, *, fragment=""):
    """The attempt page showing page `page` of `layout`, optionally with a `#fragment`."""
    url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
    if layout.is_paged:
        url += "?" + urlencode({"page": page})
    return url + (f"#{fragment}" if fragment else "")


def _layout_or_404(attempt, questions, page):
    layout = attempt_layout(questions, one_question_per_page=attempt.quiz.one_question_per_page, page=page)
    if layout is None:
        raise Http404(_("No such page."))
    return layout


def _render_attempt(request, attempt, *, layout, form=None, status=200):
    questions = layout.questions
    answered = sum(question.is_answered for question in questions)
    unanswered = [question for question in questions if not question.is_answered]
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": questions,
            "layout": layout,
            "form": form,
            "answered": answered,
            "unanswered": [(question, _page_url(attempt, layout, layout.page_of(question))) for question in unanswered],
            "is_confirming": request.GET.get("confirm") == "1" and bool(unanswered),
            "autosave_url": _per_question_url("api:attempt-answer", attempt),
            "check_url": _per_question_url("api:attempt-check", attempt),
            "offers_checks": offers_checks(attempt.quiz.behaviour),
            "flag_url": _per_question_url("api:attempt-flag", attempt),
            "seconds_left": (
                max(0.0, round((attempt.deadline - timezone.now()).total_seconds(), 3)) if attempt.deadline else None
            ),
        },
        status=status,
    )


def _destination(request, layout):
    """The page number a posted attempt page asked to go to next ("next", "previous", a navigator button)."""
    go_to = parameters.positive_number(request.POST.get("go_to", ""), largest=layout.page_count)
    if go_to is not None:
        return go_to
    action = request.POST.get("action")
    if action == "next" and layout.next_page:
        return layout.next_page
    if action == "previous" and layout.previous_page:
        return layout.previous_page
    return None


@require_http_methods(["GET", "POST"])
def attempt_page(request, attempt_id):
    attempt, elsewhere = _open_attempt_or_redirect(request, attempt_id)
    if elsewhere:
        return elsewhere
    questions = shown.questions_for_taking(attempt=attempt)
    if request.method == "GET":
        return _render_attempt(request, attempt, layout=_layout_or_404(attempt, questions, page_number_or_404(request)))

    # A posted page names itself, so its answers are read against the questions it showed.
    page = parameters.positive_number(request.POST.get("page", "1"), largest=999_999)
    layout = _layout_or_404(attempt, questions, page or 0)
    form = AttemptForm(request.POST, questions=layout.on_page)

    def show_form_errors():
        # The learner sees what they posted, not what was saved, next to the messages.
        posted = shown.with_errors(
            shown.with_selection(questions, selected_choice_ids=form.selected_choice_ids()), field_errors=form.errors
        )
        posted_layout = attempt_layout(posted, one_question_per_page=layout.is_paged, page=layout.number)
        return _render_attempt(request, attempt, layout=posted_layout, form=form, status=400)

    if not form.is_valid():
        return show_form_errors()
    owner = owner_of_request(request)
    checked_id = parameters.posted_id(request.POST.get("check", ""))
    if checked_id is not None:
        return _check_question(
            request, attempt, form=form, layout=layout, question_id=checked_id, show_form_errors=show_form_errors
        )
    wants_submit = request.POST.get("action") == "submit"
    is_confirmed = request.POST.get("confirm_incomplete") == "1"
    # The other pages' answers are saved already; this page's are the ones posted.
    after_posting = shown.with_selection(
        questions, selected_choice_ids={answer.question_id: answer.choice_ids for answer in form.answers()}
    )
    unanswered = [question for question in after_posting if not question.is_answered]
    # Only the flags the learner changed on this page (the script may have saved them already).
    shown_flags = {question.id: question.is_flagged for question in layout.on_page}
    flags = {question_id: is_flagged for question_id, is_flagged in form.flags().items() if is_flagged != shown_flags[question_id]}
    try:
        if wants_submit and (is_confirmed or not unanswered):
            # The flags first: they are saved with the attempt, which submitting closes.
            if flags:
                services.flag_questions(attempt_id=attempt.pk, owner=owner, flags=flags)
            services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=form.answers())
            return redirect("web:result", attempt_id=attempt.pk)
        for answer in form.answers():
            services.save_answer(
                attempt_id=attempt.pk, owner=owner, question_id=answer.question_id, choice_ids=answer.choice_ids
            )
        if flags:
            services.flag_questions(attempt_id=attempt.pk, owner=owner, flags=flags)
    except InvalidAnswer as error:
        form.add_error(None, error.message)
        return show_form_errors()
    except QuizError as error:
        report_error(request, error)
        return redirect("web:result", attempt_id=attempt.pk)
    if wants_submit:
        # Saved, but some questions are unanswered: ask once before scoring, where the submit button is.
        url = reverse("web:attempt", kwargs={"attempt_id": attempt.pk})
        query = {"page": layout.page_count, "confirm": 1} if layout.is_paged else {"confirm": 1}
        return redirect(f"{url}?{urlencode(query)}#submit")
    destination = _destination(request, layout)
    if destination is not None:
        target = layout.questions[destination - 1] if layout.is_paged else None
        return redirect(_page_url(attempt, layout, destination, fragment=f"question-{target.id}" if target else ""))
    messages.success(request, _("Your answers are saved. You can come back and finish later."))
    return redirect(_page_url(attempt, layout, layout.number))


def _check_question(request, attempt, *, form, layout, question_id, show_form_errors):
    """The Check button without JavaScript: save the other answers, check this one, return to it."""
    owner = owner_of_request(request)
    answers = {answer.question_id: answer for answer in form.answers()}
    checked = answers.pop(question_id, None)
    # Back to the checked question, on its page when the quiz shows one question per page.
    question_url = _page_url(attempt, layout, layout.number, fragment=f"question-{question_id}")
    try:
        if checked is None:
            # Not a question of this form, or one a check already locked.
            raise QuestionLocked() if question_id in {q.id for q in form.questions} else InvalidAnswer()
        # The check first, so a refused one writes nothing; then the other answers as posted, as Save would.
        services.check_answer(
            attempt_id=attempt.pk, owner=owner, question_id=question_id, choice_ids=checked.choice_ids
        )
        for answer in answers.values():
            services.save_answer(
                attempt_id=attempt.pk, owner=owner, question_id=answer.question_id, choice_ids=answer.choice_ids
            )
    except InvalidAnswer as error:
        field_name = f"question-{question_id}"
        form.add_error(field_name if field_name in form.fields else None, error.message)
        return show_form_errors()
    except (QuestionLocked, ChecksNotOffered) as error:
        report_error(request, error)
        return redirect(question_url)
    except QuizError as error:
        report_error(request, error)
        return redirect("web:result", attempt_id=attempt.pk)
    return redirect(question_url)
