"""Teacher reports in the admin: every figure against the hand-computed class in tests/report_data.py,
the flags, the filters, the CSV downloads, query counts and who may see them."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import measures
from quizzes.models import QuestionKind
from quizzes.services import Owner
from tests.factories import EditorFactory, QuestionFactory, QuizFactory, StaffFactory, UserFactory
from tests.report_data import GUEST_KEY, build_class, take

pytestmark = pytest.mark.django_db

REPORT_PAGES = ["overview", "results", "responses", "items"]
CSV_DOWNLOADS = ["results_csv", "responses_csv"]


def report_url(name, quiz, *args, **query):
    url = reverse(f"admin:quizzes_quiz_report_{name}", args=[quiz.pk, *args])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def data():
    return build_class()


@pytest.fixture
def editor_client():
    client = Client(headers={"accept-language": "en"})
    client.force_login(EditorFactory())
    return client


def parsed_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# Overview: first attempts 75, 50, 25, 25 (mean 43.75, median 37.5, 2 of 4 passed);
# all attempts add jürgen's 100 (mean 55, median 50, 3 of 5 passed).


def test_overview_of_first_attempts_matches_the_hand_computed_figures(editor_client, data):
    response = editor_client.get(report_url("overview", data.quiz))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert (overview.attempt_count, overview.learner_count, overview.guest_count) == (4, 3, 1)
    assert overview.mean_percent == Decimal("43.75")
    assert overview.median_percent == Decimal("37.50")
    assert (overview.passed_count, overview.pass_rate) == (2, 0.5)
    assert [bin.count for bin in overview.histogram] == [0, 0, 2, 0, 0, 1, 0, 1, 0, 0]
    page = response.content.decode()
    assert "<svg" in page and "<title" in page and "<desc" in page
    assert "20–30 %: 2" in page  # the text alternative says what the bars show
    assert "<script" not in page.split('id="content"')[1]


def test_overview_of_all_attempts_counts_the_second_attempt_and_100_in_the_last_bin(editor_client, data):
    overview = editor_client.get(report_url("overview", data.quiz, attempts="all")).context["overview"]
    assert (overview.attempt_count, overview.learner_count, overview.guest_count) == (5, 3, 1)
    assert overview.mean_percent == Decimal("55.00")
    assert overview.median_percent == Decimal("50.00")
    assert overview.passed_count == 3
    assert [bin.count for bin in overview.histogram] == [0, 0, 2, 0, 0, 1, 0, 1, 0, 1]


def test_date_range_covers_attempts_closed_on_those_days(editor_client, data):
    later = editor_client.get(report_url("overview", data.quiz, attempts="all", date_from="2026-03-05"))
    assert later.context["overview"].attempt_count == 1
    earlier = editor_client.get(report_url("overview", data.quiz, attempts="all", date_to="2026-03-01"))
    assert earlier.context["overview"].attempt_count == 4
    # jürgen's first attempt is before the range, so no first attempt is in it.
    first_only = editor_client.get(report_url("overview", data.quiz, date_from="2026-03-05"))
    assert first_only.context["overview"].attempt_count == 0


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "yesterday"},
        {"date_from": "2026-02-30"},
        {"date_from": "2026-03-10", "date_to": "2026-03-01"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"attempts": "some"},
    ],
)
def test_a_bad_filter_is_a_form_message_on_every_page_and_a_400_for_downloads(editor_client, data, query):
    for name in REPORT_PAGES:
        response = editor_client.get(report_url(name, data.quiz, **query))
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
        assert "overview" not in response.context or response.context.get("overview") is None
    for name in CSV_DOWNLOADS:
        assert editor_client.get(report_url(name, data.quiz, **query)).status_code == 400


# Responses and item analysis of first attempts (x = question score, y = rest of the attempt):
#   Q1: x = 1, 0, 0, 1 (jürgen, bob, carol, guest); right 2, wrong 2; facility 0.5; SD sqrt(1/3);
#       y = 2, 2, 1, 0 -> r = -0.5 / sqrt(2.75) = -0.3015 (weak); "Falsch zwei" picked by nobody.
#   Q2: x = 1, 2, 0, 0; right 1 (bob), partly 1 (jürgen), wrong 1 (carol), unanswered 1 (guest);
#       facility 3 / 4 / 2 = 0.375; y = 2, 0, 1, 1 -> r = -1 / sqrt(5.5) = -0.4264; "Kürbis" unpicked.
#   Q3: x = 1, 0, 1, 0; right 2, wrong 1 (guest), unanswered 1 (bob); facility 0.5;
#       y = 2, 2, 0, 1 -> r = -0.5 / sqrt(2.75) = -0.3015.


def test_responses_show_each_choice_share_and_right_partial_wrong_unanswered(editor_client, data):
    response = editor_client.get(report_url("responses", data.quiz))
    q1, q2, q3 = response.context["questions"]
    assert (q1.answer_count, q1.right_count, q1.partial_count, q1.wrong_count, q1.unanswered_count) == (4, 2, 0, 2, 0)
    assert (q2.right_count, q2.partial_count, q2.wrong_count, q2.unanswered_count) == (1, 1, 1, 1)
    assert (q3.right_count, q3.partial_count, q3.wrong_count, q3.unanswered_count) == (2, 0, 1, 1)
    assert [(c.text, c.picked_count, c.picked_share) for c in q2.choices] == [
        ("Äpfel", 3, 0.75),
        ("Birnen", 1, 0.25),
        ("Größe", 1, 0.25),
        ("Kürbis", 0, 0.0),
    ]
    assert [c.is_correct for c in q2.choices] == [True, True, False, False]
    assert (q2.right_share, q2.unanswered_share) == (0.25, 0.25)
    page = response.content.decode()
    assert "75 %" in page and "Kürbis" in page and "correct-choice" in page


def test_item_analysis_figures_are_moodles_facility_and_discrimination(editor_client, data):
    rows = editor_client.get(report_url("items", data.quiz)).context["questions"]
    q1, q2, q3 = (row["figures"] for row in rows)
    assert (q1.facility, q2.facility, q3.facility) == (0.5, 0.375, 0.5)
    assert q1.standard_deviation == pytest.approx((1 / 3) ** 0.5)
    assert q1.discrimination == pytest.approx(-0.5 / 2.75**0.5)
    assert q2.discrimination == pytest.approx(-1 / 5.5**0.5)
    assert q3.discrimination == pytest.approx(-0.5 / 2.75**0.5)


def test_item_analysis_flags_weak_discrimination_and_unpicked_distractors_linking_to_the_question(editor_client, data):
    response = editor_client.get(report_url("items", data.quiz))
    q1, q2, q3 = response.context["questions"]
    assert q1["figures"].flags == (measures.WEAK_DISCRIMINATION,)
    assert [c.text for c in q1["figures"].choices if c.is_rare_distractor] == ["Falsch zwei"]
    assert [c.text for c in q2["figures"].choices if c.is_rare_distractor] == ["Kürbis"]
    assert [c.text for c in q3["figures"].choices if c.is_rare_distractor] == []
    assert q1["flags"] == [
        "Weak or negative discrimination: below 0.2",
        "Distractor “Falsch zwei” picked by fewer than 5 % of learners",
    ]
    page = response.content.decode()
    change_url = reverse("admin:quizzes_question_change", args=[data.questions[0].pk])
    assert f'<li><a href="{change_url}">Distractor' in page


def test_too_easy_and_too_hard_questions_are_flagged(editor_client):
    quiz = QuizFactory()
    easy = QuestionFactory(quiz=quiz, position=1, choices__wrong=1)
    hard = QuestionFactory(quiz=quiz, position=2, choices__wrong=1)
    right, wrong = list(easy.choices.order_by("position")), list(hard.choices.order_by("position"))
    for number in range(3):
        take(quiz, Owner.of(guest_key=f"guest-{number}"), {easy: [right[0]], hard: [wrong[1]]})
    rows = editor_client.get(report_url("items", quiz)).context["questions"]
    assert rows[0]["figures"].facility == 1.0 and measures.TOO_EASY in rows[0]["figures"].flags
    assert rows[1]["figures"].facility == 0.0 and measures.TOO_HARD in rows[1]["figures"].flags
    assert rows[0]["figures"].discrimination is None  # nothing varies


def test_flag_thresholds():
    assert measures.question_flags(facility=0.91, discrimination=0.5) == (measures.TOO_EASY,)
    assert measures.question_flags(facility=0.9, discrimination=0.2) == ()
    assert measures.question_flags(facility=0.19, discrimination=0.19) == (measures.TOO_HARD, measures.WEAK_DISCRIMINATION)
    assert measures.question_flags(facility=None, discrimination=None) == ()
    assert measures.is_rare_distractor(is_correct=False, picked_share=0.049)
    assert not measures.is_rare_distractor(is_correct=False, picked_share=0.05)
    assert not measures.is_rare_distractor(is_correct=True, picked_share=0.0)


def test_median_and_histogram_from_counts():
    assert measures.median_of_counts([]) is None
    assert measures.median_of_counts([(Decimal("10"), 1), (Decimal("20"), 1), (Decimal("90"), 1)]) == Decimal("20")
    assert measures.median_of_counts([(Decimal("10"), 2), (Decimal("30"), 2)]) == Decimal("20")
    bins = measures.histogram([(Decimal("0"), 1), (Decimal("9.99"), 1), (Decimal("10"), 1), (Decimal("100"), 2)])
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def test_discrimination_of_a_perfectly_discriminating_question_is_one():
    pairs = [(0.0, 1.0), (1.0, 3.0), (0.0, 0.0), (1.0, 2.0)]
    sums = measures.Sums(
        n=4,
        sum_x=sum(x for x, _ in pairs),
        sum_y=sum(y for _, y in pairs),
        sum_xy=sum(x * y for x, y in pairs),
        sum_xx=sum(x * x for x, _ in pairs),
        sum_yy=sum(y * y for _, y in pairs),
    )
    assert measures.discrimination(sums) == pytest.approx(0.8944, abs=1e-4)


# Results


def test_results_have_one_row_per_learner_and_a_numbered_guest_without_its_key(editor_client, data):
    response = editor_client.get(report_url("results", data.quiz, attempts="all"))
    rows = [row["result"] for row in response.context["rows"]]
    assert [(r.label, r.attempt_count, r.grade, r.best_percent, r.last_percent) for r in rows] == [
        ("bob", 1, Decimal("50.00"), Decimal("50.00"), Decimal("50.00")),
        ("carol", 1, Decimal("25.00"), Decimal("25.00"), Decimal("25.00")),
        ("jürgen", 2, Decimal("100.00"), Decimal("100.00"), Decimal("100.00")),
        ("Guest 1", 1, Decimal("25.00"), Decimal("25.00"), Decimal("25.00")),
    ]
    assert rows[0].time_taken.total_seconds() == 3600
    page = response.content.decode()
    # In words, as the learner's result says it; Python's "1:00:00.123456" before.
    assert "<td>1 h 0 min</td>" in page and "1:00:00" not in page
    assert GUEST_KEY not in page and "127.0.0.1" not in page
    review_url = report_url("attempt", data.quiz, data.attempts["jürgen 2"].pk)
    assert review_url in page


def test_results_grade_follows_the_quizs_grading_method(editor_client, data):
    data.quiz.grading_method = "average"
    data.quiz.save()
    rows = editor_client.get(report_url("results", data.quiz, attempts="all")).context["rows"]
    assert rows[2]["result"].grade == Decimal("87.50")


def test_results_sort_by_a_whitelisted_column_and_refuse_others(editor_client, data):
    response = editor_client.get(report_url("results", data.quiz, attempts="all", sort="-best"))
    assert [row["result"].label for row in response.context["rows"]][:2] == ["jürgen", "bob"]
    refused = editor_client.get(report_url("results", data.quiz, sort="password"))
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert "rows" not in refused.context


def test_results_are_paginated(editor_client):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz)
    right = question.choices.order_by("position").first()
    for number in range(27):
        take(quiz, Owner.of(guest_key=f"guest-{number:02d}"), {question: [right]})
    first = editor_client.get(report_url("results", quiz))
    assert len(first.context["rows"]) == 25 and first.context["next_url"]
    second = editor_client.get(first.context["next_url"])
    assert [row["result"].label for row in second.context["rows"]] == ["Guest 26", "Guest 27"]
    assert editor_client.get(report_url("results", quiz, page="x")).status_code == 200


def test_attempt_review_shows_choices_and_scores(editor_client, data):
    response = editor_client.get(report_url("attempt", data.quiz, data.attempts["guest 1"].pk))
    assert response.status_code == 200
    review = response.context["review"]
    assert review.learner == "Guest"
    assert [(a.selected, a.score) for a in review.answers] == [
        (("Richtig",), Decimal("1.00")),
        ((), Decimal("0.00")),
        (("Unwahr",), Decimal("0.00")),
    ]
    assert GUEST_KEY not in response.content.decode()
    other = QuizFactory()
    assert editor_client.get(report_url("attempt", other, data.attempts["guest 1"].pk)).status_code == 404


# CSV


def test_results_csv_is_utf8_with_bom_and_keeps_german_text(editor_client, data):
    response = editor_client.get(report_url("results_csv", data.quiz, attempts="all"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = parsed_csv(response)
    assert rows[0][0] == "Learner"
    assert [row[:5] for row in rows[1:]] == [
        ["bob", "1", "50.00", "50.00", "50.00"],
        ["carol", "1", "25.00", "25.00", "25.00"],
        ["jürgen", "2", "100.00", "100.00", "100.00"],
        ["Guest 1", "1", "25.00", "25.00", "25.00"],
    ]
    assert rows[1][5] == "3600"


def test_responses_csv_has_one_row_per_attempt_with_each_questions_choices(editor_client, data):
    rows = parsed_csv(editor_client.get(report_url("responses_csv", data.quiz)))
    assert rows[0][5] == "Q1: Wer schaltete Parler ab?" and rows[0][7] == "Q2: Welche sind Obst?"
    by_learner = {row[0]: row for row in rows[1:]}
    assert set(by_learner) == {"bob", "carol", "jürgen", "Guest 1"}
    assert by_learner["carol"][7:9] == ["Äpfel; Größe", "0.00"]
    assert by_learner["jürgen"][3] == "75.00"
    assert by_learner["Guest 1"][7:9] == ["", "0.00"]


def test_csv_headers_follow_the_interface_language(data):
    client = Client(headers={"accept-language": "de"})
    client.force_login(EditorFactory())
    rows = parsed_csv(client.get(report_url("results_csv", data.quiz)))
    assert rows[0][0] == "Lernende:r"
    assert rows[-1][0] == "Gast 1"


# Scale: the same number of queries for 3 and for 30 attempts


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def quiz_with_attempts(count):
    quiz = QuizFactory()
    questions = [QuestionFactory(quiz=quiz, position=p, kind=QuestionKind.MULTIPLE, choices__correct=2) for p in (1, 2)]
    for number in range(count):
        picks = {q: list(q.choices.order_by("position"))[: 1 + number % 3] for q in questions}
        owner = Owner.of(user=UserFactory()) if number % 2 else Owner.of(guest_key=f"guest-{count}-{number}")
        take(quiz, owner, picks)
    return quiz


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_report_pages_take_as_many_queries_for_30_attempts_as_for_3(editor_client, name):
    small, large = quiz_with_attempts(3), quiz_with_attempts(30)
    assert queries_of(editor_client, report_url(name, small)) == queries_of(editor_client, report_url(name, large))


def test_overview_and_item_analysis_query_budgets(editor_client):
    quiz = quiz_with_attempts(30)
    # session and user, the permission check's groups, the quiz, then the report's own reads
    assert queries_of(editor_client, report_url("overview", quiz)) <= 8
    assert queries_of(editor_client, report_url("items", quiz)) <= 10


# Access


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def all_report_urls(data):
    urls = [report_url(name, data.quiz) for name in REPORT_PAGES + CSV_DOWNLOADS]
    return urls + [report_url("attempt", data.quiz, data.attempts["bob 1"].pk)]


def test_anonymous_visitors_are_sent_to_the_admin_login(data):
    for url in all_report_urls(data):
        response = client_for(None).get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["learner", "staff without the permission"])
def test_learners_and_staff_without_the_permission_get_403(data, role):
    user = UserFactory() if role == "learner" else UserFactory(is_staff=True)
    client = client_for(user)
    for url in all_report_urls(data):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["editor", "superuser", "staff granted the permission"])
def test_editors_superusers_and_permission_holders_read_every_report(data, role):
    if role == "editor":
        user = EditorFactory()
    elif role == "superuser":
        user = StaffFactory()
    else:
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_quiz_reports"))
    client = client_for(user)
    for url in all_report_urls(data):
        assert client.get(url).status_code == 200


def test_reports_are_linked_from_the_quiz_list_and_the_change_page(editor_client, data):
    overview = report_url("overview", data.quiz)
    assert overview in editor_client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()
    assert overview in editor_client.get(reverse("admin:quizzes_quiz_change", args=[data.quiz.pk])).content.decode()


def test_the_quiz_list_has_no_reports_link_without_the_permission(data):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_quiz"))
    page = client_for(user).get(reverse("admin:quizzes_quiz_changelist")).content.decode()
    assert report_url("overview", data.quiz) not in page


def test_the_histogram_s_coordinates_keep_a_decimal_point_in_german(editor_client, data):
    # German number formatting once wrote x="44,0": the browser drew no bars and misplaced every label.
    page = editor_client.get(report_url("overview", data.quiz), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    svg = page[page.index('<svg role="img"') : page.index("</svg>", page.index('<svg role="img"'))]

    assert re.search(r'<rect x="\d+\.\d+" y="\d+\.\d+"', svg)
    assert not re.search(r'="\d+,\d+"', svg)
