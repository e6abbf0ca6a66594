"""Shapes shown to learners. Plain frozen data, so a template or serializer cannot lazily query."""

from dataclasses import dataclass
from decimal import Decimal

from .. import scoring
from ..models import AttemptState, Topic


@dataclass(frozen=True)
class ShownChoice:
    id: int
    text: str


@dataclass(frozen=True)
class ShownQuestion:
    """A question as a learner sees it while answering: no correctness, no explanation.

    `flagged`: the learner flagged it "to review" in this attempt (always False outside an attempt).
    """

    id: int
    kind: str
    text: str
    points: Decimal
    choices: tuple = ()
    flagged: bool = False


@dataclass(frozen=True)
class TopicOfQuiz:
    """A quiz's topic with both its names: `name` is read when shown, in the language the response speaks.

    (A quiz's endpoint learns which language that is only once it has read the quiz.)
    """

    slug: str
    name_de: str
    name_en: str

    @property
    def name(self):
        return Topic.name_in_active_language(name_de=self.name_de, name_en=self.name_en)


@dataclass(frozen=True)
class QuizForTaking:
    """A published quiz as a learner takes it: its settings, topics (TopicOfQuiz) and questions (ShownQuestion).

    `question_count` counts its current questions; an attempt shows `questions_per_attempt` of them when set.
    """

    slug: str
    title: str
    description: str
    language: str
    topics: tuple
    question_count: int
    questions_per_attempt: int | None
    time_limit_seconds: int | None
    max_attempts: int | None
    pass_mark: int
    grading_method: str
    answer_visibility: str
    behaviour: str
    max_tries: int
    penalty: Decimal
    shuffle_questions: bool
    shuffle_choices: bool
    one_question_per_page: bool
    questions: tuple


@dataclass(frozen=True)
class SavedAnswer:
    question: int
    choices: tuple
    saved_at: object


@dataclass(frozen=True)
class SourceShown:
    title: str
    publisher: str
    language: str
    published: object
    url: str


@dataclass(frozen=True)
class CitationShown:
    """A quote verbatim in its source's language, its translation into the quiz's language (or ""), a note."""

    quote: str
    translation: str
    note: str
    source: SourceShown


@dataclass(frozen=True)
class ChoiceFeedback:
    choice: int
    text: str


@dataclass(frozen=True)
class QuestionResult:
    """One question of a closed attempt. The review fields are None when the quiz hides answers."""

    question: int
    kind: str
    text: str
    points: Decimal
    choices: tuple
    selected: tuple
    score: Decimal
    correct: tuple | None
    explanation: str | None
    feedback: tuple | None
    citations: tuple | None

    @property
    def verdict(self):
        """scoring.verdict_of_answer of the choices selected (right, partly right, wrong, not answered),
        before penalties for earlier tries; None when the quiz hides the answers."""
        if self.correct is None:
            return None
        key = scoring.QuestionKey(
            kind=self.kind,
            points=self.points,
            choice_ids=frozenset(choice.id for choice in self.choices),
            correct_ids=frozenset(self.correct),
        )
        return scoring.verdict_of_answer(key, self.selected)


@dataclass(frozen=True)
class QuestionCheck:
    """The check state of one question of an attempt in progress, on a quiz with checks.

    `hint` (feedback of the wrong choices the last try chose) only while an interactive question is
    open after a wrong try; `score`, `is_right` (whether the last try earned full points, before
    penalties), `verdict` (scoring.Verdict of the last try, before penalties) and `review` (the
    question's QuestionResult) only once locked.
    """

    question: int
    tries_used: int
    tries_left: int
    is_locked: bool
    score: Decimal | None
    is_right: bool | None
    verdict: str | None
    hint: tuple | None
    review: QuestionResult | None


@dataclass(frozen=True)
class QuizOfAttempt:
    """What an attempt's pages and endpoints show of its quiz, and the settings that decide how."""

    slug: str
    title: str
    language: str
    pass_mark: int
    answer_visibility: str
    max_attempts: int | None
    behaviour: str
    one_question_per_page: bool

    @classmethod
    def of(cls, quiz):
        return cls(
            slug=quiz.slug,
            title=quiz.title,
            language=quiz.language,
            pass_mark=quiz.pass_mark,
            answer_visibility=quiz.answer_visibility,
            max_attempts=quiz.max_attempts,
            behaviour=quiz.behaviour,
            one_question_per_page=quiz.one_question_per_page,
        )


class _AttemptIdentity:
    """What templates and serializers ask of any attempt value: its pk, and whether it is still open."""

    @property
    def pk(self):
        return self.id

    @property
    def is_open(self):
        return self.state == AttemptState.IN_PROGRESS


@dataclass(frozen=True)
class AttemptShown(_AttemptIdentity):
    """An attempt's own fields as its pages and endpoints show them. The result fields are None while open."""

    id: object
    quiz: QuizOfAttempt
    number: int
    state: str
    started_at: object
    deadline: object
    submitted_at: object
    score: Decimal | None
    max_score: Decimal
    percent: Decimal | None
    passed: bool | None

    @staticmethod
    def fields_of(attempt):
        """The plain fields of an Attempt (with its quiz loaded), as keyword arguments of this shape."""
        return {
            "id": attempt.pk,
            "quiz": QuizOfAttempt.of(attempt.quiz),
            "number": attempt.number,
            "state": attempt.state,
            "started_at": attempt.started_at,
            "deadline": attempt.deadline,
            "submitted_at": attempt.submitted_at,
            "score": attempt.score,
            "max_score": attempt.max_score,
            "percent": attempt.percent,
            "passed": attempt.passed,
        }


@dataclass(frozen=True)
class AttemptInProgress(AttemptShown):
    """An open attempt for answering: its questions (ShownQuestion, with flags), SavedAnswer and checks.

    `checks` (QuestionCheck of each question) is None on a quiz without checks. Nothing here tells
    whether a choice is correct, except a locked question's own review.
    """

    shown_questions: tuple
    saved_answers: tuple
    checks: tuple | None


@dataclass(frozen=True)
class AttemptResult(AttemptShown):
    """A closed attempt's review: each question's QuestionResult, the percentile and the overall feedback.

    `reveals_answers` says whether the results show marks, the answer key and explanations
    (rules.reveals_answers); `percentile` is None until other learners closed attempts on the quiz.
    """

    results: tuple
    percentile: Decimal | None
    reveals_answers: bool
    overall_feedback: str | None


@dataclass(frozen=True)
class ResultOfOwner:
    """The result page's read: a closed attempt's AttemptResult (None while it is open) and the attempts left."""

    attempt_id: object
    is_open: bool
    result: AttemptResult | None
    attempts_left: int | None


@dataclass(frozen=True)
class QuizTitle:
    slug: str
    title: str
    language: str


@dataclass(frozen=True)
class AttemptRow(_AttemptIdentity):
    """An attempt in a learner's list: its quiz's title and, once closed, its percent. No per-question snapshots."""

    id: object
    quiz_id: int
    quiz: QuizTitle
    number: int
    state: str
    started_at: object
    submitted_at: object
    percent: Decimal | None
    passed: bool | None


@dataclass(frozen=True)
class AttemptPage:
    """One page of a learner's attempts (AttemptRow), newest first, and whether older ones follow."""

    attempts: tuple
    number: int
    has_older: bool
