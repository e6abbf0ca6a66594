"""Preview what importing a GIFT or Moodle XML file into a quiz would do; writes nothing (yet)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange import gift, moodle_xml
from quizzes.interchange.mapping import preview_import
from quizzes.interchange.model import MAX_FILE_BYTES
from quizzes.models import Quiz


class Command(BaseCommand):
    help = (
        "Show, for a GIFT (.gift, .txt) or Moodle XML (.xml) file, which questions of the quiz would be created "
        "or updated (by key), how each will be scored, and every problem with its line. Only --dry-run exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the GIFT or Moodle XML file")
        parser.add_argument("--quiz", required=True, help="slug of the quiz to import into")
        parser.add_argument("--dry-run", action="store_true", help="preview only (required for now)")

    def handle(self, *args, **options):
        if not options["dry_run"]:
            raise CommandError("Writing imports are not available yet; run with --dry-run to preview the file.")
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
        reader = moodle_xml if path.suffix.lower() == ".xml" or raw.lstrip()[:5] == b"<?xml" else gift
        result = reader.parse(raw)
        preview = preview_import(quiz, result.questions, result.problems)
        for row in preview.rows:
            self.stdout.write(f"line {row.line}: {row.action} {row.key or '(new key)'}: {row.scoring}")
        for problem in preview.problems:
            self.stdout.write(f"line {problem.line}: problem: {problem.message}")
        counts = {action: sum(1 for row in preview.rows if row.action == action) for action in ("created", "updated", "unchanged")}
        self.stdout.write(
            f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{len(preview.problems)} problems. Dry run: nothing was written."
        )
