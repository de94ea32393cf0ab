"""Settings come from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 60 + "-a-very-long-and-random-production-secret",
    "ALLOWED_HOSTS": "cop.example.org",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "db.sqlite3"),
}


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in _SETTING_NAMES}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "cop_portal.settings"
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


_SETTING_NAMES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "SITE_URL",
    "TIME_ZONE",
    "HTTPS",
    "EMAIL_BACKEND",
    "DEFAULT_FROM_EMAIL",
    "CACHE_KEY_PREFIX",
    "STATIC_ROOT",
    "FILE_STORAGE",
    "FILE_STORAGE_OPTIONS",
    "PAGE_CACHE_SECONDS",
    "CONTENT_VERSION_DIR",
    "TRUSTED_PROXY_COUNT",
    "TRUSTED_CLIENT_IP_HEADER",
    "RATELIMIT_IP_META_KEY",
}

READ_SETTINGS = """
import json
from django.conf import settings
names = {names!r}
print(json.dumps({{name: getattr(settings, name) for name in names}}, default=str))
"""


def _settings(env: dict[str, str], *names: str) -> dict:
    result = _run(READ_SETTINGS.format(names=list(names)), env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_missing_secret_key_with_debug_off_is_a_one_line_error():
    result = _run("import django; django.setup()", {"ALLOWED_HOSTS": "cop.example.org"})

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set. Set it to a long random string, "
        "or set DEBUG=1 for local development."
    ]
    assert "Traceback" not in result.stderr


def test_missing_allowed_hosts_with_debug_off_is_a_one_line_error():
    result = _run("import django; django.setup()", {"SECRET_KEY": "s" * 50})

    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: ALLOWED_HOSTS is not set.")
    assert "Traceback" not in result.stderr


def test_unreadable_boolean_is_a_one_line_error():
    result = _run("import django; django.setup()", {"DEBUG": "maybe"})

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Configuration error: DEBUG must be one of 1/0, true/false, yes/no or on/off, not 'maybe'."
    )


def test_defaults_for_local_development():
    values = _settings(
        {"DEBUG": "1"}, "DEBUG", "TIME_ZONE", "DATABASES", "CACHES", "HTTPS", "SITE_URL"
    )

    assert values["DEBUG"] is True
    assert values["TIME_ZONE"] == "America/New_York"
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].endswith("db.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20
    assert values["CACHES"]["default"]["BACKEND"] == ("django.core.cache.backends.db.DatabaseCache")
    assert values["HTTPS"] is False
    assert values["SITE_URL"] == "http://127.0.0.1:8000"


def test_without_redis_sessions_and_uploads_use_the_database_and_media_root():
    values = _settings({"DEBUG": "1"}, "SESSION_ENGINE", "STORAGES", "MEDIA_ROOT")

    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {},
    }
    assert values["MEDIA_ROOT"].endswith("media")


def test_kept_pages_are_off_while_developing_and_on_in_production(tmp_path):
    debug = _settings({"DEBUG": "1"}, "PAGE_CACHE_SECONDS", "CACHES")
    production = _settings(
        {**PRODUCTION_ENV, "CONTENT_VERSION_DIR": str(tmp_path)}, "PAGE_CACHE_SECONDS", "CACHES"
    )

    assert debug["PAGE_CACHE_SECONDS"] == 0
    assert production["PAGE_CACHE_SECONDS"] == 60
    assert production["CACHES"]["pages"]["BACKEND"].endswith("LocMemCache")
    assert production["CACHES"]["content_version"] == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path),
    }


def test_with_redis_every_server_shares_the_content_version():
    values = _settings({**PRODUCTION_ENV, "REDIS_URL": "redis://cache.internal:6379/1"}, "CACHES")

    assert values["CACHES"]["content_version"] == values["CACHES"]["default"]
    assert values["CACHES"]["content_version"]["LOCATION"] == "redis://cache.internal:6379/1"


def test_uploads_can_go_to_another_storage_backend_for_several_app_servers():
    env = {
        **PRODUCTION_ENV,
        "FILE_STORAGE": "storages.backends.s3.S3Storage",
        "FILE_STORAGE_OPTIONS": '{"bucket_name": "cop-files", "querystring_auth": true}',
        "STATIC_ROOT": "/srv/cop/static",
    }
    values = _settings(env, "STORAGES", "STATIC_ROOT")

    assert values["STORAGES"]["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "cop-files", "querystring_auth": True},
    }
    assert values["STATIC_ROOT"] == "/srv/cop/static"


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"bucket"'])
def test_storage_options_that_are_not_a_json_object_are_a_one_line_error(raw):
    result = _run("import django; django.setup()", {**PRODUCTION_ENV, "FILE_STORAGE_OPTIONS": raw})

    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Configuration error: FILE_STORAGE_OPTIONS must be a JSON object such as {"key": "value"}.'
    )


def test_production_values_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "ALLOWED_HOSTS": "cop.example.org, www.cop.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://cop.example.org",
        "DATABASE_URL": "postgres://cop:pw@db.internal:5432/cop",
        "REDIS_URL": "redis://cache.internal:6379/1",
        "SITE_URL": "https://cop.example.org/",
        "TIME_ZONE": "America/Chicago",
        "DEFAULT_FROM_EMAIL": "CoP <cop@example.org>",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    values = _settings(
        env,
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASES",
        "CACHES",
        "SITE_URL",
        "TIME_ZONE",
        "DEFAULT_FROM_EMAIL",
        "EMAIL_BACKEND",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SESSION_ENGINE",
    )

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["cop.example.org", "www.cop.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://cop.example.org"]
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db.internal", "cop", "cop")
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
        "KEY_PREFIX": "cop",
    }
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert values["SITE_URL"] == "https://cop.example.org"
    assert values["TIME_ZONE"] == "America/Chicago"
    assert values["DEFAULT_FROM_EMAIL"] == "CoP <cop@example.org>"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True


def test_https_can_be_switched_off_for_a_local_production_like_run():
    values = _settings(
        {**PRODUCTION_ENV, "HTTPS": "0"},
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
    )

    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_NAME": "sessionid",
    }


@pytest.mark.parametrize("site_url", ["cop.example.org", "ftp://cop.example.org"])
def test_site_url_without_http_scheme_is_refused(site_url):
    result = _run("import django; django.setup()", {**PRODUCTION_ENV, "SITE_URL": site_url})

    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: SITE_URL must start with http")


def test_check_deploy_is_clean_under_production_settings():
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = _run(code, PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# The client's address behind proxies: one setting, read by allauth and django-ratelimit

READ_CLIENT_IP_SETTINGS = """
import json
import django
django.setup()
from allauth import app_settings as allauth_settings
from django.conf import settings
print(json.dumps({
    "count": settings.TRUSTED_PROXY_COUNT,
    "header": settings.TRUSTED_CLIENT_IP_HEADER,
    "allauth": [allauth_settings.TRUSTED_PROXY_COUNT, allauth_settings.TRUSTED_CLIENT_IP_HEADER],
    "ratelimit": settings.RATELIMIT_IP_META_KEY,
}))
"""


def _client_ip_settings(env: dict[str, str]) -> dict:
    result = _run(READ_CLIENT_IP_SETTINGS, {"DEBUG": "1", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_proxy_settings_the_peer_is_the_client():
    assert _client_ip_settings({}) == {
        "count": 0,
        "header": "",
        "allauth": [0, None],
        "ratelimit": "cop_portal.lib.client_ip.client_ip",
    }


def test_the_proxy_count_goes_to_both_libraries():
    values = _client_ip_settings({"TRUSTED_PROXY_COUNT": "2"})

    assert values["count"] == 2
    assert values["allauth"] == [2, None]
    assert values["ratelimit"] == "cop_portal.lib.client_ip.client_ip"


def test_the_client_ip_header_goes_to_both_libraries():
    values = _client_ip_settings({"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"})

    assert values["header"] == "X-Real-IP"
    assert values["allauth"] == [0, "X-Real-IP"]
    assert values["ratelimit"] == "cop_portal.lib.client_ip.client_ip"


def test_the_old_ratelimit_meta_key_still_names_the_header():
    values = _client_ip_settings({"RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP"})

    assert values["header"] == "X-REAL-IP"
    assert values["allauth"] == [0, "X-REAL-IP"]
    assert values["ratelimit"] == "cop_portal.lib.client_ip.client_ip"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"TRUSTED_PROXY_COUNT": "1", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
            "Set TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER, not both.",
        ),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more."),
        ({"TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT must be a whole number"),
        (
            {"RATELIMIT_IP_META_KEY": "HTTP_X_FORWARDED_FOR"},
            "RATELIMIT_IP_META_KEY=HTTP_X_FORWARDED_FOR is not read any more.",
        ),
    ],
)
def test_unclear_proxy_settings_are_a_one_line_error(env, message):
    result = _run("import django; django.setup()", {**PRODUCTION_ENV, **env})

    assert result.returncode == 1
    assert result.stderr.startswith(f"Configuration error: {message}")
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_database_cache_table_comes_with_migrate():
    from django.core.cache import cache
    from django.db import connection

    cache.set("greeting", "hello", 60)

    assert cache.get("greeting") == "hello"
    assert "cop_portal_cache" in connection.introspection.table_names()
