"""Named reads: each function loads what one screen or endpoint shows, with a fixed number of queries.

Nothing here changes state (that is services.py) and nothing here decides a score (that is
scoring.py). Reads that a learner sees before submitting never load `is_correct`, `feedback`,
`explanation` or scores, so a leak cannot happen by accident in a serializer or a template.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, FloatField, JSONField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import get_language, gettext

from . import scoring
from .models import (
    Answer,
    AnswerVisibility,
    Attempt,
    AttemptState,
    Question,
    Quiz,
    Selection,
)
from .services import AttemptNotFound, attempts_left

CLOSED_STATES = (AttemptState.SUBMITTED, AttemptState.EXPIRED)
HISTOGRAM_BINS = 10


# ---------------------------------------------------------------------------------------------
# Shapes shown to learners. Plain frozen data, so a template or serializer cannot lazily query.


@dataclass(frozen=True)
class ShownChoice:
    id: int
    text: str


@dataclass(frozen=True)
class ShownQuestion:
    """A question as a learner sees it while answering: no correctness, no explanation."""

    id: int
    kind: str
    text: str
    points: Decimal
    choices: tuple = ()


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
    quote: str
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


# ---------------------------------------------------------------------------------------------
# Catalogue and quiz


def catalogue(*, language=None, topic=None, search=None):
    """Published quizzes with `question_count`, topics prefetched; optionally filtered."""
    question_count = (
        Question.objects.filter(quiz=OuterRef("pk")).order_by().values("quiz").annotate(n=Count("id")).values("n")
    )
    quizzes = (
        Quiz.objects.filter(is_published=True)
        .annotate(question_count=Coalesce(Subquery(question_count), 0))
        .prefetch_related("topics")
        .order_by("language", "title", "pk")
    )
    if language:
        quizzes = quizzes.filter(language=language)
    if topic:
        # Exists instead of a join, so a quiz is never listed twice and counts stay exact.
        quizzes = quizzes.filter(Exists(Quiz.topics.through.objects.filter(quiz=OuterRef("pk"), topic__slug=topic)))
    if search:
        quizzes = quizzes.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return quizzes


def published_quiz(*, slug):
    """A published quiz by slug, or None. One query; for starting attempts and checking access."""
    return Quiz.objects.filter(slug=slug, is_published=True).first()


def quiz_for_taking(*, slug):
    """A published quiz with its topics and `shown_questions` in authored order, or None. Three queries."""
    quiz = catalogue().filter(slug=slug).first()
    if quiz is None:
        return None
    quiz.shown_questions = shown_questions(quiz=quiz)
    return quiz


def shown_questions(*, quiz=None, attempt=None):
    """Questions with their choices as a learner sees them, in one query.

    For an attempt, questions and choices follow the order fixed when it started; questions
    deleted since are skipped and choices added since come last.
    """
    if attempt is not None:
        questions = Question.objects.filter(pk__in=attempt.question_order)
    else:
        questions = Question.objects.filter(quiz=quiz)
    rows = questions.order_by("position", "id", "choices__position", "choices__id").values_list(
        "id", "kind", "text", "points", "choices__id", "choices__text"
    )
    heads, choices_of = {}, defaultdict(list)
    for question_id, kind, text, points, choice_id, choice_text in rows:
        heads.setdefault(question_id, (kind, text, points))
        if choice_id is not None:
            choices_of[question_id].append(ShownChoice(id=choice_id, text=choice_text))
    order = list(heads) if attempt is None else [qid for qid in attempt.question_order if qid in heads]
    result = []
    for question_id in order:
        choices = choices_of[question_id]
        if attempt is not None:
            choices = _in_attempt_order(choices, attempt.choice_order.get(str(question_id), []))
        kind, text, points = heads[question_id]
        result.append(ShownQuestion(id=question_id, kind=kind, text=text, points=points, choices=tuple(choices)))
    return result


def _in_attempt_order(choices, choice_ids):
    rank = {choice_id: index for index, choice_id in enumerate(choice_ids)}
    return sorted(choices, key=lambda choice: rank.get(choice.id, len(rank)))


# ---------------------------------------------------------------------------------------------
# Attempts


def attempt_for_owner(*, attempt_id, owner):
    """The owner's attempt with its quiz, or raise AttemptNotFound (also for someone else's). One query."""
    attempt = Attempt.objects.select_related("quiz").filter(pk=attempt_id, **owner.attempt_filter()).first()
    if attempt is None:
        raise AttemptNotFound(gettext("No such attempt."))
    return attempt


def saved_answers(*, attempt):
    """The attempt's saved answers as SavedAnswer, in the attempt's question order. One query."""
    position = {question_id: index for index, question_id in enumerate(attempt.question_order)}
    rows = Answer.objects.filter(attempt=attempt).values_list("question_id", "choice_ids", "saved_at")
    return [
        SavedAnswer(question=question_id, choices=tuple(choice_ids), saved_at=saved_at)
        for question_id, choice_ids, saved_at in sorted(rows, key=lambda row: position.get(row[0], len(position)))
    ]


def attempt_in_progress(*, attempt):
    """Attach `shown_questions` and `saved_answers` to an attempt for answering. Two queries."""
    attempt.shown_questions = shown_questions(attempt=attempt)
    attempt.saved_answers = saved_answers(attempt=attempt)
    return attempt


def reveals_answers(*, attempt, attempts_used=None):
    """Whether a closed attempt's review may show the correct choices, explanations and feedback.

    The one home of the quiz's answer-visibility rule. `attempts_used` is the owner's number of
    attempts on the quiz; it is only needed (and only queried if missing) for after_last_attempt.
    """
    if attempt.is_open:
        return False
    visibility = attempt.quiz.answer_visibility
    if visibility == AnswerVisibility.AFTER_SUBMISSION:
        return True
    if visibility == AnswerVisibility.NEVER or attempt.quiz.max_attempts is None:
        # With unlimited attempts there is never a last one.
        return False
    if attempts_used is None:
        owner_filter = {"user_id": attempt.user_id} if attempt.user_id else {"guest_key": attempt.guest_key}
        attempts_used = Attempt.objects.filter(quiz_id=attempt.quiz_id, **owner_filter).count()
    return attempts_left(max_attempts=attempt.quiz.max_attempts, used=attempts_used) == 0


def percentile(*, attempt):
    """Share in percent of other learners' closed attempts on the quiz that this one beats; None if none.

    One aggregate query. Ties do not count as beaten.
    """
    if attempt.percent is None:
        return None
    others = Attempt.objects.filter(quiz_id=attempt.quiz_id, state__in=CLOSED_STATES)
    others = others.exclude(user_id=attempt.user_id) if attempt.user_id else others.exclude(guest_key=attempt.guest_key)
    totals = others.aggregate(total=Count("id"), beaten=Count("id", filter=Q(percent__lt=attempt.percent)))
    if not totals["total"]:
        return None
    return scoring.to_cents(Decimal(totals["beaten"]) * 100 / Decimal(totals["total"]))


CHOICE_FIELDS = ("choices__id", "choices__text", "choices__is_correct", "choices__feedback")
CITATION_FIELDS = (
    "citations__id", "citations__quote", "citations__note", "citations__source__title",
    "citations__source__publisher", "citations__source__language", "citations__source__published_on",
    "citations__source__url",
)


def attempt_result(*, attempt, attempts_used=None):
    """The review of a closed attempt: `results` (QuestionResult) and `percentile`. Two queries.

    Questions, choices, the selection, the awarded scores and (when answers are revealed) the
    citations come from one query, which joins choices and citations: a few rows per question,
    whatever the number of questions. The percentile is the second.
    """
    is_revealed = reveals_answers(attempt=attempt, attempts_used=attempts_used)
    answer = Answer.objects.filter(attempt_id=attempt.pk, question_id=OuterRef("pk"))
    rows = (
        Question.objects.filter(pk__in=attempt.question_order)
        .annotate(
            awarded=Subquery(answer.values("score")[:1]),
            selected=Subquery(answer.values("choice_ids")[:1], output_field=JSONField()),
        )
        .order_by("choices__position", "choices__id", "citations__position", "citations__id")
        .values_list(
            "id", "kind", "text", "points", "explanation", "awarded", "selected",
            *CHOICE_FIELDS, *(CITATION_FIELDS if is_revealed else ()),
        )
    )
    heads, choices_of, citations_of = {}, defaultdict(dict), defaultdict(dict)
    for row in rows:
        question_id, kind, text, points, explanation, score, selected = row[:7]
        choice_id, choice_text, is_correct, feedback = row[7:11]
        heads.setdefault(question_id, (kind, text, points, explanation, score))
        if choice_id is not None:
            is_selected = choice_id in (selected or ())
            choices_of[question_id][choice_id] = (
                ShownChoice(id=choice_id, text=choice_text), is_correct, feedback, is_selected
            )
        if is_revealed and row[11] is not None:
            citation_id, quote, note, title, publisher, language, published, url = row[11:]
            citations_of[question_id][citation_id] = CitationShown(
                quote=quote,
                note=note,
                source=SourceShown(title=title, publisher=publisher, language=language, published=published, url=url),
            )
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
                score=score if score is not None else scoring.to_cents(0),
                correct=tuple(row[0].id for row in choices if row[1]) if is_revealed else None,
                explanation=explanation if is_revealed else None,
                feedback=tuple(ChoiceFeedback(choice=row[0].id, text=row[2]) for row in choices if row[3] and row[2])
                if is_revealed
                else None,
                citations=tuple(citations_of[question_id].values()) if is_revealed else None,
            )
        )
    attempt.results = results
    attempt.percentile = percentile(attempt=attempt)
    attempt.reveals_answers = is_revealed
    return attempt


def attempt_history(*, owner, quiz_slug=None):
    """The owner's attempts, newest first, with their quiz; a queryset for pagination."""
    attempts = Attempt.objects.filter(**owner.attempt_filter()).select_related("quiz").order_by("-started_at", "pk")
    if quiz_slug:
        attempts = attempts.filter(quiz__slug=quiz_slug)
    return attempts


