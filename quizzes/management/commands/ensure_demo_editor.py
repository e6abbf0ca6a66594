"""Create a local demo editor for `make run`, or say how to get an editor account."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

DEMO_EDITOR_USERNAME = "editor"


class Command(BaseCommand):
    help = "With DEBUG on and QUIZSITE_DEMO_EDITOR_PASSWORD set, create or update the demo editor account."

    def handle(self, *args, **options):
        password = settings.DEMO_EDITOR_PASSWORD
        if not (settings.DEBUG and password):
            self.stdout.write(
                "Editor account: run `.venv/bin/python manage.py createsuperuser`, or start with "
                "QUIZSITE_DEMO_EDITOR_PASSWORD=<password> make run for a local demo editor "
                f"'{DEMO_EDITOR_USERNAME}' (DEBUG only)."
            )
            return
        user, created = get_user_model().objects.get_or_create(username=DEMO_EDITOR_USERNAME)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} demo editor '{DEMO_EDITOR_USERNAME}' (member of Editors); log in at /admin/.")
