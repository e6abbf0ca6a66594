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
from .feedback import FeedbackBand
from .site import SiteText
from .reports import ReportTally, TallySubject
from .review import MemoryState

__all__ = [
    "CHOICE_ID_LIMIT",
    "Answer",
    "AnswerVisibility",
    "Attempt",
    "AttemptState",
    "Choice",
    "Citation",
    "Difficulty",
    "FeedbackBand",
    "GradingMethod",
    "Language",
    "MemoryState",
    "Question",
    "QuestionBehaviour",
    "QuestionKind",
    "Quiz",
    "ScoreChange",
    "Selection",
    "SiteText",
    "Source",
    "Topic",
    "random_choice_id",
    "ReportTally",
    "TallySubject",
]