# ---------------------------------------------------------------------------------------------
# Learning progress


@dataclass(frozen=True)
class QuizProgress:
    slug: str
    title: str
    language: str
    grading_method: str
    attempt_count: int
    best_percent: Decimal
    latest_percent: Decimal
    grade: Decimal
    has_passed: bool


@dataclass(frozen=True)
class TopicProgress:
    slug: str
    name: str
    answered: int
    correct: int
    share_correct: Decimal


@dataclass(frozen=True)
class LearnerProgress:
    quizzes: list = field(default_factory=list)
    topics: list = field(default_factory=list)


def learner_progress(*, owner):
    """Per quiz best, latest and overall grade; per topic the share of answered questions got right.

    Two queries. Only closed attempts count; a question counts as right when its awarded score
    equals its points.
    """
    rows = (
        Attempt.objects.filter(state__in=CLOSED_STATES, **owner.attempt_filter())
        .order_by("quiz_id", "started_at", "number")
        .values_list("quiz_id", "quiz__slug", "quiz__title", "quiz__language", "quiz__grading_method",
                     "quiz__pass_mark", "percent")
    )
    percents, heads = defaultdict(list), {}
    for quiz_id, slug, title, language, grading_method, pass_mark, percent in rows:
        heads[quiz_id] = (slug, title, language, grading_method, pass_mark)
        percents[quiz_id].append(percent)
    quizzes = []
    for quiz_id, (slug, title, language, grading_method, pass_mark) in heads.items():
        grade = scoring.overall_grade(percents[quiz_id], grading_method)
        quizzes.append(
            QuizProgress(
                slug=slug,
                title=title,
                language=language,
                grading_method=grading_method,
                attempt_count=len(percents[quiz_id]),
                best_percent=max(percents[quiz_id]),
                latest_percent=percents[quiz_id][-1],
                grade=grade,
                has_passed=scoring.has_passed(grade, pass_mark),
            )
        )
    quizzes.sort(key=lambda progress: progress.title)

    answered = Answer.objects.filter(
        Exists(Selection.objects.filter(answer=OuterRef("pk"))),
        attempt__state__in=CLOSED_STATES,
        **{f"attempt__{key}": value for key, value in owner.attempt_filter().items()},
    )
    topic_rows = (
        answered.values("question__topic__slug", "question__topic__name_de", "question__topic__name_en")
        .annotate(answered=Count("id"), correct=Count("id", filter=Q(score=F("question__points"))))
        .order_by("question__topic__slug")
    )
    is_english = (get_language() or "de").startswith("en")
    topics = [
        TopicProgress(
            slug=row["question__topic__slug"],
            name=row["question__topic__name_en"] if is_english else row["question__topic__name_de"],
            answered=row["answered"],
            correct=row["correct"],
            share_correct=scoring.percent_of(Decimal(row["correct"]), Decimal(row["answered"])),
        )
        for row in topic_rows
    ]
    return LearnerProgress(quizzes=quizzes, topics=topics)


