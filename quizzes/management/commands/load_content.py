"""Load the shipped content into a database that lacks it; overwrite editors' changes only when asked."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.content_loading import load_missing_content, overwrite_content, plan_content_load, shipped_fixture_files


class Command(BaseCommand):
    help = (
        "Load the shipped quizzes, sources and topics (fixtures/) that the database does not have yet; "
        "quizzes already there are left as editors made them. With --overwrite, restore every shipped "
        "quiz to its fixture, after listing what that overwrites and asking."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", help="fixture files (default: every file in fixtures/)")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace what editors changed in shipped quizzes, sources and topics with the fixtures",
        )
        parser.add_argument("--yes", action="store_true", help="with --overwrite: do not ask for confirmation")

    def handle(self, *args, **options):
        paths = [Path(name) for name in options["fixtures"]] or shipped_fixture_files()
        missing_files = [str(path) for path in paths if not path.is_file()]
        if missing_files:
            raise CommandError(f"No such fixture file: {', '.join(missing_files)}")
        if options["overwrite"]:
            self._overwrite(paths, confirmed=options["yes"])
        else:
            plan = load_missing_content(paths)
            self._report("Loaded", plan.missing)
            self._report("Skipped (already in the database, kept as editors left it)", plan.present)

    def _overwrite(self, paths, *, confirmed):
        plan = plan_content_load(paths)
        if plan.present:
            self._report("Will overwrite with the shipped version (editors' changes to them are lost)", plan.present)
            if not confirmed and not self._confirm():
                raise CommandError("Nothing changed.")
        plan = overwrite_content(paths)
        self._report("Loaded", plan.missing)
        self._report("Overwritten", plan.present)

    def _confirm(self):
        try:
            answer = input("Type 'yes' to overwrite them: ")
        except EOFError:
            # No terminal to ask (cron, CI): refusing is the safe answer; --yes says it explicitly.
            return False
        return answer.strip().lower() == "yes"

    def _report(self, heading, units):
        if units:
            self.stdout.write(f"{heading} ({len(units)}): {', '.join(map(str, units))}")
