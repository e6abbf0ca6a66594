"""Before submission no response may tell which choice is right, explain it, or hint at the score."""

import json
import re

import pytest

from quizzes.models import Choice
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

FORBIDDEN_KEY = re.compile(r"correct|explanation|feedback|score|percent|passed|results", re.IGNORECASE)
EXPLANATION = "SECRET-EXPLANATION: AWS ran the servers."
FEEDBACK = "SECRET-FEEDBACK"
PAGE_KEYS = {"count", "next", "previous", "results"}


def forbidden_keys(value, path="$"):
    """Every key anywhere in a JSON value whose name hints at correctness or the score."""
    found = []
    if isinstance(value, dict):
        is_page = set(value) == PAGE_KEYS
        for key, item in value.items():
            # A page's own `results` is the list of items, not an attempt's results.
            if FORBIDDEN_KEY.search(str(key)) and not (is_page and key == "results"):
                found.append(f"{path}.{key}")
            found += forbidden_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += forbidden_keys(item, f"{path}[{index}]")
    return found


def test_no_response_before_submission_reveals_answers_explanations_or_scores(user_client):
    quiz = QuizFactory(slug="parler", time_limit_seconds=600, max_attempts=3)
    for kind in ("single", "true_false", "multiple"):
        QuestionFactory(quiz=quiz, kind=kind, explanation=EXPLANATION, choices__correct=2)
    Choice.objects.update(feedback=FEEDBACK)
    question = quiz.questions.order_by("position").first()

    responses = [user_client.get("/api/v1/quizzes/"), user_client.get("/api/v1/quizzes/parler/")]
    started = user_client.post("/api/v1/quizzes/parler/attempts/")
    attempt_id = started.data["id"]
    responses += [
        started,
        user_client.put(
            f"/api/v1/attempts/{attempt_id}/answers/{question.pk}/",
            {"choices": [question.choices.filter(is_correct=True).first().pk]},
            format="json",
        ),
        user_client.get(f"/api/v1/attempts/{attempt_id}/"),
        user_client.post("/api/v1/quizzes/parler/attempts/"),
        user_client.get("/api/v1/attempts/"),
        user_client.get("/api/v1/attempts/", {"quiz": "parler"}),
        user_client.get("/api/v1/me/progress/"),
    ]

    for response in responses:
        assert response.status_code in (200, 201), response.content
        body = json.loads(response.content)
        assert forbidden_keys(body) == [], response.request["PATH_INFO"]
        text = response.content.decode()
        assert "SECRET-" not in text, response.request["PATH_INFO"]

    # The same walk does reveal everything once submitted, so the checks above can fail.
    submitted = user_client.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")
    assert forbidden_keys(json.loads(submitted.content))
    assert EXPLANATION in submitted.content.decode()
