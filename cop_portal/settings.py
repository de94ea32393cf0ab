"""CoP Portal settings.

Every value an operator may change comes from an environment variable listed in
the README. With none set, the portal runs on SQLite with DEBUG off, which
refuses to start without SECRET_KEY; `make run` turns DEBUG on for local use.
"""

import sys
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from cop_portal.lib.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_json_object,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError(
            "SECRET_KEY is not set. Set it to a long random string, "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigurationError(
        "ALLOWED_HOSTS is not set. List the host names the portal answers to, "
        "separated by commas (for example: cop.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = "CoP Portal"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ConfigurationError(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")

INSTALLED_APPS = [
    "cop_portal",
    "cop_portal.mail",
    "members",
    "practice_library",
    "sessions_app",
    # Before the admin, so that its forms show each language's column.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "recurrence",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before SessionMiddleware: see cop_portal.lib.private_pages.
    "cop_portal.lib.private_pages.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in member's own choice of language comes first.
    "cop_portal.lib.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cop_portal.lib.recent_login.RecentLoginMiddleware",
]

ROOT_URLCONF = "cop_portal.urls"
WSGI_APPLICATION = "cop_portal.wsgi.application"

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
                "cop_portal.lib.context_processors.site",
                "practice_library.context_processors.open_reports",
                "cop_portal.lib.page_cache.csrf_placeholder_context",
                "cop_portal.lib.fragments.fragment_version_context",
            ],
            # {{ x|markdown }} and {{ moment|iso }} in every template without {% load %}.
            # {% translate %} and {{ moment|date_as:"WEEKDAY_DAY" }} likewise.
            "builtins": [
                "cop_portal.templatetags.text",
                "cop_portal.templatetags.dates",
                "django.templatetags.i18n",
            ],
        },
    },
]

# Every form's labels without a colon after them (cop_portal/lib/forms.py).
FORM_RENDERER = "cop_portal.lib.forms.FormRenderer"

# Database -----------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so concurrent
    # writers queue behind the busy timeout instead of failing mid-way with
    # "database is locked"; WAL lets readers carry on while one writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every worker and every app server, so that rate limits hold
# across processes and machines. Redis when REDIS_URL is set, else a database table.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "cop"),
        }
    }
    # Log-in sessions are read from Redis and written through to the database, so a
    # Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cop_portal_cache",
        }
    }
# Built public calendar feeds, keyed by their ETag: an entry can never be stale, so
# each worker keeps its own in memory and nothing is shared or stored on disk.
CACHES["feeds"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "cop-portal-feeds",
    "OPTIONS": {"MAX_ENTRIES": 64},
}
# Public pages as visitors see them (cop_portal.lib.page_cache), in each worker's memory,
# kept under a content version that every worker reads: Redis with REDIS_URL, else a
# file cache that the workers of one server share. PAGE_CACHE_SECONDS=0 turns it off, as
# DEBUG does by default, so that a template being edited shows at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 60)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "cop-portal-pages",
    "OPTIONS": {"MAX_ENTRIES": 500},
}
# Parts of members' pages that every viewer sees alike (an activity's guide, a post's
# replies, a list of session cards), kept in each worker's memory by Django's
# {% cache %} tag under `fragment_version` (content version + language; see
# cop_portal.lib.fragments): the member's own bits are rendered around them.
# With DEBUG nothing is kept, as for visitors' pages, so that an edited template shows.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "cop-portal-fragments",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
if DEBUG and not env_bool("KEEP_FRAGMENTS", default=False):
    CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
if REDIS_URL:
    CACHES["content_version"] = {**CACHES["default"]}
else:
    CACHES["content_version"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str(
            "CONTENT_VERSION_DIR", str(Path(tempfile.gettempdir()) / "cop-portal-content-version")
        ),
    }

