"""The quiz content in fixtures/: every question is well-formed, backed by a verbatim quote, and the German
and English quizzes match.

All fixtures are loaded once with `loaddata` (file-name order is load order, as in `make fixtures`) inside a
transaction that is rolled back, so the checks read plain records and leave the test database untouched.
Each check collects every failing question as "<quiz slug>/<question key>: <problem>" and reports them all.
"""

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from quizzes.models import Difficulty, Question, QuestionKind, Quiz, Source
from quizzes.quotes import normalised, occurs_verbatim

# The content checks read the test database; without the mark, pytest-django creates no test database
# when this module runs alone, and loaddata would hit the developer's db.sqlite3 (or no table at all).
pytestmark = pytest.mark.django_db

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCES_DIR = Path(settings.BASE_DIR).parent / "shared" / "sources"

MIN_QUESTIONS_PER_LANGUAGE = 40
MIN_QUIZZES_PER_LANGUAGE = 4
MIN_SHARE_MULTIPLE_WITH_SEVERAL_CORRECT = 0.25
MIN_SHARE_WITH_FEEDBACK_ON_WRONG_CHOICES = 0.5
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

# The second article cuts the judge's name off ("Barbara Roths"); content must say "Rothstein".
TRUNCATED_JUDGE_NAME = re.compile(r"\bRoths(?!tein)")
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
    if os.environ.get("CI"):
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
            )
        )
    return Content(sources=sources, quizzes=tuple(quizzes))


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    """Everything in fixtures/, loaded the way `make fixtures` loads it, as plain records."""
    fixture_files = sorted(str(path) for path in FIXTURES_DIR.glob("*.yaml"))
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *fixture_files, verbosity=0)
        loaded = read_content()
        transaction.set_rollback(True)
    return loaded


def assert_none_fail(failures, problem):
    assert not failures, f"{len(failures)} fail(s): {problem}\n  " + "\n  ".join(failures)


# The helpers the checks rely on: a check that cannot fail would prove nothing.


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


