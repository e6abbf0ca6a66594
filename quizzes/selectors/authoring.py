"""Saved quizzes and questions as the authoring rules see them: plain drafts, read with their prefetches.

The admin's forms and the publishing service read through these, so a saved quiz is judged the same
way wherever it is published from.
"""

from .. import authoring
from ..models import Attempt, AttemptState, Question


def questions_for_rules(queryset):
    """Questions with what the rules look at (choices and citations) prefetched."""
    return queryset.prefetch_related("choices", "citations")


def question_draft(question, *, kind=None, text=None):
    """A saved question as the rules see it; its choices and citations should be prefetched."""
    return authoring.QuestionDraft(
        text=question.text if text is None else text,
        kind=question.kind if kind is None else kind,
        choices=tuple(
            authoring.ChoiceDraft(text=choice.text, is_correct=choice.is_correct) for choice in question.choices.all()
        ),
        citation_count=len(question.citations.all()),
    )


def quiz_publishing_problems(quiz):
    """Why a saved quiz cannot be published, from its saved questions."""
    questions = questions_for_rules(Question.objects.current().filter(quiz=quiz).order_by("position", "id"))
    return authoring.publishing_problems(questions=[question_draft(question) for question in questions])


def has_attempts_in_progress(quiz):
    """Whether any learner has an attempt in progress on the quiz. One query."""
    return Attempt.objects.filter(quiz=quiz, state=AttemptState.IN_PROGRESS).exists()
