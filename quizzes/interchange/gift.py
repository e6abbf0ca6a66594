"""GIFT, read as Moodle's qformat_gift reads it and written as its exporter writes it.

Questions are separated by blank lines. Lines starting with `//` are comments; in them `[id:KEY]` (the
first counts) is the question's key, `[tag:TAG]` a tag (`]` written `\\]`), and two structures of
ours that Moodle ignores:

    // [citation:SOURCE-SLUG] the quote, verbatim (a backslash is written \\\\, a line break \\n)
    // [citation-note] a note on the citation just above
    // [citation-translation] the translation of the citation just above (into the quiz's language)
    // [points:2]      the points (GIFT has no default grade; 1 when absent)

`$CATEGORY: $course$/top/TOPIC` blocks set the category of what follows. `::Name::` names a question;
the answers run from the first unescaped `{` to the first unescaped `}`; `=` right, `~` wrong,
`~%50%` weighted; no `=` at all means several may be right; `{T}`/`{FALSE#wrong#right}`; `#` answer
feedback; `####` general feedback; escapes `\\: \\# \\= \\{ \\} \\~ \\n \\\\`. Other question types are
problems, never misread.
"""

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from quizzes.interchange.model import (
    FALSE_TEXT,
    SKIPPED,
    MAX_QUESTIONS,
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    TRUE_TEXT,
    InterchangeChoice,
    InterchangeCitation,
    InterchangeQuestion,
    Problem,
    ReadResult,
    category_path,
    decode_upload,
    is_reasonable_number,
    moodle_category,
    too_many_questions,
)
from quizzes.interchange.text import MAX_HTML_DEPTH, UnreadableHtml, html_to_text, trim
from quizzes.interchange.weights import percent_text, weight_problem

ESCAPED = re.compile(r"\\([\\:#={}~n])")
# Moodle's own patterns: a weight such as %50% or %-33.33333%, an id or tag with \] inside.
WEIGHT = re.compile(r"^%(-*[0-9]{1,3}(?:\.[0-9]*)?)%")
ID_MARK = re.compile(r"\[id:((?:\\.|[^]\\])*)\]")
TAG_MARK = re.compile(r"\[tag:((?:\\.|[^]\\])*)\]")
POINTS_MARK = re.compile(r"\[points:([^]]*)\]")
CITATION_LINE = re.compile(r"^//\s*\[citation:([^]\s]+)\]\s?(.*)$")
CITATION_NOTE_LINE = re.compile(r"^//\s*\[citation-note\]\s?(.*)$")
CITATION_TRANSLATION_LINE = re.compile(r"^//\s*\[citation-translation\]\s?(.*)$")
FORMAT_MARK = re.compile(r"^\[(html|moodle|plain|markdown)\]")
# Case matters: Moodle reads {true} as a short answer, not as true/false.
TRUE_FALSE_ANSWER = re.compile(r"^(T|TRUE|F|FALSE)$")
COMMENT_ESCAPED = re.compile(r"\\(.)")


def _mask(text: str) -> str:
    """The text with every escape pair blanked, same length, so searches find only unescaped marks."""
    return ESCAPED.sub("\0\0", text)


def _unescape(text: str) -> str:
    return ESCAPED.sub(lambda match: "\n" if match.group(1) == "n" else match.group(1), text)


def _format_of(raw: str, default_format: str) -> str:
    mark = FORMAT_MARK.match(trim(raw))
    return mark.group(1) if mark else default_format


def _read_text(raw: str, default_format: str = "moodle") -> str:
    """An escaped GIFT text as plain text: trimmed, format mark honoured, HTML made plain.

    As in Moodle, answers and feedback without a mark of their own take the question text's format.
    """
    text = trim(raw)
    mark = FORMAT_MARK.match(text)
    text_format = mark.group(1) if mark else default_format
    if mark:
        text = text[mark.end():]
    if text_format == "html":
        return html_to_text(_unescape(text))
    return trim(_unescape(text))