def test_missing_source_articles_skip_the_quote_check_outside_ci(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
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


# The content itself.


def test_fixtures_load_quizzes_with_questions(content):
    assert content.quizzes, "loaddata installed no quiz from fixtures/"
    empty = [quiz.slug for quiz in content.quizzes if not quiz.questions]
    assert not empty, f"quizzes without questions: {empty}"


def test_sources_carry_title_agency_and_language(content):
    failures = [
        f"source {source.slug}: title={source.title!r} publisher={source.publisher!r} language={source.language!r}"
        for source in content.sources
        if not (source.title.strip() and source.publisher.strip() and source.language in LANGUAGES)
    ]
    assert content.sources, "no source records in the fixtures"
    assert_none_fail(failures, "a source needs a title, an agency and a language")


def test_every_quiz_describes_what_a_learner_will_know(content):
    failures = [f"{quiz.slug}: empty description" for quiz in content.quizzes if not quiz.description.strip()]
    assert_none_fail(failures, "a quiz needs a description")


def test_every_question_explains_its_answer_in_one_to_three_sentences(content):
    failures = []
    for question in content.questions:
        sentences = sentence_count(question.explanation)
        if not 1 <= sentences <= 3:
            failures.append(f"{question.label}: explanation has {sentences} sentence(s)")
    assert_none_fail(failures, "an explanation has one to three sentences")


def test_every_question_cites_a_source(content):
    failures = []
    for question in content.questions:
        if not question.citations:
            failures.append(f"{question.label}: no citation")
        for position, citation in enumerate(question.citations, start=1):
            if not citation.quote.strip():
                failures.append(f"{question.label}: citation {position} has an empty quote")
    assert_none_fail(failures, "every question needs at least one citation with a quote")


def test_every_quote_appears_verbatim_in_its_sources_text(content):
    assert_none_fail(quotes_not_in_their_sources(content.questions, content.sources),
                     "a quote must be copied verbatim from its source")


def test_the_sources_texts_in_the_fixtures_are_the_articles_verbatim(content):
    # The texts in fixtures/00-sources.yaml are what quotes are checked against; here, where the
    # articles themselves are at hand (in CI they must be), they must equal them character for character.
    require_sources_dir(SOURCES_DIR)
    assert {source.slug: source.text for source in content.sources} == {
        path.stem: path.read_text(encoding="utf-8") for path in sorted(SOURCES_DIR.glob("*.txt"))
    }


def test_single_choice_and_true_false_questions_have_exactly_one_correct_choice(content):
    failures = [
        f"{question.label}: {question.kind} with {question.correct_count} correct choices"
        for question in content.questions
        if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and question.correct_count != 1
    ]
    assert_none_fail(failures, "single choice and true/false need exactly one correct choice")


def test_true_false_questions_offer_exactly_true_and_false_in_their_language(content):
    failures = []
    for question in content.questions:
        if question.kind != QuestionKind.TRUE_FALSE:
            continue
        labels = sorted(choice.text for choice in question.choices)
        expected = sorted(TRUE_FALSE_LABELS[question.language])
        if labels != expected:
            failures.append(f"{question.label}: choices {labels}, expected {expected}")
    assert_none_fail(failures, "true/false has exactly two choices, labelled in the quiz's language")


def test_multiple_choice_questions_have_right_and_wrong_choices(content):
    failures = [
        f"{question.label}: {question.correct_count} correct, {len(question.wrong_choices)} wrong"
        for question in content.questions
        if question.kind == QuestionKind.MULTIPLE and (question.correct_count < 1 or not question.wrong_choices)
    ]
    assert_none_fail(failures, "multiple choice needs at least one correct and one wrong choice")


def test_single_and_multiple_choice_questions_offer_three_to_five_choices(content):
    failures = [
        f"{question.label}: {question.kind} with {len(question.choices)} choices"
        for question in content.questions
        if question.kind != QuestionKind.TRUE_FALSE and not 3 <= len(question.choices) <= 5
    ]
    assert_none_fail(failures, "single and multiple choice offer 3 to 5 choices")


def test_no_question_offers_the_same_choice_twice(content):
    failures = []
    for question in content.questions:
        repeated = [text for text, count in Counter(normalised(c.text).casefold() for c in question.choices).items()
                    if count > 1]
        if repeated:
            failures.append(f"{question.label}: repeated choice(s) {repeated}")
    assert_none_fail(failures, "choices within a question differ")


def test_no_two_questions_share_the_same_text(content):
    by_text = defaultdict(list)
    for question in content.questions:
        by_text[normalised(question.text).casefold()].append(question.label)
    failures = [" and ".join(labels) + f": same text {text!r}" for text, labels in by_text.items() if len(labels) > 1]
    assert_none_fail(failures, "question texts are unique across all quizzes")


def test_every_question_has_a_topic_listed_on_its_quiz_and_a_difficulty(content):
    failures = []
    for question in content.questions:
        if not question.topic_slug:
            failures.append(f"{question.label}: no topic")
        elif question.topic_slug not in question.quiz_topic_slugs:
            failures.append(f"{question.label}: topic {question.topic_slug} is not among its quiz's topics "
                            f"{sorted(question.quiz_topic_slugs)}")
        if question.difficulty not in Difficulty.values:
            failures.append(f"{question.label}: difficulty {question.difficulty!r}")
    assert_none_fail(failures, "every question has a topic (listed on its quiz) and a difficulty")


def test_every_english_citation_translates_its_quote(content):
    failures = [
        f"{question.label}: citation {position} has no English translation"
        for question in content.questions_in("en")
        for position, citation in enumerate(question.citations, start=1)
        if not citation.translation.strip() or normalised(citation.translation) == normalised(citation.quote)
    ]
    assert_none_fail(failures, "English questions cite the German original and translate it in `translation`")


def test_english_translations_stand_alone_and_german_citations_need_none(content):
    failures = []
    for question in content.questions:
        for position, citation in enumerate(question.citations, start=1):
            if question.language == "de" and citation.translation:
                failures.append(f"{question.label}: citation {position} translates a German quote for a German quiz")
            translation = citation.translation
            is_wrapped_in_quotes = translation.startswith('"') and translation.endswith('"') and translation.count('"') == 2
            if translation.startswith("Translation:") or is_wrapped_in_quotes or citation.note.startswith("Translation:"):
                failures.append(f"{question.label}: citation {position} wraps its translation in a label or quotes")
    assert_none_fail(failures, "the page labels the translation; the fields hold only the translated text")


def test_judge_rothstein_is_named_correctly(content):
    failures = []
    for question in content.questions:
        learner_texts = [question.text, question.explanation]
        learner_texts += [text for choice in question.choices for text in (choice.text, choice.feedback)]
        # Saying that the article cuts the name off is fine; repeating the cut-off name as hers is not.
        if any(TRUNCATED_JUDGE_NAME.search(text) and "Rothstein" not in text for text in learner_texts):
            failures.append(f"{question.label}: repeats the article's cut-off name 'Roths' instead of Rothstein")
        for position, citation in enumerate(question.citations, start=1):
            if TRUNCATED_JUDGE_NAME.search(citation.quote) and "Rothstein" not in citation.note:
                failures.append(f"{question.label}: citation {position} quotes 'Barbara Roths' without a note "
                                f"naming Judge Barbara Rothstein")
    for language in LANGUAGES:
        if not any(
            "Rothstein" in question.text or any("Rothstein" in choice.text for choice in question.choices)
            for question in content.questions_in(language)
        ):
            failures.append(f"language {language}: no question names Judge Barbara Rothstein")
    assert_none_fail(failures, "the judge is U.S. District Judge Barbara Rothstein; the article cuts her name off")


def test_both_languages_offer_the_same_quizzes_with_the_same_number_of_questions(content):
    by_key = defaultdict(dict)
    for quiz in content.quizzes:
        by_key[quiz.translation_key][quiz.language] = quiz
    failures = []
    for translation_key, versions in sorted(by_key.items()):
        missing = sorted(set(LANGUAGES) - set(versions))
        if missing:
            present = ", ".join(quiz.slug for quiz in versions.values())
            failures.append(f"{translation_key} ({present}): no version in {missing}")
            continue
        counts = {language: len(quiz.questions) for language, quiz in versions.items()}
        if len(set(counts.values())) > 1:
            failures.append(f"{translation_key}: " + ", ".join(
                f"{versions[language].slug} has {count}" for language, count in sorted(counts.items())))
    assert_none_fail(failures, "every quiz exists in German and English with the same number of questions")


def test_translations_keep_the_mix_of_question_kinds_and_the_quiz_settings(content):
    by_key = defaultdict(dict)
    for quiz in content.quizzes:
        by_key[quiz.translation_key][quiz.language] = quiz
    failures = []
    for translation_key, versions in sorted(by_key.items()):
        if set(versions) != set(LANGUAGES):
            continue  # reported by the test above
        german, english = versions["de"], versions["en"]
        pair = f"{german.slug} / {english.slug}"
        kinds = [Counter(question.kind for question in quiz.questions) for quiz in (german, english)]
        if kinds[0] != kinds[1]:
            failures.append(f"{pair}: kinds {dict(kinds[0])} vs {dict(kinds[1])}")
        if german.settings != english.settings:
            differing = [
                f"{field} {left!r} vs {right!r}"
                for field, left, right in zip(QUIZ_SETTINGS_SHARED_BY_TRANSLATIONS, german.settings, english.settings)
                if left != right
            ]
            failures.append(f"{pair}: settings differ: " + "; ".join(differing))
        if german.topic_slugs != english.topic_slugs:
            failures.append(f"{pair}: topics {sorted(german.topic_slugs)} vs {sorted(english.topic_slugs)}")
    assert_none_fail(failures, "a translation keeps the question kinds and the quiz settings")


def test_questions_per_attempt_never_exceeds_the_questions_a_quiz_has(content):
    position = QUIZ_SETTINGS_SHARED_BY_TRANSLATIONS.index("questions_per_attempt")
    failures = [
        f"{quiz.slug}: draws {quiz.settings[position]} of {len(quiz.questions)} questions"
        for quiz in content.quizzes
        if quiz.settings[position] is not None and quiz.settings[position] > len(quiz.questions)
    ]
    assert_none_fail(failures, "questions_per_attempt fits the quiz")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_enough_quizzes_and_questions(content, language):
    quizzes = content.quizzes_in(language)
    questions = content.questions_in(language)
    assert len(quizzes) >= MIN_QUIZZES_PER_LANGUAGE and len(questions) >= MIN_QUESTIONS_PER_LANGUAGE, (
        f"{language}: {len(quizzes)} quizzes (need {MIN_QUIZZES_PER_LANGUAGE}) with {len(questions)} questions "
        f"(need {MIN_QUESTIONS_PER_LANGUAGE}): " + ", ".join(f"{quiz.slug}={len(quiz.questions)}" for quiz in quizzes)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_mixes_kinds_with_a_quarter_multiple_choice_with_several_correct(content, language):
    questions = content.questions_in(language)
    several_correct = [q for q in questions if q.kind == QuestionKind.MULTIPLE and q.correct_count >= 2]
    kinds = Counter(question.kind for question in questions)
    assert questions, f"{language}: no questions"
    assert kinds[QuestionKind.TRUE_FALSE] >= 1, f"{language}: no true/false question ({dict(kinds)})"
    assert kinds[QuestionKind.SINGLE] >= 1, f"{language}: no single-choice question ({dict(kinds)})"
    share = len(several_correct) / len(questions)
    assert share >= MIN_SHARE_MULTIPLE_WITH_SEVERAL_CORRECT, (
        f"{language}: {len(several_correct)} of {len(questions)} questions ({share:.0%}) are multiple choice with "
        f"several correct answers; need {MIN_SHARE_MULTIPLE_WITH_SEVERAL_CORRECT:.0%}. Kinds: {dict(kinds)}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_least_half_of_the_questions_explain_every_wrong_choice(content, language):
    questions = content.questions_in(language)
    without = [
        question.label
        for question in questions
        if not question.wrong_choices or any(not choice.feedback.strip() for choice in question.wrong_choices)
    ]
    with_feedback = len(questions) - len(without)
    assert questions and with_feedback / len(questions) >= MIN_SHARE_WITH_FEEDBACK_ON_WRONG_CHOICES, (
        f"{language}: only {with_feedback} of {len(questions)} questions give feedback on every wrong choice; "
        f"missing in: " + ", ".join(without)
    )


# Checks a careful editor makes (issue 17): no giveaways, no length cue, no positional cue, one convention
# for multiple-answer stems, derived dates explained, and each question linked to its translation.

# The page adds "select all that apply" to multiple-answer questions itself; a stem repeating it shows it twice.
SELECT_ALL_PHRASES = re.compile(r"alle zutreffenden|select all|all that apply", re.IGNORECASE)
MAX_SHARE_CORRECT_IS_LONGEST = 0.40
MAX_EXCESS_SHARE_AT_ONE_POSITION = 0.15
MAX_SHARE_MULTIPLE_WITH_CORRECT_FIRST = 0.25
# A choice is given away when another question's stem or choice holds this share of its key words.
GIVEAWAY_SHARE_OF_KEY_WORDS = 0.6
WORD = re.compile(r"[0-9]+|[^\W\d_]+(?:-[^\W\d_]+)*")
MIN_KEY_WORD_LENGTH = 4
# Words too common in this content to give an answer away (plus function words of both languages).
COMMON_WORDS = frozenset(
    """
    parler amazon sein seien seine seiner seinen ihre ihren ihrer einem einer eines einen dass diese dieser dieses
    habe haben hatte hätten wurde wurden werde werden wird nach nicht nur auch noch schon erst über unter durch
    gegen beim sich sie ihn ihm wie als aber oder und eine vom zum zur den dem der die das des mit von bei
    laut bericht artikel artikeln reuters-bericht
    that this these those with from into have been were their them they there which what when about after
    before only also would could should said says report article articles does did according parler's amazon's
    """.split()
)
GERMAN_MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
                 "november", "dezember")
ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december")
GERMAN_WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
GERMAN_DATE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(GERMAN_MONTHS) + r")\b", re.IGNORECASE)
ENGLISH_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(ENGLISH_MONTHS) + r")\b", re.IGNORECASE)
WEEKDAY = re.compile(r"\b(" + "|".join(GERMAN_WEEKDAYS + ENGLISH_WEEKDAYS) + r")s?\b", re.IGNORECASE)