# Accounts -----------------------------------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.signup.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Changing the email address or the password, and deleting the account, ask for the
# password again unless it was confirmed in the last 5 minutes: allauth checks every
# email change, cop_portal.lib.recent_login the opening of both pages.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_RATE_LIMITS = {
    # Per IP and per address, so that nobody can flood an inbox or guess codes.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "request_login_code": "20/m/ip,3/m/key",
}

# Rate limits, as "count/period" ("20/h", "5/m", "3/10m", "30/d"), counted atomically
# (cop_portal.mail.limits). Guest RSVPs (no account): per IP and per address typed.
# Behind a proxy, see TRUSTED_PROXY_COUNT for how the client's IP is found.
RSVP_GUEST_RATE_PER_IP = env_str("RSVP_GUEST_RATE_PER_IP", "20/h")
RSVP_GUEST_RATE_PER_EMAIL = env_str("RSVP_GUEST_RATE_PER_EMAIL", "10/h")
RATELIMIT_IP_META_KEY = "cop_portal.lib.client_ip.client_ip"  # see TRUSTED_PROXY_COUNT
# Outgoing mail (cop_portal.mail.limits), counted atomically in Redis or the database.
# Emails to one address that anyone's action may trigger (RSVPs, links, sign-up, log-in
# codes, password resets, replies, visit requests); more are dropped and logged.
MAIL_RATE_PER_RECIPIENT = env_str("MAIL_RATE_PER_RECIPIENT", "20/h")
# Emails to one address from organizers and the schedule (session changed or cancelled,
# promotions, reminders, announcements): a budget of their own that floods can't use up.
MAIL_RATE_PER_RECIPIENT_NOTICES = env_str("MAIL_RATE_PER_RECIPIENT_NOTICES", "60/h")
# Mail-sending actions (reply, visit request, report, RSVP change) per member or per IP,
# each action counted apart; more get a 429.
MAIL_RATE_PER_SENDER = env_str("MAIL_RATE_PER_SENDER", "30/h")
# Account emails (sign-up, log-in code, password reset, email change) per member or IP;
# higher, as a whole room may sign up over one Wi-Fi address.
MAIL_RATE_PER_SENDER_ACCOUNT = env_str("MAIL_RATE_PER_SENDER_ACCOUNT", "60/h")
# Organizer actions that email attendees or subscribers (publishing, a session's edit,
# cancelling, publishing a series), per organizer; more get a 429.
MAIL_RATE_PER_ORGANIZER = env_str("MAIL_RATE_PER_ORGANIZER", "60/h")
# A person's own RSVP changes send one email per RSVP in this many seconds; the others
# are skipped (the page shows the current state).
RSVP_EMAIL_COALESCE_SECONDS = env_int("RSVP_EMAIL_COALESCE_SECONDS", 300)
# Self check-in at the door (QR code): POSTs per IP. Everyone in the room may share
# one Wi-Fi address, so keep it above the room's size.
SELF_CHECK_IN_RATE = env_str("SELF_CHECK_IN_RATE", "60/h")
# Check-in opens this many hours before a session starts: the door list's buttons and the
# QR code's self check-in (which closes two hours after the end).
CHECK_IN_OPENS_BEFORE_HOURS = env_int("CHECK_IN_OPENS_BEFORE_HOURS", 3)

# Background work ------------------------------------------------------------
# Django's Tasks API (the django-tasks backport of django.tasks). "database" keeps tasks
# in the app's own database, run by `manage.py db_worker`; "rq" keeps them in Redis, run
# by `manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job` on any number
# of servers; "immediate" runs each task inside the request (the tests). Default: rq
# when REDIS_URL is set, else database.
TASKS_BACKEND = env_str("TASKS_BACKEND", "rq" if REDIS_URL else "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ConfigurationError(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ConfigurationError("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}

