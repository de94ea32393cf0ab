"""Attendance at the door: checking RSVPs in, counting walk-ins, self check-in with the QR code.

Each person who came is counted once: as their RSVP, checked in (by an organizer at the
door, or by themselves), or as a walk-in when they never RSVP'd. So self check-in looks
for the person's own RSVP first (a signed-in member's, a guest's reached through their
private link, or one matching a typed address or name) and counts a walk-in only when
there is none.

None of these send emails; they only record who came.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cop_portal.lib.dates import date_as
from sessions_app.models import (
    AttendAs,
    CheckInBy,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
    WalkIn,
)
from sessions_app.models.session import local_zone
from sessions_app.selectors import member_guest_rsvp, rsvp_matching
from sessions_app.services.counts import session_counts_refresh

SELF_CHECK_IN_SALT = "sessions_app.self-check-in"
# The QR code keeps working until people have gone home.
SELF_CHECK_IN_CLOSES_AFTER = timedelta(hours=2)


# Self check-in codes -----------------------------------------------------------------


def self_check_in_code(session: Session) -> str:
    """A signed code for the QR poster: it names one session and can't be forged for another.

    No timestamp in it, so the same session always gets the same code: a poster printed last
    week and the link on the check-in page agree.
    """
    return signing.Signer(salt=SELF_CHECK_IN_SALT).sign_object(session.pk)


def session_pk_from_code(code: str) -> int | None:
    """The session the code was made for, or None when it was altered or made up."""
    try:
        pk = signing.Signer(salt=SELF_CHECK_IN_SALT).unsign_object(code)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


# When check-in is open -------------------------------------------------------------


def check_in_opens_at(session: Session) -> datetime:
    """On the day: CHECK_IN_OPENS_BEFORE_HOURS before the start, at the door and by QR code."""
    return session.starts_at - timedelta(hours=settings.CHECK_IN_OPENS_BEFORE_HOURS)


def door_check_in_is_open(session: Session, *, now: datetime | None = None) -> bool:
    """Whether the door list's buttons work: from check_in_opens_at on, with no end, so
    organizers may still correct the list after the session."""
    return (now or timezone.now()) >= check_in_opens_at(session)


def self_check_in_window(session: Session) -> tuple[datetime, datetime]:
    return check_in_opens_at(session), session.ends_at + SELF_CHECK_IN_CLOSES_AFTER


def self_check_in_is_open(session: Session, *, now: datetime | None = None) -> bool:
    """Only published sessions, and only around the session itself."""
    if session.status != SessionStatus.PUBLISHED:
        return False
    opens, closes = self_check_in_window(session)
    return opens <= (now or timezone.now()) <= closes


def local_moment(moment: datetime) -> str:
    """ "3:00 pm on Wednesday, December 16", in the CoP's time zone."""
    local = timezone.localtime(moment, local_zone())
    return _("%(time)s on %(day)s") % {
        "time": date_as(local, "CLOCK").lower(),
        "day": date_as(local, "WEEKDAY_DAY"),
    }


def check_in_opens_message(session: Session) -> str:
    return _("Check-in opens at %(moment)s.") % {"moment": local_moment(check_in_opens_at(session))}


def self_check_in_closed_message(session: Session, *, now: datetime | None = None) -> str:
    """Why the QR code's page takes no check-in, in words for the person holding the phone."""
    if session.is_cancelled:
        return _("This session is cancelled, so there is nothing to check in to.")
    opens, closes = self_check_in_window(session)
    if (now or timezone.now()) < opens:
        return _("Self check-in opens at %(moment)s.") % {"moment": local_moment(opens)}
    return _(
        "Self check-in closed at %(moment)s, two hours after the session ended. "
        "If you were there, tell one of the organizers."
    ) % {"moment": local_moment(closes)}


# The private manage page's check-in button ------------------------------------------


@dataclass(frozen=True)
class CheckInOffer:
    """The manage page's "Check in" button: where it posts (the QR code's page, with the
    link's token), and when the RSVP was checked in, if it was."""

    url: str
    token: str
    checked_in_at: datetime | None


def check_in_offer(rsvp: Rsvp) -> CheckInOffer | None:
    """For the private manage page, while self check-in is open, for people coming in
    person; None otherwise."""
    session = rsvp.session
    if not rsvp.is_active or rsvp.attend_as != AttendAs.IN_PERSON:
        return None
    if not self_check_in_is_open(session):
        return None
    code = self_check_in_code(session)
    url = reverse("sessions:self-check-in", kwargs={"slug": session.slug, "code": code})
    return CheckInOffer(url=url, token=rsvp.token, checked_in_at=rsvp.checked_in_at)


# Writes --------------------------------------------------------------------------------


