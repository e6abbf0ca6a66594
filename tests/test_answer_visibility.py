"""What a closed attempt reveals follows the quiz's answer visibility on every surface.

A walk takes a quiz as a learner would (through the API with a token, and through the pages as a
guest and as a signed-in learner), then reads every surface that shows a closed attempt: the submit
response, the attempt (twice, so the cached copy is read too), the history, progress in the API and
on the page, the result page and its mistakes view, and statistics. Where the quiz hides its answers,
none of them may show a mark per question, a correct choice, an explanation, feedback or a quote.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes import rules
from quizzes.models import AnswerVisibility, Attempt, Choice, Citation
from tests.factories import QuestionFactory, QuizFactory, SourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "SECRET-"
TOPIC_NAME = "Mastery-marker-topic"
PER_QUESTION_REVIEW_FIELDS = ("score", "correct", "explanation", "feedback", "citations")
# Markup that only a revealed result page has: verdicts, per-question marks, the mistakes view.
REVEALED_PAGE_MARKERS = ("verdict", "is-right", "is-wrong", "is-partial", "?show=mistakes#questions", "mastery-name")


def quiz_hiding(visibility, *, max_attempts=None, slug="walk"):
    """A quiz of every kind of question, each with an explanation, feedback and a quote to leak."""
    topic = TopicFactory(name_de=TOPIC_NAME, name_en=TOPIC_NAME)
    quiz = QuizFactory(slug=slug, answer_visibility=visibility, max_attempts=max_attempts)
    for position, kind in enumerate(("true_false", "single", "multiple"), start=1):
        question = QuestionFactory(
            quiz=quiz, position=position, kind=kind, topic=topic, explanation=f"{SECRET}EXPLANATION",
            choices__correct=2 if kind == "multiple" else 1, citation=False,
        )
        Citation.objects.create(
            question=question, position=1, source=SourceFactory(), quote=f"{SECRET}QUOTE", note=f"{SECRET}NOTE"
        )
    Choice.objects.filter(question__quiz=quiz).update(feedback=f"{SECRET}FEEDBACK")
    return quiz


def api_client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def answer_one_wrong(quiz):
    """Submit answers: the true/false question wrong, the others right."""
    answers = []
    for question in quiz.questions.order_by("position"):
        choices = question.choices.filter(is_correct=question.kind != "true_false")
        answers.append({"question": question.pk, "choices": list(choices.values_list("pk", flat=True))})
    return answers


def leaks_in_json(body, where):
    leaks = []
    if SECRET in json.dumps(body):
        leaks.append(f"{where}: a secret text")
    for result in body.get("results", []) if isinstance(body, dict) else []:
        if isinstance(result, dict) and "question" in result:
            leaks += [f"{where}: results[].{name}" for name in PER_QUESTION_REVIEW_FIELDS if result.get(name) is not None]
    if isinstance(body, dict) and body.get("topics"):
        leaks.append(f"{where}: topics answered right")
    return leaks


def leaks_in_page(response, where):
    page = response.content.decode()
    leaks = [f"{where}: a secret text"] if SECRET in page else []
    return leaks + [f"{where}: {marker}" for marker in REVEALED_PAGE_MARKERS if marker in page]


def api_surfaces(client, quiz, attempt_id, submitted):
    yield "submit response", submitted
    yield "attempt detail", client.get(f"/api/v1/attempts/{attempt_id}/")
    yield "attempt detail again (cached)", client.get(f"/api/v1/attempts/{attempt_id}/")
    yield "history", client.get("/api/v1/attempts/")
    yield "history of the quiz", client.get("/api/v1/attempts/", {"quiz": quiz.slug})
    yield "progress", client.get("/api/v1/me/progress/")
    yield "statistics", client.get(f"/api/v1/quizzes/{quiz.slug}/statistics/")
    # Exports and import previews carry every right answer: editors only.
    for file_format in ("gift", "xml"):
        yield f"export as {file_format}", client.get(f"/api/v1/quizzes/{quiz.slug}/export/", {"format": file_format})
    yield "import preview", client.post(f"/api/v1/quizzes/{quiz.slug}/import/?dry_run=1", {}, format="multipart")


def page_surfaces(client, attempt_id):
    result_url = reverse("web:result", kwargs={"attempt_id": attempt_id})
    yield "result page", client.get(result_url)
    yield "result page, mistakes only", client.get(result_url + "?show=mistakes")
    yield "progress page", client.get(reverse("web:progress"))


def walk(quiz, *, attempts=1):
    """Take the quiz `attempts` times through the API and through the pages; every leak found."""
    leaks = []
    api = api_client_for(UserFactory())
    for _number in range(attempts):
        attempt_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
        submitted = api.post(
            f"/api/v1/attempts/{attempt_id}/submit/", {"answers": answer_one_wrong(quiz)}, format="json"
        )
        assert submitted.status_code == 200, submitted.content
    for where, response in api_surfaces(api, quiz, attempt_id, submitted):
        if response.status_code == 200:
            leaks += leaks_in_json(response.json(), f"API {where}")
        else:
            assert response.status_code == 403, (where, response.status_code)

    learner = UserFactory()
    for label, client in (("guest", Client()), ("learner", Client())):
        if label == "learner":
            client.force_login(learner)
        for _number in range(attempts):
            started = client.post(reverse("web:start", kwargs={"slug": quiz.slug}))
            attempt_id = started.url.split("/")[2]
            form = {
                f"question-{answer['question']}": [str(pk) for pk in answer["choices"]]
                for answer in answer_one_wrong(quiz)
            }
            posted = client.post(
                reverse("web:attempt", kwargs={"attempt_id": attempt_id}), {**form, "action": "submit"}
            )
            assert posted.status_code == 302, posted.content
        for where, response in page_surfaces(client, attempt_id):
            assert response.status_code == 200, (where, response.status_code)
            leaks += leaks_in_page(response, f"{label} {where}")
    return leaks


@pytest.mark.parametrize(
    ("visibility", "max_attempts", "attempts"),
    [
        (AnswerVisibility.NEVER, None, 1),
        (AnswerVisibility.NEVER, 2, 2),
        (AnswerVisibility.AFTER_LAST_ATTEMPT, None, 2),
        (AnswerVisibility.AFTER_LAST_ATTEMPT, 2, 1),
    ],
    ids=["never", "never-after-the-last-attempt", "after-the-last-of-unlimited", "after-the-last-before-it"],
)
def test_a_quiz_that_hides_its_answers_shows_nothing_per_question_anywhere(visibility, max_attempts, attempts):
    quiz = quiz_hiding(visibility, max_attempts=max_attempts)

    assert walk(quiz, attempts=attempts) == []


def test_the_walk_finds_every_surface_once_the_answers_are_revealed():
    # The same walk on a quiz that shows answers finds them on each surface, so the checks can fail.
    quiz = quiz_hiding(AnswerVisibility.AFTER_SUBMISSION)

    leaks = walk(quiz)

    for surface in ("submit response", "attempt detail", "attempt detail again (cached)", "progress"):
        assert f"API {surface}: results[].score" in leaks or f"API {surface}: topics answered right" in leaks
    for who in ("guest", "learner"):
        assert f"{who} result page: verdict" in leaks
        assert f"{who} result page, mistakes only: a secret text" in leaks
        assert f"{who} progress page: mastery-name" in leaks


def test_the_walk_fails_when_the_visibility_rule_is_bypassed(monkeypatch):
    quiz = quiz_hiding(AnswerVisibility.NEVER)
    monkeypatch.setattr(rules, "reveals_answers", lambda **attempt: not attempt["is_open"])

    assert walk(quiz)


def test_after_the_last_attempt_answers_show_once_it_is_closed_not_while_it_is_in_progress():
    quiz = quiz_hiding(AnswerVisibility.AFTER_LAST_ATTEMPT, max_attempts=2)
    api = api_client_for(UserFactory())
    first_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    api.post(f"/api/v1/attempts/{first_id}/submit/", {}, format="json")

    second_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    # The last attempt is in progress: the first one's review would answer it.
    while_answering = api.get(f"/api/v1/attempts/{first_id}/").json()
    api.post(f"/api/v1/attempts/{second_id}/submit/", {}, format="json")
    after_the_last = api.get(f"/api/v1/attempts/{first_id}/").json()

    assert leaks_in_json(while_answering, "first attempt") == []
    assert while_answering["reveals_answers"] is False
    assert after_the_last["reveals_answers"] is True
    assert all(result["correct"] for result in after_the_last["results"])
    assert Attempt.objects.filter(quiz=quiz, state="submitted").count() == 2


def test_an_attempt_in_progress_keeps_older_reviews_hidden_even_when_the_closed_ones_reach_the_limit():
    # An editor lowers the limit while the learner answers: the closed attempts now reach it, but the
    # open one could still be answered from their reviews.
    quiz = quiz_hiding(AnswerVisibility.AFTER_LAST_ATTEMPT, max_attempts=2)
    api = api_client_for(UserFactory())
    first_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    api.post(f"/api/v1/attempts/{first_id}/submit/", {"answers": answer_one_wrong(quiz)}, format="json")
    api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/")
    quiz.max_attempts = 1
    quiz.save()

    review = api.get(f"/api/v1/attempts/{first_id}/").json()
    progress = api.get("/api/v1/me/progress/").json()

    assert review["reveals_answers"] is False
    assert leaks_in_json(review, "first attempt") == []
    assert leaks_in_json(progress, "progress") == []
