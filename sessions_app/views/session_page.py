"""The session page's context: facts, JSON-LD, what this viewer sees about RSVPs (or, once
it is over, how many came), and what the apps above contribute (sessions_app.contributions)."""

from functools import partial
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cop_portal.lib.roles import is_organizer
from cop_portal.lib.urls import absolute_url
from cop_portal.mail import selectors as mail_selectors
from sessions_app.calendar_apps import google_event_url, outlook_event_url
from sessions_app.contributions import session_page_contributions
from sessions_app.forms.rsvps import GuestRsvpForm, MemberRsvpForm, RsvpForm
from sessions_app.jsonld import jsonld_script, session_event
from sessions_app.models import Rsvp, Session
from sessions_app.selectors import (
    listed_members,
    next_session,
    rsvp_counts,
    session_turnout,
    waitlist_position,
)


def duration_text(minutes: int) -> str:
    """60 → "1 hour", 120 → "2 hours", 90 → "90 minutes", 150 → "2 hours 30 minutes"."""
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours}
    if hours < 2:
        return ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}
    return ngettext(
        "%(hours)d hours %(minutes)d minute", "%(hours)d hours %(minutes)d minutes", rest
    ) % {"hours": hours, "minutes": rest}


def session_page_context(
    request: HttpRequest, session: Session, *, form: RsvpForm | None = None
) -> dict[str, Any]:
    organizer = is_organizer(request.user)
    context = {
        "session": session,
        "duration": duration_text(session.duration_minutes),
        "description": session.summary
        or session.topic
        or _("A session of Cleveland's Community of Practice for community builders."),
        "page_url": absolute_url(session.get_absolute_url()),
        "jsonld": jsonld_script(session_event(session)),
        "add_to_calendar": add_to_calendar(session),
        "contributions": session_page_contributions(request, session, organizer=organizer),
    }
    # A cancelled session has nothing to answer: its page says why and points to the
    # next one. One that is over says how many came instead of asking who is coming.
    if session.is_cancelled:
        context["next_session"] = next_session(timezone.now())
    elif session.is_past:
        context["turnout"] = session_turnout(session)
    else:
        context.update(rsvp_panel(request, session, form=form))
    if organizer:
        # RSVP news, reminders and announcements about it, by how far they got.
        context["mail_delivery"] = mail_selectors.delivery_about(f"session:{session.pk}")
    return context


def add_to_calendar(session: Session) -> dict[str, str] | None:
    """Links that put this one session in a calendar app, or None when there is
    nothing to come to (a draft, a cancelled or a past session)."""
    if session.is_draft or session.is_cancelled or session.is_past:
        return None
    return {
        "ics": reverse("sessions:session-ics", kwargs={"slug": session.slug}),
        "google": google_event_url(session),
        "outlook": outlook_event_url(session, service="outlook"),
        "office": outlook_event_url(session, service="office"),
    }


def _viewer_rsvp(request: HttpRequest, session: Session) -> Rsvp | None:
    if not request.user.is_authenticated:
        return None
    return session.rsvps.filter(user=request.user).first()


def rsvp_panel(
    request: HttpRequest, session: Session, *, form: RsvpForm | None = None
) -> dict[str, Any]:
    """What the session page shows about RSVPs to this viewer.

    The meeting link and joining instructions go only to organizers and to people
    who are going; everyone else gets counts (and, signed in, the names of members
    who chose to be listed).
    """
    counts = rsvp_counts(session)
    mine_active = _viewer_rsvp(request, session)
    if mine_active is not None and not mine_active.is_active:
        mine_active = None
    if form is None and session.is_open_for_rsvp:
        if mine_active is not None:
            form = RsvpForm(session=session, counts=counts, current=mine_active.attend_as)
        elif request.user.is_authenticated:
            form = MemberRsvpForm(session=session, counts=counts)
        else:
            form = GuestRsvpForm(session=session, counts=counts)
    return {
        "counts": counts,
        "rsvp": mine_active,
        "rsvp_form": form,
        "position": waitlist_position(mine_active) if mine_active else None,
        # The meeting link for people going online (an in-person answer at a hybrid session
        # switches to online to see it here), and organizers.
        "show_joining": is_organizer(request.user)
        or (mine_active is not None and mine_active.may_join_online),
        # Read by the page only when its kept "who's coming" part is rendered afresh.
        "listed": partial(listed_members, session) if request.user.is_authenticated else [],
    }