@transaction.atomic
def rsvp_check_in(*, rsvp: Rsvp, checked_in: bool = True, by: str = CheckInBy.DOOR) -> Rsvp:
    """Mark an RSVP as there (now, `by` the door or the person) or, with checked_in=False,
    undo that (both the time and who).

    Idempotent: checking in twice keeps the first time and who did it. A waitlisted person
    let in at the door stays on the waitlist in the records; only the check-in is noted.
    When check-in opens is the caller's to decide (door_check_in_is_open,
    self_check_in_is_open), so organizers can correct records at any time.
    Side effects: recounts the session's stored counts (SessionCounts).
    """
    # of=("self",): PostgreSQL refuses to lock the nullable side of the user outer join.
    rsvp = Rsvp.objects.select_for_update(of=("self",)).select_related("user").get(pk=rsvp.pk)
    if not rsvp.is_active:
        raise ValidationError(_("This RSVP was cancelled, so it can't be checked in."))
    if checked_in and rsvp.checked_in_at is None:
        rsvp.checked_in_at = timezone.now()
        rsvp.checked_in_by = by
    elif not checked_in:
        rsvp.checked_in_at = None
        rsvp.checked_in_by = ""
    rsvp.save(update_fields=["checked_in_at", "checked_in_by", "updated"])
    session_counts_refresh(session_ids=[rsvp.session_id])
    return rsvp


@transaction.atomic
def walk_in_add(
    *, session: Session, count: int = 1, name: str = "", self_check_in: bool = False
) -> WalkIn:
    """Record people who came without an RSVP: a name, or just a head count.

    Side effects: recounts the session's stored counts (SessionCounts).
    """
    walk_in = WalkIn(session=session, name=name.strip(), count=count, self_check_in=self_check_in)
    walk_in.full_clean()
    walk_in.save()
    session_counts_refresh(session_ids=[session.pk])
    return walk_in


@transaction.atomic
def walk_in_remove(*, walk_in: WalkIn) -> None:
    """Delete a walk-in entered by mistake. Side effects: recounts the session's stored
    counts."""
    walk_in.delete()
    session_counts_refresh(session_ids=[walk_in.session_id])


def _require_open(session: Session, now: datetime | None) -> None:
    if not self_check_in_is_open(session, now=now):
        raise ValidationError(self_check_in_closed_message(session, now=now))


@transaction.atomic
def rsvp_self_check_in(*, rsvp: Rsvp, now: datetime | None = None) -> Rsvp:
    """A person recognized at the QR code (signed in, or through their private link)
    checks their own RSVP in. Already checked in: nothing changes.

    Raises ValidationError outside the session's self check-in window.
    Side effects: recounts the session's stored counts (SessionCounts).
    """
    _require_open(rsvp.session, now)
    return rsvp_check_in(rsvp=rsvp, by=CheckInBy.SELF)


@dataclass(frozen=True)
class CheckedIn:
    """What an anonymous self check-in recorded: an RSVP or a walk-in, never both."""

    rsvp: Rsvp | None = None
    walk_in: WalkIn | None = None


@transaction.atomic
def self_check_in_create(
    *, session: Session, name: str, email: str = "", now: datetime | None = None
) -> CheckedIn:
    """Someone scanned the poster at the door and typed their name (and perhaps the address
    they RSVP'd with): check in the RSVP it matches (see rsvp_matching), else count one
    walk-in. A matching RSVP already checked in counts nobody new.

    Raises ValidationError outside the session's self check-in window.
    Side effects: recounts the session's stored counts (SessionCounts).
    """
    _require_open(session, now)
    rsvp = rsvp_matching(session=session, name=name, email=email)
    if rsvp is not None:
        return CheckedIn(rsvp=rsvp_check_in(rsvp=rsvp, by=CheckInBy.SELF))
    return CheckedIn(walk_in=walk_in_add(session=session, name=name, self_check_in=True))


@transaction.atomic
def member_self_check_in(*, session: Session, user: object, now: datetime | None = None) -> Rsvp:
    """A signed-in member checks in with the QR code: their RSVP if they have one (going
    or waitlisted: the door decides), else a guest RSVP they made with one of their
    verified addresses (so they aren't counted twice), else one made for them now, going,
    in person (online for an online-only session), checked in by themselves. Twice
    changes nothing.

    A new (or revived cancelled) RSVP sends no email, unlike rsvp_create: the member is
    already in the room, so a confirmation, calendar invitation or waitlist note would
    only be noise. The RSVP is there so the member is counted once, as a person who
    came (statistics follow members and guests by their RSVPs; a walk-in is a name only).
    It ignores the seat count for the same reason: they are already inside.

    Raises ValidationError outside the session's self check-in window.
    Side effects: recounts the session's stored counts (SessionCounts).
    """
    _require_open(session, now)
    # Lock the session row, as the RSVP services do, so two taps make one RSVP.
    Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    rsvp = Rsvp.objects.select_for_update().filter(session=session, user=user).first()
    if rsvp is not None and rsvp.is_active:
        return rsvp_check_in(rsvp=rsvp, by=CheckInBy.SELF)
    as_guest = member_guest_rsvp(session=session, user=user)
    if as_guest is not None:
        return rsvp_check_in(rsvp=as_guest, by=CheckInBy.SELF)
    rsvp = rsvp or Rsvp(session=session, user=user)
    rsvp.attend_as = AttendAs.IN_PERSON if session.in_room else AttendAs.ONLINE
    rsvp.status = RsvpStatus.GOING
    rsvp.queued_at = rsvp.checked_in_at = timezone.now()
    rsvp.checked_in_by = CheckInBy.SELF
    rsvp.full_clean(exclude=["token"])
    rsvp.save()
    session_counts_refresh(session_ids=[session.pk])
    return rsvp
