"""The one place that changes settings for the test suite.

Tests run the production settings with DEBUG off, so they see the real security
headers; only what would make them slow or leak between tests changes here.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-to-be-realistic")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("HTTPS", "0")

from cop_portal.settings import *  # noqa: F403

# A fast hasher: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No collectstatic before tests; whitenoise still serves from the finders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# Per-process cache; tests/conftest.py clears it between tests so that rate
# limits from one test never leak into another.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
