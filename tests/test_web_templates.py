"""The markup of the attempt and progress pages, read as a browser parses it.

The pages' rows, fieldsets and chart are templates (quizzes/templates/quizzes/includes/): these pin
what they must keep whatever renders them: editors' and learners' text is text, never markup; the
attributes that assistive technology and the page's script rely on; SVG numbers in every language.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from quizzes import services
from quizzes.models import Attempt, Choice, QuestionKind
from tests.factories import QuestionFactory, QuizFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

HOSTILE = """<script>alert("x")</script> & 'quoted' <img src=x onerror=alert(1)>"""


class Elements(HTMLParser):
    """Every element of a page with its attributes and the text directly inside it."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.open = []
        self.feed(html)

    def handle_starttag(self, tag, attributes):
        element = {"tag": tag, "attributes": dict(attributes), "text": ""}
        self.elements.append(element)
        if tag not in ("input", "img", "meta", "link", "br", "line", "polyline"):
            self.open.append(element)

    def handle_startendtag(self, tag, attributes):
        self.elements.append({"tag": tag, "attributes": dict(attributes), "text": ""})

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, text):
        for element in self.open:
            element["text"] += text

    def tagged(self, tag, **attributes):
        return [
            element
            for element in self.elements
            if element["tag"] == tag
            and all(element["attributes"].get(name) == value for name, value in attributes.items())
        ]


def start(client, quiz):
    response = client.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    return Attempt.objects.get(pk=response.url.split("/")[2])


def attempt_page(client, attempt):
    return Elements(client.get(reverse("web:attempt", kwargs={"attempt_id": attempt.pk})).content.decode())


def progress_page(client, **query):
    return Elements(client.get(reverse("web:progress"), query).content.decode())


def assert_no_markup_but_the_pages_own(page):
    # The pages load their script from a file and show no images: any other such element was injected.
    assert all("src" in script["attributes"] for script in page.tagged("script"))
    assert not page.tagged("img")
    assert not [element for element in page.elements if any(name.startswith("on") for name in element["attributes"])]


def finished_attempts(user, quiz, count):
    owner = services.Owner.of(user=user)
    for _ in range(count):
        attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
        services.submit_attempt(attempt_id=attempt.pk, owner=owner)


# ---------------------------------------------------------------------------------------------
# Attempt page


def test_attempt_page_shows_script_and_quotes_in_question_and_choice_texts_as_text(client):
    quiz = QuizFactory(title=HOSTILE)
    question = QuestionFactory(quiz=quiz, text=f"Question {HOSTILE}")
    Choice.objects.filter(question=question, position=1).update(text=f"Choice {HOSTILE}")
    page = attempt_page(client, start(client, quiz))

    assert_no_markup_but_the_pages_own(page)
    assert page.tagged("legend")[0]["text"].endswith(f"Question {HOSTILE}")
    assert f"Choice {HOSTILE}" in [label["text"] for label in page.tagged("label", **{"class": "choice"})]
    assert page.tagged("h1")[0]["text"] == HOSTILE


def test_attempt_page_fieldsets_carry_the_ids_names_and_descriptions_the_script_and_readers_use(client):
    quiz = QuizFactory()
    single = QuestionFactory(quiz=quiz, position=1, kind=QuestionKind.SINGLE)
    several = QuestionFactory(quiz=quiz, position=2, kind=QuestionKind.MULTIPLE, choices__correct=2)
    page = attempt_page(client, start(client, quiz))

    for question, input_type in ((single, "radio"), (several, "checkbox")):
        fieldset = page.tagged("fieldset", id=f"question-{question.pk}")[0]
        assert fieldset["attributes"]["class"] == "question"
        assert fieldset["attributes"]["data-question-id"] == str(question.pk)
        assert fieldset["attributes"]["aria-describedby"] == f"question-{question.pk}-hint"
        assert page.tagged("p", id=f"question-{question.pk}-hint")
        inputs = page.tagged("input", name=f"question-{question.pk}")
        assert sorted(int(field["attributes"]["value"]) for field in inputs) == sorted(
            question.choices.values_list("pk", flat=True)
        )
        for field in inputs:
            choice_id = field["attributes"]["value"]
            assert field["attributes"]["type"] == input_type
            assert field["attributes"]["id"] == f"q{question.pk}-c{choice_id}"
            assert page.tagged("label", **{"for": f"q{question.pk}-c{choice_id}"})


def test_an_invalid_answer_marks_its_fieldset_and_describes_it_by_the_message(client):
    quiz = quiz_with_questions(2)
    attempt = start(client, quiz)
    first, second = quiz.questions.order_by("position")
    response = client.post(
        reverse("web:attempt", kwargs={"attempt_id": attempt.pk}),
        {"action": "save", f"question-{first.pk}": str(second.choices.first().pk)},
    )
    page = Elements(response.content.decode())

    assert response.status_code == 400
    fieldset = page.tagged("fieldset", id=f"question-{first.pk}")[0]
    assert fieldset["attributes"]["class"] == "question has-error"
    assert fieldset["attributes"]["aria-describedby"] == f"question-{first.pk}-hint question-{first.pk}-error"
    assert page.tagged("p", id=f"question-{first.pk}-error")[0]["text"]
    assert page.tagged("fieldset", id=f"question-{second.pk}")[0]["attributes"]["class"] == "question"


