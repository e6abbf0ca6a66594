"""State changes: start an attempt, save and submit answers, expire, regrade, claim a guest's attempts,
register a learner, publish, unpublish or duplicate quizzes, and import questions (importing.py).

Every change happens inside one transaction with the attempt row locked (on SQLite the IMMEDIATE
transaction serialises writers instead), and the database constraints in models.py are the last line
of defence against parallel requests. Errors are the domain errors in errors.py; the rules they
apply (deadlines, attempts left) are rules.py's, and the arithmetic of a grade is scoring.py's.
"""

from ..errors import AttemptNotFound, UsernameTaken
from ..owners import Owner
from ..rules import attempts_left
from .accounts import password_was_reset, register_learner
from .answering import (
    AnswerInput,
    close_if_overdue,
    flag_questions,
    save_answer,
    submit_attempt,
    submit_attempt_with_answers,
)
from .checking import CheckedAnswer, check_answer
from .authoring import (
    PublishingOutcome,
    RefusedQuiz,
    add_topics_of_questions,
    duplicate_quiz,
    publish_quizzes,
    unpublish_quizzes,
)
from .grading import ClosedAttempt, expire_overdue_attempts, regrade_onto_version, regrade_quiz
from .guests import claim_guest_attempts
from .review import RememberedAnswer, remember_answers
from .review_answers import ReviewAnswer, answer_review
from .starting import choose_questions, order_choices, start_attempt
from .versions import EditableVersion, changes_a_version, new_version, share_fields

__all__ = [
    "password_was_reset",
    "add_topics_of_questions",
    "RememberedAnswer",
    "ReviewAnswer",
    "answer_review",
    "remember_answers",
    "AnswerInput",
    "CheckedAnswer",
    "check_answer",
    "AttemptNotFound",
    "Owner",
    "PublishingOutcome",
    "RefusedQuiz",
    "UsernameTaken",
    "attempts_left",
    "choose_questions",
    "claim_guest_attempts",
    "close_if_overdue",
    "ClosedAttempt",
    "duplicate_quiz",
    "expire_overdue_attempts",
    "flag_questions",
    "order_choices",
    "publish_quizzes",
    "regrade_quiz",
    "regrade_onto_version",
    "EditableVersion",
    "changes_a_version",
    "new_version",
    "share_fields",
    "register_learner",
    "save_answer",
    "start_attempt",
    "submit_attempt",
    "submit_attempt_with_answers",
    "unpublish_quizzes",
]
