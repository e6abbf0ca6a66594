"""Shapes of the API: what each endpoint accepts and returns, one module per concept. No business rules here.

Output serializers read the plain values that selectors build; the fields a learner sees before
submitting (ShownQuestion, SavedAnswer) carry nothing about correctness, so none can leak. Every
serializer is importable from here, as `serializers.AttemptSerializer`.
"""

from .accounts import CredentialsSerializer, RegisterSerializer, TokenSerializer
from .attempts import (
    MAX_ANSWERS_PER_SUBMIT,
    MAX_CHOICES_PER_ANSWER,
    AnswerInputSerializer,
    AttemptQuestionSerializer,
    AttemptSerializer,
    AttemptSummarySerializer,
    FlagInputSerializer,
    FlagSerializer,
    QuestionCheckSerializer,
    SavedAnswerSerializer,
    SubmitAnswerSerializer,
    SubmitSerializer,
)
from .errors import ErrorSerializer
from .progress import ProgressSerializer, QuizProgressSerializer, TopicProgressSerializer
from .quizzes import (
    ChoiceSerializer,
    QuestionSerializer,
    QuizDetailSerializer,
    QuizListSerializer,
    TopicSerializer,
)
from .results import (
    ChoiceFeedbackSerializer,
    CitationSerializer,
    QuestionResultSerializer,
    SourceSerializer,
)
from .review import (
    ReviewedQuestionSerializer,
    ReviewQuestionSerializer,
    ReviewQueueSerializer,
    review_queue_representation,
)
from .shapes import ShapeSerializer
from .statistics import (
    ChoiceStatisticsSerializer,
    HistogramBinSerializer,
    QuestionStatisticsSerializer,
    QuizStatisticsSerializer,
)

__all__ = [
    "ShapeSerializer",
    "TopicSerializer",
    "QuizListSerializer",
    "ChoiceSerializer",
    "QuestionSerializer",
    "QuizDetailSerializer",
    "SourceSerializer",
    "CitationSerializer",
    "ChoiceFeedbackSerializer",
    "QuestionResultSerializer",
    "AttemptQuestionSerializer",
    "SavedAnswerSerializer",
    "AttemptSummarySerializer",
    "QuestionCheckSerializer",
    "AttemptSerializer",
    "AnswerInputSerializer",
    "FlagInputSerializer",
    "FlagSerializer",
    "SubmitAnswerSerializer",
    "SubmitSerializer",
    "MAX_CHOICES_PER_ANSWER",
    "MAX_ANSWERS_PER_SUBMIT",
    "CredentialsSerializer",
    "RegisterSerializer",
    "TokenSerializer",
    "QuizProgressSerializer",
    "TopicProgressSerializer",
    "ProgressSerializer",
    "ReviewQuestionSerializer",
    "ReviewQueueSerializer",
    "review_queue_representation",
    "ReviewedQuestionSerializer",
    "HistogramBinSerializer",
    "ChoiceStatisticsSerializer",
    "QuestionStatisticsSerializer",
    "QuizStatisticsSerializer",
    "ErrorSerializer",
]