def _blocks(text: str):
    """(first line number, lines) of each group of lines between blank lines."""
    start, lines = 0, []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if trim(line):
            if not lines:
                start = number
            lines.append(line)
        elif lines:
            yield start, lines
            lines = []
    if lines:
        yield start, lines


def parse(raw) -> ReadResult:
    """Questions and problems from a GIFT file (bytes or text); never raises on bad input."""
    text, problem = decode_upload(raw)
    if problem:
        return ReadResult((), (problem,))
    questions, problems, category = [], [], ""
    for line, lines in _blocks(text):
        if len(questions) >= MAX_QUESTIONS:
            problems.append(too_many_questions(line))
            break
        comments = [trim(item) for item in lines if trim(item).startswith("//")]
        body = trim("\n".join(item for item in lines if not trim(item).startswith("//")))
        if body.startswith("$CATEGORY:"):
            category = category_path(_unescape(body[len("$CATEGORY:"):]))
            continue
        if not body:
            continue
        try:
            question = _read_question(body, comments, category, line, problems)
        except UnreadableHtml:
            problems.append(Problem(line, _html_problem()))
            continue
        if question is not None:
            questions.append(question)
    return ReadResult(tuple(questions), tuple(problems))


def _read_comments(comments: list, line: int, problems: list):
    key, tags, citations, points = "", [], [], Decimal("1")
    for comment in comments:
        citation = CITATION_LINE.match(comment)
        note = CITATION_NOTE_LINE.match(comment)
        translation = CITATION_TRANSLATION_LINE.match(comment)
        if citation:
            quote = trim(_comment_unescape(citation.group(2)))
            citations.append(InterchangeCitation(source=citation.group(1), quote=quote))
            continue
        if note:
            if citations:
                last = citations.pop()
                citations.append(replace(last, note=trim(_comment_unescape(note.group(1)))))
            continue
        if translation:
            if citations:
                last = citations.pop()
                citations.append(replace(last, translation=trim(_comment_unescape(translation.group(1)))))
            continue
        identifier = ID_MARK.search(comment)
        if identifier and not key:
            key = trim(identifier.group(1).replace("\\]", "]"))
        tags.extend(trim(tag.replace("\\]", "]")) for tag in TAG_MARK.findall(comment))
        points_mark = POINTS_MARK.search(comment)
        if points_mark:
            try:
                points = Decimal(points_mark.group(1))
            except InvalidOperation:
                points = None
            if points is None or not is_reasonable_number(points) or points <= 0:
                problems.append(Problem(line, _("The points must be a positive number.")))
                return None
    return key, tuple(tag for tag in tags if tag), tuple(citations), points


