"""What the spaced-review tests share: an API client per user, taking a quiz with chosen misses, the answer keys."""

from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.models import Choice
from tests.factories import quiz_with_questions


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def right_choices(question_id):
    return list(Choice.objects.filter(question_id=question_id, is_correct=True).values_list("pk", flat=True))


def wrong_choice(question_id):
    return [Choice.objects.filter(question_id=question_id, is_correct=False).values_list("pk", flat=True).first()]


def take(client, quiz, *, missed=()):
    """Start and submit an attempt through the API: the questions in `missed` wrong, the others right."""
    started = client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    answers = [
        {"question": q["id"], "choices": wrong_choice(q["id"]) if q["id"] in missed else right_choices(q["id"])}
        for q in started["questions"]
    ]
    submitted = client.post(f"/api/v1/attempts/{started['id']}/submit/", {"answers": answers}, format="json")
    assert submitted.status_code == 200, submitted.content
    return submitted.json()


def question_ids(quiz):
    return list(quiz.questions.order_by("position").values_list("pk", flat=True))


def guest_takes(client, quiz, *, missed):
    started = client.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    attempt_id = started.url.split("/")[2]
    form = {}
    for question in question_ids(quiz):
        form[f"question-{question}"] = [str(pk) for pk in (wrong_choice(question) if question in missed else right_choices(question))]
    assert client.post(reverse("web:attempt", kwargs={"attempt_id": attempt_id}), {**form, "action": "submit"}).status_code == 302
    return attempt_id


def due_ids(client):
    """The ids of the questions the client's review queue lists now, sorted."""
    return sorted(question["id"] for question in client.get("/api/v1/me/review/").json()["questions"])


def check_an_answer_in_review_leaves_the_queue(client):
    """Miss both questions of a new quiz, read the queue (so it is cached), answer one right in review:
    the next read lists only the other."""
    quiz = quiz_with_questions(2)
    ids = question_ids(quiz)
    take(client, quiz, missed=ids)
    assert due_ids(client) == sorted(ids)

    client.post(f"/api/v1/me/review/{ids[0]}/", {"choices": right_choices(ids[0])}, format="json")

    assert due_ids(client) == sorted(ids[1:])
