"""Moodle XML read as Moodle writes it, our own files read back unchanged, hostile files as problems."""

import time

import pytest
from django.utils import translation
from hypothesis import given, settings

from quizzes.interchange import moodle_xml
from quizzes.interchange.model import MAX_FILE_BYTES, MULTIPLE, SINGLE, TRUE_FALSE
from tests.interchange_questions import question_lists


@pytest.fixture(autouse=True)
def messages_in_english():
    # The site's default language is German; these tests read the English messages.
    with translation.override("en"):
        yield


MOODLE_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Default for Geography</text>
    </category>
    <info format="moodle_auto_format">
      <text>The default category for questions shared in context 'Geography'.</text>
    </info>
    <idnumber></idnumber>
  </question>

<!-- question: 52  -->
  <question type="multichoice">
    <name>
      <text>Capital</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr">What is the capital of <b>France</b>?<script>alert(1)</script></p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Paris &amp; nothing else.</p>]]></text>
    </generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>capital-of-france</idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>Paris</p>]]></text>
      <feedback format="html">
        <text><![CDATA[<p>Right.</p>]]></text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text><![CDATA[<p>Lyon</p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <tags>
      <tag><text>geography</text>
</tag>
      <tag><text>difficulty-hard</text>
</tag>
    </tags>
  </question>

<!-- question: 53  -->
  <question type="multichoice">
    <name>
      <text>Rivers</text>
    </name>
    <questiontext format="moodle_auto_format">
      <text>Which rivers flow through Germany?</text>
    </questiontext>
    <generalfeedback format="moodle_auto_format">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>false</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <answer fraction="33.33333" format="moodle_auto_format"><text>Rhine</text><feedback format="moodle_auto_format"><text></text></feedback></answer>
    <answer fraction="33.33333" format="moodle_auto_format"><text>Danube</text><feedback format="moodle_auto_format"><text></text></feedback></answer>
    <answer fraction="33.33333" format="moodle_auto_format"><text>Elbe</text><feedback format="moodle_auto_format"><text></text></feedback></answer>
    <answer fraction="-100" format="moodle_auto_format"><text>Thames</text><feedback format="moodle_auto_format"><text>In England.</text></feedback></answer>
  </question>

<!-- question: 54  -->
  <question type="truefalse">
    <name>
      <text>Sky</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>The sky is blue.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <answer fraction="0" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html">
        <text><![CDATA[<p>Look up.</p>]]></text>
      </feedback>
    </answer>
    <answer fraction="100" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
  </question>

<!-- question: 55  -->
  <question type="shortanswer">
    <name><text>Judge</text></name>
    <questiontext format="html"><text>Who ruled?</text></questiontext>
    <answer fraction="100"><text>Rothstein</text></answer>
  </question>

<!-- question: 56  -->
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext>
  </question>
</quiz>
"""


def test_a_file_as_moodle_exports_it_is_read_and_html_made_plain():
    result = moodle_xml.parse(MOODLE_EXPORT)

    capital, rivers, sky = result.questions
    assert (capital.key, capital.name, capital.kind, capital.points, capital.category) == (
        "capital-of-france", "Capital", SINGLE, 2, "Default for Geography")
    assert capital.text == "What is the capital of France?"
    assert capital.general_feedback == "Paris & nothing else."
    assert [(c.text, c.fraction, c.feedback) for c in capital.choices] == [("Paris", 100, "Right."), ("Lyon", 0, "")]
    assert capital.difficulty == "hard" and "geography" in capital.tags
    assert rivers.kind == MULTIPLE and rivers.choices[3].feedback == "In England."
    assert sky.kind == TRUE_FALSE and [(c.text, c.fraction, c.feedback) for c in sky.choices] == [
        ("true", 100, ""), ("false", 0, "Look up.")]


def test_question_types_we_do_not_have_are_problems_with_their_line():
    result = moodle_xml.parse(MOODLE_EXPORT)

    lines = MOODLE_EXPORT.decode().split("\n")
    assert [(p.line, p.message) for p in result.problems] == [
        (lines.index('  <question type="shortanswer">') + 1, "Question type short answer, which we do not have; skipped."),
        (lines.index('  <question type="essay">') + 1, "Question type essay, which we do not have; skipped."),
    ]


def test_single_is_read_as_moodle_reads_it():
    def kind_with(single, wrong_fraction):
        xml = (
            '<quiz><question type="multichoice"><questiontext><text>Q</text></questiontext>' + single +
            f'<answer fraction="100"><text>a</text></answer><answer fraction="{wrong_fraction}"><text>b</text></answer>'
            "</question></quiz>"
        ).encode()
        return moodle_xml.parse(xml).questions[0].kind

    assert [kind_with(s, 0) for s in ("", "<single>1</single>", "<single>yes</single>")] == [SINGLE] * 3
    assert [kind_with(s, -100) for s in ("<single>false</single>", "<single>0</single>", "<single/>")] == [MULTIPLE] * 3


def test_weights_our_rule_cannot_express_are_problems_never_rescored():
    xml = b"""<?xml version="1.0" encoding="UTF-8"?><quiz><question type="multichoice">
    <questiontext format="plain_text"><text>Pick</text></questiontext><single>false</single>
    <answer fraction="50"><text>a</text></answer><answer fraction="50"><text>b</text></answer>
    <answer fraction="0"><text>c</text></answer></question></quiz>"""
    result = moodle_xml.parse(xml)

    assert result.questions == () and "expected 50, 50, -100" in result.problems[0].message


@settings(max_examples=200, deadline=None)
@given(question_lists)
def test_written_questions_read_back_unchanged(questions):
    result = moodle_xml.parse(moodle_xml.write(questions))

    assert result.problems == ()
    assert list(result.questions) == questions


def test_entity_expansion_is_refused_as_a_problem():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
    <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><quiz><question type="multichoice"><questiontext><text>&c;</text>
    </questiontext></question></quiz>"""
    result = moodle_xml.parse(bomb)

    assert result.questions == () and "entities" in result.problems[0].message


def test_external_entities_are_refused_as_a_problem():
    external = b"""<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
    <quiz><question type="multichoice"><questiontext><text>&secret;</text></questiontext></question></quiz>"""
    result = moodle_xml.parse(external)

    assert result.questions == () and "entities" in result.problems[0].message


def test_broken_utf8_is_a_problem_with_its_line():
    result = moodle_xml.parse(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="x">\xff</question></quiz>')

    assert result.questions == () and result.problems[0].line == 3


def test_deep_nesting_is_read_without_recursion_errors():
    result = moodle_xml.parse(b"<quiz>" + b"<a>" * 200_000 + b"</a>" * 200_000 + b"</quiz>")

    assert result.questions == () and result.problems == ()


def test_deeply_nested_html_in_a_text_is_a_problem_in_bounded_time():
    html = "<div>" * 100_000 + "x" + "</div>" * 100_000
    xml = (
        '<quiz><question type="truefalse"><questiontext format="html"><text><![CDATA[' + html + "]]></text>"
        '</questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text>'
        "</answer></question></quiz>"
    ).encode()
    started = time.monotonic()

    result = moodle_xml.parse(xml)

    assert time.monotonic() - started < 5
    assert result.questions == () and "nested" in result.problems[0].message


def test_questions_nested_inside_other_elements_are_not_read():
    xml = b'<quiz><extra><question type="essay"><questiontext><text>Q</text></questiontext></question></extra></quiz>'

    assert moodle_xml.parse(xml) == moodle_xml.parse(b"<quiz></quiz>")


def test_not_moodle_xml_and_unclosed_elements_are_problems():
    assert "quiz" in moodle_xml.parse(b"<html></html>").problems[0].message
    assert moodle_xml.parse(b"<quiz><question type='truefalse'>").problems


def test_a_file_over_ten_megabytes_is_refused_before_parsing():
    result = moodle_xml.parse(b"<quiz>" + b" " * MAX_FILE_BYTES + b"</quiz>")

    assert result.questions == () and "MB" in result.problems[0].message


def test_ten_thousand_questions_stop_at_the_limit_with_a_problem():
    question = (
        b'<question type="truefalse"><questiontext><text>Q</text></questiontext>'
        b'<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>'
    )
    result = moodle_xml.parse(b"<quiz>" + question * 10_000 + b"</quiz>")

    assert len(result.questions) == 2000 and "2000" in result.problems[0].message


@pytest.mark.parametrize("encoding", ["foo", "utf-32"])
def test_an_encoding_the_parser_cannot_read_is_a_problem_not_an_error(encoding):
    result = moodle_xml.parse(f'<?xml version="1.0" encoding="{encoding}"?><quiz></quiz>'.encode())

    assert result.questions == ()
    assert [problem.line for problem in result.problems] == [1]


def test_a_weight_written_with_millions_of_decimals_is_a_problem_not_a_long_computation():
    raw = (
        b'<quiz><question type="multichoice"><name><text>x</text></name><questiontext><text>q</text>'
        b'</questiontext><answer fraction="-1e-30000000"><text>a</text></answer>'
        b'<answer fraction="100"><text>b</text></answer></question></quiz>'
    )
    with translation.override("en"):
        result = moodle_xml.parse(raw)

    assert result.questions == ()
    assert "not a percentage" in result.problems[0].message
