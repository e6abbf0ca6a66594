"""Recount the report tallies of quizzes from their closed attempts (after a restore, or to check them)."""

from django.core.management.base import BaseCommand, CommandError

from quizzes.models import Quiz
from quizzes.reports import tallies


class Command(BaseCommand):
    help = "Recount the report tallies of the given quizzes (by slug), or of every quiz, from their closed attempts."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Quiz slugs (default: every quiz).")

    def handle(self, *args, slugs, **options):
        quizzes = Quiz.objects.order_by("pk")
        if slugs:
            quizzes = quizzes.filter(slug__in=slugs)
            missing = set(slugs) - set(quizzes.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No quiz with the slug {', '.join(sorted(missing))}.")
        for quiz_id, slug in quizzes.values_list("pk", "slug"):
            counted = tallies.rebuild(quiz_id=quiz_id)
            self.stdout.write(f"{slug}: {counted} closed attempts counted")
