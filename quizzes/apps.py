from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import caching, logins
        from .reports import tallies

        # Any save or delete of public content makes the cached public reads stale.
        caching.connect_signals()
        # Each lockout reaches the log (axes connects its own failure counting in its ready()).
        logins.connect_signals()
        # A deleted attempt (its learner's account deleted) leaves the report tallies.
        tallies.connect_signals()
