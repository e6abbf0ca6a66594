from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import caching, logins
        from .selectors import site
        from .reports import tallies
        from .services import versions

        # Any save or delete of public content makes the cached public reads stale, and builds the
        # site's texts anew.
        caching.connect_signals()
        # Deleting or saving a token, or saving its user, makes the token's cached user stale.
        caching.connect_token_signals()
        site.build_site_texts_with_each_version()
        # Each lockout reaches the log (axes connects its own failure counting in its ready()).
        logins.connect_signals()
        # A deleted attempt (its learner's account deleted) leaves the report tallies.
        tallies.connect_signals()
        # A fixture row that updates a question keeps the question's version.
        versions.connect_signals()
