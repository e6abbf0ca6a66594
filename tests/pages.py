"""Helpers of the learner pages' tests: start a quiz, read the attempt form, answer right or wrong, be a guest."""

import re

from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt


def start(client, quiz):
    response = client.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    assert response.status_code == 302
    return Attempt.objects.get(pk=response.url.split("/")[2])


def form_of(response):
    """The attempt form's questions and inputs, without the per-response CSRF token."""
    page = response.content.decode()
    return page[page.index("<fieldset") : page.index('id="submit"')]


def right_choice(question):
    return question.choices.get(is_correct=True)


def wrong_choice(question):
    return question.choices.filter(is_correct=False).first()


def answers_for(quiz, *, right=(), wrong=()):
    """Form data answering the questions at the given positions right or wrong."""
    data = {}
    for question in quiz.questions.all():
        if question.position in right:
            data[f"question-{question.pk}"] = str(right_choice(question).pk)
        elif question.position in wrong:
            data[f"question-{question.pk}"] = str(wrong_choice(question).pk)
    return data


def csrf_token_on(page):
    """The CSRF token a page's form carries, as the attempt page's script reads it."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


def guest_with_an_attempt(quiz):
    """A browser that checks CSRF like a real one, as a guest who has started `quiz`: (client, attempt, token)."""
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token_on(browser.get(reverse("web:quiz", kwargs={"slug": quiz.slug})))
    started = browser.post(reverse("web:start", kwargs={"slug": quiz.slug}), {"csrfmiddlewaretoken": token})
    assert started.status_code == 302
    attempt = Attempt.objects.get(pk=started.url.split("/")[2])
    token = csrf_token_on(browser.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})))
    return browser, attempt, token


def submitted(client, quiz, **answers):
    attempt = start(client, quiz)
    client.post(
        reverse("web:attempt", kwargs={"attempt_id": attempt.pk}),
        {"action": "submit", "confirm_incomplete": "1", **answers_for(quiz, **answers)},
    )
    return attempt