# ---------------------------------------------------------------------------------------------
# Statistics for editors


def _as_float(expression):
    return Cast(expression, output_field=FloatField())


def quiz_statistics(*, quiz):
    """Item analysis of a quiz's closed attempts, aggregated in the database. Five queries.

    Returns a dict: attempt_count, mean, median, stdev (population), high, low, histogram (10 bins
    of percent, the last one including 100) and `questions`, each with facility (mean share of
    points), discrimination (Pearson correlation of the question's score with the rest of the
    attempt's score) and how often each choice was picked.
    """
    closed = Attempt.objects.filter(quiz=quiz, state__in=CLOSED_STATES)
    percent = _as_float("percent")
    bins = {
        f"bin{index}": Count(
            "id",
            filter=Q(percent__gte=index * 10)
            & (Q(percent__lt=(index + 1) * 10) if index < HISTOGRAM_BINS - 1 else Q(percent__lte=100)),
        )
        for index in range(HISTOGRAM_BINS)
    }
    # SQLite has no StdDev aggregate: the variance comes from the sums of x and x².
    summary = closed.aggregate(
        n=Count("id"), total=Sum(percent), squares=Sum(percent * percent), high=Max("percent"), low=Min("percent"),
        **bins,
    )
    count = summary["n"]
    statistics = {
        "attempt_count": count,
        "mean": None,
        "median": None,
        "stdev": None,
        "high": summary["high"],
        "low": summary["low"],
        "histogram": [
            {"low": index * 10, "high": (index + 1) * 10, "count": summary[f"bin{index}"]}
            for index in range(HISTOGRAM_BINS)
        ],
    }
    if count:
        mean = summary["total"] / count
        statistics["mean"] = _rounded(mean)
        statistics["stdev"] = _rounded(max(0.0, summary["squares"] / count - mean * mean) ** 0.5)
        statistics["median"] = _median(closed, count=count)

    statistics["questions"] = _question_statistics(quiz=quiz, closed=closed)
    return statistics


