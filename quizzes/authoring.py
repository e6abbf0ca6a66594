"""The authoring rules: when a question's choices are valid and when a quiz may be published.

Plain data in, a list of messages out (empty when everything is fine). No ORM, no request: the admin's
forms and formsets, its publish action and anything else that publishes quizzes all call these, so each
rule is decided here and nowhere else. Messages are translated in the active language when called.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import QuestionKind

# A question's label in a message is cut to this many characters so one message stays one line.
LABEL_LENGTH = 60


@dataclass(frozen=True)
class ChoiceDraft:
    """What the rules need to know about one choice."""

    text: str
    is_correct: bool


@dataclass(frozen=True)
class QuestionDraft:
    """What the rules need to know about one question, saved or still in a form."""

    text: str
    kind: str
    choices: Sequence[ChoiceDraft] = field(default_factory=tuple)
    citation_count: int = 0


def choice_problems(*, kind: str, choices: Iterable[ChoiceDraft]) -> list[str]:
    """Problems with a question's choices for its kind; empty when they are valid."""
    choices = list(choices)
    problems = []
    if any(not choice.text.strip() for choice in choices):
        problems.append(_("Every choice needs a text; fill in or remove the empty choice."))
    texts = [choice.text.strip().casefold() for choice in choices if choice.text.strip()]
    if len(set(texts)) != len(texts):
        problems.append(_("Two choices have the same text; learners could not tell them apart."))
    correct_count = sum(1 for choice in choices if choice.is_correct)
    wrong_count = len(choices) - correct_count

    if kind == QuestionKind.TRUE_FALSE:
        if len(choices) != 2:
            problems.append(
                _("A true/false question needs exactly two choices (true and false); it has %(count)d.")
                % {"count": len(choices)}
            )
        if correct_count != 1:
            problems.append(
                _("A true/false question needs exactly one correct choice; %(count)d are marked correct.")
                % {"count": correct_count}
            )
    elif kind == QuestionKind.SINGLE:
        if len(choices) < 2:
            problems.append(
                _("A single-choice question needs at least two choices; it has %(count)d.") % {"count": len(choices)}
            )
        if correct_count != 1:
            problems.append(
                _("A single-choice question needs exactly one correct choice; %(count)d are marked correct.")
                % {"count": correct_count}
            )
    elif kind == QuestionKind.MULTIPLE:
        if correct_count < 1:
            problems.append(_("A multiple-choice question needs at least one correct choice."))
        if wrong_count < 1:
            problems.append(
                _("A multiple-choice question needs at least one wrong choice, or selecting everything would score.")
            )
    else:
        problems.append(_("Unknown question kind: %(kind)s.") % {"kind": kind})
    return problems


def citation_problems(*, citation_count: int) -> list[str]:
    """Problems with a question's citations for publishing: every answer is backed by a quote."""
    if citation_count < 1:
        return [_("A question needs at least one citation from a source before its quiz can be published.")]
    return []


def question_problems(question: QuestionDraft) -> list[str]:
    """Everything that keeps one question out of a published quiz."""
    return choice_problems(kind=question.kind, choices=question.choices) + citation_problems(
        citation_count=question.citation_count
    )


def question_label(text: str) -> str:
    """A question's text, shortened to fit in a message."""
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def publishing_problems(*, questions: Sequence[QuestionDraft]) -> list[str]:
    """Why a quiz with these questions cannot be published; empty when it can."""
    if not questions:
        return [_("A quiz needs at least one question before it can be published.")]
    problems = []
    for question in questions:
        for problem in question_problems(question):
            problems.append(
                _("Question “%(question)s”: %(problem)s")
                % {"question": question_label(question.text), "problem": problem}
            )
    return problems


def summary(problems: Sequence[str], *, limit: int = 5) -> str:
    """A list of problems as one message, naming at most `limit` of them."""
    shown = " ".join(str(problem) for problem in problems[:limit])
    hidden = len(problems) - limit
    if hidden > 0:
        shown += " " + ngettext("(and %(count)d more problem)", "(and %(count)d more problems)", hidden) % {
            "count": hidden
        }
    return shown


def feedback_band_problems(bounds: Iterable) -> list[str]:
    """Problems with a quiz's feedback bands, given each band's lower bound; empty when they are valid.

    Bands are optional; once there are any, they must cover every result from 0 to 100 without
    overlapping: the lowest starts at 0 and no two start at the same percent (each band then runs
    up to the next one's bound, and the top one to 100).
    """
    bounds = [bound for bound in bounds if bound is not None]
    if not bounds:
        return []
    problems = []
    if min(bounds) != 0:
        problems.append(
            _("The lowest band must start at 0 percent, or results below %(percent)s percent get no feedback.")
            % {"percent": min(bounds)}
        )
    repeated = sorted({bound for bound in bounds if bounds.count(bound) > 1})
    for bound in repeated:
        problems.append(
            _("Two bands start at %(percent)s percent; each band needs its own lower bound.") % {"percent": bound}
        )
    return problems
