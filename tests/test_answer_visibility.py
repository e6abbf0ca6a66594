"""What a closed attempt reveals follows the quiz's answer visibility on every surface.

A walk takes a quiz as a learner would (through the API with a token, and through the pages as a
guest and as a signed-in learner), then reads every surface that shows a closed attempt: the submit
response, the attempt (twice, so the cached copy is read too), the history, progress in the API and
on the page, the result page and its mistakes view, spaced review (the queue, an attempt's mistakes to
practise, the review page: a hiding quiz feeds none of them), and statistics. Where the quiz hides its answers,
none of them may show a mark per question, a correct choice, an explanation, feedback or a quote.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes import rules
from quizzes.models import AnswerVisibility, Attempt, Choice, Citation
from tests.factories import (
    CitationFactory,
    FeedbackBandFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)
from tests.test_api_no_leak import forbidden_keys

pytestmark = pytest.mark.django_db

SECRET = "SECRET-"
TOPIC_NAME = "Mastery-marker-topic"
PER_QUESTION_REVIEW_FIELDS = ("score", "correct", "explanation", "feedback", "citations")
# Markup that only a revealed result page has: verdicts, per-question marks, the mistakes view.
REVEALED_PAGE_MARKERS = (
    "verdict", "is-right", "is-wrong", "is-partial", "?show=mistakes#questions", "mastery-name", "overall-feedback",
    "practise-mistakes", 'name="choice"',
)


def quiz_hiding(visibility, *, max_attempts=None, slug="walk", one_question_per_page=False):
    """A quiz of every kind of question, each with an explanation, feedback, a quote and its translation to leak."""
    topic = TopicFactory(name_de=TOPIC_NAME, name_en=TOPIC_NAME)
    quiz = QuizFactory(
        slug=slug, answer_visibility=visibility, max_attempts=max_attempts, one_question_per_page=one_question_per_page
    )
    for position, kind in enumerate(("true_false", "single", "multiple"), start=1):
        question = QuestionFactory(
            quiz=quiz, position=position, kind=kind, topic=topic, explanation=f"{SECRET}EXPLANATION",
            choices__correct=2 if kind == "multiple" else 1, citation=False,
        )
        CitationFactory(
            question=question, position=1, source=SourceFactory(), quote=f"{SECRET}QUOTE",
            translation=f"{SECRET}TRANSLATION", note=f"{SECRET}NOTE",
        )
    Choice.objects.filter(question__quiz=quiz).update(feedback=f"{SECRET}FEEDBACK")
    # Overall feedback by grade band is feedback too: it shows only where answers do.
    FeedbackBandFactory(quiz=quiz, from_percent=0, text=f"{SECRET}OVERALL-FEEDBACK")
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
    if isinstance(body, dict) and body.get("overall_feedback") is not None:
        leaks.append(f"{where}: overall_feedback")
    if isinstance(body, dict) and (body.get("questions") and "due_now" in body or body.get("due_now")):
        leaks.append(f"{where}: questions in review")
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
    yield "review queue", client.get("/api/v1/me/review/")
    yield "practise this attempt's mistakes", client.get("/api/v1/me/review/", {"attempt": attempt_id})
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
    yield "review page", client.get(reverse("web:review"))


def walk(quiz, *, attempts=1):
    """Take the quiz `attempts` times through the API and through the pages; every leak found."""
    leaks = []
    api = api_client_for(UserFactory())
    for _number in range(attempts):
        started = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
        attempt_id = started["id"]
        # A flag to review is the learner's own and no answer: flagged, the review hides just as much.
        flagged = api.put(
            f"/api/v1/attempts/{attempt_id}/flags/{started['questions'][0]['id']}/", {"flagged": True}, format="json"
        )
        assert flagged.status_code == 200, flagged.content
        leaks += leaks_in_json(flagged.json(), "API flag response")
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
            flags = {f"flag-{answer['question']}": "on" for answer in answer_one_wrong(quiz)[:1]}
            attempt_url = reverse("web:attempt", kwargs={"attempt_id": attempt_id})
            if quiz.one_question_per_page:
                # Page by page, as a learner without JavaScript goes: each page posts its own question.
                page_count = len(Attempt.objects.get(pk=attempt_id).question_order)
                for page in range(1, page_count):
                    stepped = client.post(attempt_url, {**form, **flags, "page": page, "action": "next"})
                    assert stepped.status_code == 302, stepped.content
                    leaks += leaks_in_page(client.get(stepped.url), f"{label} attempt page {page + 1}")
                form = {**form, "page": page_count}
            posted = client.post(attempt_url, {**form, **flags, "action": "submit"})
            assert posted.status_code == 302, posted.content
            assert "/result/" in posted.url, posted.url
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


@pytest.mark.parametrize("visibility", [AnswerVisibility.NEVER, AnswerVisibility.AFTER_LAST_ATTEMPT])
def test_one_question_per_page_shows_nothing_per_question_either(visibility):
    quiz = quiz_hiding(visibility, one_question_per_page=True)

    assert walk(quiz, attempts=1) == []


def test_the_walk_finds_every_surface_once_the_answers_are_revealed():
    # The same walk on a quiz that shows answers finds them on each surface, so the checks can fail.
    quiz = quiz_hiding(AnswerVisibility.AFTER_SUBMISSION)

    leaks = walk(quiz)

    for surface in ("submit response", "attempt detail", "attempt detail again (cached)", "progress"):
        assert f"API {surface}: results[].score" in leaks or f"API {surface}: topics answered right" in leaks
    for surface in ("submit response", "attempt detail", "attempt detail again (cached)"):
        assert f"API {surface}: overall_feedback" in leaks
    assert "API review queue: questions in review" in leaks
    assert "API practise this attempt's mistakes: questions in review" in leaks
    for who in ("guest", "learner"):
        assert f"{who} result page: verdict" in leaks
        assert f"{who} result page: overall-feedback" in leaks
        assert f"{who} result page, mistakes only: a secret text" in leaks
        assert f"{who} progress page: mastery-name" in leaks
        assert f"{who} result page: practise-mistakes" in leaks
        assert f"{who} review page: name=\"choice\"" in leaks


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


# ---------------------------------------------------------------------------------------------
# Quizzes with checks (immediate and interactive feedback): a checked question shows only its own
# review, and only once a check locked it; an open interactive question only the feedback of the
# wrong choices its last try chose; nothing of any other question, on any surface of the attempt.

SECRET_TEXT = re.compile(r"SECRET-[A-Z]+-\d+")


def quiz_with_checks(behaviour, *, visibility=AnswerVisibility.AFTER_SUBMISSION, max_attempts=None):
    """Three questions whose explanation, feedback, quote and note each name their question (or choice)."""
    quiz = QuizFactory(
        slug=f"walk-{behaviour}", behaviour=behaviour, max_tries=3, answer_visibility=visibility,
        max_attempts=max_attempts,
    )
    for position, kind in enumerate(("single", "true_false", "multiple"), start=1):
        question = QuestionFactory(
            quiz=quiz, position=position, kind=kind, explanation=f"SECRET-EXPLANATION-{position}",
            choices__correct=2 if kind == "multiple" else 1, citation=False,
        )
        Citation.objects.create(
            question=question, position=1, source=SourceFactory(), quote=f"SECRET-QUOTE-{position}",
            note=f"SECRET-NOTE-{position}",
        )
        for choice in question.choices.all():
            choice.feedback = f"SECRET-FEEDBACK-{choice.pk}"
            choice.save()
    return quiz


def wrong_choice(question):
    return question.choices.filter(is_correct=False).order_by("position").first().pk


def right_choices(question):
    return list(question.choices.filter(is_correct=True).values_list("pk", flat=True))


def allowed_secrets(behaviour, checked, chosen):
    """What checking `checked` wrong with `chosen` may show: its review (immediate), or the hint (interactive)."""
    hint = {f"SECRET-FEEDBACK-{chosen}"}
    if behaviour == "interactive":
        return hint
    return hint | {f"SECRET-{name}-{checked.position}" for name in ("EXPLANATION", "QUOTE", "NOTE")}


def walk_with_checks(quiz):
    """Check the first question wrong and autosave the second, through the API and the pages; every leak."""
    first, second, _third = quiz.questions.order_by("position")
    chosen = wrong_choice(first)
    allowed = allowed_secrets(quiz.behaviour, first, chosen)
    leaks = []

    def look(where, text):
        leaks.extend(f"{where}: {secret}" for secret in sorted(set(SECRET_TEXT.findall(text)) - allowed))

    api = api_client_for(UserFactory())
    attempt_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    base = f"/api/v1/attempts/{attempt_id}/answers"
    before = api.get(f"/api/v1/attempts/{attempt_id}/")
    checked = api.post(f"{base}/{first.pk}/check/", {"choices": [chosen]}, format="json")
    assert checked.status_code == 200, checked.content
    saved = api.put(f"{base}/{second.pk}/", {"choices": right_choices(second)}, format="json")
    surfaces = {
        "API attempt before the check": before,
        "API check response": checked,
        "API autosave response": saved,
        "API attempt detail": api.get(f"/api/v1/attempts/{attempt_id}/"),
        "API attempt resumed": api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/"),
        "API history": api.get("/api/v1/attempts/"),
        "API progress": api.get("/api/v1/me/progress/"),
    }
    for where, response in surfaces.items():
        assert response.status_code in (200, 201), (where, response.content)
        body = response.json()
        look(where, json.dumps(body))
        if where == "API attempt before the check":
            leaks.extend(f"{where}: {state['question']} has {name}" for state in body["checks"]
                         for name in ("score", "hint", "review") if state[name] is not None)
        for state in body.get("checks", []) if isinstance(body, dict) else []:
            if state["question"] != first.pk:
                leaks.extend(f"{where}: question {state['question']}.{name}" for name in ("score", "hint", "review")
                             if state[name] is not None)
        if where in ("API autosave response", "API history", "API progress"):
            leaks.extend(f"{where}: {key}" for key in forbidden_keys(body))

    for label, client in (("guest", Client()), ("learner", Client())):
        if label == "learner":
            client.force_login(UserFactory())
        page_url = client.post(reverse("web:start", kwargs={"slug": quiz.slug})).url
        look(f"{label} attempt page before the check", client.get(page_url).content.decode())
        client.post(page_url, {f"question-{first.pk}": [str(chosen)], f"question-{second.pk}": [
            str(pk) for pk in right_choices(second)], "check": str(first.pk)})
        page = client.get(page_url).content.decode()
        look(f"{label} attempt page", page)
        # Verdicts and marks only in the checked question's fieldset.
        others = page.split(f'id="question-{second.pk}"', 1)[1]
        leaks.extend(f"{label} attempt page: {marker}" for marker in ("verdict", "choice-right", "choice-wrong")
                     if marker in others)
    return leaks


@pytest.mark.parametrize("behaviour", ["immediate", "interactive"])
def test_a_check_reveals_only_the_checked_question_and_only_what_its_behaviour_allows(behaviour):
    assert walk_with_checks(quiz_with_checks(behaviour)) == []


def test_the_walk_with_checks_fails_when_the_check_rule_is_bypassed(monkeypatch):
    # An interactive question open after a wrong try would show its whole review.
    monkeypatch.setattr(rules, "reveals_checked_question", lambda **question: True)
    leaks = walk_with_checks(quiz_with_checks("interactive"))
    assert "API check response: SECRET-EXPLANATION-1" in leaks
    assert "guest attempt page: SECRET-EXPLANATION-1" in leaks


@pytest.mark.parametrize("behaviour", ["immediate", "interactive"])
def test_a_checked_question_of_a_quiz_hiding_answers_until_the_last_attempt_shows_nothing_once_closed(behaviour):
    quiz = quiz_with_checks(behaviour, visibility=AnswerVisibility.AFTER_LAST_ATTEMPT, max_attempts=2)
    first = quiz.questions.order_by("position").first()
    api = api_client_for(UserFactory())
    attempt_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    api.post(f"/api/v1/attempts/{attempt_id}/answers/{first.pk}/check/", {"choices": right_choices(first)}, format="json")
    submitted = api.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")

    leaks = []
    for where, response in api_surfaces(api, quiz, attempt_id, submitted):
        if response.status_code == 200:
            leaks += leaks_in_json(response.json(), f"API {where}")
    assert leaks == []


@pytest.mark.parametrize("is_open", [True, False])
@pytest.mark.parametrize("visibility", list(AnswerVisibility))
@pytest.mark.parametrize("max_attempts", [None, 1, 3])
def test_a_reveal_that_does_not_count_attempts_is_the_same_whatever_the_counts(is_open, visibility, max_attempts):
    # The cached result and the selectors skip counting the learner's attempts when this rule says so.
    from quizzes import rules

    setting = {"is_open": is_open, "answer_visibility": visibility, "max_attempts": max_attempts}
    reveals = {
        rules.reveals_answers(**setting, closed_attempts=closed, attempts_in_progress=in_progress)
        for closed in range(5)
        for in_progress in range(2)
    }
    assert len(reveals) == 1 or rules.reveal_counts_attempts(**setting)


@pytest.mark.parametrize("visibility", list(AnswerVisibility))
def test_submit_it_first_is_promised_only_where_every_submitted_attempt_shows_its_answers(visibility):
    # Practising an open attempt answers 409 "submit it first" where this rule holds, 403 elsewhere.
    shown_whatever_the_counts = all(
        rules.reveals_answers(
            is_open=False,
            answer_visibility=visibility,
            max_attempts=max_attempts,
            closed_attempts=closed,
            attempts_in_progress=0,
        )
        for max_attempts in (None, 1, 3)
        for closed in range(1, 5)
    )
    assert rules.shows_answers_on_submission(visibility) == shown_whatever_the_counts
