"""Close attempts whose time limit ran out while nobody touched them; meant for cron."""

from django.core.management.base import BaseCommand

from quizzes.services import expire_overdue_attempts


class Command(BaseCommand):
    help = (
        "Score and close every attempt past its deadline (plus grace) from the answers saved in time. "
        "Safe to run at any frequency and in parallel with the site; run it from cron, e.g. every minute."
    )

    def handle(self, *args, **options):
        closed = expire_overdue_attempts()
        self.stdout.write(f"Expired {closed} overdue attempt(s).")