@pytest.mark.parametrize(
    "language, heading, hints",
    [
        ("de", "Frage 1 von 2", ["Wählen Sie eine Antwort. 1 Punkt", "Wählen Sie alle zutreffenden Antworten. 2 Punkte"]),
        ("en", "Question 1 of 2", ["Select one answer. 1 point", "Select all that apply. 2 points"]),
    ],
)
def test_attempt_page_fieldsets_speak_the_interface_language(client, language, heading, hints):
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz, position=1, kind=QuestionKind.SINGLE)
    QuestionFactory(quiz=quiz, position=2, kind=QuestionKind.MULTIPLE, choices__correct=2, points=2)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = attempt_page(client, start(client, quiz))

    assert page.tagged("span", **{"class": "question-number"})[0]["text"] == heading
    assert [hint["text"] for hint in page.tagged("p", **{"class": "hint"}) if hint["attributes"].get("id")] == hints


# ---------------------------------------------------------------------------------------------
# Progress page


def test_progress_page_shows_script_and_quotes_in_a_quiz_title_as_text_in_tables_and_chart(client):
    user = UserFactory()
    client.force_login(user)
    finished_attempts(user, quiz_with_questions(1, title=HOSTILE, max_attempts=None), 2)
    page = progress_page(client)

    assert_no_markup_but_the_pages_own(page)
    assert [link["text"] for link in page.tagged("a", lang="de") if link["text"] == HOSTILE] == [HOSTILE] * 3
    assert [title["text"] for title in page.tagged("title")[1:]] == [f"{HOSTILE}: 0\u00a0%"] * 2


@pytest.mark.parametrize("language", ["de", "en"])
def test_progress_chart_numbers_have_a_decimal_point_in_every_language(client, language):
    user = UserFactory()
    client.force_login(user)
    finished_attempts(user, quiz_with_questions(1, max_attempts=None), 3)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = progress_page(client)

    number = r"\d+(\.\d+)?"
    (polyline,) = page.tagged("polyline")
    assert re.fullmatch(rf"{number},{number}( {number},{number}){{2}}", polyline["attributes"]["points"])
    for element in page.tagged("line") + page.tagged("circle") + page.tagged("text"):
        for name in ("x1", "y1", "x2", "y2", "cx", "cy", "x", "y"):
            if name in element["attributes"]:
                assert re.fullmatch(number, element["attributes"][name]), (element, name)
    assert page.tagged("svg")[0]["attributes"]["viewbox"] == "0 0 400 180"  # the parser lowercases names
    assert page.tagged("h1")[0]["text"] == {"de": "Mein Lernstand", "en": "My progress"}[language]


def test_progress_rows_link_each_attempt_by_reverse(client):
    user = UserFactory()
    client.force_login(user)
    quiz = quiz_with_questions(1, max_attempts=None)
    finished_attempts(user, quiz, 1)
    open_attempt, _created = services.start_attempt(quiz=quiz, owner=services.Owner.of(user=user))
    closed_attempt = Attempt.objects.exclude(pk=open_attempt.pk).get()
    links = {link["attributes"]["href"] for link in progress_page(client).tagged("a")}

    assert reverse("web:attempt", kwargs={"attempt_id": open_attempt.pk}) in links
    assert reverse("web:result", kwargs={"attempt_id": closed_attempt.pk}) in links
    assert reverse("web:quiz", kwargs={"slug": quiz.slug}) in links


@pytest.mark.parametrize(
    "language, words", [("de", ("Versuch 1", "Fortsetzen")), ("en", ("Attempt 1", "Resume"))]
)
def test_progress_rows_speak_the_interface_language_and_show_local_start_times(client, language, words):
    user = UserFactory()
    client.force_login(user)
    attempt, _created = services.start_attempt(quiz=quiz_with_questions(1), owner=services.Owner.of(user=user))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = progress_page(client)

    (row,) = [row for row in page.tagged("tr") if row["text"].startswith(attempt.quiz.title)]
    with override(language):
        started = date_format(timezone.localtime(attempt.started_at), "SHORT_DATETIME_FORMAT")
    assert row["text"] == f"{attempt.quiz.title} {words[0]}{started}{words[1]}"


def test_the_progress_chart_draws_each_quiz_as_its_own_series_with_a_legend(client):
    # One line through every attempt once joined different quizzes into one series.
    user = UserFactory()
    client.force_login(user)
    finished_attempts(user, quiz_with_questions(1, title="Erstes Quiz", max_attempts=None), 2)
    finished_attempts(user, quiz_with_questions(1, title="Zweites Quiz", max_attempts=None), 3)

    page = progress_page(client)

    polylines = page.tagged("polyline")
    assert sorted(len(line["attributes"]["points"].split()) for line in polylines) == [2, 3]
    assert [item["text"] for item in page.tagged("span", lang="de") if item["text"].endswith("Quiz")] == [
        "Erstes Quiz",
        "Zweites Quiz",
    ]
