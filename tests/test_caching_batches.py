"""one_content_change(): every content save inside it is one change of the content version, made at its end."""

from quizzes import caching
from tests.factories import QuestionFactory, QuizFactory, TopicFactory


def test_saves_inside_one_content_change_replace_the_version_once_at_its_end(db):
    before = caching.content_version()

    with caching.one_content_change():
        quiz = QuizFactory()
        QuestionFactory(quiz=quiz)
        TopicFactory()
        assert caching.content_version() == before

    assert caching.content_version() != before


def test_a_save_outside_one_content_change_replaces_the_version_at_once(db):
    before = caching.content_version()

    QuizFactory()

    assert caching.content_version() != before
