"""Properties of a writing import, for any valid file: what is read back is what was written, and a second
import of the same file changes nothing."""

import dataclasses
import itertools

import pytest
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.interchange import files
from quizzes.interchange.mapping import quiz_interchange_questions
from quizzes.interchange.model import DIFFICULTY_TAG_PREFIX, MULTIPLE
from quizzes.services import importing
from tests.factories import QuizFactory, SourceFactory, TopicFactory
from tests.interchange_questions import questions, slugs

pytestmark = pytest.mark.django_db

QUIZ_NUMBERS = itertools.count()


def is_valid_for_us(question):
    """What the admin's rules accept: distinct, non-blank choice texts; a wrong choice in multiple choice."""
    texts = [choice.text.strip().casefold() for choice in question.choices]
    has_wrong = any(choice.fraction <= 0 for choice in question.choices)
    return all(texts) and len(set(texts)) == len(texts) and (question.kind != MULTIPLE or has_wrong)


# Keys as our mapping takes them: slugs that slugify() leaves as they are ("a-" would be refused).
keys = slugs.filter(lambda key: slugify(key) == key)
files_of_questions = st.lists(
    st.tuples(keys, questions()).map(lambda pair: dataclasses.replace(
        pair[1], key=pair[0], category="shutdown", tags=(), citations=tuple(
            dataclasses.replace(citation, source="article") for citation in pair[1].citations))
    ).filter(is_valid_for_us),
    min_size=1, max_size=4, unique_by=lambda question: question.key,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(file_questions=files_of_questions, file_format=st.sampled_from(files.FORMATS))
def test_an_imported_file_reads_back_as_written_and_a_second_import_changes_nothing(db, file_questions, file_format):
    TopicFactory(slug="shutdown")
    SourceFactory(slug="article")
    quiz = QuizFactory(slug=f"property-{next(QUIZ_NUMBERS)}", language="en", is_published=False)
    raw = files.write(file_questions, file_format)

    first = importing.import_file(quiz=quiz, raw=raw, name=f"q.{file_format}")
    stored = quiz_interchange_questions(quiz)
    second = importing.import_file(quiz=quiz, raw=raw, name=f"q.{file_format}")

    assert first.created == len(file_questions) and first.preview.problems == ()
    assert stored == [
        dataclasses.replace(question, name=question.key, tags=(DIFFICULTY_TAG_PREFIX + "medium",))
        for question in file_questions
    ]
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(file_questions))
    assert quiz_interchange_questions(quiz) == stored
