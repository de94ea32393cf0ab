"""Counts in words for messages ("1 person", "3 people", "2 sessions")."""

from django.contrib.humanize.templatetags.humanize import intcomma


def counted(number: int, singular: str, plural: str = "") -> str:
    """The number (with thousands separators) and the noun that fits it:
    ``counted(1, "person", "people")`` is "1 person", ``counted(1200, "session")`` is
    "1,200 sessions"."""
    noun = singular if number == 1 else (plural or f"{singular}s")
    return f"{intcomma(number)} {noun}"
