"""The way through an attempt on the pages: all questions on one page, or one question per page.

Pure: the questions come from questions.questions_for_taking; nothing here queries or changes state.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class AttemptLayout:
    """One page of an attempt: the questions it shows, and every question for the navigator."""

    questions: list
    on_page: list
    number: int
    page_count: int
    is_paged: bool

    @property
    def previous_page(self):
        return self.number - 1 if self.number > 1 else None

    @property
    def next_page(self):
        return self.number + 1 if self.number < self.page_count else None

    @property
    def is_last_page(self):
        return self.number == self.page_count

    def page_of(self, question):
        """The page that shows `question`."""
        return question.number if self.is_paged else 1


def attempt_layout(questions, *, one_question_per_page, page=1):
    """The layout of page `page` (from 1) of an attempt's questions; None when there is no such page."""
    is_paged = one_question_per_page and len(questions) > 1
    page_count = len(questions) if is_paged else 1
    if not 1 <= page <= page_count:
        return None
    on_page = questions[page - 1 : page] if is_paged else list(questions)
    return AttemptLayout(
        questions=list(questions), on_page=on_page, number=page, page_count=page_count, is_paged=is_paged
    )
