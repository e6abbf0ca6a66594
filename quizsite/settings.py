"""Settings for quizsite.

Everything that differs between a laptop and production comes from the environment, read here and
nowhere else. With no environment at all this is a local development server on SQLite.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_flag(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = _env_flag("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Only ever used by a local development server.
    SECRET_KEY = "django-insecure-local-development-only"  # nosec B105

ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# A local demo editor account for `make run`; created only with DEBUG on and a password given.
DEMO_EDITOR_PASSWORD = os.environ.get("QUIZSITE_DEMO_EDITOR_PASSWORD", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally: the docs work offline
    "axes",  # failed-login lockouts: settings under "Failed logins" below
    "quizzes",
]

MIDDLEWARE = [
    # First, so every response (redirects and errors included) and every log line carries the id.
    "quizzes.middleware.RequestIdMiddleware",
    "quizzes.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY below).
    "quizzes.content_security.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "quizzes.middleware.DatabaseBusyMiddleware",
    # Last, as axes asks: its 429 for a locked login then passes every other middleware's response
    # step (security headers, X-Frame-Options, the request id, the visitor's language).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quizsite.urls"
# A JSON 403 for the API, Django's page elsewhere.
CSRF_FAILURE_VIEW = "quizzes.error_views.csrf_failure"
WSGI_APPLICATION = "quizsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quizzes.web.context_processors.site_texts",
            ],
        },
    },
    # The attempt and progress pages' loops, faster in Jinja2 (quizzes/web/jinja2_environment.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "quizzes.web.jinja2_environment.environment", "extensions": ["jinja2.ext.i18n"]},
    },
]

# SQLite is the zero-setup default. IMMEDIATE transactions, WAL and a busy timeout make parallel
# writers queue up instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # Opening a connection runs the PRAGMAs above, which under load costs more than a cached read
    # (bench/: quiz list 0.24 of the ceiling per-request, 0.73 persistent), so production keeps
    # connections. With DEBUG (development, tests) they close per request: persistent ones would
    # outlive test databases.
    if DEBUG:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not :memory:, so threads in concurrency tests share one database with real locking.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("QUIZSITE_TEST_DATABASE") or str(BASE_DIR / ".test-db.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state lives in the database or Redis, never in one process's memory, so any number of
# processes and machines agree on cache entries, sessions and throttle counters (the public copy
# below only mirrors shared public entries, for a few seconds).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # The cache is an optimisation: while Redis is unreachable every cache call behaves as a miss
    # (logged), reads are built from the database, and throttle counters fail open (README,
    # "Operations: what survives an outage"). Short socket timeouts keep a hung Redis from holding up every request.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "quizsite",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions are written to the database and read through Redis: a Redis restart or eviction logs
    # nobody out and keeps every guest's attempts.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Django's default of 300 entries fits a handful of learners: each one's starts, submits and review
    # answers leave throttle counters and cached reads, and a full table culls a third of its keys in
    # key order, the shared content (":1:quizzes:...") first, so once a class uses the site every
    # write rebuilt what every visitor reads. The per-write count of the table costs about 24 µs at
    # 50 000 rows on SQLite (0.005 ms at 300); a cull deletes the expired rows first.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "quizsite_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A small per-process copy of the public reads (the catalogue and quiz detail for visitors without
# credentials) in front of the shared cache, so a hit costs no round trip. Its entries live at most
# PUBLIC_COPY_SECONDS: an editor's change shows at once in the process that saved it and within that
# many seconds in every other. Never attempts, results, sessions or anything of one visitor's.
PUBLIC_COPY_SECONDS = int(os.environ.get("QUIZSITE_PUBLIC_COPY_SECONDS", "5"))
CACHES["public-copy"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "quizsite-public-copy",
    "TIMEOUT": PUBLIC_COPY_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset links go by email: over SMTP from DJANGO_EMAIL_HOST (with _PORT, _USER, _PASSWORD,
# _USE_TLS) and DJANGO_DEFAULT_FROM_EMAIL. Without a host they are printed to stdout in development,
# and dropped in production: a reset link in the log would let anyone who reads it into the account.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "quizsite <noreply@localhost>")
EMAIL_TIMEOUT = 10

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "quizzes" / "locale"]
FORMAT_MODULE_PATH = ["quizsite.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Request bodies beyond this are refused before any view runs; a full attempt is a few KB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Trusted reverse proxies in front (nginx: 1), for the client's address in the throttles and the login
# lock (quizzes/addresses.py). 0 means REMOTE_ADDR is the client: believing any X-Forwarded-For a
# client sends would let it dodge the limits by varying it.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_NUM_PROXIES", "0"))

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing login a 401, not a 403. DRF's token
    # authentication with the token's user read through the shared cache (quizzes/caching/tokens.py).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "quizzes.api.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    # DRF's parser, but bodies over DATA_UPLOAD_MAX_MEMORY_SIZE, too deeply nested or with lone
    # surrogates are a 4xx, not a silent success or a 500.
    "DEFAULT_PARSER_CLASSES": ["quizzes.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "quizzes.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "quizzes.api.errors.exception_handler",
    # DRF's own client-address rule is replaced by quizzes.addresses (TRUSTED_PROXY_COUNT below) in
    # every throttle; set alike for any DRF code that still reads it.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "register": os.environ.get("QUIZSITE_THROTTLE_REGISTER", "20/hour"),
        "password_reset": os.environ.get("QUIZSITE_THROTTLE_PASSWORD_RESET", "10/hour"),
        "token": os.environ.get("QUIZSITE_THROTTLE_TOKEN", "30/minute"),
        "start": os.environ.get("QUIZSITE_THROTTLE_START", "60/minute"),
        "submit": os.environ.get("QUIZSITE_THROTTLE_SUBMIT", "60/minute"),
        "interchange": os.environ.get("QUIZSITE_THROTTLE_INTERCHANGE", "30/minute"),
        # A learner answers a review question every few seconds at most; twice a second is a script.
        "review": os.environ.get("QUIZSITE_THROTTLE_REVIEW", "120/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "quizsite API",
    "DESCRIPTION": """Sourced multiple-choice quizzes about news stories: take quizzes, submit attempts,
