"""The helpers the content checks rely on: a check that cannot fail would prove nothing."""

import pytest

from quizzes.models import Difficulty, QuestionKind
from quizzes.quotes import normalised
from tests.content.records import (
    CitationRecord,
    QuestionRecord,
    SourceRecord,
    quotes_not_in_their_sources,
    require_sources_dir,
    sentence_count,
)

# The content checks read the test database; without the mark, pytest-django creates no test database
# when this module runs alone, and loaddata would hit the developer's db.sqlite3 (or no table at all).
pytestmark = pytest.mark.django_db


def test_quote_comparison_ignores_whitespace_and_quotation_mark_style():
    article = 'Er sagte: "Ich bin ein Optimist",\n  fügte er hinzu.'
    assert normalised("„Ich bin ein Optimist“, fügte er hinzu.") in normalised(article)


def test_quote_comparison_notices_a_changed_word():
    article = 'Er sagte: "Ich bin ein Optimist", fügte er hinzu.'
    assert normalised("„Ich bin Optimist“, fügte er hinzu.") not in normalised(article)


def question_citing(*citations):
    return QuestionRecord(
        quiz_slug="quiz", language="de", key="question", kind=QuestionKind.SINGLE, text="?", explanation=".",
        topic_slug="topic", quiz_topic_slugs=frozenset({"topic"}), difficulty=Difficulty.EASY, choices=(),
        citations=tuple(CitationRecord(source, quote, "") for source, quote in citations),
    )


ARTICLE = SourceRecord("article", "Article", "Reuters", "de", 'Er sagte: "Ich bin ein Optimist",\nfügte er hinzu.')


def test_quote_check_names_the_question_whose_quote_is_not_in_the_article():
    question = question_citing(("article", "„Ich bin ein Optimist“, fügte er"), ("article", "Ich bin Pessimist"))
    assert quotes_not_in_their_sources([question], [ARTICLE]) == [
        "quiz/question: citation 2 is not in article: 'Ich bin Pessimist'"
    ]


def test_quote_check_reports_a_source_without_a_text():
    failures = quotes_not_in_their_sources([question_citing(("unknown-source", "Text"))], [ARTICLE])
    assert failures == ["quiz/question: citation 1 cites unknown-source, which has no text to check it against"]


def test_missing_source_articles_fail_the_quote_check_in_ci(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must check every quote"):
        require_sources_dir(tmp_path / "no-such-directory")


@pytest.mark.parametrize("ci", [None, "", "0", "false", "No"])
def test_missing_source_articles_skip_the_quote_check_outside_ci(tmp_path, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="not available here"):
        require_sources_dir(tmp_path / "no-such-directory")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AWS nahm Parler am 10. Januar 2021 offline.", 1),
        ("Parler wurde im vergangenen Jahr groß, also 2020. Gegründet wurde es 2018.", 2),
        ("John Matze was 27. He is a co-founder.", 2),
        ("U.S. District Judge Barbara Rothstein ruled. Parler lost", 2),
        ("Wahr: Die Richterin wies den Antrag zurück. Parler habe z. B. nichts gezeigt. Punkt drei! Vier?", 4),
        ("Er sagte „Nein.“ Dann ging er.", 2),
        ("Amazon zitierte „Nur ein toter Demokrat ist ein guter Demokrat. Kill'em all.“ als Beispiel.", 1),
        ('Amazon quoted the post "Kill \'em all." ("Kill them all.") – a call for violence.', 1),
    ],
)
def test_sentence_count_does_not_split_dates_or_abbreviations(text, expected):
    assert sentence_count(text) == expected
