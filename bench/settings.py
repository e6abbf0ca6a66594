"""Production settings plus one bench-only URL: the framework's ceiling on this machine.

The harness serves the whole application with these settings, so the ceiling view runs behind the
same middleware, workers and database as the scenarios it is compared with, while the production
URL conf never carries it.
"""

from quizsite.settings import *  # noqa: F403 - the same settings, one URL conf more

ROOT_URLCONF = "bench.urls"

# The bench collects static files for itself, so a run never rewrites the tree's staticfiles/ under
# a server or test run that is reading it.
STATIC_ROOT = BASE_DIR / "bench" / ".static"  # noqa: F405