def _read_question(body: str, comments: list, category: str, line: int, problems: list):
    meta = _read_comments(comments, line, problems)
    if meta is None:
        return None
    key, tags, citations, points = meta
    masked, name = _mask(body), ""
    if masked.startswith("::"):
        end = masked.find("::", 2)
        if end == -1:
            problems.append(Problem(line, _("The question name is not closed with '::'.")))
            return None
        name = _read_text(body[2:end])
        body, masked = body[end + 2:], masked[end + 2:]
    opening, closing = masked.find("{"), masked.find("}")
    if opening == -1 and closing == -1:
        problems.append(
            Problem(line, _("No answers in braces: a description, which we do not have; skipped."), SKIPPED)
        )
        return None
    if opening == -1 or closing < opening:
        problems.append(Problem(line, _("The answers are missing their opening or closing brace.")))
        return None
    after = body[closing + 1:]
    text_format = _format_of(body[:opening], "moodle")
    question_text = _read_text(body[:opening] + ("_____" + after if trim(after) else ""))
    answers, answers_masked = body[opening + 1:closing], masked[opening + 1:closing]
    general_feedback = ""
    feedback_at = answers_masked.rfind("####")
    if feedback_at != -1:
        general_feedback = _read_text(answers[feedback_at + 4:], text_format)
        answers, answers_masked = answers[:feedback_at], answers_masked[:feedback_at]
    if not question_text:
        problems.append(Problem(line, _("The question has no text.")))
        return None
    common = dict(key=key, name=name, text=question_text, general_feedback=general_feedback, points=points,
                  category=category, tags=tags, citations=citations, line=line)
    stripped = trim(answers_masked)
    if not stripped:
        kind_problem = _("An essay question (empty braces), which we do not have; skipped.")
    elif stripped.startswith("#"):
        kind_problem = _("A numerical question, which we do not have; skipped.")
    elif "~" in answers_masked:
        return _read_choices(answers, answers_masked, common, problems, text_format)
    elif "=" in answers_masked and "->" in answers_masked:
        kind_problem = _("A matching question, which we do not have; skipped.")
    elif TRUE_FALSE_ANSWER.match(trim(answers_masked.split("#", 1)[0])):
        return _read_true_false(answers, answers_masked, common, text_format)
    else:
        kind_problem = _("A short-answer question, which we do not have; skipped.")
    problems.append(Problem(line, kind_problem, SKIPPED))
    return None


def _split_feedback(raw: str, masked: str, text_format: str):
    at = masked.find("#")
    if at == -1:
        return raw, ""
    return raw[:at], _read_text(raw[at + 1:], text_format)


def _read_choices(answers: str, masked: str, common: dict, problems: list, text_format: str):
    kind = SINGLE if "=" in masked else MULTIPLE
    pieces, start = [], 0
    for index, character in enumerate(masked):
        if character in "~=":
            pieces.append((answers[start:index], masked[start:index]))
            start = index
    pieces.append((answers[start:], masked[start:]))
    if not trim(pieces[0][1]):
        pieces = pieces[1:]
    choices = []
    for raw, raw_masked in pieces:
        lead = len(raw_masked) - len(raw_masked.lstrip(" \t\n\r\0\x0b"))
        raw, raw_masked = raw[lead:], raw_masked[lead:]
        if raw_masked.startswith("="):
            fraction, raw, raw_masked = Decimal("100"), raw[1:], raw_masked[1:]
        else:
            # Text before the first ~ or = is an answer too, worth 0, as in Moodle.
            if raw_masked.startswith("~"):
                raw, raw_masked = raw[1:], raw_masked[1:]
            weight = WEIGHT.match(raw_masked)
            fraction = Decimal("0")
            if weight:
                fraction = Decimal(weight.group(1).lstrip("-") or "0") * (-1 if weight.group(1).startswith("-") else 1)
                raw, raw_masked = raw[weight.end():], raw_masked[weight.end():]
                if abs(fraction) > 100 or not is_reasonable_number(fraction):
                    problems.append(Problem(common["line"], _("A weight beyond 100 %; the question is skipped.")))
                    return None
        text, feedback = _split_feedback(raw, raw_masked, text_format)
        text = _read_text(text, text_format)
        if not text:
            problems.append(Problem(common["line"], _("An answer has no text; the question is skipped.")))
            return None
        choices.append(InterchangeChoice(text=text, fraction=fraction, feedback=feedback))
    reason = weight_problem(kind, [choice.fraction for choice in choices])
    if reason:
        problems.append(Problem(common["line"], reason + " " + _("The question is skipped."), SKIPPED))
        return None
    return InterchangeQuestion(kind=kind, choices=tuple(choices), **common)


