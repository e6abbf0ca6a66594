"""Overall feedback by grade band (issue 14): the rule that picks a band, its validation in the admin,
and the band's text on the result page and in the API result."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes import authoring, rules
from quizzes.models import FeedbackBand
from tests.admin_pages import errors_of, form_data_of
from tests.factories import EditorFactory, QuestionFactory, QuizFactory, UserFactory, feedback_bands

pytestmark = pytest.mark.django_db

BANDS = [(Decimal("0"), "From 0"), (Decimal("50"), "From 50"), (Decimal("80"), "From 80"), (Decimal("100"), "All right")]


# ---------------------------------------------------------------------------------------------
# The rule


@pytest.mark.parametrize(
    ("percent", "text"),
    [
        (Decimal("0"), "From 0"),
        (Decimal("49.99"), "From 0"),
        (Decimal("50"), "From 50"),
        (Decimal("79.99"), "From 50"),
        (Decimal("80.00"), "From 80"),
        (Decimal("99.99"), "From 80"),
        (Decimal("100"), "All right"),
    ],
)
def test_a_percent_gets_the_band_from_whose_bound_it_reaches_up_to_the_next(percent, text):
    assert rules.overall_feedback(bands=BANDS, percent=percent) == text


def test_the_top_band_includes_100_and_the_order_of_the_bands_does_not_matter():
    bands = [(Decimal("50"), "Upper half"), (Decimal("0"), "Lower half")]
    assert rules.overall_feedback(bands=bands, percent=Decimal("100")) == "Upper half"
    assert rules.overall_feedback(bands=bands, percent=Decimal("49.99")) == "Lower half"


def test_no_bands_or_no_percent_give_no_feedback():
    assert rules.overall_feedback(bands=[], percent=Decimal("70")) is None
    assert rules.overall_feedback(bands=BANDS, percent=None) is None
    # Bands that do not start at 0 (the admin refuses them) leave the lowest results without feedback.
    assert rules.overall_feedback(bands=[(Decimal("20"), "From 20")], percent=Decimal("10")) is None


@pytest.mark.parametrize(
    ("bounds", "problem_count"),
    [
        ([], 0),
        ([Decimal("0")], 0),
        ([Decimal("0"), Decimal("50"), Decimal("80"), Decimal("100")], 0),
        ([Decimal("10"), Decimal("50")], 1),
        ([Decimal("0"), Decimal("50"), Decimal("50")], 1),
        ([Decimal("20"), Decimal("20")], 2),
    ],
)
def test_bands_must_start_at_0_and_not_share_a_bound(bounds, problem_count):
    assert len(authoring.feedback_band_problems(bounds)) == problem_count


# ---------------------------------------------------------------------------------------------
# Authoring in the admin, as an editor


@pytest.fixture
def editor_client():
    client = Client(headers={"accept-language": "en"})
    client.force_login(EditorFactory())
    return client


def post_bands(editor_client, quiz, bounds):
    """Post the quiz's change form as the admin shows it, with the given bands in place of its own."""
    url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    data = form_data_of(editor_client.get(url))
    data |= {"feedback_bands-TOTAL_FORMS": str(len(bounds)), "feedback_bands-INITIAL_FORMS": "0"}
    for index, bound in enumerate(bounds):
        data |= {f"feedback_bands-{index}-from_percent": bound, f"feedback_bands-{index}-text": f"Text {index}"}
    return editor_client.post(url, data)


def test_an_editor_adds_bands_inline_on_the_quiz_page(editor_client):
    quiz = QuizFactory(is_published=False)

    response = post_bands(editor_client, quiz, ["0", "50", "80", "100"])

    assert response.status_code == 302, errors_of(response)
    assert list(quiz.feedback_bands.values_list("from_percent", flat=True)) == [
        Decimal("0"), Decimal("50"), Decimal("80"), Decimal("100")
    ]


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        (["10", "50"], "The lowest band must start at 0 percent, or results below 10 percent get no feedback."),
        (["0", "50", "50.00"], "Two bands start at 50 percent; each band needs its own lower bound."),
        (["0", "120"], "Ensure this value is less than or equal to 100."),
        (["0", "-5"], "Ensure this value is greater than or equal to 0."),
    ],
    ids=["gap-at-0", "overlap-at-a-shared-bound", "above-100", "below-0"],
)
def test_bands_that_overlap_or_leave_a_gap_are_refused_with_a_message_and_nothing_is_written(
    editor_client, bounds, message
):
    quiz = QuizFactory(is_published=False, title="Unchanged")

    response = post_bands(editor_client, quiz, bounds)

    assert response.status_code == 200
    assert any(message in error for error in errors_of(response)), errors_of(response)
    assert not FeedbackBand.objects.exists()


def test_an_editor_changes_a_band_and_the_cached_result_shows_the_new_text(editor_client):
    quiz = QuizFactory(is_published=True)
    QuestionFactory(quiz=quiz)
    feedback_bands(quiz, "0", "50")
    api = APIClient()
    api.force_authenticate(UserFactory())
    attempt_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    api.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json")
    assert api.get(f"/api/v1/attempts/{attempt_id}/").json()["overall_feedback"] == "From 0"

    url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    data = form_data_of(editor_client.get(url))
    lowest = next(name for name, value in data.items() if name.endswith("-text") and value == "From 0")
    response = editor_client.post(url, data | {lowest: "Read the explanations, then try again."})

    assert response.status_code == 302, errors_of(response)
    assert api.get(f"/api/v1/attempts/{attempt_id}/").json()["overall_feedback"] == (
        "Read the explanations, then try again."
    )


