"""The quiz domain: content (sources, topics, quizzes, questions) and learners' attempts."""

from .attempts import Answer, Attempt, AttemptState, ScoreChange, Selection
from .content import (
    CHOICE_ID_LIMIT,
    AnswerVisibility,
    Choice,
    Citation,
    Difficulty,
    GradingMethod,
    Language,
    Question,
    QuestionBehaviour,
    QuestionKind,
    Quiz,
    Source,
    Topic,
    random_choice_id,
)

__all__ = [
    "CHOICE_ID_LIMIT",
    "Answer",
    "AnswerVisibility",
    "Attempt",
    "AttemptState",
    "Choice",
    "Citation",
    "Difficulty",
    "GradingMethod",
    "Language",
    "Question",
    "QuestionBehaviour",
    "QuestionKind",
    "Quiz",
    "ScoreChange",
    "Selection",
    "Source",
    "Topic",
    "random_choice_id",
]
