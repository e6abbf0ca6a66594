"""CSV downloads of results and responses, streamed: rows are written as the database yields them.

UTF-8 with a byte order mark, so spreadsheet programs (Excel included) open German text intact;
numbers use a decimal point and times are ISO 8601 in UTC.
"""

import csv

from django.http import StreamingHttpResponse
from django.utils.translation import gettext

from ..models import AttemptState
from . import learners
from .filters import AttemptFilter

BYTE_ORDER_MARK = "\ufeff"
CHUNK_SIZE = 2000


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def _number(value):
    return "" if value is None else str(value)


def _moment(value):
    return "" if value is None else value.isoformat()


def results_rows(*, quiz, attempt_filter: AttemptFilter):
    """The results table as CSV rows (lists of strings), a header first."""
    yield [
        gettext("Learner"),
        gettext("Attempts"),
        gettext("Grade (%)"),
        gettext("Best (%)"),
        gettext("Last (%)"),
        gettext("Time taken, last attempt (seconds)"),
        gettext("Last activity"),
    ]
    for result in learners.all_results(quiz=quiz, attempt_filter=attempt_filter, chunk_size=CHUNK_SIZE):
        yield [
            result.label,
            str(result.attempt_count),
            _number(result.grade),
            _number(result.best_percent),
            _number(result.last_percent),
            "" if result.time_taken is None else str(int(result.time_taken.total_seconds())),
            _moment(result.last_activity),
        ]


def responses_rows(*, quiz, attempt_filter: AttemptFilter):
    """One CSV row per covered attempt: who, when, the percent, each question's choices and score."""
    stream = learners.all_responses(quiz=quiz, attempt_filter=attempt_filter, chunk_size=CHUNK_SIZE)
    questions = next(stream)
    header = [gettext("Learner"), gettext("Attempt"), gettext("State"), gettext("Percent"), gettext("Closed")]
    for number, (_, text) in enumerate(questions, start=1):
        header.append(gettext("Q%(number)d: %(question)s") % {"number": number, "question": text})
        header.append(gettext("Q%(number)d score") % {"number": number})
    yield header
    for attempt in stream:
        row = [
            attempt.learner,
            str(attempt.number),
            str(AttemptState(attempt.state).label),
            _number(attempt.percent),
            _moment(attempt.submitted_at),
        ]
        for response in attempt.responses:
            if response is None:
                row.extend(["", ""])
            else:
                texts, score = response
                row.extend(["; ".join(texts), _number(score)])
        yield row


def csv_response(rows, *, filename):
    """A streamed CSV download of `rows`, UTF-8 with a byte order mark."""
    writer = csv.writer(_Echo())

    def lines():
        yield BYTE_ORDER_MARK
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
