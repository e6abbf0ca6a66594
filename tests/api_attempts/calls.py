"""The API calls of taking a quiz (start, save, submit, read), the choice ids to send, a client per user."""

from rest_framework.test import APIClient


def start(client, quiz):
    return client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")


def save(client, attempt_id, question_id, choices):
    return client.put(f"/api/v1/attempts/{attempt_id}/answers/{question_id}/", {"choices": choices}, format="json")


def submit(client, attempt_id, answers=None):
    body = {} if answers is None else {"answers": answers}
    return client.post(f"/api/v1/attempts/{attempt_id}/submit/", body, format="json")


def detail(client, attempt_id):
    return client.get(f"/api/v1/attempts/{attempt_id}/")


def correct_ids(question):
    """The correct choices' ids in authored order (ids are random, so their order is not)."""
    return list(question.choices.filter(is_correct=True).order_by("position").values_list("id", flat=True))


def wrong_ids(question):
    """The wrong choices' ids in authored order (ids are random, so their order is not)."""
    return list(question.choices.filter(is_correct=False).order_by("position").values_list("id", flat=True))


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def questions_of(quiz):
    return list(quiz.questions.order_by("position"))
