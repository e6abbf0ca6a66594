"""Parallel imports of one file into one quiz: real threads, real transactions; each question is written once."""

import pytest

from quizzes.models import Choice, Question
from quizzes.services import importing
from tests.factories import QuizFactory, SourceFactory, TopicFactory
from tests.test_concurrency import run_in_parallel

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 4
FILE = "".join(
    f"$CATEGORY: shutdown\n\n// [id:q{number}]\n// [citation:article] A quote.\nQuestion {number}?{{=Right ~Wrong}}\n\n"
    for number in range(10)
).encode()


def test_parallel_imports_of_one_file_create_each_question_once():
    TopicFactory(slug="shutdown")
    SourceFactory(slug="article")
    quiz = QuizFactory(slug="parallel", is_published=False)

    outcomes = run_in_parallel([lambda: importing.import_file(quiz=quiz, raw=FILE, name="q.gift")] * PARALLEL)

    assert [error for _, error in outcomes] == [None] * PARALLEL
    assert sorted(outcome.created for outcome, _ in outcomes) == [0] * (PARALLEL - 1) + [10]
    assert Question.objects.filter(quiz=quiz).count() == 10
    assert Choice.objects.filter(question__quiz=quiz).count() == 20
    assert sorted(Question.objects.filter(quiz=quiz).values_list("position", flat=True)) == list(range(1, 11))