def _median(closed, *, count):
    middle = list(closed.order_by("percent").values_list("percent", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return _rounded(sum(float(value) for value in middle) / len(middle))


def _rounded(value):
    return None if value is None else scoring.to_cents(Decimal(str(value)))


def _question_statistics(*, quiz, closed):
    answers = Answer.objects.filter(attempt__in=closed)
    x = _as_float("score")
    y = _as_float(F("attempt__score") - F("score"))
    sums = {
        row["question_id"]: row
        for row in answers.values("question_id")
        .annotate(n=Count("id"), sx=Sum(x), sy=Sum(y), sxy=Sum(x * y), sxx=Sum(x * x), syy=Sum(y * y))
        .order_by()
    }
    picks = dict(
        Selection.objects.filter(answer__attempt__in=closed)
        .values("choice_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("choice_id", "n")
    )
    rows = (
        Question.objects.filter(quiz=quiz)
        .order_by("position", "id", "choices__position", "choices__id")
        .values_list("id", "text", "kind", "points", "choices__id", "choices__text", "choices__is_correct")
    )
    questions = {}
    for question_id, text, kind, points, choice_id, choice_text, is_correct in rows:
        if question_id not in questions:
            row = sums.get(question_id)
            questions[question_id] = {
                "id": question_id,
                "text": text,
                "kind": kind,
                "points": points,
                "answer_count": row["n"] if row else 0,
                "facility": _rounded(row["sx"] / row["n"] / float(points)) if row else None,
                "discrimination": _pearson(row) if row else None,
                "choices": [],
            }
        if choice_id is not None:
            questions[question_id]["choices"].append(
                {"id": choice_id, "text": choice_text, "is_correct": is_correct, "picked": picks.get(choice_id, 0)}
            )
    return list(questions.values())


def _pearson(row):
    """Pearson correlation from sums; None when either side does not vary."""
    n = row["n"]
    covariance = n * row["sxy"] - row["sx"] * row["sy"]
    spread = (n * row["sxx"] - row["sx"] ** 2) * (n * row["syy"] - row["sy"] ** 2)
    if n < 2 or spread <= 1e-12:
        return None
    return _rounded(covariance / spread**0.5)
