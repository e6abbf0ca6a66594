"""Set up what the benchmark scenarios replay, and write it as JSON for bench/run.py.

    python bench/prepare.py <output.json> <learners> <prefix> [reports]

Runs with the server's environment (settings, database, Redis), after the data set is loaded:
learners with API tokens for start + submit, a staff token for statistics, one submitted attempt for
the result, and a signed-in session with an attempt open for the pages. Paths that do not resolve yet
are listed as missing, so the harness reports those scenarios as skipped instead of failing. With
`reports`, only a staff token and the teacher report's paths (the report data set has one quiz).
"""

import datetime
import json
import secrets
import sys
import uuid
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.conf import settings  # noqa: E402 - after django.setup()
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, Resolver404, resolve, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from quizzes import services  # noqa: E402
from quizzes.models import Attempt, MemoryState, Quiz  # noqa: E402


def create_learners(count, prefix):
    user_model = get_user_model()
    unusable = make_password(None)
    users = user_model.objects.bulk_create(
        [user_model(username=f"{prefix}-api-learner-{index}", password=unusable) for index in range(count)]
    )
    users = list(user_model.objects.filter(username__startswith=f"{prefix}-api-learner-").order_by("id"))
    tokens = Token.objects.bulk_create([Token(key=secrets.token_hex(20), user=user) for user in users])
    return users, [token.key for token in tokens]


def answer_everything(quiz):
    """A submit body that answers every question of the quiz with its first choice."""
    answers = []
    for question in quiz.questions.order_by("position", "id").prefetch_related("choices"):
        first_choice = min(question.choices.all(), key=lambda choice: (choice.position, choice.id))
        answers.append({"question": question.id, "choices": [first_choice.id]})
    return answers


def path_or_none(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def report_paths(quiz):
    """The teacher report of a quiz in the API: first attempts, all attempts, and the last 30 days."""
    path = f"/api/v1/quizzes/{quiz.slug}/report/"
    today = timezone.localdate()
    month = f"?attempts=all&date_from={today - datetime.timedelta(days=29)}&date_to={today}"
    return {"report_first": path, "report_all": path + "?attempts=all", "report_month": path + month}


def prepare_reports(output, prefix):
    """Only what the report scenarios need: a staff token and the most-attempted quiz's report."""
    generated = Quiz.objects.filter(slug__startswith=f"{prefix}-")
    most_attempted = generated.annotate(attempt_count=Count("attempts")).order_by("-attempt_count").first()
    staff_user = get_user_model().objects.create(
        username=f"{prefix}-staff", is_staff=True, is_superuser=True, password=make_password(None)
    )
    staff_token = Token.objects.create(key=secrets.token_hex(20), user=staff_user).key
    paths = report_paths(most_attempted)
    output.write_text(
        json.dumps(
            {
                "paths": paths,
                "missing_paths": [path for path in paths.values() if not _resolves(path)],
                "staff_token": staff_token,
                "report_quiz": most_attempted.slug,
                "report_quiz_attempts": most_attempted.attempt_count,
            }
        )
    )


def _resolves(path):
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def main():
    output, learner_count, prefix = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if sys.argv[4:] == ["reports"]:
        prepare_reports(output, prefix)
        return
    generated = Quiz.objects.filter(slug__startswith=f"{prefix}-", is_published=True)
    # Start + submit needs a quiz that never runs out of attempts and shows all its questions.
    quiz = generated.filter(max_attempts__isnull=True, questions_per_attempt__isnull=True).order_by("slug").first()
    most_attempted = generated.annotate(attempt_count=Count("attempts")).order_by("-attempt_count").first()

    learners, tokens = create_learners(learner_count, prefix)
    staff_user = get_user_model().objects.create(
        username=f"{prefix}-staff", is_staff=True, is_superuser=True, password=make_password(None)
    )
    staff_token = Token.objects.create(key=secrets.token_hex(20), user=staff_user).key

    submit_body = answer_everything(quiz)
    result_owner = services.Owner.of(user=learners[0])
    result_attempt, _created = services.start_attempt(quiz=quiz, owner=result_owner)
    services.submit_attempt(
        attempt_id=result_attempt.pk,
        owner=result_owner,
        answers=[
            services.AnswerInput(question_id=answer["question"], choice_ids=tuple(answer["choices"]))
            for answer in submit_body
        ],
    )

    # The pages are seen by the generated learner with the most history, so progress has rows to show.
    busiest = (
        Attempt.objects.filter(user__username__startswith=f"{prefix}-learner-")
        .values("user")
        .annotate(attempt_count=Count("id"))
        .order_by("-attempt_count")
        .first()
    )
    page_user = get_user_model().objects.get(pk=busiest["user"]) if busiest else learners[1]
    open_attempt, _created = services.start_attempt(quiz=quiz, owner=services.Owner.of(user=page_user))
    browser = Client()
    browser.force_login(page_user)
    session_cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"

    # The generated learner with 10 000 memory states (generate_demo_data --review-states).
    reviewer = get_user_model().objects.filter(username=f"{prefix}-reviewer").first()
    reviewer_token = Token.objects.create(key=secrets.token_hex(20), user=reviewer).key if reviewer else ""
    due_state = (
        MemoryState.objects.filter(user=reviewer, due__lte=timezone.now()).order_by("due").first() if reviewer else None
    )

    sample_id = uuid.uuid4()
    paths = {
        "quiz_list": "/api/v1/quizzes/",
        "quiz_detail": f"/api/v1/quizzes/{quiz.slug}/",
        "start": f"/api/v1/quizzes/{quiz.slug}/attempts/",
        "submit": f"/api/v1/attempts/{sample_id}/submit/",
        "result": f"/api/v1/attempts/{result_attempt.pk}/",
        "statistics": f"/api/v1/quizzes/{most_attempted.slug}/statistics/",
        "home": "/",
        "attempt_page": path_or_none("web:attempt", attempt_id=open_attempt.pk) or f"/attempts/{open_attempt.pk}/",
        "progress_page": path_or_none("web:progress") or "/progress/",
        **report_paths(most_attempted),
        "review_queue": path_or_none("api:review") or "/api/v1/me/review/",
        "review_answer": path_or_none("api:review-answer", question_id=due_state.question_id)
        if due_state
        else "/api/v1/me/review/0/",
    }
    missing = []
    for path in paths.values():
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            missing.append(path)
            continue
        if path == "/" and match.url_name != "home":
            missing.append(path)
    output.write_text(
        json.dumps(
            {
                "paths": paths,
                "missing_paths": missing,
                "tokens": tokens,
                "learner_token": tokens[0],
                "staff_token": staff_token,
                "reviewer_token": reviewer_token,
                "review_states": MemoryState.objects.filter(user=reviewer).count() if reviewer else 0,
                "session_cookie": session_cookie,
                "submit_body": json.dumps({"answers": submit_body}),
                "quiz": quiz.slug,
                "statistics_quiz": most_attempted.slug,
                "statistics_quiz_attempts": most_attempted.attempt_count,
            }
        )
    )


if __name__ == "__main__":
    main()
