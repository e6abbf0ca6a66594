"""The quiz domain: content (sources, topics, quizzes, questions) and learners' attempts."""

from .attempts import CLOSED_STATES, EARNS_FULL_POINTS, Answer, Attempt, AttemptState, ScoreChange, Selection
from .content import AnswerVisibility, GradingMethod, Language, QuestionBehaviour, Quiz, Source, Topic
from .questions import CHOICE_ID_LIMIT, Choice, Citation, Difficulty, Question, QuestionKind, random_choice_id
from .feedback import FeedbackBand
from .site import SiteText
from .reports import ReportTally, TallySubject
from .review import MEMORY_STATE_ONE_PER_OWNER_AND_KEY, QUESTION_MEMORY_KEY, MemoryState

__all__ = [
    "CHOICE_ID_LIMIT",
    "CLOSED_STATES",
    "EARNS_FULL_POINTS",
    "MEMORY_STATE_ONE_PER_OWNER_AND_KEY",
    "QUESTION_MEMORY_KEY",
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
