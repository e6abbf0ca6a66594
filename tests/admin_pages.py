"""Helpers of the admin's tests: admin URLs, the POST data of its forms, the errors on a page, a learner's attempt."""

from django.urls import reverse

from quizzes import services
from tests.factories import (
    SourceFactory,
    UserFactory,
)


def admin_url(model, view, *args):
    return reverse(f"admin:quizzes_{model}_{view}", args=args)


def management_form(prefix, *, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data_of(response):
    """The POST data the admin page in `response` would send unchanged: main form, inlines, management forms."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[bound.html_name] = [str(item) for item in value] if isinstance(value, list | tuple) else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data["_save"] = "Save"
    return data


def question_post(*, quiz, topic, kind="single", choices=(("AWS", True), ("Google", False)), citations=1, **fields):
    data = {
        "quiz": quiz.pk,
        "key": "",
        "position": "1",
        "kind": kind,
        "text": "Which service took Parler offline?",
        "explanation": "Parler ran on Amazon Web Services.",
        "points": "1",
        "topic": topic.pk,
        "difficulty": "easy",
        "_save": "Save",
        **management_form("choices", total=len(choices)),
        **management_form("citations", total=citations),
        **fields,
    }
    for index, (text, is_correct) in enumerate(choices):
        data[f"choices-{index}-position"] = str(index + 1)
        data[f"choices-{index}-text"] = text
        data[f"choices-{index}-feedback"] = ""
        if is_correct:
            data[f"choices-{index}-is_correct"] = "on"
    source = SourceFactory() if citations else None
    for index in range(citations):
        data[f"citations-{index}-position"] = str(index + 1)
        data[f"citations-{index}-source"] = source.pk
        data[f"citations-{index}-quote"] = "AWS nahm Parler vom Netz."
        data[f"citations-{index}-note"] = ""
    return data


def quiz_post(**fields):
    return {
        "title": "Parler at a glance",
        "slug": "parler-at-a-glance",
        "translation_key": "at-a-glance",
        "language": "en",
        "description": "Who took Parler offline, and why.",
        "shuffle_questions": "on",
        "pass_mark": "50",
        "grading_method": "highest",
        "answer_visibility": "after_submission",
        "behaviour": "deferred",
        "max_tries": "3",
        "penalty": "0.33",
        "_save": "Save",
        **management_form("questions", total=0),
        **management_form("feedback_bands", total=0),
        **fields,
    }


def errors_of(response):
    """Every error message on an admin form page: main form, inline rows and inline non-form errors."""
    messages = [str(error) for errors in response.context["adminform"].form.errors.values() for error in errors]
    for inline in response.context["inline_admin_formsets"]:
        messages += [str(error) for error in inline.formset.non_form_errors()]
        for form_errors in inline.formset.errors:
            messages += [str(error) for errors in form_errors.values() for error in errors]
    return messages


def submitted_attempt(quiz, *, picks):
    """A learner's submitted attempt; `picks` maps question to the choices they selected."""
    owner = services.Owner.of(user=UserFactory())
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    answers = [
        services.AnswerInput(question_id=question.pk, choice_ids=tuple(choice.pk for choice in choices))
        for question, choices in picks.items()
    ]
    return services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers)
