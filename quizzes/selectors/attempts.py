"""Reads of attempts: one in progress (nothing about correctness), a closed one's result, the history."""

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
)

from .. import caching, rules, scoring
from ..errors import AttemptNotFound
from ..models import (
    CLOSED_STATES,
    Answer,
    Attempt,
    AttemptState,
    FeedbackBand,
    Question,
)
from ..owners import Owner
from .catalogue import shown_questions
from .shapes import (
    AttemptInProgress,
    AttemptPage,
    AttemptResult,
    AttemptRow,
    AttemptShown,
    ChoiceFeedback,
    CitationShown,
    QuestionResult,
    QuizTitle,
    SavedAnswer,
    ShownChoice,
    SourceShown,
)


def attempt_for_owner(*, attempt_id, owner):
    """The owner's attempt with its quiz, or raise AttemptNotFound (also for someone else's). One query."""
    attempt = Attempt.objects.select_related("quiz").filter(pk=attempt_id, **owner.attempt_filter()).first()
    if attempt is None:
        raise AttemptNotFound()
    return attempt


@dataclass(frozen=True)
class AttemptStatus:
    """What decides whether an attempt's review may come from the cache, and under which key."""

    pk: object
    state: str
    score: Decimal | None
    max_score: Decimal
    answer_visibility: str
    max_attempts: int | None
    # The language of the attempt's quiz, which its review is told in unless the client asks for another.
    quiz_language: str = ""

    @property
    def is_open(self):
        return self.state == AttemptState.IN_PROGRESS


def attempt_status_for_owner(*, attempt_id, owner):
    """The owner's attempt as an AttemptStatus, or raise AttemptNotFound (also for someone else's). One query."""
    row = (
        Attempt.objects.filter(pk=attempt_id, **owner.attempt_filter())
        .values_list(
            "pk", "state", "score", "max_score", "quiz__answer_visibility", "quiz__max_attempts", "quiz__language"
        )
        .first()
    )
    if row is None:
        raise AttemptNotFound()
    pk, state, score, max_score, answer_visibility, max_attempts, quiz_language = row
    return AttemptStatus(
        pk=pk,
        state=state,
        score=score,
        max_score=max_score,
        answer_visibility=answer_visibility,
        max_attempts=max_attempts,
        quiz_language=quiz_language,
    )


def quiz_language_of_attempt(*, attempt_id, owner):
    """The language of the quiz of the owner's attempt; None for someone else's (which must not be told). One query."""
    return Attempt.objects.filter(pk=attempt_id, **owner.attempt_filter()).values_list("quiz__language", flat=True).first()


def saved_answers(*, attempt):
    """The attempt's saved answers as SavedAnswer, in the attempt's question order. One query."""
    position = {question_id: index for index, question_id in enumerate(attempt.question_order)}
    rows = Answer.objects.filter(attempt=attempt).values_list("question_id", "choice_ids", "saved_at")
    return [
        SavedAnswer(question=question_id, choices=tuple(choice_ids), saved_at=saved_at)
        for question_id, choice_ids, saved_at in sorted(rows, key=lambda row: position.get(row[0], len(position)))
    ]


def attempt_in_progress(*, attempt, is_new=False):
    """An open Attempt (its quiz loaded) as AttemptInProgress: questions with their flags, saved answers, checks.

    Two queries; on a quiz with checks up to two more (selectors.checks.question_checks). A new
    attempt (`is_new`) has nothing saved or checked yet, which spares those queries.
    """
    from .checks import checks_of, question_checks  # checks builds on this module's question_results

    flagged = set(attempt.flagged_questions)
    questions = tuple(
        replace(question, flagged=True) if question.id in flagged else question
        for question in shown_questions(attempt=attempt)
    )
    checks = checks_of(attempt=attempt, rows={}) if is_new else question_checks(attempt=attempt)
    return AttemptInProgress(
        **AttemptShown.fields_of(attempt),
        shown_questions=questions,
        saved_answers=() if is_new else tuple(saved_answers(attempt=attempt)),
        checks=None if checks is None else tuple(checks),
    )


