"""Who hears about a change to a session, chosen by the organizer before it is saved.

Editing a published session's time, place, mode, topic or meeting link, and cancelling
one, email the people with an RSVP. The organizer first sees how many people that is
(`who_is_told`, one query), chooses an `Audience` and may add a note; the services
(sessions_app.services.sessions) then email only that audience (`audience_rsvps`).
Edits that change nothing people act on (`plan_edit`: the agenda, the summary, the
capacity) never email anyone and are saved at once.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q

from sessions_app.models import AttendAs, Rsvp, RsvpStatus, Session, SessionStatus
from sessions_app.session_changes import (
    Change,
    EditNews,
    differences,
    edit_news,
    edited,
    snapshot,
)


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone with an RSVP"
    GOING = "going", "Only people going"
    NOBODY = "nobody", "Nobody"


def people(count: int) -> str:
    """ "1 person", "7 people", "1,234 people"."""
    return f"{count:,} {'person' if count == 1 else 'people'}"


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
        if audience == Audience.NOBODY:
            return 0
        if audience == Audience.GOING:
            return self.going
        return self.everyone

    def summary(self) -> str:
        """ "7 people have an RSVP: 5 going, 2 on the waitlist." """
        if self.link_only:
            going = "1 person is" if self.going == 1 else f"{self.going:,} people are"
            return (
                f"A new meeting link goes only to people going online: {going} going online. "
                "The waitlist and people coming in person don't get the link."
            )
        if not self.everyone:
            return "Nobody has an RSVP yet."
        have = "has" if self.everyone == 1 else "have"
        parts = [f"{self.going:,} going"] if self.going else []
        if self.waitlisted:
            parts.append(f"{self.waitlisted:,} on the waitlist")
        return f"{people(self.everyone)} {have} an RSVP: {', '.join(parts)}."

    def choices(self, *, quietly: str) -> list[tuple[str, str]]:
        """The radio choices with their numbers; `quietly` names the action without email
        ("save without emailing")."""
        if self.link_only:
            return [
                (Audience.EVERYONE, f"Everyone going online: {people(self.going)}"),
                (Audience.NOBODY, f"Nobody: {quietly}"),
            ]
        return [
            (Audience.EVERYONE, f"Everyone with an RSVP: {people(self.everyone)}"),
            (Audience.GOING, f"Only people going: {people(self.going)}"),
            (Audience.NOBODY, f"Nobody: {quietly}"),
        ]

    def button_labels(self, *, verb: str, quietly: str) -> list[tuple[str, str]]:
        """The confirming button's label for each choice: "Save and notify 7 people"."""
        return [
            (
                value,
                f"{verb} and notify {people(count)}"
                if (count := self.number(value))
                else quietly[:1].upper() + quietly[1:],
            )
            for value, _label in self.choices(quietly=quietly)
        ]


def who_is_told(session: Session, *, link_only: bool = False) -> Told:
    """The people with an RSVP to this session, counted in one query."""
    counts = Rsvp.objects.filter(session=session).aggregate(
        going=Count("pk", filter=Q(status=RsvpStatus.GOING)),
        online=Count("pk", filter=Q(status=RsvpStatus.GOING, attend_as=AttendAs.ONLINE)),
        waitlisted=Count("pk", filter=Q(status=RsvpStatus.WAITLISTED)),
    )
    if link_only:
        return Told(going=counts["online"], waitlisted=0, link_only=True)
    return Told(going=counts["going"], waitlisted=counts["waitlisted"])


def audience_rsvps(session: Session, audience: str, *, link_only: bool = False) -> list[Rsvp]:
    """The RSVPs a change emails, for the organizer's choice: all active ones, or only
    people going; for a new link alone, only those who get the link (Rsvp.may_join_online)."""
    if audience == Audience.NOBODY:
        return []
    rsvps = session.rsvps.active()
    if audience == Audience.GOING or link_only:
        rsvps = rsvps.going()
    found = list(rsvps)
    if link_only:
        found = [rsvp for rsvp in found if rsvp.may_join_online]
    return found


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
