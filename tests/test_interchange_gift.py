"""GIFT read as Moodle reads it, written as Moodle writes it, and hostile files as problems."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings

from quizzes.interchange import gift
from quizzes.interchange.model import MAX_FILE_BYTES, MULTIPLE, SINGLE, TRUE_FALSE
from tests.interchange_questions import question_lists


@pytest.fixture(autouse=True)
def messages_in_english():
    # The site's default language is German; these tests read the English messages.
    with translation.override("en"):
        yield


# As Moodle's exporter writes a category, a single-choice question with id and tags, and a multiple one.
MOODLE_EXPORT = """// question: 0  name: Switch category to $course$/top/Default for Geography
$CATEGORY: $course$/top/Default for Geography


// question: 52  name: Capital
// [id:capital-of-france] [tag:geography] [tag:difficulty-easy]
::Capital::[html]<p>What is the capital of <b>France</b>?</p>{
\t=Paris#Right\\: the seat of government.
\t~Lyon#No, Lyon is the third city.
\t~Marseille
\t####<p>Paris has been the capital since 987.</p>
}


// question: 53  name: Rivers
::Rivers::Which rivers flow through Germany?{
\t~%50%Rhine
\t~%50%Danube
\t~%-100%Thames#Thames is in England.
}


// question: 54  name: Sky
::Sky::The sky is blue \\{on clear days\\}.{TRUE#Look up.#Yes.}
"""


def test_a_file_as_moodle_exports_it_is_read_with_keys_tags_weights_and_feedback():
    result = gift.parse(MOODLE_EXPORT)

    assert result.problems == ()
    capital, rivers, sky = result.questions
    assert (capital.key, capital.name, capital.kind, capital.category) == (
        "capital-of-france", "Capital", SINGLE, "Default for Geography")
    assert capital.text == "What is the capital of France?"
    assert capital.tags == ("geography", "difficulty-easy") and capital.difficulty == "easy"
    assert [(c.text, c.fraction, c.feedback) for c in capital.choices] == [
        ("Paris", 100, "Right: the seat of government."), ("Lyon", 0, "No, Lyon is the third city."), ("Marseille", 0, "")]
    assert capital.general_feedback == "Paris has been the capital since 987."
    assert rivers.kind == MULTIPLE and [c.fraction for c in rivers.choices] == [50, 50, -100]
    assert "1/2" in rivers.scoring
    assert sky.kind == TRUE_FALSE and sky.text == "The sky is blue {on clear days}."
    assert [(c.text, c.fraction, c.feedback) for c in sky.choices] == [("true", 100, "Yes."), ("false", 0, "Look up.")]


def test_false_statement_gives_the_second_feedback_to_the_right_answer_false():
    (question,) = gift.parse("Fish fly.{F#Fish swim.#Right, they swim.}").questions

    assert [(c.text, c.fraction, c.feedback) for c in question.choices] == [
        ("true", 0, "Fish swim."), ("false", 100, "Right, they swim.")]


def test_question_types_we_do_not_have_are_problems_with_their_line_and_skipped():
    text = "\n\n".join([
        "Describe Parler.{}",
        "How many servers?{#12:2}",
        "Match.{=a -> 1 =b -> 2 =c -> 3}",
        "Name the judge.{=Rothstein}",
        "Just a description without braces.",
        "Good one?{=yes ~no}",
    ])
    result = gift.parse(text)

    assert [q.text for q in result.questions] == ["Good one?"]
    assert [(p.line, p.message.split(" question")[0]) for p in result.problems] == [
        (1, "An essay"), (3, "A numerical"), (5, "A matching"), (7, "A short-answer"), (9, "No answers in braces: a description, which we do not have; skipped.")]


def test_lower_case_true_is_a_short_answer_as_in_moodle_not_true_false():
    result = gift.parse("The sky is blue.{true}")

    assert result.questions == () and "short-answer" in result.problems[0].message


def test_text_before_the_first_tilde_is_an_answer_worth_nothing_as_in_moodle():
    (question,) = gift.parse("Pick.{maybe =yes ~no}").questions

    assert [(c.text, c.fraction) for c in question.choices] == [("maybe", 0), ("yes", 100), ("no", 0)]


def test_weights_our_rule_cannot_express_are_problems_never_rescored():
    result = gift.parse("Pick.{~%50%a ~%50%b ~c}\n\nPick one.{=a =b ~c}\n\nHalf.{=a ~%50%b}")

    assert result.questions == ()
    assert [p.line for p in result.problems] == [1, 3, 5]
    assert "expected 50, 50, -100" in result.problems[0].message


def test_points_and_citations_in_our_comment_lines_are_read():
    text = "// [id:q] [points:2.5]\n// [citation:parler-klage] Parler \\\\ sagt\\n nein\n// [citation-note] übersetzt\nQ?{=a ~b}"
    (question,) = gift.parse(text).questions

    assert question.points == Decimal("2.5")
    assert [(c.source, c.quote, c.note) for c in question.citations] == [("parler-klage", "Parler \\ sagt\n nein", "übersetzt")]


def test_a_citations_translation_travels_in_its_own_comment_line():
    text = (
        "// [id:q]\n// [citation:parler-klage] Parler sagt nein\n// [citation-translation] Parler says no\n"
        "// [citation-note] context\nQ?{=a ~b}"
    )
    (question,) = gift.parse(text).questions
    assert [(c.quote, c.translation, c.note) for c in question.citations] == [
        ("Parler sagt nein", "Parler says no", "context")
    ]
    assert "// [citation-translation] Parler says no" in gift.write([question])


@settings(max_examples=200, deadline=None)
@given(question_lists)
def test_written_questions_read_back_unchanged(questions):
    result = gift.parse(gift.write(questions))

    assert result.problems == ()
    assert list(result.questions) == questions


def test_missing_closing_brace_is_a_problem():
    result = gift.parse("Q?{=a ~b\n\nNext?{=c ~d}")

    assert [q.text for q in result.questions] == ["Next?"]
    assert result.problems[0].line == 1 and "brace" in result.problems[0].message


def test_a_name_never_closed_is_a_problem():
    result = gift.parse("::Name without end{=a ~b}")

    assert result.questions == () and "::" in result.problems[0].message


def test_broken_utf8_is_a_problem_with_its_line():
    result = gift.parse(b"Q?{=a ~b}\n\nQ\xff?{=a ~b}")

    assert result.questions == () and result.problems[0].line == 3 and "UTF-8" in result.problems[0].message


def test_a_file_over_ten_megabytes_is_refused_before_parsing():
    result = gift.parse(b"Q?{=a ~b}\n\n" * (MAX_FILE_BYTES // 10))

    assert result.questions == () and len(result.problems) == 1 and "MB" in result.problems[0].message


def test_ten_thousand_questions_stop_at_the_limit_with_a_problem():
    result = gift.parse("\n\n".join(f"Q{n}?{{=a ~b}}" for n in range(10_000)))

    assert len(result.questions) == 2000
    assert len(result.problems) == 1 and "2000" in result.problems[0].message


def test_deeply_nested_html_in_a_text_is_a_problem_not_minutes_of_parsing():
    result = gift.parse("[html]" + "<div>" * 100_000 + "Q?" + "</div>" * 100_000 + "{=a ~b}")

    assert result.questions == () and "nested" in result.problems[0].message


def test_deeply_nested_braces_and_a_huge_line_are_problems_not_errors():
    result = gift.parse("{" * 100_000 + "}" * 100_000 + "\n\n" + "~" * 1_000_000)

    assert result.questions == () and result.problems


def test_problems_and_scoring_are_told_in_german_too():
    with translation.override("de"):
        result = gift.parse("Essay?{}\n\nQ?{=a ~b}")

        assert result.problems[0].message == "Eine Freitextfrage (leere Klammern), die wir nicht haben; übersprungen."
        assert result.questions[0].scoring == "Einfachauswahl: 1 Punkt für die eine richtige Antwort, sonst 0."
