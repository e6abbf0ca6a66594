"""Shapes shown to learners. Plain frozen data, so a template or serializer cannot lazily query."""

from dataclasses import dataclass
from decimal import Decimal


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