def key_words(text):
    """The words of a text that carry its meaning, lower-cased; numbers always count."""
    words = (word.casefold() for word in WORD.findall(text))
    return {word for word in words if word.isdigit() or (len(word) >= MIN_KEY_WORD_LENGTH and word not in COMMON_WORDS)}


def shares_key_word(word, words):
    """Whether `word` or a close form of it (a compound containing it, an inflection) is among `words`."""
    if word.isdigit():
        return word in words
    stem = word[: max(MIN_KEY_WORD_LENGTH + 1, len(word) - 2)]
    return any(other.startswith(stem) or (len(other) >= 6 and other in word) or (len(word) >= 6 and word in other)
               for other in words)


def share_of_key_words_in(text_words, choice_text):
    words = key_words(choice_text)
    if not words:
        return 0.0
    return sum(shares_key_word(word, text_words) for word in words) / len(words)


def giveaways_in(quiz):
    """One line per correct choice that another question of the quiz (its stem or one of its choices) gives away.

    A stem or choice gives an answer away when it holds most of the correct choice's key words, and more
    of them than of any wrong choice of the same question (so a shared topic word is no giveaway).
    """
    failures = []
    for question in quiz.questions:
        if question.kind == QuestionKind.TRUE_FALSE:
            continue
        for choice in question.choices:
            if not choice.is_correct:
                continue
            for other in quiz.questions:
                if other is question:
                    continue
                for place, text in [("stem", other.text)] + [("choice", c.text) for c in other.choices]:
                    text_words = key_words(text)
                    share = share_of_key_words_in(text_words, choice.text)
                    if share < GIVEAWAY_SHARE_OF_KEY_WORDS:
                        continue
                    best_wrong = max((share_of_key_words_in(text_words, wrong.text)
                                      for wrong in question.wrong_choices), default=0.0)
                    if share > best_wrong:
                        failures.append(f"{question.label}: correct choice {choice.text!r} is given away by the "
                                        f"{place} of {other.key}: {text!r}")
    return failures