# Outgoing mail goes through the outbox (cop_portal.mail): written with the change that
# caused it, delivered by the worker. A message the mail server won't take is tried
# again with growing pauses (1 minute up to 12 hours) for MAIL_RETRY_HOURS, then marked
# failed and listed for organizers.
MAIL_RETRY_HOURS = env_int("MAIL_RETRY_HOURS", 24)
# Messages a worker takes at once (one SMTP connection), and how long it may hold them
# before another worker takes them back (a worker killed mid-batch).
MAIL_BATCH_SIZE = env_int("MAIL_BATCH_SIZE", 100)
MAIL_LEASE_SECONDS = env_int("MAIL_LEASE_SECONDS", 300)
# The worker's periodic round (retries, reminders, a stalled fan-out, pruning).
MAIL_BEAT_SECONDS = env_int("MAIL_BEAT_SECONDS", 60)
# Sent and skipped emails, and finished tasks, are pruned after this many days; failed
# emails stay until an organizer retries or an operator prunes them.
MAIL_KEEP_DAYS = env_int("MAIL_KEEP_DAYS", 30)
TASKS_KEEP_DAYS = env_int("TASKS_KEEP_DAYS", 7)

# Internationalisation and time ---------------------------------------------

LANGUAGE_CODE = "en"
# The portal's languages. Adding one: README, "Adding a language".
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers as each language writes them (cop_portal/formats/<lang>/),
# with the portal's own named formats beside Django's (cop_portal.lib.dates).
FORMAT_MODULE_PATH = ["cop_portal.formats"]
# A session's title, topic and agenda, and the activity guides, are given in each
# language (translation.py in each app); a missing one falls back to the other.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "es")}
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# Static files ---------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (library attachments) go through STORAGES["default"]: files under MEDIA_ROOT
# unless FILE_STORAGE names another backend, e.g. django-storages' S3 storage for several
# app servers, with its options as JSON in FILE_STORAGE_OPTIONS.
STORAGES = {
    "default": {
        "BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json_object("FILE_STORAGE_OPTIONS"),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # No collectstatic step while developing.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Practice library attachments: the largest file a member may upload.
LIBRARY_MAX_UPLOAD_BYTES = env_int("LIBRARY_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MEDIA_URL = "media/"

# Email --------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent_emails"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CoP Portal <cop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigurationError("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")

# Security -----------------------------------------------------------------

# HTTPS is on by default in production; HTTPS=0 allows a local DEBUG=0 run.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind reverse proxies of ours, where the client's address is (cop_portal.lib.client_ip):
# TRUSTED_PROXY_COUNT proxies each append to X-Forwarded-For, or the nearest one sets
# TRUSTED_CLIENT_IP_HEADER (e.g. X-Real-IP). Every rate limit per IP reads it that way:
# allauth's through its two settings below, django-ratelimit's through
# RATELIMIT_IP_META_KEY.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER")
# The older way to name the header, still read: RATELIMIT_IP_META_KEY=HTTP_X_REAL_IP.
_ip_meta_key = env_str("RATELIMIT_IP_META_KEY") or "REMOTE_ADDR"
if _ip_meta_key != "REMOTE_ADDR" and not TRUSTED_CLIENT_IP_HEADER:
    if not _ip_meta_key.startswith("HTTP_") or _ip_meta_key == "HTTP_X_FORWARDED_FOR":
        raise ConfigurationError(
            f"RATELIMIT_IP_META_KEY={_ip_meta_key} is not read any more. Set "
            "TRUSTED_PROXY_COUNT to the number of your proxies that append to "
            "X-Forwarded-For, or TRUSTED_CLIENT_IP_HEADER to the header your proxy sets."
        )
    TRUSTED_CLIENT_IP_HEADER = _ip_meta_key.removeprefix("HTTP_").replace("_", "-")
if TRUSTED_PROXY_COUNT < 0:
    raise ConfigurationError("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT and TRUSTED_CLIENT_IP_HEADER:
    raise ConfigurationError("Set TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER, not both.")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure,
    # host-only and for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Logging: everything to stdout, where the process manager collects it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": sys.stdout, "formatter": "plain"},
    },
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
