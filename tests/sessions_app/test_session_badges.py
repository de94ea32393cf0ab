"""{% session_badges %} (sessions_app/templatetags/session_badges.py) writes each kind of
badge once and reuses it: the same HTML as the template for every kind, in each
language, and pages follow a session's change of format, mode or status at once."""

import itertools
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.autoreload import file_changed

from sessions_app.models import Session
from sessions_app.models.choices import (
    AttendanceMode,
    ConversationFormat,
    SessionStatus,
    TimeOfDay,
)
from sessions_app.services.sessions import session_cancel, session_update
from sessions_app.templatetags.session_badges import _badges
from tests.factories import make_session
from tests.sessions_app.conftest import pages_for

KINDS = list(
    itertools.product(
        SessionStatus.values, TimeOfDay.values, ConversationFormat.values, AttendanceMode.values
    )
)

INCLUDED = Template(
    '{% include "sessions_app/_badges.html" with session=session with_status=with_status %}'
)
TAGGED = Template("{% load session_badges %}{% session_badges session with_status=with_status %}")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("with_status", [True, False])
def test_session_badges_match_the_template_for_every_kind(language, with_status):
    for status, time_of_day, format, mode in KINDS:
        session = Session(
            status=status, time_of_day=time_of_day, format=format, attendance_mode=mode
        )
        context = {"session": session, "with_status": with_status}
        with translation.override(language):
            assert TAGGED.render(Context(context)) == INCLUDED.render(Context(context))


def test_session_badges_follow_the_language():
    session = Session(
        status=SessionStatus.PUBLISHED,
        time_of_day=TimeOfDay.EVENING,
        format=ConversationFormat.BRIEF,
        attendance_mode=AttendanceMode.HYBRID,
    )
    context = Context({"session": session, "with_status": False})
    with translation.override("en"):
        english = TAGGED.render(context)
    with translation.override("es"):
        spanish = TAGGED.render(context)
    assert "Brief" in english
    assert "Hybrid" in english
    assert "Breve" in spanish
    assert "Híbrida" in spanish


def _kinds(text: str) -> set[str]:
    """The format and mode badges on a page (one session on it)."""
    found = set(re.findall(r'class="badge badge--([a-z-]+)"', text))
    return found & {*ConversationFormat.values, *AttendanceMode.values}


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["list", "calendar", "home"])
def test_pages_show_a_changed_format_and_mode_to_everyone_at_once(viewers, page):
    session = make_session(
        format=ConversationFormat.BRIEF, attendance_mode=AttendanceMode.IN_PERSON
    )
    local = timezone.localtime(session.starts_at)
    url = {
        "list": reverse("sessions:session-list"),
        "calendar": reverse("sessions:calendar-month", args=[local.year, local.month]),
        "home": "/",
    }[page]
    for who, text in pages_for(viewers, url).items():
        assert _kinds(text) == {"brief", "in-person"}, who

    session_update(
        session=Session.objects.get(pk=session.pk),
        fields={"format": ConversationFormat.IN_DEPTH, "attendance_mode": AttendanceMode.ONLINE},
    )

    for who, text in pages_for(viewers, url).items():
        assert _kinds(text) == {"in-depth", "online"}, who


@pytest.mark.django_db
def test_calendar_shows_a_cancelled_badge_to_everyone_at_once(viewers):
    session = make_session()
    local = timezone.localtime(session.starts_at)
    url = reverse("sessions:calendar-month", args=[local.year, local.month])
    assert not any("badge--cancelled" in text for text in pages_for(viewers, url).values())

    session_cancel(session=Session.objects.get(pk=session.pk), reason="No room.")

    for who, text in pages_for(viewers, url).items():
        assert text.count("badge--cancelled") == 1, who


def test_session_badges_are_written_again_after_a_template_edit():
    session = Session(
        status=SessionStatus.PUBLISHED,
        time_of_day=TimeOfDay.DAYTIME,
        format=ConversationFormat.BRIEF,
        attendance_mode=AttendanceMode.ONLINE,
    )
    TAGGED.render(Context({"session": session, "with_status": False}))
    assert _badges.cache_info().currsize > 0

    # What runserver's reloader sends when a file changes.
    file_changed.send(sender=None, file_path=Path("templates/sessions_app/_badges.html"))

    assert _badges.cache_info().currsize == 0
