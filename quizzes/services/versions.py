"""Question versions: once an attempt has shown a question, an edit of what it showed (models.VERSIONED_FIELDS,
its choices, its citations) makes a new version instead of changing the row, so old results keep showing,
and are regraded against, exactly what they showed; new attempts draw the current version.

The admin, imports and `load_content --overwrite` ask whether attempts showed the question
(selectors.versions), call `new_version` before they write such an edit, and write it onto the copy. Fields that say how a question counts in its quiz
(models.SHARED_FIELDS) are one value for all versions: `share_fields` copies them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.signals import pre_save

from ..errors import QuestionChangedMeanwhile, VersionsDoNotMatch
from ..models import Answer, Choice, Citation, MemoryState, Question, Selection
from ..models.questions import SHARED_FIELDS, VERSIONED_FIELDS


@dataclass(frozen=True)
class EditableVersion:
    """The version an edit is written to, and, when it is new, its copies of the old version's rows."""

    question: Question
    is_new: bool
    # {old choice id: its copy}, {old citation id: its copy}: empty unless is_new.
    choice_copies: dict
    citation_copies: dict


def changes_a_version(changed_fields) -> bool:
    """Whether an edit of these question fields changes what a version holds (models.VERSIONED_FIELDS),
    rather than only what all versions share: once attempts showed the question, it needs a new version."""
    return bool(set(changed_fields) & set(VERSIONED_FIELDS))


def new_version(question) -> EditableVersion:
    """Retire `question` (kept as the attempts that showed it saw it) and make a copy its next, current version.

    The copy gets new choice ids (an old attempt's choice ids keep naming the old choices), the same
    key, and the learners' memory of the question (MemoryState.question) moves to it.
    """
    with transaction.atomic():
        old = Question.objects.select_for_update().get(pk=question.pk)
        if not old.is_current:
            # A parallel edit (or import) made a version first: this edit was made on an outdated one.
            raise QuestionChangedMeanwhile()
        lineage = old.lineage_id
        latest = Question.objects.filter(Q(pk=lineage) | Q(first_version_id=lineage)).aggregate(v=Max("version"))["v"]
        # First, so the copy can be the one current version of its key.
        Question.objects.filter(pk=old.pk).update(is_current=False)
        copy = Question(
            quiz_id=old.quiz_id,
            version=latest + 1,
            first_version_id=lineage,
            is_current=True,
            **{name: getattr(old, name) for name in VERSIONED_FIELDS},
            **{_attribute(name): getattr(old, _attribute(name)) for name in SHARED_FIELDS},
        )
        copy.save()
        choices = {
            choice.pk: Choice(
                question=copy, position=choice.position, text=choice.text, is_correct=choice.is_correct,
                feedback=choice.feedback,
            )
            for choice in Choice.objects.filter(question=old)
        }
        Choice.objects.bulk_create(choices.values())
        citations = {
            citation.pk: Citation(
                question=copy, position=citation.position, source_id=citation.source_id, quote=citation.quote,
                translation=citation.translation, note=citation.note,
            )
            for citation in Citation.objects.filter(question=old)
        }
        Citation.objects.bulk_create(citations.values())
        MemoryState.objects.filter(question=old).update(question=copy)
    return EditableVersion(question=copy, is_new=True, choice_copies=choices, citation_copies=citations)


def keep_version_of_fixture_rows(sender, instance, raw, **kwargs):
    """pre_save: a fixture names a question by key and carries no version, so a row it updates keeps its own
    (loaddata would reset them to the defaults of a first version)."""
    if raw and instance.pk is not None:
        saved = Question.objects.filter(pk=instance.pk).values("version", "first_version_id", "is_current").first()
        if saved:
            instance.version, instance.first_version_id, instance.is_current = (
                saved["version"], saved["first_version_id"], saved["is_current"]
            )


def connect_signals():
    pre_save.connect(keep_version_of_fixture_rows, sender=Question, dispatch_uid="keep_version_of_fixture_rows")


def share_fields(question):
    """Give every other version of the question its shared fields (points, position, topic, ...)."""
    lineage = question.lineage_id
    others = Question.objects.filter(Q(pk=lineage) | Q(first_version_id=lineage)).exclude(pk=question.pk)
    others.update(**{_attribute(name): getattr(question, _attribute(name)) for name in SHARED_FIELDS})


def _attribute(name):
    # A foreign key is copied by its id, without reading the related row.
    return f"{name}_id" if name == "topic" else name


def matching_choices(*, shown, onto) -> dict:
    """{choice id of `shown`: choice id of `onto` at the same position}; raises VersionsDoNotMatch."""
    if shown.pk == onto.pk or shown.lineage_id != onto.lineage_id or shown.kind != onto.kind:
        raise VersionsDoNotMatch()
    old = dict(Choice.objects.filter(question=shown).values_list("position", "id"))
    new = dict(Choice.objects.filter(question=onto).values_list("position", "id"))
    if old.keys() != new.keys():
        raise VersionsDoNotMatch()
    return {old[position]: new[position] for position in old}


def move_attempt(attempt, *, shown, onto, choice_map):
    """Make a locked, closed attempt show version `onto` where it showed `shown` (ids), with its answer and
    selections mapped choice by choice. Grading follows (grading.regrade_onto_version)."""
    attempt.question_order = [onto if question_id == shown else question_id for question_id in attempt.question_order]
    attempt.choice_order[str(onto)] = [choice_map[choice_id] for choice_id in attempt.choice_order.pop(str(shown), [])]
    attempt.question_kinds[str(onto)] = attempt.question_kinds.pop(str(shown), "")
    attempt.flagged_questions = [onto if question_id == shown else question_id for question_id in attempt.flagged_questions]
    attempt.save(update_fields=["question_order", "choice_order", "question_kinds", "flagged_questions"])
    answer = Answer.objects.filter(attempt=attempt, question_id=shown).first()
    if answer is None:
        return
    Selection.objects.filter(answer=answer).delete()
    answer.question_id = onto
    answer.choice_ids = [choice_map[choice_id] for choice_id in answer.choice_ids if choice_id in choice_map]
    answer.tries = [[choice_map[choice_id] for choice_id in one_try if choice_id in choice_map] for one_try in answer.tries]
    answer.save(update_fields=["question", "choice_ids", "tries"])
