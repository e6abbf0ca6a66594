"""The quiz content in fixtures/: every question is well-formed, backed by a verbatim quote, and the German
and English quizzes match.
"""

import re
from collections import Counter, defaultdict

import pytest

from quizzes.models import Difficulty, QuestionKind
from quizzes.quotes import normalised
from tests.content.records import (
    LANGUAGES,
    QUIZ_SETTINGS_SHARED_BY_TRANSLATIONS,
    SOURCES_DIR,
    TRUE_FALSE_LABELS,
    assert_none_fail,
    quotes_not_in_their_sources,
    require_sources_dir,
    sentence_count,
)

# The content checks read the test database; without the mark, pytest-django creates no test database
# when this module runs alone, and loaddata would hit the developer's db.sqlite3 (or no table at all).
pytestmark = pytest.mark.django_db


MIN_QUESTIONS_PER_LANGUAGE = 40
MIN_QUIZZES_PER_LANGUAGE = 4
MIN_SHARE_MULTIPLE_WITH_SEVERAL_CORRECT = 0.25
MIN_SHARE_WITH_FEEDBACK_ON_WRONG_CHOICES = 0.5

# The second article cuts the judge's name off ("Barbara Roths"); content must say "Rothstein".
TRUNCATED_JUDGE_NAME = re.compile(r"\bRoths(?!tein)")


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
