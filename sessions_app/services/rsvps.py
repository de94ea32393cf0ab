"""RSVPs: answering, changing, cancelling, the waitlist, and guest RSVPs joining an account.

Every write locks the session row first (SELECT … FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions do the same for the whole database), so seat counts are read
and written by one request at a time per session and can never oversell, even under
READ COMMITTED.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cop_portal.lib.addresses import canonical_email
from cop_portal.lib.language import supported
from cop_portal.mail.kinds import MailKind
from sessions_app.models import AttendanceMode, AttendAs, Rsvp, RsvpStatus, Session
from sessions_app.models.rsvp import new_token
from sessions_app.models.session import local_zone
from sessions_app.notifications import notify
from sessions_app.services.counts import month_people_refresh, session_counts_refresh
from sessions_app.services.feed_tokens import feed_token_forget_guest


class RsvpClosed(ValidationError):
    """The session can't take RSVPs (draft, cancelled, over)."""


class SeatsTaken(ValidationError):
    """No place left in the chosen mode and the person did not want the waitlist."""


@dataclass(frozen=True)
class Guest:
    name: str
    email: str
    organization: str = ""


def _language(code: str | None) -> str:
    """One of the portal's languages for `code` ("es-MX" -> "es"); English if unknown."""
    return supported(code) or settings.LANGUAGE_CODE


def _lock(session: Session) -> Session:
    """The session row, locked until the transaction ends, with fresh capacity fields."""
    # of=("self",): PostgreSQL refuses to lock the nullable side of the venue outer join.
    return (
        Session.objects.select_for_update(of=("self",)).select_related("venue").get(pk=session.pk)
    )


def allowed_modes(session: Session) -> list[str]:
    if session.attendance_mode == AttendanceMode.HYBRID:
        return [AttendAs.IN_PERSON, AttendAs.ONLINE]
    if session.attendance_mode == AttendanceMode.ONLINE:
        return [AttendAs.ONLINE]
    return [AttendAs.IN_PERSON]


def places(session: Session, attend_as: str) -> int | None:
    """How many may go in this mode; None means no limit."""
    return session.seats if attend_as == AttendAs.IN_PERSON else session.online_places


def places_left(session: Session, attend_as: str, *, excluding: Rsvp | None = None) -> int | None:
    limit = places(session, attend_as)
    if limit is None:
        return None
    going = session.rsvps.going().filter(attend_as=attend_as)
    if excluding is not None and excluding.pk:
        going = going.exclude(pk=excluding.pk)
    return max(limit - going.count(), 0)


def _check_open(session: Session) -> None:
    if session.is_cancelled:
        raise RsvpClosed(_("This session is cancelled, so it no longer takes RSVPs."))
    if not session.is_open_for_rsvp:
        raise RsvpClosed(_("This session is over or not open for RSVPs."))


def _place(rsvp: Rsvp, session: Session, attend_as: str, *, waitlist_ok: bool) -> None:
    """Give the RSVP a place in `attend_as`, or a spot on the waitlist, or refuse."""
    if attend_as not in allowed_modes(session):
        raise ValidationError({"attend_as": _("This session doesn't offer that way of joining.")})
    rsvp.attend_as = attend_as
    left = places_left(session, attend_as, excluding=rsvp)
    if left is None or left > 0:
        rsvp.status = RsvpStatus.GOING
    elif waitlist_ok:
        if rsvp.status != RsvpStatus.WAITLISTED:
            rsvp.queued_at = timezone.now()
        rsvp.status = RsvpStatus.WAITLISTED
    else:
        if attend_as == AttendAs.IN_PERSON:
            raise SeatsTaken(_("All seats are taken. Join the waitlist, or choose another way."))
        raise SeatsTaken(
            _("All online places are taken. Join the waitlist, or choose another way.")
        )


def _existing(session: Session, user: object | None, guest: Guest | None) -> Rsvp | None:
    if user is not None:
        return session.rsvps.filter(user=user).first()
    assert guest is not None
    return session.rsvps.of_guest(guest.email).first()


