"""The shipped content as plain records, and the rules the content checks share.

read_content() turns the loaded fixtures into records; each check collects every failing question as
"<quiz slug>/<question key>: <problem>" and reports them all (assert_none_fail).
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from quizzes.models import Question, Quiz, Source
from quizzes.quotes import normalised, occurs_verbatim
from tests.ci import running_in_ci

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCES_DIR = Path(settings.BASE_DIR).parent / "shared" / "sources"

LANGUAGES = ("de", "en")
TRUE_FALSE_LABELS = {"de": ("Wahr", "Falsch"), "en": ("True", "False")}
QUIZ_SETTINGS_SHARED_BY_TRANSLATIONS = (
    "is_published",
    "shuffle_questions",
    "shuffle_choices",
    "questions_per_attempt",
    "time_limit_seconds",
    "max_attempts",
    "pass_mark",
    "grading_method",
    "answer_visibility",
    "one_question_per_page",
)

# A quoted passage ("Kill'em all." or a whole quoted sentence) counts as part of the sentence around it.
QUOTED_PASSAGE = re.compile(r'„[^“”"]*[“”"]|“[^”]*”|"[^"]*"|«[^»]*»|‚[^‘’]*[‘’]')
SENTENCE_END = re.compile(r"[.!?…]+[)\]]*(?=\s|$)")
LAST_SENTENCE_END = re.compile(r"[.!?…]+[)\]]*$")
# "am 6. Januar": a number with a full stop before a month (or a lowercase word) is an ordinal, not an end.
ORDINAL_CONTEXT = re.compile(
    r"\s+(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|[a-zäöü])"
)
SENTENCE_START = re.compile(r"\s+(?:[A-ZÄÖÜ0-9]|QUOTE)")
INITIALS_OR_SINGLE_LETTER = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")


def sentence_count(text):
    """Sentences in a short German or English text; "6. Januar", "U.S." and "z. B." do not end one."""
    text = QUOTED_PASSAGE.sub(
        lambda quoted: "QUOTE." if quoted.group()[:-1].rstrip().endswith((".", "!", "?")) else "QUOTE", text
    ).strip()
    count = 0
    for match in SENTENCE_END.finditer(text):
        if match.end() == len(text):
            count += 1
            continue
        before = text[: match.start()].split()
        word = before[-1] if before else ""
        if INITIALS_OR_SINGLE_LETTER.fullmatch(word):
            continue
        if word.isdigit() and ORDINAL_CONTEXT.match(text, match.end()):
            continue
        if SENTENCE_START.match(text, match.end()):
            count += 1
    if text and not LAST_SENTENCE_END.search(text):
        count += 1  # a last sentence without a full stop still counts
    return count


@dataclass(frozen=True)
class ChoiceRecord:
    text: str
    is_correct: bool
    feedback: str


@dataclass(frozen=True)
class CitationRecord:
    source_slug: str
    quote: str
    note: str
    translation: str = ""


@dataclass(frozen=True)
class QuestionRecord:
    quiz_slug: str
    language: str
    key: str
    kind: str
    text: str
    explanation: str
    topic_slug: str
    quiz_topic_slugs: frozenset
    difficulty: str
    choices: tuple
    citations: tuple
    translation_key: str = ""
    points: str = ""

    @property
    def label(self):
        return f"{self.quiz_slug}/{self.key}"

    @property
    def correct_count(self):
        return sum(choice.is_correct for choice in self.choices)

    @property
    def wrong_choices(self):
        return [choice for choice in self.choices if not choice.is_correct]


@dataclass(frozen=True)
class QuizRecord:
    slug: str
    language: str
    translation_key: str
    description: str
    settings: tuple
    topic_slugs: frozenset
    questions: tuple
    behaviour: str = ""


@dataclass(frozen=True)
class SourceRecord:
    slug: str
    title: str
    publisher: str
    language: str
    text: str = ""


@dataclass(frozen=True, repr=False)
class Content:
    sources: tuple
    quizzes: tuple

    @property
    def questions(self):
        return [question for quiz in self.quizzes for question in quiz.questions]

    def __repr__(self):
        return f"<Content: {len(self.quizzes)} quizzes, {len(self.questions)} questions>"

    def questions_in(self, language):
        return [question for question in self.questions if question.language == language]

    def quizzes_in(self, language):
        return [quiz for quiz in self.quizzes if quiz.language == language]


def quotes_not_in_their_sources(questions, sources):
    """One line per citation whose quote is not in its source's text (quotes.py's rule), or whose source has none."""
    texts = {source.slug: source.text for source in sources}
    failures = []
    for question in questions:
        for position, citation in enumerate(question.citations, start=1):
            text = texts.get(citation.source_slug, "")
            if not text:
                failures.append(f"{question.label}: citation {position} cites {citation.source_slug}, "
                                f"which has no text to check it against")
            elif not occurs_verbatim(citation.quote, text):
                failures.append(f"{question.label}: citation {position} is not in {citation.source_slug}: "
                                f"{normalised(citation.quote)!r}")
    return failures


def require_sources_dir(sources_dir):
    """Skip the calling test when the articles are missing here; in CI (which must check every quote) fail it."""
    if sources_dir.is_dir():
        return
    missing = f"the source articles are not available here ({sources_dir} does not exist)"
    if running_in_ci():
        pytest.fail(f"{missing}; CI must check every quote against its article")
    pytest.skip(missing)


def read_content():
    sources = tuple(
        SourceRecord(source.slug, source.title, source.publisher, source.language, source.text)
        for source in Source.objects.order_by("slug")
    )
    quizzes = []
    for quiz in Quiz.objects.prefetch_related("topics").order_by("language", "slug"):
        quiz_topic_slugs = frozenset(topic.slug for topic in quiz.topics.all())
        questions = tuple(
            QuestionRecord(
                quiz_slug=quiz.slug,
                language=quiz.language,
                key=question.key,
                kind=question.kind,
                text=question.text,
                explanation=question.explanation,
                topic_slug=question.topic.slug if question.topic_id else "",
                quiz_topic_slugs=quiz_topic_slugs,
                difficulty=question.difficulty,
                choices=tuple(
                    ChoiceRecord(choice.text, choice.is_correct, choice.feedback)
                    for choice in question.choices.all()
                ),
                citations=tuple(
                    CitationRecord(citation.source.slug, citation.quote, citation.note, citation.translation)
                    for citation in question.citations.all()
                ),
                translation_key=question.translation_key,
                points=str(question.points),
            )
            for question in Question.objects.filter(quiz=quiz)
            .select_related("topic")
            .prefetch_related("choices", "citations__source")
            .order_by("position", "id")
        )
        quizzes.append(
            QuizRecord(
                slug=quiz.slug,
                language=quiz.language,
                translation_key=quiz.translation_key,
                description=quiz.description,
                settings=tuple(getattr(quiz, field) for field in QUIZ_SETTINGS_SHARED_BY_TRANSLATIONS),
                topic_slugs=quiz_topic_slugs,
                questions=questions,
                behaviour=quiz.behaviour,
            )
        )
    return Content(sources=sources, quizzes=tuple(quizzes))


def assert_none_fail(failures, problem):
    assert not failures, f"{len(failures)} fail(s): {problem}\n  " + "\n  ".join(failures)
