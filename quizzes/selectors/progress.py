"""A learner's progress: grades per quiz and the share of questions answered right per topic."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from .. import rules, scoring
from ..models import (
    CLOSED_STATES,
    EARNS_FULL_POINTS,
    Answer,
    Attempt,
    Topic,
)
from .review import recall_by_topic


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
    # Questions of the topic in closed attempts, answered or not; an unanswered one is a miss, as in review.
    asked: int
    answered: int
    correct: int
    share_correct: Decimal
    recall: Decimal | None = None


@dataclass(frozen=True)
class LearnerProgress:
    quizzes: list = field(default_factory=list)
    topics: list = field(default_factory=list)


def learner_progress(*, owner):
    """Per quiz best, latest and overall grade; per topic the share of its questions asked that were
    right (an unanswered one counts as a miss, as in review and on the result) and the predicted chance
    of still recalling its questions tomorrow (spaced review's memory, averaged: review.recall_by_topic).

    Three queries. Only closed attempts count, and towards the topics only those of quizzes that reveal
    their answers to the learner (rules.reveals_answers); a question counts as right when its
    awarded score equals its points.
    """
    rows = (
        Attempt.objects.filter(**owner.attempt_filter())
        .order_by("quiz_id", "started_at", "number")
        .values_list("quiz_id", "quiz__slug", "quiz__title", "quiz__language", "quiz__grading_method",
                     "quiz__pass_mark", "quiz__answer_visibility", "quiz__max_attempts", "state", "percent")
    )
    percents, heads, visibility, in_progress = defaultdict(list), {}, {}, defaultdict(int)
    for row in rows:
        quiz_id, slug, title, language, grading_method, pass_mark, answer_visibility, max_attempts, state, percent = row
        visibility[quiz_id] = (answer_visibility, max_attempts)
        if state not in CLOSED_STATES:
            in_progress[quiz_id] += 1
            continue
        heads[quiz_id] = (slug, title, language, grading_method, pass_mark)
        percents[quiz_id].append(percent)
    # Which questions were answered right is itself the answer key: only quizzes that reveal their
    # answers to this learner count towards the topics.
    revealing_quiz_ids = [
        quiz_id
        for quiz_id, (answer_visibility, max_attempts) in visibility.items()
        if rules.reveals_answers(
            is_open=False,
            answer_visibility=answer_visibility,
            max_attempts=max_attempts,
            closed_attempts=len(percents[quiz_id]),
            attempts_in_progress=in_progress[quiz_id],
        )
    ]
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

    # Closing writes an answer for every question the attempt showed, so these are the questions asked;
    # an answered one selected something.
    asked = Answer.objects.filter(
        attempt__state__in=CLOSED_STATES,
        attempt__quiz_id__in=revealing_quiz_ids,
        **owner.attempt_filter(prefix="attempt__"),
    )
    topic_rows = (
        asked.values("question__topic__slug", "question__topic__name_de", "question__topic__name_en")
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=~Q(choice_ids=[])),
            correct=Count("id", filter=EARNS_FULL_POINTS),
        )
        .order_by("question__topic__slug")
    )
    recall = recall_by_topic(owner=owner)
    topics = [
        TopicProgress(
            slug=row["question__topic__slug"],
            name=Topic.name_in_active_language(
                name_de=row["question__topic__name_de"], name_en=row["question__topic__name_en"]
            ),
            asked=row["asked"],
            answered=row["answered"],
            correct=row["correct"],
            share_correct=scoring.percent_of(Decimal(row["correct"]), Decimal(row["asked"])),
            recall=recall.get(row["question__topic__slug"]),
        )
        for row in topic_rows
    ]
    return LearnerProgress(quizzes=quizzes, topics=topics)