@transaction.atomic
def rsvp_create(
    *,
    session: Session,
    attend_as: str,
    user: object | None = None,
    guest: Guest | None = None,
    waitlist_ok: bool = True,
    listed: bool = False,
    language: str | None = None,
) -> tuple[Rsvp, bool]:
    """Answer "I'm coming" for a member (`user`) or a guest. Returns (rsvp, created).

    Answering again is safe: an active RSVP is returned as it is (a double submit or
    eight tabs at once leave one RSVP); a cancelled one comes back to life at the end
    of the queue.

    A guest is whoever typed the address, not necessarily its owner: an active guest
    RSVP is never changed by answering again, and its private link goes to the address
    by email (the caller shows the same answer either way).

    `language` is the one the answer was made in (the request's): the RSVP keeps it, so
    that a guest's emails follow it. An active RSVP answered again keeps its own.

    Side effects: a confirmation or waitlist email after the commit; for a guest who
    already has an active RSVP, an email with its private link instead; the session's
    stored attendance counts (sessions_app.services.counts) recounted.
    """
    if (user is None) == (guest is None):
        raise ValueError("An RSVP is for a member or for a guest.")
    session = _lock(session)
    _check_open(session)
    rsvp = _existing(session, user, guest)
    if rsvp is not None and rsvp.is_active:
        if guest is not None:
            notify(MailKind.RSVP_LINK, [rsvp])
        return rsvp, False
    created = rsvp is None
    if rsvp is None:
        rsvp = Rsvp(session=session, user=user)
    if guest is not None:
        rsvp.name, rsvp.organization = guest.name, guest.organization
        rsvp.email = canonical_email(guest.email)
    rsvp.listed = listed and user is not None
    if language is not None:
        rsvp.language = _language(language)
    rsvp.status = ""
    rsvp.queued_at = timezone.now()
    _place(rsvp, session, attend_as, waitlist_ok=waitlist_ok)
    rsvp.checked_in_at = None
    rsvp.full_clean(exclude=["token"])
    try:
        with transaction.atomic():
            rsvp.save()
    except IntegrityError:
        # Only reachable if a row appeared despite the lock (another database session
        # bypassing this service): answer with what is there, as for a double submit.
        existing = _existing(session, user, guest)
        if existing is None:
            raise
        if guest is not None:
            notify(MailKind.RSVP_LINK, [existing])
        return existing, False
    session_counts_refresh(session_ids=[session.pk])
    kind = MailKind.RSVP_CONFIRMED if rsvp.is_going else MailKind.RSVP_WAITLISTED
    notify(kind, [rsvp])
    return rsvp, created


@transaction.atomic
def rsvp_change(
    *, rsvp: Rsvp, attend_as: str, waitlist_ok: bool = True, language: str | None = None
) -> Rsvp:
    """Switch between in person and online. Leaving a seat gives it to the next in line.
    `language`, the one the change was made in, becomes the RSVP's (its emails' language).

    Side effects: a confirmation (or waitlist) email when the status or mode changed,
    with a calendar CANCEL when they gave up a place for a waitlist; promotion emails
    for anyone who got the freed place; the session's stored attendance counts recounted.
    """
    session = _lock(rsvp.session)
    _check_open(session)
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if not rsvp.is_active:
        raise RsvpClosed(_("This RSVP was cancelled. Answer again to come back."))
    if language is not None and _language(language) != rsvp.language:
        rsvp.language = _language(language)
        rsvp.save(update_fields=["language"])
    if attend_as == rsvp.attend_as:
        return rsvp
    before = (rsvp.status, rsvp.attend_as)
    _place(rsvp, session, attend_as, waitlist_ok=waitlist_ok)
    rsvp.save()
    if (rsvp.status, rsvp.attend_as) != before:
        if rsvp.is_going:
            kind = MailKind.RSVP_CONFIRMED
        elif before[0] == RsvpStatus.GOING:
            kind = MailKind.RSVP_MOVED_TO_WAITLIST
        else:
            kind = MailKind.RSVP_WAITLISTED
        notify(kind, [rsvp])
    if before[0] == RsvpStatus.GOING:
        fill_free_places(session=session)
    session_counts_refresh(session_ids=[session.pk])
    return rsvp