def test_giveaway_check_finds_an_answer_printed_in_another_stem():
    def question(key, text, *choices):
        return QuestionRecord(
            quiz_slug="quiz", language="de", key=key, kind=QuestionKind.SINGLE, text=text, explanation=".",
            topic_slug="t", quiz_topic_slugs=frozenset({"t"}), difficulty=Difficulty.EASY, citations=(),
            choices=tuple(ChoiceRecord(choice, position == 0, "") for position, choice in enumerate(choices)),
        )

    founded = question("founded", "In welchem Jahr wurde Parler gegründet?", "2018", "2016", "2019")
    growth = question("growth", "Wann wurde Parler groß?", "2020", "Gleich im Gründungsjahr 2018", "2021")
    quiz = QuizRecord("quiz", "de", "quiz", "", (), frozenset(), (founded, growth))
    assert giveaways_in(quiz) == [
        "quiz/founded: correct choice '2018' is given away by the choice of growth: 'Gleich im Gründungsjahr 2018'"
    ]
    fair_growth = question("growth", "Wann wurde Parler groß?", "2020", "Gleich im Gründungsjahr", "2021")
    assert giveaways_in(QuizRecord("quiz", "de", "quiz", "", (), frozenset(), (founded, fair_growth))) == []


def test_no_correct_choice_is_given_away_by_another_question_of_its_quiz(content):
    failures = [failure for quiz in content.quizzes for failure in giveaways_in(quiz)]
    assert_none_fail(failures, "another question's stem or choices must not print a correct answer")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_correct_choice_is_not_usually_the_longest(content, language):
    singles = [q for q in content.questions_in(language) if q.kind == QuestionKind.SINGLE]
    longest = [
        question.label
        for question in singles
        if (correct := next(c for c in question.choices if c.is_correct))
        and all(len(correct.text) > len(wrong.text) for wrong in question.wrong_choices)
    ]
    assert singles and len(longest) / len(singles) <= MAX_SHARE_CORRECT_IS_LONGEST, (
        f"{language}: the correct choice is the longest in {len(longest)} of {len(singles)} single-choice "
        f"questions (at most {MAX_SHARE_CORRECT_IS_LONGEST:.0%}): " + ", ".join(longest)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_correct_choice_is_spread_over_the_positions(content, language):
    questions = content.questions_in(language)
    failures = []
    by_choice_count = defaultdict(list)
    for question in questions:
        if question.kind == QuestionKind.SINGLE:
            by_choice_count[len(question.choices)].append(question)
    for choice_count, singles in sorted(by_choice_count.items()):
        limit = (1 / choice_count + MAX_EXCESS_SHARE_AT_ONE_POSITION) * len(singles)
        at_position = Counter(next(i for i, c in enumerate(q.choices) if c.is_correct) for q in singles)
        for position, count in sorted(at_position.items()):
            if count > limit:
                failures.append(f"{language}: position {position + 1} holds the correct choice in {count} of "
                                f"{len(singles)} single-choice questions with {choice_count} choices "
                                f"(at most {limit:.1f})")
    multiples = [q for q in questions if q.kind == QuestionKind.MULTIPLE]
    correct_first = [q.label for q in multiples
                     if all(c.is_correct for c in q.choices[: q.correct_count])]
    if not multiples or len(correct_first) / len(multiples) > MAX_SHARE_MULTIPLE_WITH_CORRECT_FIRST:
        failures.append(f"{language}: the correct choices come first in {len(correct_first)} of {len(multiples)} "
                        f"multiple-choice questions: " + ", ".join(correct_first))
    true_false_orders = {tuple(c.text for c in q.choices) for q in questions if q.kind == QuestionKind.TRUE_FALSE}
    if true_false_orders - {TRUE_FALSE_LABELS[language]}:
        failures.append(f"{language}: true/false choices in orders {sorted(true_false_orders)}, expected "
                        f"{TRUE_FALSE_LABELS[language]} everywhere")
    assert_none_fail(failures, "where the correct choice stands must carry no information")


def test_multiple_answer_stems_leave_select_all_to_the_page(content):
    failures = [f"{question.label}: {question.text!r}" for question in content.questions
                if SELECT_ALL_PHRASES.search(question.text)]
    assert_none_fail(failures, "the page says 'select all that apply' itself; a stem must not repeat it")


def dates_in(text):
    """Years, weekdays and day-and-month dates in German or English text, as language-neutral tokens."""
    tokens = set(YEAR.findall(text))
    for match in WEEKDAY.finditer(text):
        name = match.group(1).casefold()
        tokens.add(f"weekday {(GERMAN_WEEKDAYS + ENGLISH_WEEKDAYS).index(name) % 7}")
    for pattern, months in ((GERMAN_DATE, GERMAN_MONTHS), (ENGLISH_DATE, ENGLISH_MONTHS)):
        for day, month in pattern.findall(text):
            tokens.add(f"date {int(day)}.{months.index(month.casefold()) + 1}")
    return tokens


def test_dates_are_read_in_german_and_english_alike():
    assert dates_in("am Mittwoch, dem 13. Januar 2021") == dates_in("on Wednesday, 13 January 2021") == {
        "2021", "weekday 2", "date 13.1"}


def test_every_derived_date_has_a_note_saying_how_it_is_derived(content):
    failures = []
    for question in content.questions:
        quoted = set().union(*(dates_in(citation.quote) for citation in question.citations))
        noted = set().union(*(dates_in(citation.note) for citation in question.citations))
        # A wrong choice's date is false on purpose; the right answer and the explanation state facts.
        stated = set().union(dates_in(question.explanation),
                             *(dates_in(choice.text) for choice in question.choices if choice.is_correct))
        # An English citation translates its quote; a date its translation or note adds beyond the quote
        # is the derivation.
        derived_in_notes = {
            token
            for citation in question.citations
            for token in (dates_in(citation.translation) | dates_in(citation.note)) - dates_in(citation.quote)
        }
        unexplained = sorted(stated - quoted - (derived_in_notes if question.language == "en" else noted))
        if unexplained:
            failures.append(f"{question.label}: states {unexplained}, which no quote contains and no note derives")
    assert_none_fail(failures, "a date, weekday or year the quotes do not contain needs a note deriving it")


# What a question's German and English versions must share; the choices stand in the same order in both.
ASPECTS_SHARED_BY_TRANSLATIONS = {
    "quiz": lambda quiz, question: quiz.translation_key,
    "kind": lambda quiz, question: question.kind,
    "points": lambda quiz, question: question.points,
    "topic": lambda quiz, question: question.topic_slug,
    "difficulty": lambda quiz, question: question.difficulty,
    "number of choices": lambda quiz, question: len(question.choices),
    "correct positions": lambda quiz, question: tuple(
        position for position, choice in enumerate(question.choices) if choice.is_correct
    ),
    "cited German quotes": lambda quiz, question: tuple(
        (citation.source_slug, normalised(citation.quote)) for citation in question.citations
    ),
}


def test_every_question_is_linked_to_its_translation_and_agrees_with_it(content):
    by_key = defaultdict(list)
    failures = []
    for quiz in content.quizzes:
        for question in quiz.questions:
            if not question.translation_key:
                failures.append(f"{question.label}: no translation_key")
                continue
            by_key[question.translation_key].append((quiz, question))
    for translation_key, versions in sorted(by_key.items()):
        languages = sorted(question.language for _, question in versions)
        if languages != sorted(LANGUAGES):
            failures.append(f"{translation_key}: versions in {languages} "
                            f"({', '.join(question.label for _, question in versions)}), expected one per language")
            continue
        (german_quiz, german), (english_quiz, english) = sorted(versions, key=lambda pair: pair[1].language)
        pair = f"{german.label} / {english.label}"
        for aspect, value_of in ASPECTS_SHARED_BY_TRANSLATIONS.items():
            german_value, english_value = value_of(german_quiz, german), value_of(english_quiz, english)
            if german_value != english_value:
                failures.append(f"{pair}: {aspect} {german_value!r} vs {english_value!r}")
    assert_none_fail(failures, "every question's German and English versions share a key and agree")