read explained and cited results.

**Quick start with curl** (`$API` is this server's `/api/v1`):

1. `curl -X POST $API/auth/register/ -H 'Content-Type: application/json'
   -d '{"username": "ada", "password": "a long passphrase"}'` gives `{"token": ...}`; later,
   `POST $API/auth/token/` with the same body gives it again. Send it as `Authorization: Token <token>`.
2. `GET $API/quizzes/?language=en` lists quizzes (no account needed); pick a `slug`.
3. `POST $API/quizzes/<slug>/attempts/` starts an attempt: its `id` and its `questions` with choice ids.
4. `PUT $API/attempts/<id>/answers/<question id>/` with `{"choices": [<choice id>]}` saves an answer.
5. `POST $API/attempts/<id>/submit/` (optionally `{"answers": [{"question": id, "choices": [ids]}]}`)
   scores it and returns the result: score, percent, passed, and per question what you selected, what is
   correct, the explanation and the quotes from the sources. `GET $API/attempts/<id>/` shows it again.
6. `GET $API/me/review/` lists the questions due for spaced review across quizzes (FSRS);
   `POST $API/me/review/<question id>/` with `{"choices": [<choice id>]}` grades one at once, explains it
   and says when it is next due.

Saving an answer and spaced review also accept a guest's browser session (the pages' own), with its CSRF token.
Nothing per question is shown before the quiz's answer visibility allows it: until then `score`, `correct`,
`explanation`, `feedback` and `citations` of each result are null.

Errors are `{"detail": "..."}` or field errors: 400 invalid input (nothing is saved), 401 no token (or
session), 403 not allowed (or no attempts left, or a guest's request without its CSRF token), 404 not found
(also someone else's attempt), 409 already submitted or past the time limit, 429 too many requests or a
locked login, 503 with Retry-After when the database is busy or unreachable.""",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Failed logins (browser, admin and API token) allowed within the lockout length before logins,
# the right password included, are refused with 429: per username (however spelled, from any
# address) against guessing one password, per address against trying many usernames. django-axes
# counts them in the database; quizzes/logins.py holds what we add to it.
QUIZSITE_LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("QUIZSITE_LOGIN_FAILURES_PER_USERNAME", "5"))
QUIZSITE_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("QUIZSITE_LOGIN_FAILURES_PER_ADDRESS", "30"))
QUIZSITE_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("QUIZSITE_LOGIN_LOCKOUT_SECONDS", "900"))
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked login before any password is checked.
    "quizzes.logins.LoginLockBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "quizzes.logins.LoginFailureHandler"  # the database, plus the per-address limit
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "quizzes.logins.username_tried"
AXES_CLIENT_IP_CALLABLE = "quizzes.addresses.client_address"
AXES_FAILURE_LIMIT = "quizzes.logins.failures_allowed_per_username"
AXES_COOLOFF_TIME = "quizzes.logins.lockout_length"
AXES_LOCKOUT_CALLABLE = "quizzes.logins.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A refused login does not restart the lock, so it ends on time for the account's owner too.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# No table of every successful login (addresses kept forever); failures are what is needed.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner in every process's stdout (it would mix into management commands' output).
AXES_VERBOSE = False

# How long after a deadline an answer still counts: covers network latency, not extra time.
QUIZSITE_DEADLINE_GRACE_SECONDS = int(os.environ.get("QUIZSITE_DEADLINE_GRACE_SECONDS", "5"))

# Production hardening. SSL redirect can be switched off when a TLS proxy in front does it.
SECURE_SSL_REDIRECT = _env_flag("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Switching the redirect off says a TLS proxy in front redirects plain HTTP, so the deploy check's
# warning about it does not apply.
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT or DEBUG else ["security.W008"]
# axes warns when its lockout parameters leave out the address, as rotating user agents or cookies
# could then dodge a lock; ours counts per username whatever else varies, and quizzes/logins.py adds
# the per-address limit (with its own, higher limit, which axes' parameters cannot express).
SILENCED_SYSTEM_CHECKS += ["axes.W006"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Browser hardening. Our pages load scripts and styles from our own static files only (no inline
# script, style or handler), so nothing inline runs even if markup were ever injected. The API docs
# use drf-spectacular's split view, which serves Swagger UI's start script as a file too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Swagger UI's and the admin's stylesheets draw their icons as data: URIs.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Scripts read the CSRF token from the form's hidden input, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One JSON object per line on stdout, each with the id of the request it belongs to.
    "filters": {"request_id": {"()": "quizzes.logs.RequestIdLogFilter"}},
    "formatters": {"structured": {"()": "quizzes.logs.JsonLogFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "structured",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
