"""Moodle XML, read as Moodle's qformat_xml reads it and written as its exporter writes it.

`<question type="category">` sets the category of what follows; `type="multichoice"` (`<single>`
true: one answer, false: several) and `type="truefalse"` are our kinds; every other type is a problem.
`fraction` is a percentage. HTML texts (format="html", usually in CDATA) become plain text through
nh3. Parsing goes through defusedxml only, so entity declarations and external entities are refused.

Citations travel in an element Moodle's importer ignores, inside <question>:

    <citations>
      <citation source="SOURCE-SLUG">
        <quote><text>the quote, verbatim</text></quote>
        <translation><text>its translation into the quiz's language, may be empty</text></translation>
        <note><text>a note, may be empty</text></note>
      </citation>
    </citations>
"""

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError, SubElement, TreeBuilder, indent, tostring

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.interchange.model import (
    FALSE_TEXT,
    MAX_FILE_BYTES,
    MAX_QUESTIONS,
    MULTIPLE,
    SINGLE,
    SKIPPED,
    TRUE_FALSE,
    TRUE_TEXT,
    InterchangeChoice,
    InterchangeCitation,
    InterchangeQuestion,
    Problem,
    ReadResult,
    category_path,
    file_too_large,
    is_reasonable_number,
    moodle_category,
    too_many_questions,
)
from quizzes.interchange.text import MAX_HTML_DEPTH, UnreadableHtml, html_to_text, trim
from quizzes.interchange.weights import percent_text, weight_problem

UNSUPPORTED_TYPES = {
    "shortanswer": gettext_lazy("short answer"),
    "numerical": gettext_lazy("numerical"),
    "essay": gettext_lazy("essay"),
    "matching": gettext_lazy("matching"),
    "multianswer": gettext_lazy("cloze"),
    "description": gettext_lazy("description"),
    "calculated": gettext_lazy("calculated"),
    "ddwtos": gettext_lazy("drag and drop"),
    "gapselect": gettext_lazy("gap select"),
}


