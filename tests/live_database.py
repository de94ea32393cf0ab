"""The address of the test database, for processes the tests start (app servers,
workers) that must see the test's rows."""

import urllib.parse

from django.db import connection


def database_url() -> str:
    """The test database pytest-django made, as a DATABASE_URL."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = urllib.parse.quote(settings["USER"] or "")
    password = urllib.parse.quote(settings["PASSWORD"] or "")
    who = f"{user}:{password}" if password else user
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{who}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"
