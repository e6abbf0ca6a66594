"""How demo data is written: in batches, with ids allocated up front, with a progress bar."""

import time
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from ..models import Answer, Choice, Citation, MemoryState, Question, Quiz, Selection


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class ProgressBar:
    """A one-line progress bar on the command's stderr, redrawn only when the shown percentage changes."""

    WIDTH = 30

    def __init__(self, label, total, *, stream):
        self.label, self.total, self.stream = label, max(total, 1), stream
        self.done, self.shown, self.started = 0, -1, time.monotonic()
        self.draw()

    def advance(self, count):
        self.done += count
        self.draw()

    def draw(self):
        percent = min(100, self.done * 100 // self.total)
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label:<10} [{bar}] {percent:3d}% {self.done:>9}/{self.total} {elapsed:6.1f}s", ending=""
        )
        self.stream.flush()

    def finish(self):
        self.done = self.total
        self.draw()
        self.stream.write("")


class IdAllocator:
    """Hands out primary keys after the current maximum, so a batch knows its ids before inserting."""

    def __init__(self, model):
        self.next_id = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1

    def __call__(self):
        allocated = self.next_id
        self.next_id += 1
        return allocated


def reset_sequences():
    """Ids were allocated here, not by the database: move PostgreSQL's sequences past them."""
    models = [Quiz, Question, Choice, Citation, Answer, Selection, get_user_model(), MemoryState]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class _Discard:
    def write(self, text, ending=None):
        pass

    def flush(self):
        pass


# Where progress goes when nobody watches it.
discard = _Discard()
