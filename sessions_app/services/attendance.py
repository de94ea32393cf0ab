"""Attendance at the door: checking RSVPs in, counting walk-ins, drop-in self check-in.

None of these send emails; they only record who came.
"""

from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sessions_app.models import Rsvp, Session, SessionStatus, WalkIn

SELF_CHECK_IN_SALT = "sessions_app.self-check-in"
# The QR code works from a while before the doors open until people have gone home.
SELF_CHECK_IN_MARGIN = timedelta(hours=2)
SELF_CHECK_IN_CLOSED = (
    "Self check-in for this session is closed. It opens two hours before the session "
    "starts and closes two hours after it ends."
)


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


def self_check_in_window(session: Session) -> tuple[datetime, datetime]:
    return session.starts_at - SELF_CHECK_IN_MARGIN, session.ends_at + SELF_CHECK_IN_MARGIN


def self_check_in_is_open(session: Session, *, now: datetime | None = None) -> bool:
    """Only published sessions, and only around the session itself."""
    if session.status != SessionStatus.PUBLISHED:
        return False
    opens, closes = self_check_in_window(session)
    return opens <= (now or timezone.now()) <= closes


# Writes --------------------------------------------------------------------------------


@transaction.atomic
def rsvp_check_in(*, rsvp: Rsvp, checked_in: bool = True) -> Rsvp:
    """Mark an RSVP as there (now) or, with checked_in=False, undo that.

    Idempotent: checking in twice keeps the first time. A waitlisted person let in at
    the door stays on the waitlist in the records; only the check-in is noted.
    Side effects: none.
    """
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if not rsvp.is_active:
        raise ValidationError("This RSVP was cancelled, so it can't be checked in.")
    if checked_in and rsvp.checked_in_at is None:
        rsvp.checked_in_at = timezone.now()
    elif not checked_in:
        rsvp.checked_in_at = None
    rsvp.save(update_fields=["checked_in_at", "updated"])
    return rsvp


@transaction.atomic
def walk_in_add(
    *, session: Session, count: int = 1, name: str = "", self_check_in: bool = False
) -> WalkIn:
    """Record people who came without an RSVP: a name, or just a head count.

    Side effects: none.
    """
    walk_in = WalkIn(session=session, name=name.strip(), count=count, self_check_in=self_check_in)
    walk_in.full_clean()
    walk_in.save()
    return walk_in


@transaction.atomic
def walk_in_remove(*, walk_in: WalkIn) -> None:
    """Delete a walk-in entered by mistake. Side effects: none."""
    walk_in.delete()


@transaction.atomic
def self_check_in_create(*, session: Session, name: str, now: datetime | None = None) -> WalkIn:
    """Someone scanned the poster at the door and gave their name: one walk-in.

    Raises ValidationError outside the session's check-in window.
    Side effects: none.
    """
    if not self_check_in_is_open(session, now=now):
        raise ValidationError(SELF_CHECK_IN_CLOSED)
    return walk_in_add(session=session, name=name, count=1, self_check_in=True)
