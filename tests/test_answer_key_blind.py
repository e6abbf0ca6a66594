"""Nothing a client sees before submitting correlates with correctness: not ids, order or form values.

Quizzes are authored the way that once gave the answers away: the right choice first, the right
ones of a multiple-choice question first of all. Blind strategies (the lowest id, the first listed,
the last listed, the longest text) then play what the API, the public quiz detail and the attempt
page show, and may do no better than chance.
"""

import random
import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.api.serializers import MAX_ANSWERS_PER_SUBMIT
from quizzes.models import Choice, Question, QuestionKind
from tests.factories import QuizFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

# Per kind: how many questions, how many choices, how many of them right, and the chance that a
# blind pick of that many choices is exactly right.
KINDS = {
    QuestionKind.SINGLE: (400, 4, 1, 1 / 4),
    QuestionKind.TRUE_FALSE: (400, 2, 1, 1 / 2),
    QuestionKind.MULTIPLE: (300, 5, 2, 1 / 10),
}
# With these counts, 15 points above or below chance is six standard deviations away or more (true or
# false: sd = sqrt(0.25 / 400) = 2.5 points), so a fair shuffle fails this about once in 10^8 runs.
TOLERANCE = 0.15


def quiz_authored_right_first(slug="blind"):
    rng = random.Random(20210111)  # nosec B311 - test data
    quiz = QuizFactory(slug=slug, shuffle_choices=True, shuffle_questions=True)
    topic = TopicFactory()
    kinds = [kind for kind, (count, *_rest) in KINDS.items() for _question in range(count)]
    questions = Question.objects.bulk_create(
        Question(quiz=quiz, key=f"q{position}", position=position, kind=kind, text=f"Question {position}?",
                 explanation=".", topic=topic)
        for position, kind in enumerate(kinds, start=1)
    )
    choices = []
    for question in questions:
        _count, choice_count, right_count, _chance = KINDS[question.kind]
        for choice_position in range(choice_count):
            # Lengths are independent of correctness: only ids, order and values are on trial.
            text = f"choice {choice_position} " + "x" * rng.randint(1, 40)
            is_correct = choice_position < right_count
            choices.append(Choice(question=question, position=choice_position, text=text, is_correct=is_correct))
    Choice.objects.bulk_create(choices)
    return quiz


def right_sets():
    right = {}
    for question_id, choice_id in Choice.objects.filter(is_correct=True).values_list("question_id", "id"):
        right.setdefault(question_id, set()).add(choice_id)
    return right


def kinds_of(quiz):
    return dict(quiz.questions.values_list("id", "kind"))


STRATEGIES = {
    "lowest id": lambda choices, k: sorted(choice["id"] for choice in choices)[:k],
    "first listed": lambda choices, k: [choice["id"] for choice in choices[:k]],
    "last listed": lambda choices, k: [choice["id"] for choice in choices[-k:]],
    "longest text": lambda choices, k: [
        choice["id"] for choice in sorted(choices, key=lambda choice: -len(choice["text"]))[:k]
    ],
}


def share_right_by_kind(questions, *, kinds, right, strategy):
    """Per kind, the share of questions on which `strategy` picks exactly the right choices."""
    hits, totals = {}, {}
    for question in questions:
        kind = kinds[question["id"]]
        right_count = KINDS[kind][2]
        picked = set(strategy(question["choices"], right_count))
        totals[kind] = totals.get(kind, 0) + 1
        hits[kind] = hits.get(kind, 0) + (picked == right[question["id"]])
    return {kind: hits[kind] / totals[kind] for kind in totals}


def assert_no_better_or_worse_than_chance(shares, where):
    for kind, share in shares.items():
        chance = KINDS[kind][3]
        assert abs(share - chance) <= TOLERANCE, f"{where}, {kind}: {share:.2f} right, chance {chance:.2f}"


@pytest.mark.parametrize("strategy_name", list(STRATEGIES))
def test_blind_strategies_on_the_api_attempt_score_no_better_than_chance(user_client, strategy_name):
    quiz = quiz_authored_right_first()

    started = user_client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()

    shares = share_right_by_kind(
        started["questions"], kinds=kinds_of(quiz), right=right_sets(), strategy=STRATEGIES[strategy_name]
    )
    assert_no_better_or_worse_than_chance(shares, f"API attempt, {strategy_name}")