def reveals_answers(*, attempt, attempt_counts=None):
    """Whether a closed attempt's review shows anything per question: rules.reveals_answers for it.

    `attempt_counts` is (closed, in progress) of the owner's attempts on the quiz; it is only needed
    (and only queried if missing) for "after the last attempt".
    """
    quiz = attempt.quiz
    needs_counts = rules.reveal_counts_attempts(
        is_open=attempt.is_open, answer_visibility=quiz.answer_visibility, max_attempts=quiz.max_attempts
    )
    closed, in_progress = attempt_counts or (0, 0)
    if needs_counts and attempt_counts is None:
        counts = Attempt.objects.filter(quiz_id=attempt.quiz_id, **Owner.of_attempt(attempt).attempt_filter()).aggregate(
            closed=Count("id", filter=Q(state__in=CLOSED_STATES)),
            in_progress=Count("id", filter=Q(state=AttemptState.IN_PROGRESS)),
        )
        closed, in_progress = counts["closed"], counts["in_progress"]
    return rules.reveals_answers(
        is_open=attempt.is_open,
        answer_visibility=quiz.answer_visibility,
        max_attempts=quiz.max_attempts,
        closed_attempts=closed,
        attempts_in_progress=in_progress,
    )


def percentile(*, attempt):
    """Share in percent of other learners' closed attempts on the quiz that this one beats; None if none.

    One aggregate query. Ties do not count as beaten.
    """
    if attempt.percent is None:
        return None
    others = Attempt.objects.filter(quiz_id=attempt.quiz_id, state__in=CLOSED_STATES)
    others = others.exclude(**Owner.of_attempt(attempt).attempt_filter())
    totals = others.aggregate(total=Count("id"), beaten=Count("id", filter=Q(percent__lt=attempt.percent)))
    if not totals["total"]:
        return None
    return scoring.to_cents(Decimal(totals["beaten"]) * 100 / Decimal(totals["total"]))


def feedback_bands(*, quiz_id):
    """The quiz's overall feedback bands as (from_percent, text) pairs, through the shared cache.

    A query only when the cache lacks them for the current content version, whatever the number of bands.
    """
    return caching.cached_content(
        "feedback-bands",
        [quiz_id],
        lambda: tuple(FeedbackBand.objects.filter(quiz_id=quiz_id).values_list("from_percent", "text")),
    )


def overall_feedback(*, attempt, is_revealed):
    """The text of the feedback band a closed attempt's percent falls in, or None.

    Feedback, like a question's: only when the quiz's rule lets the review reveal answers
    (rules.reveals_answers), so a hidden result says no more than its total score.
    """
    if not is_revealed or attempt.percent is None:
        return None
    return rules.overall_feedback(bands=feedback_bands(quiz_id=attempt.quiz_id), percent=attempt.percent)


CHOICE_FIELDS = ("choices__id", "choices__text", "choices__is_correct", "choices__feedback")
CITATION_FIELDS = (
    "citations__id", "citations__quote", "citations__translation", "citations__note", "citations__source__title",
    "citations__source__publisher", "citations__source__language", "citations__source__published_on",
    "citations__source__url",
)


def citation_of(values):
    """(citation id, CitationShown) of a row's CITATION_FIELDS values; None for a question without citations."""
    citation_id, quote, translation, note, title, publisher, language, published, url = values
    if citation_id is None:
        return None
    return citation_id, CitationShown(
        quote=quote,
        translation=translation,
        note=note,
        source=SourceShown(title=title, publisher=publisher, language=language, published=published, url=url),
    )


def attempt_result(*, attempt, attempt_counts=None, answers=None):
    """A closed Attempt (its quiz loaded) as AttemptResult: its QuestionResults, percentile and overall feedback.

    Two queries, and a third for the feedback bands when the shared cache lacks them.

    Questions, choices, the selection, the awarded scores and (when answers are revealed) the
    citations come from one query (question_results). The percentile is the second. `answers` are
    the attempt's Answer rows when the caller already holds them (submitting has just written them);
    the query then leaves out the two lookups per row that read them.
    """
    is_revealed = reveals_answers(attempt=attempt, attempt_counts=attempt_counts)
    held = None if answers is None else {answer.question_id: (answer.score, answer.choice_ids) for answer in answers}
    return AttemptResult(
        **AttemptShown.fields_of(attempt),
        results=tuple(
            question_results(attempt=attempt, question_ids=attempt.question_order, is_revealed=is_revealed, held=held)
        ),
        percentile=percentile(attempt=attempt),
        reveals_answers=is_revealed,
        overall_feedback=overall_feedback(attempt=attempt, is_revealed=is_revealed),
    )


