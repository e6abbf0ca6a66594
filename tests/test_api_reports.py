"""The teacher report in the API: GET /api/v1/quizzes/{slug}/report/ as JSON and ?format=csv."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import EditorFactory, StaffFactory, UserFactory
from tests.report_data import GUEST_KEY, build_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_class()


def report_url(quiz):
    return reverse("api:quiz-report", kwargs={"slug": quiz.slug})


def client_for(user):
    client = APIClient(headers={"accept-language": "en"})
    if user is not None:
        client.force_authenticate(user)
    return client


def test_report_json_has_the_overview_item_analysis_and_responses(data):
    response = client_for(EditorFactory()).get(report_url(data.quiz))
    assert response.status_code == 200
    report = response.json()
    assert report["slug"] == data.quiz.slug and report["attempts"] == "first"
    overview = report["overview"]
    assert (overview["attempt_count"], overview["learner_count"], overview["guest_count"]) == (4, 3, 1)
    assert (overview["mean_percent"], overview["median_percent"], overview["pass_rate"]) == ("43.75", "37.50", 0.5)
    assert [item["count"] for item in overview["histogram"]] == [0, 0, 2, 0, 0, 1, 0, 1, 0, 0]
    q1, q2, q3 = report["questions"]
    assert (q2["right_count"], q2["partial_count"], q2["wrong_count"], q2["unanswered_count"]) == (1, 1, 1, 1)
    assert q2["facility"] == 0.375
    assert q1["discrimination"] == pytest.approx(-0.5 / 2.75**0.5)
    assert q1["flags"] == ["weak_discrimination"]
    assert [(c["text"], c["picked_count"], c["is_rare_distractor"]) for c in q2["choices"]] == [
        ("Äpfel", 3, False),
        ("Birnen", 1, False),
        ("Größe", 1, False),
        ("Kürbis", 0, True),
    ]
    assert GUEST_KEY not in response.content.decode()


def test_report_json_covers_all_attempts_and_a_date_range_on_request(data):
    client = client_for(EditorFactory())
    assert client.get(report_url(data.quiz), {"attempts": "all"}).json()["overview"]["attempt_count"] == 5
    ranged = client.get(report_url(data.quiz), {"attempts": "all", "date_from": "2026-03-02", "date_to": "2026-03-31"})
    assert ranged.json()["overview"]["attempt_count"] == 1


@pytest.mark.parametrize("query", [{"date_from": "soon"}, {"date_to": "9999-12-31"}, {"attempts": "best"}])
def test_a_bad_filter_is_a_400_with_field_errors(data, query):
    response = client_for(EditorFactory()).get(report_url(data.quiz), query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_report_csv_is_the_results_utf8_with_bom(data):
    response = client_for(EditorFactory()).get(report_url(data.quiz), {"format": "csv", "attempts": "all"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][:2] == ["Learner", "Attempts"]
    assert [row[0] for row in rows[1:]] == ["bob", "carol", "jürgen", "Guest 1"]
    assert Decimal(rows[3][2]) == Decimal("100")


def test_an_unknown_format_is_a_404(data):
    assert client_for(EditorFactory()).get(report_url(data.quiz), {"format": "xml"}).status_code == 404


def test_an_unknown_quiz_is_a_404():
    response = client_for(EditorFactory()).get(reverse("api:quiz-report", kwargs={"slug": "no-such-quiz"}))
    assert response.status_code == 404


@pytest.mark.parametrize("format_", [None, "csv"])
def test_access_anonymous_401_learner_and_staff_without_permission_403(data, format_):
    query = {"format": format_} if format_ else {}
    assert APIClient().get(report_url(data.quiz), query).status_code == 401
    assert client_for(UserFactory()).get(report_url(data.quiz), query).status_code == 403
    assert client_for(UserFactory(is_staff=True)).get(report_url(data.quiz), query).status_code == 403
    assert client_for(EditorFactory()).get(report_url(data.quiz), query).status_code == 200
    assert client_for(StaffFactory()).get(report_url(data.quiz), query).status_code == 200


def test_schema_describes_json_and_csv_and_the_filters():
    schema = APIClient().get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/quizzes/{slug}/report/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters["format"]["schema"]["enum"]) == {"json", "csv"}
    assert {"attempts", "date_from", "date_to"} <= set(parameters)
