"""Reads of an answered review question: the grade with the answer key, why, and the sources."""

from dataclasses import dataclass
from datetime import datetime

from .. import caching, rules
from ..models import Question
from .attempts import CITATION_FIELDS, citation_of
from .shapes import ChoiceFeedback, ShownChoice


@dataclass(frozen=True)
class ReviewedQuestion:
    """An answered review question: the grade, the answer key, why, the sources, and when it is next due."""

    question: int
    kind: str
    text: str
    language: str
    quiz: str
    quiz_title: str
    points: object
    score: object
    is_right: bool
    choices: tuple
    selected: tuple
    correct: tuple
    explanation: str
    feedback: tuple
    citations: tuple
    due: datetime


@dataclass(frozen=True)
class _Explained:
    """A question with its answer key, why and its sources, the same for every learner: content.

    `choices` are (ShownChoice, is correct, feedback) in the order rules.choice_order_outside_attempts gives.
    """

    kind: str
    text: str
    explanation: str
    language: str
    quiz: str
    quiz_title: str
    choices: tuple
    citations: tuple


def _explained(question_id):
    """The question's _Explained, read in one query."""
    rows = (
        Question.objects.filter(pk=question_id)
        .order_by("choices__position", "choices__id", "citations__position", "citations__id")
        .values_list(
            "kind", "text", "explanation", "quiz__language", "quiz__slug", "quiz__title", "quiz__shuffle_choices",
            "choices__id", "choices__text", "choices__is_correct", "choices__feedback", "choices__position",
            *CITATION_FIELDS,
        )
    )
    choices, citations, head = {}, {}, None
    for row in rows:
        head = row[:7]
        choice_id, choice_text, is_correct, feedback, position = row[7:12]
        if choice_id is not None:
            choices[choice_id] = (ShownChoice(id=choice_id, text=choice_text), is_correct, feedback, position)
        citation = citation_of(row[12:])
        if citation is not None:
            citations[citation[0]] = citation[1]
    kind, text, explanation, language, slug, title, shuffles = head
    ordered = sorted(
        choices.values(),
        key=lambda entry: rules.choice_order_outside_attempts(
            shuffles_choices=shuffles, choice_id=entry[0].id, position=entry[3]
        ),
    )
    return _Explained(
        kind=kind,
        text=text,
        explanation=explanation,
        language=language,
        quiz=slug,
        quiz_title=title,
        choices=tuple((choice, is_correct, feedback) for choice, is_correct, feedback, _position in ordered),
        citations=tuple(citations.values()),
    )


def reviewed_question(*, answer):
    """The explained review of a graded answer (services.answer_review's ReviewAnswer).

    The question's key, explanation and sources are content, cached per content version (the id is of
    a question the answer was just graded against): one shared-cache read, one query when not cached.
    """
    explained = caching.cached_content("review-explained", [answer.question_id], lambda: _explained(answer.question_id))
    selected = set(answer.selected)
    return ReviewedQuestion(
        question=answer.question_id,
        kind=explained.kind,
        text=explained.text,
        language=explained.language,
        quiz=explained.quiz,
        quiz_title=explained.quiz_title,
        points=answer.points,
        score=answer.score,
        is_right=answer.is_right,
        choices=tuple(choice for choice, _is_correct, _feedback in explained.choices),
        selected=tuple(choice.id for choice, _is_correct, _feedback in explained.choices if choice.id in selected),
        correct=tuple(choice.id for choice, is_correct, _feedback in explained.choices if is_correct),
        explanation=explained.explanation,
        feedback=tuple(
            ChoiceFeedback(choice=choice.id, text=feedback)
            for choice, _is_correct, feedback in explained.choices
            if choice.id in selected and feedback
        ),
        citations=explained.citations,
        due=answer.due,
    )