def question_results(*, attempt, question_ids, is_revealed, held=None):
    """QuestionResult of each of the attempt's `question_ids` that still exists, in the attempt's order. One query.

    The one shape of a question's review, for a closed attempt's result and a checked question alike.
    It joins choices and citations: a few rows per question, whatever the number of questions.
    `held` maps question ids to (score, choice ids) when the caller holds them; otherwise they are
    read from the attempt's answers in the same query.
    """
    if held is None:
        answer = Answer.objects.filter(attempt_id=attempt.pk, question_id=OuterRef("pk"))
        awarded = Subquery(answer.values("score")[:1])
        selected = Subquery(answer.values("choice_ids")[:1], output_field=JSONField())
    else:
        awarded, selected = Value(None, output_field=DecimalField()), Value(None, output_field=JSONField())
    rows = (
        Question.objects.filter(pk__in=question_ids)
        .annotate(awarded=awarded, selected=selected)
        .order_by("choices__position", "choices__id", "citations__position", "citations__id")
        .values_list(
            "id", "kind", "text", "points", "explanation", "awarded", "selected",
            *CHOICE_FIELDS, *(CITATION_FIELDS if is_revealed else ()),
        )
    )
    heads, choices_of, citations_of = {}, defaultdict(dict), defaultdict(dict)
    for row in rows:
        question_id, kind, text, points, explanation, score, selected = row[:7]
        if held is not None:
            score, selected = held.get(question_id, (None, None))
        choice_id, choice_text, is_correct, feedback = row[7:11]
        heads.setdefault(question_id, (kind, text, points, explanation, score))
        if choice_id is not None:
            is_selected = choice_id in (selected or ())
            choices_of[question_id][choice_id] = (
                ShownChoice(id=choice_id, text=choice_text), is_correct, feedback, is_selected
            )
        citation = citation_of(row[11:]) if is_revealed else None
        if citation is not None:
            citations_of[question_id][citation[0]] = citation[1]
    results = []
    for question_id in [qid for qid in attempt.question_order if qid in heads]:
        kind, text, points, explanation, score = heads[question_id]
        rank = {cid: i for i, cid in enumerate(attempt.choice_order.get(str(question_id), []))}
        choices = sorted(choices_of[question_id].values(), key=lambda row: rank.get(row[0].id, len(rank)))
        results.append(
            QuestionResult(
                question=question_id,
                kind=kind,
                text=text,
                points=points,
                choices=tuple(row[0] for row in choices),
                selected=tuple(row[0].id for row in choices if row[3]),
                score=(score if score is not None else scoring.to_cents(0)) if is_revealed else None,
                correct=tuple(row[0].id for row in choices if row[1]) if is_revealed else None,
                explanation=explanation if is_revealed else None,
                feedback=tuple(ChoiceFeedback(choice=row[0].id, text=row[2]) for row in choices if row[3] and row[2])
                if is_revealed
                else None,
                citations=tuple(citations_of[question_id].values()) if is_revealed else None,
            )
        )
    return results


def attempt_history(*, owner, quiz_slug=None):
    """The owner's attempts, newest first, with their quiz; a queryset for pagination."""
    attempts = Attempt.objects.filter(**owner.attempt_filter()).select_related("quiz").order_by("-started_at", "pk")
    if quiz_slug:
        attempts = attempts.filter(quiz__slug=quiz_slug)
    return attempts


def attempts_page(*, owner, number, per_page):
    """One page of the owner's attempts as AttemptRow, newest first, in an AttemptPage. One query.

    Reads one row more than a page to know whether older attempts follow, instead of counting them
    all; and none of the per-attempt snapshots, which a list never shows.
    """
    offset = (number - 1) * per_page
    rows = attempt_history(owner=owner).values_list(
        "id", "quiz_id", "quiz__slug", "quiz__title", "quiz__language",
        "number", "state", "started_at", "submitted_at", "percent", "passed",
    )[offset : offset + per_page + 1]
    attempts = tuple(
        AttemptRow(
            id=attempt_id,
            quiz_id=quiz_id,
            quiz=QuizTitle(slug=slug, title=title, language=language),
            number=attempt_number,
            state=state,
            started_at=started_at,
            submitted_at=submitted_at,
            percent=percent,
            passed=passed,
        )
        for attempt_id, quiz_id, slug, title, language, attempt_number, state, started_at, submitted_at, percent, passed
        in rows
    )
    return AttemptPage(attempts=attempts[:per_page], number=number, has_older=len(attempts) > per_page)
