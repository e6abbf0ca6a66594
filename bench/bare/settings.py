"""A bare Django app: the framework's own ceiling on this machine, with none of the project around it.

Only SecurityMiddleware and CommonMiddleware, no database, no sessions, no templates: what every
scenario of the project is compared with (bench/run.py starts it as a process of its own under the
same gunicorn settings).
"""

import os

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "bench-bare-app-only")  # nosec B105 - serves constant JSON
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "bench.bare.urls"
DATABASES = {}
USE_TZ = True
