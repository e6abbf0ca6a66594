"""Our quizzes as interchange questions, and the preview of an import: reads only, never writes.

Mapping: question key <-> GIFT [id:] / XML <idnumber> (and the name); topic slug <-> category;
difficulty <-> the tag "difficulty-LEVEL"; explanation <-> general feedback; choice feedback <->
answer feedback; points <-> default grade; citations as gift.py and moodle_xml.py document.
"""

import hashlib
from dataclasses import dataclass, field, replace
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
from quizzes import authoring
from quizzes.authoring import ChoiceDraft
from quizzes.interchange.weights import expected_fractions, percent_text
from quizzes.models import Difficulty, Question, Source, Topic
from quizzes.quotes import closest_passage, occurs_verbatim
from quizzes.selectors.versions import attempts_per_question

# The words our true/false questions use for the "true" choice, in German and English.
TRUE_WORDS = {"true", "wahr", "richtig", "stimmt"}
FALSE_WORDS = {"false", "falsch", "unwahr", "stimmt nicht"}

# What Question.key holds.
KEY_LENGTH = 80
# What Question.points holds (max_digits=6, decimal_places=2).
MAX_POINTS = Decimal("9999.99")

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


def quiz_interchange_questions(quiz) -> list:
    """A quiz's questions (their current versions), in order, as interchange questions."""
    questions = (
        Question.objects.current().filter(quiz=quiz)
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
    text: str = ""
    # An update of a question that attempts showed: it is written as a new version, the old one kept for them.
    is_new_version: bool = False
    # The question as it will be written (its key made from its name when the file gave none).
    question: InterchangeQuestion = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple
    problems: tuple

    @property
    def errors(self) -> tuple:
        """The problems that stop a writing import."""
        return tuple(problem for problem in self.problems if problem.is_error)

    @property
    def skipped(self) -> tuple:
        """Questions left out (types or weights we cannot hold); the rest may still be imported."""
        return tuple(problem for problem in self.problems if not problem.is_error)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def fingerprint(self) -> str:
        """A digest of what the preview says, so a confirmation can tell that nothing changed since."""
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(f"{row.key}\0{row.action}\0{row.line}\n".encode())
        for problem in self.problems:
            digest.update(f"{problem.line}\0{problem.severity}\0{problem.message}\n".encode())
        return digest.hexdigest()


def saved_questions(quiz) -> dict:
    """The quiz's current questions by key, with what an import compares and replaces (choices, citations, topic)."""
    questions = (
        Question.objects.current().filter(quiz=quiz)
        .select_related("topic")
        .prefetch_related("choices", "citations__source")
        .order_by("position", "id")
    )
    return {question.key: question for question in questions}


def key_from_name(name: str) -> str:
    """The key of a question that a file gives no [id:] or <idnumber>: its name as a slug (Moodle always names)."""
    return slugify(name)[:KEY_LENGTH].strip("-")


def preview_import(quiz, questions, problems=(), *, saved=None) -> ImportPreview:
    """What importing these questions into the quiz would do, by key; writes nothing."""
    saved = saved_questions(quiz) if saved is None else saved
    existing = {key: interchange_question(question) for key, question in saved.items()}
    topics = set(Topic.objects.values_list("slug", flat=True))
    # Each source's text, to check quotes against; "" where an editor has not pasted it (unverified).
    sources = dict(Source.objects.values_list("slug", "text"))
    rows, found, seen = [], list(problems), set()
    for question in questions:
        if not question.key and key_from_name(question.name):
            question = replace(question, key=key_from_name(question.name))
        reasons = _mapping_problems(question, topics, sources, seen) + _rule_problems(question, quiz)
        if question.key:
            seen.add(question.key)
        if reasons:
            found.extend(Problem(question.line, reason) for reason in reasons)
            continue
        current = existing.get(question.key)
        if current is None:
            action = CREATED
        else:
            action = UNCHANGED if _comparable(current) == _comparable(question) else UPDATED
        rows.append(PreviewRow(key=question.key, action=action, line=question.line, scoring=question.scoring,
                               text=question.text, question=question))
    if any(row.action == UPDATED for row in rows):
        shown = attempts_per_question(quiz.pk)
        rows = [
            replace(row, is_new_version=bool(shown.get(saved[row.key].pk))) if row.action == UPDATED else row
            for row in rows
        ]
    return ImportPreview(rows=tuple(rows), problems=tuple(sorted(found, key=lambda problem: problem.line)))


def ordered_choices(question) -> list:
    """A saved question's choices (prefetched) in the order the file's answers are matched to them."""
    choices = sorted(question.choices.all(), key=lambda choice: (choice.position, choice.id))
    return _true_then_false(choices) if question.kind == TRUE_FALSE else choices


def _rule_problems(question, quiz) -> list:
    # The admin's rules, so an import never writes a question the admin would refuse.
    choices = [ChoiceDraft(text=choice.text, is_correct=choice.fraction > 0) for choice in question.choices]
    reasons = authoring.choice_problems(kind=question.kind, choices=choices)
    if quiz.is_published:
        reasons += authoring.citation_problems(citation_count=len(question.citations))
    if not question.key:
        reasons.append(_("The question has neither a key ([id:] in GIFT, <idnumber> in XML) nor a name to make one."))
    return reasons


def _comparable(question: InterchangeQuestion):
    # The name is Moodle's, not ours (we name questions by key), so it does not make an update; of a
    # weight only whether it is right counts, as our rule derives the rest (Moodle may write 33.333).
    choices = tuple((choice.text, choice.fraction > 0, choice.feedback) for choice in question.choices)
    return (question.kind, question.text, question.general_feedback, question.points, question.category,
            question.difficulty or Difficulty.MEDIUM, choices, question.citations)


def _mapping_problems(question, topics: set, sources: dict, seen: set) -> list:
    reasons = []
    if question.key and (slugify(question.key) != question.key or len(question.key) > KEY_LENGTH):
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
        elif sources[citation.source] and not occurs_verbatim(citation.quote, sources[citation.source]):
            reasons.append(_("The quote “%(quote)s” is not in the text of %(source)s word for word; the closest "
                             "passage there: “%(passage)s”") % {
                "quote": citation.quote, "source": citation.source,
                "passage": closest_passage(citation.quote, sources[citation.source])})
    if question.points > MAX_POINTS or question.points != question.points.quantize(Decimal("0.01")):
        reasons.append(_("The points must be at most %(maximum)s, in hundredths.") % {"maximum": MAX_POINTS})
    if any(len(choice.text) > 500 for choice in question.choices):
        reasons.append(_("An answer is longer than 500 characters."))
    if any("\x00" in text for text in _texts_of(question)):
        # PostgreSQL stores no NUL in any text; refused everywhere alike.
        reasons.append(_("A text of the question contains a NUL character, which cannot be stored."))
    return reasons


def _texts_of(question):
    yield from (question.key, question.name, question.text, question.general_feedback)
    for choice in question.choices:
        yield from (choice.text, choice.feedback)
    for citation in question.citations:
        yield from (citation.quote, citation.note)
