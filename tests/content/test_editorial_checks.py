"""Checks a careful editor makes of the shipped content (issue 17): no giveaways, no length cue, no
positional cue, one convention for multiple-answer stems, derived dates explained, and each question
linked to its translation.
"""

import re
from collections import Counter, defaultdict

import pytest

from quizzes.models import Difficulty, QuestionBehaviour, QuestionKind
from quizzes.quotes import normalised
from tests.content.records import (
    LANGUAGES,
    TRUE_FALSE_LABELS,
    ChoiceRecord,
    QuestionRecord,
    QuizRecord,
    assert_none_fail,
)

# The content checks read the test database; without the mark, pytest-django creates no test database
# when this module runs alone, and loaddata would hit the developer's db.sqlite3 (or no table at all).
pytestmark = pytest.mark.django_db


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


def hints_giving_answers_away(quiz):
    """One line per wrong choice whose feedback names a right choice, in a quiz that shows that feedback
    as the hint after a wrong try (interactive), while tries are left. True or false is left out: with
    two choices any hint decides it."""
    if quiz.behaviour != QuestionBehaviour.INTERACTIVE:
        return []
    failures = []
    for question in quiz.questions:
        if question.kind == QuestionKind.TRUE_FALSE:
            continue
        for wrong in question.wrong_choices:
            feedback_words = key_words(wrong.feedback)
            for right in (choice for choice in question.choices if choice.is_correct):
                if share_of_key_words_in(feedback_words, right.text) >= GIVEAWAY_SHARE_OF_KEY_WORDS:
                    failures.append(f"{question.label}: the hint for {wrong.text!r} names the answer {right.text!r}: "
                                    f"{wrong.feedback!r}")
    return failures


def test_the_hint_check_finds_a_wrong_choices_feedback_naming_the_answer():
    choices = (ChoiceRecord("2018", True, ""),
               ChoiceRecord("2021", False, "Parler was shut down in January 2021; it was founded in 2018."))
    founded = QuestionRecord(
        quiz_slug="quiz", language="en", key="founded", kind=QuestionKind.SINGLE, text="When was Parler founded?",
        explanation=".", topic_slug="t", quiz_topic_slugs=frozenset({"t"}), difficulty=Difficulty.EASY,
        citations=(), choices=choices,
    )
    interactive = QuizRecord("quiz", "en", "quiz", "", (), frozenset(), (founded,), QuestionBehaviour.INTERACTIVE)
    deferred = QuizRecord("quiz", "en", "quiz", "", (), frozenset(), (founded,), QuestionBehaviour.DEFERRED)

    assert len(hints_giving_answers_away(interactive)) == 1 and hints_giving_answers_away(deferred) == []


def test_no_hint_of_an_interactive_quiz_names_the_answer(content):
    # A tester's wrong try at "In which year was Parler founded?" was told "... it was founded in 2018."
    failures = [failure for quiz in content.quizzes for failure in hints_giving_answers_away(quiz)]
    assert_none_fail(failures, "a wrong try's hint must leave the next try something to think about")


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