@transaction.atomic
def rsvp_cancel(*, rsvp: Rsvp) -> Rsvp:
    """Withdraw an RSVP. A freed place goes to the first person waiting for it.

    Side effects: a confirmation with a calendar CANCEL to the person, and promotion
    emails, after the commit; the session's stored attendance counts recounted.
    """
    session = _lock(rsvp.session)
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if not rsvp.is_active:
        return rsvp
    was_going = rsvp.is_going
    rsvp.status = RsvpStatus.CANCELLED
    rsvp.save(update_fields=["status", "updated"])
    notify(MailKind.RSVP_CANCELLED, [rsvp])
    if was_going and session.is_open_for_rsvp:
        fill_free_places(session=session)
    session_counts_refresh(session_ids=[session.pk])
    return rsvp


def fill_free_places(*, session: Session) -> list[Rsvp]:
    """Promote waiting people, first come first served, while places are free.

    Call inside a transaction that holds the session lock (the services above do).
    Side effects: a "you're in" email to each promoted person after the commit.
    """
    promoted: list[Rsvp] = []
    for attend_as in allowed_modes(session):
        left = places_left(session, attend_as)
        waiting = session.rsvps.waitlisted().filter(attend_as=attend_as).in_queue_order()
        if left is not None:
            waiting = waiting[:left]
        for rsvp in waiting:
            rsvp.status = RsvpStatus.GOING
            rsvp.save(update_fields=["status", "updated"])
            promoted.append(rsvp)
    notify(MailKind.RSVP_PROMOTED, promoted)
    return promoted


@transaction.atomic
def session_places_changed(*, session: Session) -> list[Rsvp]:
    """After capacity, venue or mode changed: promote into new places.

    Side effects: promotion emails after the commit; the session's stored attendance
    counts recounted.
    """
    session = _lock(session)
    if not session.is_open_for_rsvp:
        return []
    allowed = allowed_modes(session)
    # A session that stopped offering a mode moves its people to the one it offers,
    # in the order they answered; lowered capacity never takes a place away.
    for rsvp in session.rsvps.active().exclude(attend_as__in=allowed).in_queue_order():
        _place(rsvp, session, allowed[0], waitlist_ok=True)
        rsvp.save(update_fields=["attend_as", "status", "queued_at", "updated"])
    promoted = fill_free_places(session=session)
    session_counts_refresh(session_ids=[session.pk])
    return promoted


@transaction.atomic
def rsvps_claim_for_member(*, user: object, email: str) -> int:
    """Guest RSVPs made with this (now verified) email become the member's own.

    Anyone could have typed this address into the guest form, so nothing made with
    it carries over as a key: every guest RSVP gets a new manage token (the old links
    answer 404; the member manages them signed in) and the guest calendar feed is
    deleted (the member's own feed lists these RSVPs from now on). Where the member
    already answered for the same session, the member's answer stands and the guest
    one is cancelled. Returns how many were claimed.

    Side effects: cancellation and promotion emails for cancelled duplicates, after
    the commit; the guest feed token row is deleted; the stored people of the months
    (that are over) with a claimed RSVP recounted.
    """
    guest_rsvps = Rsvp.objects.of_guest(email).select_related("session")
    answered = set(Rsvp.objects.filter(user=user).values_list("session_id", flat=True))
    claimed = 0
    months = []  # a claimed RSVP counts the member, not the address, in months that are over
    for rsvp in guest_rsvps.select_for_update():
        rsvp.token = new_token()
        if rsvp.session_id in answered:
            rsvp.save(update_fields=["token", "updated"])
            if rsvp.is_active:
                rsvp_cancel(rsvp=rsvp)
            continue
        rsvp.user = user
        rsvp.save(update_fields=["user", "token", "updated"])
        months.append(timezone.localtime(rsvp.session.starts_at, local_zone()).date())
        claimed += 1
    month_people_refresh(months=months)
    feed_token_forget_guest(email=email)
    return claimed