@pytest.mark.parametrize("strategy_name", list(STRATEGIES))
def test_blind_strategies_on_the_public_quiz_detail_score_no_better_than_chance(api_client, strategy_name):
    quiz = quiz_authored_right_first()

    detail = api_client.get(f"/api/v1/quizzes/{quiz.slug}/").json()

    shares = share_right_by_kind(
        detail["questions"], kinds=kinds_of(quiz), right=right_sets(), strategy=STRATEGIES[strategy_name]
    )
    assert_no_better_or_worse_than_chance(shares, f"quiz detail, {strategy_name}")


def test_submitting_the_lowest_ids_through_the_api_scores_about_chance(user_client):
    quiz = quiz_authored_right_first()
    started = user_client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()
    kinds = kinds_of(quiz)
    lowest = STRATEGIES["lowest id"]
    answers = [
        {"question": question["id"], "choices": lowest(question["choices"], KINDS[kinds[question["id"]]][2])}
        for question in started["questions"][:MAX_ANSWERS_PER_SUBMIT]
    ]

    result = user_client.post(f"/api/v1/attempts/{started['id']}/submit/", {"answers": answers}, format="json")

    assert result.status_code == 200, result.content
    scored = [outcome for outcome in result.json()["results"] if outcome["selected"]]
    assert len(scored) == MAX_ANSWERS_PER_SUBMIT
    # The scoring itself: the share of fully right answers per kind stays at chance.
    shares = {}
    for kind in KINDS:
        of_kind = [outcome for outcome in scored if kinds[outcome["question"]] == kind]
        shares[kind] = sum(outcome["score"] == outcome["points"] for outcome in of_kind) / len(of_kind)
    assert_no_better_or_worse_than_chance(shares, "submitted lowest ids")


CHOICE_INPUT = re.compile(r'<input [^>]*name="question-(\d+)"[^>]*value="(\d+)"')


def test_the_lowest_form_values_on_the_attempt_page_score_about_chance_for_a_guest():
    quiz = quiz_authored_right_first()
    guest = Client()
    started = guest.post(reverse("web:start", kwargs={"slug": quiz.slug}))
    page = guest.get(started.url).content.decode()
    values = {}
    for question_id, value in CHOICE_INPUT.findall(page):
        values.setdefault(int(question_id), []).append(int(value))
    assert len(values) == quiz.questions.count()
    questions = [
        {"id": question_id, "choices": [{"id": value, "text": ""} for value in listed]}
        for question_id, listed in values.items()
    ]

    for strategy_name in ("lowest id", "first listed", "last listed"):
        shares = share_right_by_kind(
            questions, kinds=kinds_of(quiz), right=right_sets(), strategy=STRATEGIES[strategy_name]
        )
        assert_no_better_or_worse_than_chance(shares, f"attempt page, {strategy_name}")


def test_the_strategies_would_win_on_ids_that_follow_the_authored_order():
    # The same measure finds the old leak: ids in authored order give the answers away.
    quiz = quiz_authored_right_first()
    authored_correctness = {
        question.id: [choice.is_correct for choice in question.choices.order_by("position")]
        for question in quiz.questions.all()
    }
    questions = [
        {
            "id": question.id,
            "choices": [
                {"id": rank, "text": choice.text}
                for rank, choice in enumerate(question.choices.order_by("position"), start=1)
            ],
        }
        for question in quiz.questions.all()
    ]
    right = {
        question["id"]: {
            choice["id"] for choice, is_correct in zip(question["choices"], authored_correctness[question["id"]])
            if is_correct
        }
        for question in questions
    }

    shares = share_right_by_kind(questions, kinds=kinds_of(quiz), right=right, strategy=STRATEGIES["lowest id"])

    assert all(share == 1 for share in shares.values())
    with pytest.raises(AssertionError):
        assert_no_better_or_worse_than_chance(shares, "authored order")


def test_a_learner_of_another_account_sees_other_random_orders(user_client):
    quiz = quiz_authored_right_first()
    other_client = APIClient()
    other_client.force_authenticate(UserFactory())

    mine = user_client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["questions"]
    theirs = other_client.post(f"/api/v1/quizzes/{quiz.slug}/attempts/").json()["questions"]

    def order(questions):
        return {question["id"]: [choice["id"] for choice in question["choices"]] for question in questions}

    assert order(mine) != order(theirs)
