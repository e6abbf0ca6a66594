"""Named reads: each function loads what one screen or endpoint shows, with a fixed number of queries.

Nothing here changes state (that is services/) and nothing here decides a score (that is
scoring.py). Reads that a learner sees before submitting never load `is_correct`, `feedback`,
`explanation` or scores, so a leak cannot happen by accident in a serializer or a template.
"""

from .accounts import TOKEN_USER_FIELDS, token_user_fields
from .attempts import (
    AttemptStatus,
    attempt_for_owner,
    attempt_history,
    attempt_in_progress,
    attempt_result,
    attempt_status_for_owner,
    attempts_page,
    percentile,
    quiz_language_of_attempt,
    question_results,
    reveals_answers,
    saved_answers,
)
from .checks import checks_of, question_checks
from .catalogue import catalogue, filter_catalogue, published_quiz, quiz_for_taking, shown_questions
from .pages import CatalogueEntry, CataloguePage, QuizOverview, catalogue_page, quiz_overview, result_of_owner
from .progress import LearnerProgress, QuizProgress, TopicProgress, learner_progress
from .review import ReviewQuestion, ReviewQueue, recall_by_topic, review_queue
from .review_answers import ReviewedQuestion, reviewed_question
from .shapes import (
    AttemptInProgress,
    AttemptPage,
    AttemptResult,
    AttemptRow,
    AttemptShown,
    ChoiceFeedback,
    CitationShown,
    QuestionCheck,
    QuestionResult,
    QuizForTaking,
    SavedAnswer,
    ShownChoice,
    ShownQuestion,
    QuizOfAttempt,
    ResultOfOwner,
    SourceShown,
    TopicOfQuiz,
)
from .site import SiteTexts, site_texts
from .statistics import quiz_statistics

__all__ = [
    "TOKEN_USER_FIELDS",
    "token_user_fields",
    "CatalogueEntry",
    "CataloguePage",
    "QuizOverview",
    "catalogue_page",
    "quiz_overview",
    "result_of_owner",
    "ResultOfOwner",
    "AttemptShown",
    "AttemptInProgress",
    "AttemptResult",
    "AttemptPage",
    "AttemptRow",
    "QuizOfAttempt",
    "ShownChoice",
    "ShownQuestion",
    "SavedAnswer",
    "SourceShown",
    "CitationShown",
    "ChoiceFeedback",
    "QuestionResult",
    "catalogue",
    "filter_catalogue",
    "published_quiz",
    "QuizForTaking",
    "TopicOfQuiz",
    "quiz_for_taking",
    "shown_questions",
    "attempt_for_owner",
    "AttemptStatus",
    "attempt_status_for_owner",
    "saved_answers",
    "attempt_in_progress",
    "quiz_language_of_attempt",
    "reveals_answers",
    "percentile",
    "attempt_result",
    "question_results",
    "QuestionCheck",
    "question_checks",
    "checks_of",
    "attempt_history",
    "attempts_page",
    "QuizProgress",
    "TopicProgress",
    "LearnerProgress",
    "learner_progress",
    "quiz_statistics",
    "SiteTexts",
    "site_texts",
    "ReviewQuestion",
    "ReviewQueue",
    "ReviewedQuestion",
    "recall_by_topic",
    "review_queue",
    "reviewed_question",
]
