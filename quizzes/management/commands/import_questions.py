"""Import a GIFT or Moodle XML file into a quiz, all or nothing; --dry-run previews it and writes nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.errors import ImportHasErrors
from quizzes.interchange.mapping import CREATED, UNCHANGED, UPDATED
from quizzes.interchange.model import MAX_FILE_BYTES
from quizzes.models import Quiz
from quizzes.services import importing


class Command(BaseCommand):
    help = (
        "Import a GIFT (.gift, .txt) or Moodle XML (.xml) file into a quiz: questions are created, updated in "
        "place or left unchanged by key. Every question and problem is listed with its line; a file with any "
        "error writes nothing, and skipped questions (types or weights we cannot hold) are left out. "
        "--dry-run only previews."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the GIFT or Moodle XML file")
        parser.add_argument("--quiz", required=True, help="slug of the quiz to import into")
        parser.add_argument("--dry-run", action="store_true", help="preview only: write nothing")

    def handle(self, *args, **options):
        quiz = Quiz.objects.filter(slug=options["quiz"]).first()
        if quiz is None:
            raise CommandError(f"No quiz with the slug {options['quiz']!r}.")
        path = Path(options["path"])
        try:
            with path.open("rb") as file:
                # One byte past the limit is enough to know the file is too large, without reading it all.
                raw = file.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        if options["dry_run"]:
            preview = importing.preview_file(quiz=quiz, raw=raw, name=path.name)
            self.report(preview)
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            outcome = importing.import_file(quiz=quiz, raw=raw, name=path.name)
        except ImportHasErrors as error:
            self.report(error.preview)
            raise CommandError(f"{len(error.preview.errors)} errors: nothing was written.") from error
        self.report(outcome.preview)
        self.stdout.write(f"Imported into {quiz.slug}.")

    def report(self, preview):
        for row in preview.rows:
            self.stdout.write(f"line {row.line}: {row.action} {row.key}: {row.scoring}")
        for problem in preview.problems:
            where = f"line {problem.line}" if problem.line else "whole file"
            self.stdout.write(f"{where}: {problem.severity}: {problem.message}")
        self.stdout.write(
            f"{preview.count(CREATED)} created, {preview.count(UPDATED)} updated, {preview.count(UNCHANGED)} "
            f"unchanged, {len(preview.skipped)} skipped, {len(preview.errors)} errors."
        )
