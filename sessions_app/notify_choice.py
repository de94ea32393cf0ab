"""Who hears about a change to a session, chosen by the organizer before it is saved.

Editing a published session's time, place, mode, topic or meeting link, and cancelling
one, email the people with an RSVP. The organizer first sees how many people that is
(`who_is_told`, one query), chooses a `NotifyAudience` and may add a note; the services
(sessions_app.services.sessions) then email only that audience (`audience_rsvps`).
Edits that change nothing people act on (`plan_edit`: the agenda, the summary, the
capacity) never email anyone and are saved at once.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sessions_app.models import AttendAs, Rsvp, RsvpQuerySet, RsvpStatus, Session, SessionStatus
from sessions_app.models.choices import ONLINE_MODES
from sessions_app.notifications import RSVP_ADDRESS
from sessions_app.session_changes import (
    Change,
    EditNews,
    differences,
    edit_news,
    edited,
    snapshot,
)


class NotifyAudience(models.TextChoices):
    """Who hears about a change (not sessions_app.attendee_messages.Audience, the
    organizer's own message to attendees)."""

    EVERYONE = "everyone", gettext_lazy("Everyone with an RSVP")
    GOING = "going", gettext_lazy("Only people going")
    NOBODY = "nobody", gettext_lazy("Nobody")


def people(count: int) -> str:
    """ "1 person", "7 people", "1,234 people"."""
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": intcomma(count)}


@dataclass(frozen=True)
class Told:
    """How many people a change would email, by audience. For a new meeting link alone
    (`link_only`) that is only the people going online: the waitlist never gets the link."""

    going: int
    waitlisted: int
    link_only: bool = False

    @property
    def everyone(self) -> int:
        return self.going + self.waitlisted

    def number(self, audience: str) -> int:
        if audience == NotifyAudience.NOBODY:
            return 0
        if audience == NotifyAudience.GOING:
            return self.going
        return self.everyone

    def summary(self) -> str:
        """ "7 people have an RSVP: 5 going, 2 on the waitlist." """
        if self.link_only:
            going = ngettext(
                "A new meeting link goes only to people going online: %(count)s person is "
                "going online.",
                "A new meeting link goes only to people going online: %(count)s people are "
                "going online.",
                self.going,
            ) % {"count": intcomma(self.going)}
            return going + " " + _("The waitlist and people coming in person don't get the link.")
        if not self.everyone:
            return _("Nobody has an RSVP yet.")
        parts = [_("%(count)s going") % {"count": intcomma(self.going)}] if self.going else []
        if self.waitlisted:
            parts.append(_("%(count)s on the waitlist") % {"count": intcomma(self.waitlisted)})
        return ngettext(
            "%(people)s has an RSVP: %(parts)s.",
            "%(people)s have an RSVP: %(parts)s.",
            self.everyone,
        ) % {"people": people(self.everyone), "parts": ", ".join(parts)}

    def choices(self, *, quietly: str) -> list[tuple[str, str]]:
        """The radio choices with their numbers; `quietly` names the action without email
        ("save without emailing")."""
        if self.link_only:
            return [
                (
                    NotifyAudience.EVERYONE,
                    _("Everyone going online: %(people)s") % {"people": people(self.going)},
                ),
                (NotifyAudience.NOBODY, _("Nobody: %(action)s") % {"action": quietly}),
            ]
        return [
            (
                NotifyAudience.EVERYONE,
                _("Everyone with an RSVP: %(people)s") % {"people": people(self.everyone)},
            ),
            (
                NotifyAudience.GOING,
                _("Only people going: %(people)s") % {"people": people(self.going)},
            ),
            (NotifyAudience.NOBODY, _("Nobody: %(action)s") % {"action": quietly}),
        ]

    def button_labels(self, *, notify: str, quietly: str) -> list[tuple[str, str]]:
        """The confirming button's label for each choice: `notify` ("Save and notify
        %(people)s") with the number, or `quietly` for nobody."""
        return [
            (
                value,
                notify % {"people": people(count)}
                if (count := self.number(value))
                else str(quietly)[:1].upper() + str(quietly)[1:],
            )
            for value, _label in self.choices(quietly=quietly)
        ]


def who_is_told(session: Session, *, link_only: bool = False) -> Told:
    """The people a change to this session would email, counted in one query as sending
    does it: the RSVPs `audience_rsvps` returns, one person per address."""
    return told_by_session([session], link_only=link_only).get(session.pk, NOBODY_TOLD)


NOBODY_TOLD = Told(going=0, waitlisted=0)


def told_by_session(sessions: Iterable[Session], *, link_only: bool = False) -> dict[int, Told]:
    """`who_is_told` for many sessions in one query (a series' moved sessions); sessions
    nobody answered are left out."""
    rsvps = _emailed(Rsvp.objects.filter(session__in=[session.pk for session in sessions]))
    if link_only:
        rsvps = _joining_online(rsvps.going())
    going = Q(status=RsvpStatus.GOING)
    # One person per address, as notifications.notify sends: someone both going and
    # waiting (a member and a guest with one address) is told once, as going.
    address = Lower(RSVP_ADDRESS)
    rows = (
        rsvps.values("session_id")
        .annotate(
            going=Count(address, filter=going, distinct=True),
            everyone=Count(address, distinct=True),
        )
        .order_by()
    )
    return {
        row["session_id"]: Told(
            going=row["going"],
            waitlisted=0 if link_only else row["everyone"] - row["going"],
            link_only=link_only,
        )
        for row in rows
    }


def _emailed(rsvps: RsvpQuerySet) -> RsvpQuerySet:
    """Who a change can email: every active RSVP (going or on the waitlist)."""
    return rsvps.active()


def _joining_online(rsvps: RsvpQuerySet) -> RsvpQuerySet:
    """Those who get the meeting link (Rsvp.may_join_online, as a filter: going online
    at a session that is online)."""
    return rsvps.filter(
        status=RsvpStatus.GOING,
        attend_as=AttendAs.ONLINE,
        session__attendance_mode__in=ONLINE_MODES,
    )


def audience_rsvps(session: Session, audience: str, *, link_only: bool = False) -> QuerySet[Rsvp]:
    """The RSVPs a change emails, for the organizer's choice: all active ones, or only
    people going; for a new link alone, only those who get the link (Rsvp.may_join_online).
    `who_is_told` counts the same rows."""
    if audience == NotifyAudience.NOBODY:
        return Rsvp.objects.none()
    rsvps = _emailed(session.rsvps.select_related("user"))
    if audience == NotifyAudience.GOING or link_only:
        rsvps = rsvps.going()
    if link_only:
        rsvps = _joining_online(rsvps)
    return rsvps


@dataclass(frozen=True)
class EditPlan:
    """An organizer's edit, worked out before it is saved: the session as it would be,
    what people would read changed, and who would be told (None: nobody, whatever the
    choice, so it is saved at once)."""

    after: Session
    news: EditNews
    changes: list[Change]
    told: Told | None

    @property
    def asks(self) -> bool:
        """Whether the organizer chooses who hears about it before it is saved."""
        return self.told is not None and self.told.everyone > 0


def plan_edit(session: Session, fields: dict[str, Any]) -> EditPlan:
    """What saving these fields would do. Only a published session's people hear about
    a change, and only about one in their calendars (time, place, mode, topic, link)."""
    after = edited(session, fields)
    news = edit_news(session, after)
    told = None
    if session.status == SessionStatus.PUBLISHED and news.for_calendars:
        told = who_is_told(session, link_only=news.link_only)
    changes = differences(snapshot(session), after, show_link=True)
    return EditPlan(after=after, news=news, changes=changes, told=told)
