"""{% session_badges session %}: a session's badges, written once per kind of session.

The badges (sessions_app/_badges.html: time of day, format, attendance mode, and with
`with_status` a Cancelled or Draft badge, each with its icon) depend on nothing but
those four choices and the language, so there are a few dozen different ones. A month
of the calendar shows ~80 sessions at scale 10; including the template for each (four
nested templates, three of them icons) was about a third of building the month afresh.
Here each kind is rendered from the template the first time it is needed and then
reused, so the template stays the one place the badges are written.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any

from django import template
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from sessions_app.models import Session
from sessions_app.models.choices import SessionStatus

register = template.Library()


@register.simple_tag
def session_badges(session: Session, with_status: object = False) -> SafeString:
    """{% session_badges session %}, or with_status=True for a Cancelled or Draft badge:
    the same HTML as {% include "sessions_app/_badges.html" with session=session %}."""
    status = session.status if with_status else SessionStatus.PUBLISHED
    return _badges(
        status, session.time_of_day, session.format, session.attendance_mode, get_language()
    )


# Keys are choices (3 statuses x 2 times x 2 formats x 3 modes x languages): a bound only
# against rows holding values outside them.
@lru_cache(maxsize=512)
def _badges(
    status: str, time_of_day: str, format: str, attendance_mode: str, language: str | None
) -> SafeString:
    # An unsaved session with just the four fields the template reads; rendered in the
    # active language, which is part of the key.
    kind = Session(
        status=status, time_of_day=time_of_day, format=format, attendance_mode=attendance_mode
    )
    html = render_to_string("sessions_app/_badges.html", {"session": kind, "with_status": True})
    return mark_safe(html)  # noqa: S308 -- rendered by the template engine, escaped there


@receiver(file_changed, dispatch_uid="sessions_app.session_badges.template_changed")
def _forget_badges(sender: Any, file_path: Path, **kwargs: Any) -> None:
    """runserver: an edited template shows at once, as Django's own template reload does
    (returning None lets the reloader decide as before)."""
    if file_path.suffix == ".html":
        _badges.cache_clear()
