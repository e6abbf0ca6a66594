"""Write a quiz's questions as GIFT or Moodle XML, to stdout or a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange import gift, moodle_xml
from quizzes.interchange.mapping import quiz_interchange_questions
from quizzes.models import Quiz


class Command(BaseCommand):
    help = "Export a quiz's questions as GIFT or Moodle XML (README: Moodle formats)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the quiz's slug")
        parser.add_argument("--format", choices=["gift", "xml"], required=True)
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        quiz = Quiz.objects.filter(slug=options["slug"]).first()
        if quiz is None:
            raise CommandError(f"No quiz with the slug {options['slug']!r}.")
        questions = quiz_interchange_questions(quiz)
        content = gift.write(questions).encode("utf-8") if options["format"] == "gift" else moodle_xml.write(questions)
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(content)
            except OSError as error:
                raise CommandError(f"Cannot write {options['output']}: {error.strerror}.") from error
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