def _read_true_false(answers: str, masked: str, common: dict, text_format: str):
    parts, starts, at = [], [0], masked.find("#")
    while at != -1 and len(starts) < 3:
        starts.append(at + 1)
        at = masked.find("#", at + 1)
    bounds = starts + [len(answers) + 1]
    parts = [answers[bounds[i]:bounds[i + 1] - 1] for i in range(len(starts))]
    is_true = trim(parts[0]) in ("T", "TRUE")
    # The first feedback is shown to a learner who is wrong, the second to one who is right.
    wrong_feedback = _read_text(parts[1], text_format) if len(parts) > 1 else ""
    right_feedback = _read_text(parts[2], text_format) if len(parts) > 2 else ""
    true_feedback, false_feedback = (right_feedback, wrong_feedback) if is_true else (wrong_feedback, right_feedback)
    true_choice = InterchangeChoice(TRUE_TEXT, Decimal(100 if is_true else 0), true_feedback)
    false_choice = InterchangeChoice(FALSE_TEXT, Decimal(0 if is_true else 100), false_feedback)
    return InterchangeQuestion(kind=TRUE_FALSE, choices=(true_choice, false_choice), **common)


def escape(text: str) -> str:
    """Text as GIFT writes it: the special characters escaped, line breaks as \\n, a format mark kept literal."""
    escaped = re.sub(r"([\\:#={}~])", r"\\\1", text).replace("\n", "\\n")
    if FORMAT_MARK.match(escaped) or escaped.startswith("//"):
        return "[plain]" + escaped
    return escaped


def _comment_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _comment_unescape(text: str) -> str:
    return COMMENT_ESCAPED.sub(lambda match: "\n" if match.group(1) == "n" else match.group(1), text)


def _mark(value: str) -> str:
    return value.replace("]", "\\]")


def write(questions) -> str:
    """GIFT text for interchange questions, as Moodle's exporter lays it out."""
    blocks, category = [], ""
    for question in questions:
        if question.category != category:
            category = question.category
            blocks.append("$CATEGORY: " + moodle_category(category))
        blocks.append(_write_question(question))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _write_question(question) -> str:
    lines = []
    marks = [f"[id:{_mark(question.key)}]"] if question.key else []
    marks += [f"[tag:{_mark(tag)}]" for tag in question.tags]
    if question.points != 1:
        marks.append(f"[points:{format(question.points.normalize(), 'f')}]")
    if marks:
        lines.append("// " + " ".join(marks))
    for citation in question.citations:
        lines.append(f"// [citation:{citation.source}] {_comment_escape(citation.quote)}")
        if citation.translation:
            lines.append(f"// [citation-translation] {_comment_escape(citation.translation)}")
        if citation.note:
            lines.append(f"// [citation-note] {_comment_escape(citation.note)}")
    name = f"::{escape(question.name)}::" if question.name else ""
    lines.append(f"{name}{escape(question.text)}{{")
    if question.kind == TRUE_FALSE:
        true_choice, false_choice = question.choices
        is_true = true_choice.fraction > 0
        right, wrong = (true_choice, false_choice) if is_true else (false_choice, true_choice)
        answer = "TRUE" if is_true else "FALSE"
        if right.feedback or wrong.feedback:
            answer += f"#{escape(wrong.feedback)}#{escape(right.feedback)}"
        lines.append(answer)
    else:
        for choice in question.choices:
            lines.append("\t" + _write_choice(question.kind, choice))
    if question.general_feedback:
        lines.append(f"\t####{escape(question.general_feedback)}")
    lines.append("}")
    return "\n".join(lines)


def _write_choice(kind: str, choice) -> str:
    text = escape(choice.text)
    if kind == SINGLE and choice.fraction == 100:
        prefix = "="
    elif choice.fraction == 0 and not WEIGHT.match(text):
        prefix = "~"
    else:
        prefix = f"~%{percent_text(choice.fraction)}%"
    feedback = f"#{escape(choice.feedback)}" if choice.feedback else ""
    return prefix + text + feedback


def _html_problem() -> str:
    return _("A text's HTML is nested more than %(depth)d levels deep; the question is skipped.") % {
        "depth": MAX_HTML_DEPTH
    }
