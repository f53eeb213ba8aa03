"""Settings for Reading Room.

Every knob comes from the environment through the strict parsers below, with a safe default.
SQLite is the default database so that a fresh checkout runs with nothing else installed;
set DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/readingroom) for PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A local checkout's settings: `make` writes .env once (DEBUG=1 and a generated SECRET_KEY), so
# every manage.py command and a bare pytest work in any new shell. The real environment wins over
# it, and a deployment simply has no .env (git ignores it).
load_dotenv(os.environ.get("READINGROOM_ENV_FILE", BASE_DIR / ".env"), override=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or run `make run` once in a checkout, which writes a .env "
            "for local development)."
        )
    # Only ever used with DEBUG on: a production deployment must bring its own key.
    SECRET_KEY = "readingroom-insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "readingroom.library",
    "readingroom.entities",
    "readingroom.annotations",
    "readingroom.loginlimits",
    "readingroom.coverage",
    "readingroom.reader",
]

MIDDLEWARE = [
    # First, as django-cors-headers asks: it answers preflights itself and adds its headers to
    # every answer of the API's addresses, errors included (CORS_URLS_REGEX below).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, which answers static files itself: they get the policy too.
    "readingroom.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "readingroom.urls"
WSGI_APPLICATION = "readingroom.wsgi.application"
ASGI_APPLICATION = "readingroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'readingroom.sqlite3'}"),
        # Each server process keeps its connection between requests: opening one (and, for
        # SQLite, setting it up with the pragmas below) cost more than a live poll's own query.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the busy timeout makes a second writer
    # wait instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# Django's database sessions and ModelBackend, with the two rows every request reads fetched by
# fixed statements (readingroom/signin.py). READINGROOM_FAST_PATHS=0 reads those rows, and the
# other fixed statements (readingroom/fixedsql.py), through the ORM instead.
READINGROOM_FAST_PATHS = env_bool("READINGROOM_FAST_PATHS", True)
SESSION_ENGINE = "readingroom.signin"
AUTHENTICATION_BACKENDS = ["readingroom.signin.ModelBackend"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production; plain files while debugging and in tests.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("STATIC_PLAIN", False)
        else "readingroom.storage.StaticFilesStorage",
    },
}

# Rendered reader HTML, keyed by a digest of everything it shows (readingroom/reader/highlights.py).
# Each server process keeps its own; a few thousand documents' bodies stay well under 200 MB.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "readingroom-default"},
    "highlights": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "readingroom-highlights",
        "OPTIONS": {"MAX_ENTRIES": env_int("HIGHLIGHT_CACHE_ENTRIES", 3000)},
    },
}

# The W3C annotation container: items per AnnotationPage.
READINGROOM_ANNOTATION_PAGE_SIZE = env_int("READINGROOM_ANNOTATION_PAGE_SIZE", 1000)
# Requests a minute one API token may make to /annotations/ (then 429), counted per server process.
READINGROOM_API_REQUESTS_PER_MINUTE = env_int("READINGROOM_API_REQUESTS_PER_MINUTE", 600)
# CORS (django-cors-headers): the origins whose pages may call the annotation API, such as
# "https://tool.example.org" (comma-separated; none by default: nothing is exposed cross-origin).
# Only the Protocol's addresses and the documents' plain text that offsets count in, and never
# with cookies: a page on another origin uses an API token, so a visitor's session cannot be used.
CORS_ALLOWED_ORIGINS = env_list("READINGROOM_CORS_ORIGINS", [])
CORS_URLS_REGEX = r"^/(annotations/([0-9]+|export/(brat|webanno)\.zip)?|documents/[0-9]+\.txt)$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "if-match", "if-none-match", "prefer"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Location",
    "Content-Location",
    "Link",
    "Allow",
    "Accept-Post",
    "Preference-Applied",
    "Retry-After",
    "WWW-Authenticate",
]

# Importing: a file larger than this is refused with a message instead of being read.
READINGROOM_MAX_IMPORT_BYTES = env_int("READINGROOM_MAX_IMPORT_BYTES", 5 * 1024 * 1024)

# Search: the time one search's database work may take (then 503 with a message), and searches a
# minute per address when signed out and per account when signed in (then 429). Counted in the
# default cache: each server process counts on its own.
READINGROOM_SEARCH_SECONDS = env_int("READINGROOM_SEARCH_SECONDS", 2)
READINGROOM_SEARCHES_PER_MINUTE = env_int("READINGROOM_SEARCHES_PER_MINUTE", 20)
READINGROOM_SEARCHES_PER_MINUTE_SIGNED_IN = env_int("READINGROOM_SEARCHES_PER_MINUTE_SIGNED_IN", 120)
# Accounts that can be made from one network (an IPv4 address or an IPv6 /64) in an hour.
READINGROOM_SIGNUPS_PER_HOUR = env_int("READINGROOM_SIGNUPS_PER_HOUR", 10)
# Background jobs (imports) through Django's tasks API: stored in the database, run by
# `manage.py db_worker` (make run starts one beside the server). READINGROOM_TASKS_IMMEDIATE=1
# runs each job in the process that queues it instead (no worker needed; a request then waits).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("READINGROOM_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# Fetching pages and feeds: seconds a fetch may take, and whether private and loopback addresses
# may be fetched (off: only public web addresses; see readingroom/library/fetching.py).
READINGROOM_FETCH_SECONDS = env_int("READINGROOM_FETCH_SECONDS", 15)
READINGROOM_FETCH_PRIVATE = env_bool("READINGROOM_FETCH_PRIVATE", False)
# Files a job reads, runs the model over and stores per batch.
READINGROOM_IMPORT_BATCH = env_int("READINGROOM_IMPORT_BATCH", 50)
# Processes that run the entity model over a big import batch; 0 means one per core, at most four.
READINGROOM_EXTRACTION_PROCESSES = env_int("READINGROOM_EXTRACTION_PROCESSES", 0)
# An import of more than one batch: the model reads the next batch in a process of its own while
# the last one is stored (readingroom/reader/ingest.py, ModelAhead).
READINGROOM_IMPORT_PIPELINE = env_bool("READINGROOM_IMPORT_PIPELINE", True)

# Email, for password-reset links. Without EMAIL_HOST nothing is sent: while debugging messages
# are printed to the console instead, and in production the reset page says to ask an admin.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# A mail server that does not answer must not hold a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "reading-room@localhost")
if not EMAIL_HOST and DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
READINGROOM_EMAIL_ENABLED = bool(EMAIL_HOST) or DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy in production: redirect to HTTPS and keep browsers on it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Including subdomains in HSTS and asking for preloading bind the whole domain, not just this
# app: the deployer's decision (the variables above), not a warning on every deploy check.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
