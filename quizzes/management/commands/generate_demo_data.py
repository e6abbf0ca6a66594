"""Generate a large, realistic data set for load tests and benchmarks (the data set: quizzes/demo_data/).

    manage.py generate_demo_data --quizzes 1000 --questions 20 --attempts 100000

Slugs and usernames start with --prefix, so the data never clashes with the fixtures; running again
with the same prefix is refused rather than half-duplicating rows.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from quizzes import demo_data
from quizzes.models import Quiz


class Command(BaseCommand):
    help = "Bulk-generate quizzes, questions, learners and scored attempts for load tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--quizzes", type=int, default=100, help="Number of quizzes (default 100).")
        parser.add_argument("--questions", type=int, default=20, help="Questions per quiz (default 20).")
        parser.add_argument("--choices", type=int, default=4, help="Choices per question (default 4).")
        parser.add_argument("--users", type=int, default=None, help="Learner accounts (default attempts/20).")
        parser.add_argument("--attempts", type=int, default=1000, help="Closed attempts (default 1000).")
        parser.add_argument(
            "--review-states", type=int, default=10000,
            help="Memory states of one learner, '<prefix>-reviewer', for spaced review (default 10000).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data (default 1).")
        parser.add_argument("--prefix", default="demo", help="Prefix of slugs and usernames (default 'demo').")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per transaction (default 2000).")

    def handle(self, *args, **options):
        self.validate(options)
        started = time.monotonic()
        quiz_count, user_count = demo_data.generate(
            quizzes=options["quizzes"],
            questions=options["questions"],
            choices=options["choices"],
            users=options["users"],
            attempts=options["attempts"],
            review_states=options["review_states"],
            seed=options["seed"],
            prefix=options["prefix"],
            batch_size=options["batch_size"],
            progress_stream=self.stderr if options["verbosity"] >= 1 else None,
        )
        self.stdout.write(
            f"Generated {quiz_count} quizzes × {options['questions']} questions, {user_count} learners and "
            f"{options['attempts']} attempts with prefix '{options['prefix']}' in {time.monotonic() - started:.1f}s."
        )

    def validate(self, options):
        for name in ("quizzes", "questions", "attempts", "batch_size", "review_states"):
            minimum = 0 if name in ("attempts", "review_states") else 1
            if options[name] < minimum:
                raise CommandError(f"--{name.replace('_', '-')} must be at least {minimum}.")
        if options["choices"] < 2:
            raise CommandError("--choices must be at least 2.")
        if options["users"] is not None and options["users"] < 1:
            raise CommandError("--users must be at least 1.")
        if not options["prefix"] or not options["prefix"].replace("-", "").isalnum():
            raise CommandError("--prefix must be letters, digits and hyphens.")
        if Quiz.objects.filter(slug__startswith=f"{options['prefix']}-").exists():
            raise CommandError(
                f"Demo data with prefix '{options['prefix']}' exists already; choose another --prefix."
            )
