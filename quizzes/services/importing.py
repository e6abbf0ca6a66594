"""Importing a GIFT or Moodle XML file into a quiz: all or nothing, in one transaction.

The preview (interchange/mapping.py) decides what each question of the file does: created, updated
or unchanged, by key ([id:] in GIFT, <idnumber> in XML, or the name as a slug when there is none).
A file with any error writes nothing; questions we cannot hold (types we do not have, weights our
scoring rule cannot express) are skipped and listed, and the rest is imported. Topics come from the
categories and must exist: a category names a topic by its slug, and a file does not carry a topic's
German and English names, so an unknown one is an error, never a topic made up.

An update keeps the question's position and translation key. A question no attempt has shown keeps its
row: its fields are overwritten, its answers are matched to its choices in order and overwritten in
place, extra answers become new choices, choices the file no longer has are deleted, and its citations
are replaced. A question that attempts showed gets a new version (services/versions.py) first, and the
update is written onto it, so those attempts keep what they showed. Rows are written in bulk, and the
content version changes once.
"""

from dataclasses import dataclass

from django.db import transaction

from .. import caching
from ..errors import ImportChangedSincePreview, ImportHasErrors
from ..interchange import files
from ..interchange.mapping import CREATED, UPDATED, ImportPreview, ordered_choices, preview_import, saved_questions
from ..interchange.model import TRUE_FALSE
from ..models import Choice, Citation, Difficulty, Language, Question, Quiz, Source, Topic
from .authoring import add_topics_of_questions
from .versions import new_version, share_fields

# The words our true/false choices carry, in the quiz's language (content, not the editor's interface).
TRUE_FALSE_LABELS = {Language.GERMAN: ("Wahr", "Falsch"), Language.ENGLISH: ("True", "False")}


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did (or, for a dry run, would do): the preview, and whether it was written."""

    preview: ImportPreview
    is_written: bool

    @property
    def created(self) -> int:
        return self.preview.count(CREATED)

    @property
    def updated(self) -> int:
        return self.preview.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return len(self.preview.rows) - self.created - self.updated


def preview_file(*, quiz, raw: bytes, name: str = "") -> ImportPreview:
    """What importing the file into the quiz would do; writes nothing."""
    result = files.read(raw, name)
    return preview_import(quiz, result.questions, result.problems)


def import_file(*, quiz, raw: bytes, name: str = "", expected_fingerprint: str | None = None) -> ImportOutcome:
    """Import the file into the quiz, all or nothing; raises ImportHasErrors (nothing written) on any error.

    With `expected_fingerprint` (a confirmed preview's), raises ImportChangedSincePreview when the
    quiz changed since, so what is written is exactly what the editor saw.
    """
    result = files.read(raw, name)
    with transaction.atomic():
        # Locked, so two imports into one quiz run one after the other and each sees the other's keys.
        quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
        saved = saved_questions(quiz)
        preview = preview_import(quiz, result.questions, result.problems, saved=saved)
        if expected_fingerprint is not None and preview.fingerprint != expected_fingerprint:
            raise ImportChangedSincePreview()
        if preview.errors:
            raise ImportHasErrors(preview)
        if preview.count(CREATED) or preview.count(UPDATED):
            with caching.one_content_change():
                _write(quiz, preview, saved)
    return ImportOutcome(preview=preview, is_written=True)


def _write(quiz, preview: ImportPreview, saved: dict):
    changed = [row for row in preview.rows if row.action in (CREATED, UPDATED)]
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    sources = {source.slug: source for source in Source.objects.only("pk", "slug")}
    # Every version of a question shares its position, so the current ones have the highest.
    next_position = max((question.position for question in saved.values()), default=0) + 1
    writes = []  # (question, incoming question, whether it is new)
    for row in changed:
        question = saved.get(row.key) or Question(quiz=quiz, key=row.key)
        is_new = question.pk is None
        if is_new:
            question.position, next_position = next_position, next_position + 1
        elif row.is_new_version:
            question = new_version(question).question
        _copy_fields(question, row.question, topics)
        writes.append((question, row.question, is_new))
    Question.objects.bulk_create([question for question, _, is_new in writes if is_new])
    updated = [question for question, _, is_new in writes if not is_new]
    Question.objects.bulk_update(updated, ["kind", "text", "explanation", "points", "topic", "difficulty"])
    for question in updated:
        if question.first_version_id is not None:
            # Points, topic and difficulty are one value for all of a question's versions.
            share_fields(question)
    new_choices, changed_choices, dropped_choices = [], [], []
    for question, incoming, is_new in writes:
        existing = [] if is_new else ordered_choices(question)
        last_position = max((choice.position for choice in existing), default=0)
        for index, (answer, text) in enumerate(zip(incoming.choices, _choice_texts(quiz, incoming))):
            if index < len(existing):
                choice = existing[index]
                choice.text, choice.is_correct, choice.feedback = text, answer.fraction > 0, answer.feedback
                changed_choices.append(choice)
            else:
                last_position += 1
                new_choices.append(Choice(question=question, position=last_position, text=text,
                                          is_correct=answer.fraction > 0, feedback=answer.feedback))
        dropped_choices += [choice.pk for choice in existing[len(incoming.choices):]]
    Choice.objects.filter(pk__in=dropped_choices).delete()
    Choice.objects.bulk_update(changed_choices, ["text", "is_correct", "feedback"])
    Choice.objects.bulk_create(new_choices)
    Citation.objects.filter(question__in=updated).delete()
    Citation.objects.bulk_create([
        Citation(question=question, position=position, source=sources[citation.source], quote=citation.quote,
                 note=citation.note, translation=citation.translation)
        for question, incoming, _ in writes
        for position, citation in enumerate(incoming.citations, start=1)
    ])
    # As when an editor saves a question: the quiz shows under every topic its questions have.
    add_topics_of_questions(quiz=quiz)


def _copy_fields(question, incoming, topics: dict):
    question.kind = incoming.kind
    question.text = incoming.text
    question.explanation = incoming.general_feedback
    question.points = incoming.points
    question.topic = topics[incoming.category.rsplit("/", 1)[-1]]
    question.difficulty = incoming.difficulty or Difficulty.MEDIUM


def _choice_texts(quiz, incoming) -> list:
    if incoming.kind == TRUE_FALSE:
        # The file says "true" and "false" (Moodle's words); our choices say them in the quiz's language.
        return list(TRUE_FALSE_LABELS.get(quiz.language, TRUE_FALSE_LABELS[Language.ENGLISH]))
    return [choice.text for choice in incoming.choices]
