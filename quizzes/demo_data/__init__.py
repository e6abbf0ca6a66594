"""Generated demo data: a large, realistic data set for load tests and benchmarks (manage.py generate_demo_data).

Everything is written with bulk inserts in batches, inside one transaction per batch, with ids
allocated up front so children can point at parents without a round trip per row. Attempts are
submitted (a few expired) and scored with quizzes.scoring, so they satisfy the model's constraints and
look like what learners leave behind: popular quizzes get many attempts, weak and strong learners mix,
some attempts are a guest's. Slugs and usernames start with the prefix, so the data never clashes with
the fixtures.

content.py writes topics, sources, quizzes, questions, choices and citations; learners.py the learners,
their scored attempts and the reviewer's memory states; writing.py the batching, id and progress pieces.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .content import create_questions, create_quizzes, create_topics_and_sources
from .learners import create_attempts, create_reviewer, create_users
from .writing import ProgressBar, discard, reset_sequences


@dataclass
class Run:
    """One generation: its random numbers, prefix, batch size, moment and where progress goes."""

    rng: random.Random
    prefix: str
    batch_size: int
    now: datetime
    progress_stream: object

    def progress(self, label, total):
        return ProgressBar(label, total, stream=self.progress_stream)


def generate(
    *, quizzes, questions, choices, users, attempts, review_states, seed, prefix, batch_size, progress_stream=None
):
    """Write the data set (`users` None: one learner per 20 attempts); returns the numbers of quizzes and learners."""
    run = Run(
        rng=random.Random(seed),  # nosec B311 - demo data, not security-sensitive
        prefix=prefix,
        batch_size=batch_size,
        now=timezone.now(),
        progress_stream=progress_stream if progress_stream is not None else discard,
    )
    topics, sources = create_topics_and_sources(run)
    generated_quizzes = create_quizzes(run, quizzes, topics=topics)
    keys_by_quiz = create_questions(
        run, generated_quizzes, per_quiz=questions, choices=choices, topics=topics, sources=sources
    )
    user_count = users if users is not None else max(1, attempts // 20)
    user_ids = create_users(run, user_count)
    create_attempts(run, attempts, quizzes=generated_quizzes, keys_by_quiz=keys_by_quiz, user_ids=user_ids)
    # The ids above were allocated here: PostgreSQL's sequences move past them before the reviewer,
    # whose ids the database allocates, is created.
    reset_sequences()
    create_reviewer(run, review_states, keys_by_quiz=keys_by_quiz)
    return len(generated_quizzes), len(user_ids)
