"""Our quizzes as interchange questions, and the preview of an import: reads only, never writes.

Mapping: question key <-> GIFT [id:] / XML <idnumber> (and the name); topic slug <-> category;
difficulty <-> the tag "difficulty-LEVEL"; explanation <-> general feedback; choice feedback <->
answer feedback; points <-> default grade; citations as gift.py and moodle_xml.py document.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import gettext as _

from quizzes.interchange.model import (
    DIFFICULTY_TAG_PREFIX,
    FALSE_TEXT,
    TRUE_FALSE,
    TRUE_TEXT,
    InterchangeChoice,
    InterchangeCitation,
    InterchangeQuestion,
    Problem,
)
from quizzes.interchange.weights import expected_fractions, percent_text
from quizzes.models import Difficulty, Question, Source, Topic

# The words our true/false questions use for the "true" choice, in German and English.
TRUE_WORDS = {"true", "wahr", "richtig", "stimmt"}
FALSE_WORDS = {"false", "falsch", "unwahr", "stimmt nicht"}

# What Question.points holds (max_digits=6, decimal_places=2).
MAX_POINTS = Decimal("9999.99")

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


def quiz_interchange_questions(quiz) -> list:
    """A quiz's questions, in order, as interchange questions."""
    questions = (
        Question.objects.filter(quiz=quiz)
        .select_related("topic")
        .prefetch_related("choices", "citations__source")
        .order_by("position", "id")
    )
    return [interchange_question(question) for question in questions]


def interchange_question(question) -> InterchangeQuestion:
    """One of our questions (with choices, citations and topic loaded) as an interchange question."""
    choices = sorted(question.choices.all(), key=lambda choice: (choice.position, choice.id))
    if question.kind == TRUE_FALSE:
        choices = _true_then_false(choices)
    weights = expected_fractions(question.kind, [choice.is_correct for choice in choices])
    interchange_choices = [
        InterchangeChoice(text=choice.text, fraction=Decimal(percent_text(weight)), feedback=choice.feedback)
        for choice, weight in zip(choices, weights)
    ]
    if question.kind == TRUE_FALSE:
        # GIFT has no words for true and false, so ours ("Wahr", "True") travel as Moodle's.
        interchange_choices = [
            InterchangeChoice(text, choice.fraction, choice.feedback)
            for text, choice in zip((TRUE_TEXT, FALSE_TEXT), interchange_choices)
        ]
    citations = sorted(question.citations.all(), key=lambda citation: (citation.position, citation.id))
    return InterchangeQuestion(
        key=question.key,
        name=question.key,
        kind=question.kind,
        text=question.text,
        general_feedback=question.explanation,
        points=question.points,
        category=question.topic.slug,
        tags=(DIFFICULTY_TAG_PREFIX + question.difficulty,),
        choices=tuple(interchange_choices),
        citations=tuple(InterchangeCitation(c.source.slug, c.quote, c.note, c.translation) for c in citations),
    )


def _true_then_false(choices: list) -> list:
    """Our two true/false choices ordered "true" first, by their word (or their order when unrecognised).

    Either word decides: ["Falsch", "Stimmt"] puts "Stimmt" first, so the key is never inverted.
    """
    if len(choices) != 2:
        return choices
    first, second = (choice.text.strip().lower() for choice in choices)
    if second in TRUE_WORDS or first in FALSE_WORDS:
        return [choices[1], choices[0]]
    return choices


@dataclass(frozen=True)
class PreviewRow:
    key: str
    action: str
    line: int
    scoring: str


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple
    problems: tuple


def preview_import(quiz, questions, problems=()) -> ImportPreview:
    """What importing these questions into the quiz would do, by key; writes nothing."""
    existing = {question.key: question for question in quiz_interchange_questions(quiz)}
    topics = set(Topic.objects.values_list("slug", flat=True))
    sources = set(Source.objects.values_list("slug", flat=True))
    rows, found, seen = [], list(problems), set()
    for question in questions:
        reasons = _mapping_problems(question, topics, sources, seen)
        if reasons:
            found.extend(Problem(question.line, reason) for reason in reasons)
            continue
        if question.key:
            seen.add(question.key)
        current = existing.get(question.key)
        if current is None:
            action = CREATED
        else:
            action = UNCHANGED if _comparable(current) == _comparable(question) else UPDATED
        rows.append(PreviewRow(key=question.key, action=action, line=question.line, scoring=question.scoring))
    return ImportPreview(rows=tuple(rows), problems=tuple(sorted(found, key=lambda problem: problem.line)))


def _comparable(question: InterchangeQuestion):
    # The name is Moodle's, not ours (we name questions by key), so it does not make an update.
    return (question.kind, question.text, question.general_feedback, question.points, question.category,
            question.difficulty or Difficulty.MEDIUM, question.choices, question.citations)


def _mapping_problems(question, topics: set, sources: set, seen: set) -> list:
    reasons = []
    if question.key and slugify(question.key) != question.key:
        reasons.append(_("The key %(key)s is not a slug (letters, digits, hyphens).") % {"key": question.key})
    if question.key in seen:
        reasons.append(_("The key %(key)s appears twice in the file.") % {"key": question.key})
    topic = question.category.rsplit("/", 1)[-1]
    if topic not in topics:
        reasons.append(_("No topic %(topic)s for the category %(category)s.") % {
            "topic": topic or "-", "category": question.category or "-"})
    if question.difficulty and question.difficulty not in Difficulty.values:
        reasons.append(_("Unknown difficulty %(difficulty)s.") % {"difficulty": question.difficulty})
    for citation in question.citations:
        if citation.source not in sources:
            reasons.append(_("No source %(source)s for a citation.") % {"source": citation.source})
    if question.points > MAX_POINTS or question.points != question.points.quantize(Decimal("0.01")):
        reasons.append(_("The points must be at most %(maximum)s, in hundredths.") % {"maximum": MAX_POINTS})
    if any(len(choice.text) > 500 for choice in question.choices):
        reasons.append(_("An answer is longer than 500 characters."))
    return reasons
