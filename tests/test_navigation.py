"""The pages of an attempt (quizzes/web/navigation.py): pure, so every count of questions is tried."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from quizzes.web.navigation import attempt_layout


@dataclass
class Question:
    number: int


def questions(count):
    return [Question(number=number) for number in range(1, count + 1)]


@given(count=st.integers(min_value=1, max_value=60), one_question_per_page=st.booleans())
def test_every_question_is_on_exactly_one_page_and_page_of_finds_it(count, one_question_per_page):
    shown = questions(count)
    first = attempt_layout(shown, one_question_per_page=one_question_per_page)
    pages = [attempt_layout(shown, one_question_per_page=one_question_per_page, page=n) for n in range(1, first.page_count + 1)]

    assert [question for page in pages for question in page.on_page] == shown
    for page in pages:
        assert all(page.page_of(question) == page.number for question in page.on_page)
        assert page.questions == shown
    assert pages[0].previous_page is None and pages[-1].next_page is None and pages[-1].is_last_page


def test_one_question_per_page_has_a_page_per_question_with_previous_and_next():
    layout = attempt_layout(questions(12), one_question_per_page=True, page=5)

    assert (layout.page_count, layout.previous_page, layout.next_page, layout.is_last_page) == (12, 4, 6, False)
    assert [question.number for question in layout.on_page] == [5]


def test_all_on_one_page_and_a_single_question_are_never_paged():
    assert not attempt_layout(questions(12), one_question_per_page=False).is_paged
    assert not attempt_layout(questions(1), one_question_per_page=True).is_paged


def test_a_page_outside_the_attempt_is_none():
    for page in (0, -1, 13):
        assert attempt_layout(questions(12), one_question_per_page=True, page=page) is None
    assert attempt_layout(questions(12), one_question_per_page=False, page=2) is None
