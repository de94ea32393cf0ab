"""The one place that changes settings for the test suite.

Tests run the production settings with DEBUG off, so they see the real security
headers and the same database cache; only what would make them slow changes here.
Cache rows (allauth's rate-limit counters) live in the test database, so they are
rolled back with everything else after each test.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-to-be-realistic")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("HTTPS", "0")
# The database cache rolls back with each test; a shared Redis would not.
os.environ.pop("REDIS_URL", None)
# Tasks run inside the request that enqueues them (after its commit): the tests see the
# emails in mail.outbox. tests/cop_portal/mail/test_workers.py runs the real workers.
os.environ.setdefault("TASKS_BACKEND", "immediate")

from cop_portal.settings import *  # noqa: F403

# A fast hasher: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No collectstatic before tests; whitenoise still serves from the finders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# This run's own content version, so that test runs side by side don't change each other's.
CACHES["content_version"]["LOCATION"] = os.path.join(  # noqa: F405
    tempfile.gettempdir(), f"cop_portal_test_content_version_{os.getpid()}"
)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's in-memory default: tests with threads need SQLite's real
    # locking (IMMEDIATE, WAL, busy timeout). Threads share an in-memory database through
    # shared cache, whose table locks fail at once with "database table is locked".
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"cop_portal_test_{os.getpid()}.sqlite3")
    }