# ---------------------------------------------------------------------------------------------
# The result page and the API result


def submitted(quiz, *, right):
    """A learner's API client and submitted attempt on `quiz`, its first `right` questions answered right."""
    api = APIClient()
    api.force_authenticate(UserFactory())
    attempt_id = api.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["id"]
    answers = [
        {"question": question.pk, "choices": [question.choices.filter(is_correct=index < right).first().pk]}
        for index, question in enumerate(quiz.questions.order_by("position"))
    ]
    assert api.post(f"/api/v1/attempts/{attempt_id}/submit/", {"answers": answers}, format="json").status_code == 200
    return api, attempt_id


@pytest.fixture
def quiz_with_bands():
    quiz = QuizFactory(language="en")
    for position in (1, 2):
        QuestionFactory(quiz=quiz, position=position)
    feedback_bands(quiz, "0", "50", "100")
    return quiz


@pytest.mark.parametrize(("right", "text"), [(0, "From 0"), (1, "From 50"), (2, "From 100")])
def test_the_api_result_carries_the_text_of_the_attempts_band(quiz_with_bands, right, text):
    api, attempt_id = submitted(quiz_with_bands, right=right)

    body = api.get(f"/api/v1/attempts/{attempt_id}/").json()

    assert body["overall_feedback"] == text


def test_the_submit_response_carries_the_band_and_an_open_attempt_has_none(quiz_with_bands):
    api = APIClient()
    api.force_authenticate(UserFactory())
    started = api.post(f"/api/v1/quizzes/{quiz_with_bands.slug}/attempts/").json()
    assert "overall_feedback" not in started

    submitted_body = api.post(f"/api/v1/attempts/{started['id']}/submit/", {}, format="json").json()

    assert submitted_body["percent"] == "0.00" and submitted_body["overall_feedback"] == "From 0"


def test_the_result_page_shows_the_text_of_the_attempts_band(client, quiz_with_bands):
    started = client.post(reverse("web:start", kwargs={"slug": quiz_with_bands.slug}))
    attempt_id = started.url.split("/")[2]
    client.post(reverse("web:attempt", kwargs={"attempt_id": attempt_id}), {"action": "submit", "confirm_incomplete": "1"})

    page = client.get(reverse("web:result", kwargs={"attempt_id": attempt_id})).content.decode()

    assert '<div class="overall-feedback">' in page
    assert "From 0" in page and "From 50" not in page


def test_a_quiz_without_bands_shows_no_feedback_block(client):
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz)
    api, attempt_id = submitted(quiz, right=1)

    assert api.get(f"/api/v1/attempts/{attempt_id}/").json()["overall_feedback"] is None


def test_a_quiz_that_hides_its_answers_shows_no_band_text(quiz_with_bands):
    quiz_with_bands.answer_visibility = "never"
    quiz_with_bands.save()
    api, attempt_id = submitted(quiz_with_bands, right=2)

    body = api.get(f"/api/v1/attempts/{attempt_id}/").json()

    assert body["percent"] == "100.00" and body["reveals_answers"] is False
    assert body["overall_feedback"] is None


@pytest.mark.parametrize("band_count", [1, 30])
def test_the_result_reads_the_bands_in_one_query_whatever_their_number(band_count):
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz)
    feedback_bands(quiz, *[str(bound) for bound in range(0, 90, 90 // band_count)][:band_count])
    api, attempt_id = submitted(quiz, right=1)
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        body = api.get(f"/api/v1/attempts/{attempt_id}/").json()

    band_reads = [query for query in queries.captured_queries if "quizzes_feedbackband" in query["sql"]]
    assert len(band_reads) == 1 and body["overall_feedback"]


# ---------------------------------------------------------------------------------------------
# The shipped content


def test_every_shipped_quiz_loads_with_valid_bands_from_0_and_one_for_every_answer_right():
    from django.core.management import call_command

    from quizzes.models import Quiz

    call_command("load_content")

    quizzes = Quiz.objects.prefetch_related("feedback_bands")
    assert quizzes.count() == 10
    for quiz in quizzes:
        bounds = [band.from_percent for band in quiz.feedback_bands.all()]
        assert bounds[0] == 0 and bounds[-1] == 100, quiz.slug
        assert authoring.feedback_band_problems(bounds) == [], quiz.slug
        assert all(band.text.strip() for band in quiz.feedback_bands.all()), quiz.slug


def test_loading_the_content_again_keeps_an_editors_band_text():
    from django.core.management import call_command

    call_command("load_content")
    band = FeedbackBand.objects.get(quiz__slug="parler-shutdown", from_percent=0)
    band.text = "Edited by an editor."
    band.save()

    call_command("load_content")

    band.refresh_from_db()
    assert band.text == "Edited by an editor."


def test_a_duplicated_quiz_keeps_its_bands_and_the_original_keeps_its_own():
    from quizzes import services

    quiz = QuizFactory()
    feedback_bands(quiz, "0", "50", "100")

    copy = services.duplicate_quiz(quiz=quiz)

    assert list(copy.feedback_bands.values_list("from_percent", "text")) == list(
        quiz.feedback_bands.values_list("from_percent", "text")
    )
    assert quiz.feedback_bands.count() == 3