class _LineRecordingBuilder(TreeBuilder):
    """A tree builder that remembers the line each element starts on, for problems with a line."""

    def __init__(self):
        super().__init__()
        self.parser = None
        self.lines = {}

    def start(self, tag, attributes):
        element = super().start(tag, attributes)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def parse(raw) -> ReadResult:
    """Questions and problems from a Moodle XML file (bytes); never raises on bad input."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        return ReadResult((), (file_too_large(),))
    builder = _LineRecordingBuilder()
    parser = defusedxml.ElementTree.DefusedXMLParser(target=builder)
    builder.parser = parser
    try:
        parser.feed(raw)
        root = parser.close()
    except DefusedXmlException:
        return ReadResult((), (Problem(0, _("The file declares entities, which are refused for safety.")),))
    except ParseError as error:
        line = error.position[0] if error.position else 0
        return ReadResult((), (Problem(line, _("The file is not well-formed XML: %(error)s") % {"error": error}),))
    except (LookupError, ValueError) as error:
        # An encoding the parser does not know or cannot read (encoding="foo", "utf-32").
        return ReadResult((), (Problem(1, _("The file is not well-formed XML: %(error)s") % {"error": error}),))
    if root.tag != "quiz":
        return ReadResult((), (Problem(1, _("The file is not Moodle XML: its root element is not <quiz>.")),))
    questions, problems, category = [], [], ""
    # Only <quiz>'s own children are questions, as in Moodle; nested lookalikes are ignored.
    for element in root.findall("question"):
        line = builder.lines.get(element, 0)
        kind = element.get("type", "")
        if kind == "category":
            category = category_path(_text(element.find("category")))
            continue
        if len(questions) >= MAX_QUESTIONS:
            problems.append(too_many_questions(line))
            break
        if kind not in ("multichoice", "truefalse"):
            label = UNSUPPORTED_TYPES.get(kind, kind)
            message = _("Question type %(type)s, which we do not have; skipped.") % {"type": label}
            problems.append(Problem(line, message, SKIPPED))
            continue
        try:
            question = _read_question(element, kind, category, line, problems)
        except UnreadableHtml:
            problems.append(Problem(line, _html_problem()))
            continue
        if question is not None:
            questions.append(question)
    return ReadResult(tuple(questions), tuple(problems))


def _text(element) -> str:
    """The plain text of a Moodle text element (<text> inside), HTML made plain."""
    if element is None:
        return ""
    inner = element.find("text")
    value = inner.text if inner is not None and inner.text else ""
    if element.get("format") == "html":
        return html_to_text(value)
    return trim(value)


def _read_question(element, kind: str, category: str, line: int, problems: list):
    text = _text(element.find("questiontext"))
    if not text:
        problems.append(Problem(line, _("The question has no text.")))
        return None
    try:
        points = Decimal(trim(element.findtext("defaultgrade") or "1"))
    except InvalidOperation:
        points = None
    if points is None or not is_reasonable_number(points) or points <= 0:
        problems.append(Problem(line, _("The default grade must be a positive number.")))
        return None
    choices = []
    for answer in element.findall("answer"):
        try:
            fraction = Decimal(trim(answer.get("fraction", "0")))
        except InvalidOperation:
            fraction = None
        if fraction is None or not is_reasonable_number(fraction) or abs(fraction) > 100:
            problems.append(Problem(line, _("An answer's fraction is not a percentage; skipped.")))
            return None
        feedback = _text(answer.find("feedback"))
        choices.append(InterchangeChoice(text=_text(answer), fraction=fraction, feedback=feedback))
    if kind == "truefalse":
        question_kind = TRUE_FALSE
        choices = _true_false_choices(choices)
        if choices is None:
            problems.append(Problem(line, _("A true/false question needs the answers 'true' and 'false'; skipped.")))
            return None
    else:
        # As Moodle's trans_single: only "false", "0" or an empty <single> allow several answers.
        single = element.findtext("single")
        question_kind = MULTIPLE if single is not None and trim(single).lower() in ("false", "0", "") else SINGLE
        if any(not choice.text for choice in choices):
            problems.append(Problem(line, _("An answer has no text; the question is skipped.")))
            return None
    reason = weight_problem(question_kind, [choice.fraction for choice in choices])
    if reason:
        problems.append(Problem(line, reason + " " + _("The question is skipped."), SKIPPED))
        return None
    return InterchangeQuestion(
        key=trim(element.findtext("idnumber") or ""),
        name=_text(element.find("name")),
        kind=question_kind,
        text=text,
        general_feedback=_text(element.find("generalfeedback")),
        points=points,
        category=category,
        tags=tuple(trim(tag.text or "") for tag in element.findall("tags/tag/text") if trim(tag.text or "")),
        choices=tuple(choices),
        citations=tuple(_read_citations(element)),
        line=line,
    )


def _true_false_choices(choices: list):
    by_text = {choice.text.lower(): choice for choice in choices}
    if len(choices) != 2 or set(by_text) != {TRUE_TEXT, FALSE_TEXT}:
        return None
    return (
        InterchangeChoice(TRUE_TEXT, by_text[TRUE_TEXT].fraction, by_text[TRUE_TEXT].feedback),
        InterchangeChoice(FALSE_TEXT, by_text[FALSE_TEXT].fraction, by_text[FALSE_TEXT].feedback),
    )


def _read_citations(element):
    for citation in element.findall("citations/citation"):
        source, quote = trim(citation.get("source", "")), _text(citation.find("quote"))
        if source and quote:
            yield InterchangeCitation(
                source=source,
                quote=quote,
                note=_text(citation.find("note")),
                translation=_text(citation.find("translation")),
            )


def _text_element(parent, tag: str, value: str, text_format: str = "plain_text"):
    element = SubElement(parent, tag, {"format": text_format} if text_format else {})
    SubElement(element, "text").text = value
    return element


def write(questions) -> bytes:
    """Moodle XML for interchange questions, laid out as Moodle's exporter writes it."""
    root, category = Element("quiz"), None
    for question in questions:
        if question.category != category:
            category = question.category
            block = SubElement(root, "question", {"type": "category"})
            _text_element(block, "category", moodle_category(category), text_format="")
        _write_question(root, question)
    indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8") + b"\n"


def _write_question(root, question):
    element = SubElement(root, "question", {"type": "truefalse" if question.kind == TRUE_FALSE else "multichoice"})
    _text_element(element, "name", question.name, text_format="")
    _text_element(element, "questiontext", question.text)
    _text_element(element, "generalfeedback", question.general_feedback)
    SubElement(element, "defaultgrade").text = format(question.points.quantize(Decimal("0.0000001")), "f")
    SubElement(element, "penalty").text = "0.3333333" if question.kind != TRUE_FALSE else "1.0000000"
    SubElement(element, "hidden").text = "0"
    SubElement(element, "idnumber").text = question.key
    if question.kind != TRUE_FALSE:
        SubElement(element, "single").text = "true" if question.kind == SINGLE else "false"
        SubElement(element, "shuffleanswers").text = "true"
        SubElement(element, "answernumbering").text = "abc"
    for choice in question.choices:
        answer = SubElement(element, "answer", {"fraction": percent_text(choice.fraction), "format": "plain_text"})
        SubElement(answer, "text").text = choice.text
        _text_element(answer, "feedback", choice.feedback)
    if question.tags:
        tags = SubElement(element, "tags")
        for tag in question.tags:
            SubElement(SubElement(tags, "tag"), "text").text = tag
    if question.citations:
        citations = SubElement(element, "citations")
        for citation in question.citations:
            item = SubElement(citations, "citation", {"source": citation.source})
            _text_element(item, "quote", citation.quote, text_format="")
            _text_element(item, "translation", citation.translation, text_format="")
            _text_element(item, "note", citation.note, text_format="")


def _html_problem() -> str:
    return _("A text's HTML is nested more than %(depth)d levels deep; the question is skipped.") % {
        "depth": MAX_HTML_DEPTH
    }
