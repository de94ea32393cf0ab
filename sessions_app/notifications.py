"""Emails to the people who RSVP'd, with a calendar invitation where one belongs.

The services call `notify` inside their transaction: it puts one outbox row per RSVP
(cop_portal.mail.outbox), which commits with the RSVP or not at all, and the worker
delivers it. Each email is rendered when it is sent, from what the database holds
then (`render`): news that is no longer true is not sent. Reminders are queued by the
worker's periodic round (`queue_reminders`), or by `manage.py send_reminders`.
"""

import logging
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cop_portal.lib.dates import date_as
from cop_portal.lib.urls import absolute_url
from cop_portal.mail import limits, outbox
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.compose import CalendarEmail, Preview, compose
from cop_portal.mail.compose import preview as compose_preview
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import EmailStatus, OutgoingEmail, Preference
from cop_portal.mail.outbox import Rendered, Skip
from sessions_app import ical, selectors
from sessions_app.models import (
    AttendAs,
    Rsvp,
    RsvpQuerySet,
    RsvpStatus,
    Session,
    SessionStatus,
)
from sessions_app.models.session import local_zone
from sessions_app.session_changes import (
    DATE,
    TIME,
    Snapshot,
    as_told,
    differences,
    subject_name,
    title_for,
)

logger = logging.getLogger(__name__)

RSVP_KINDS = (
    MailKind.RSVP_CONFIRMED,
    MailKind.RSVP_WAITLISTED,
    MailKind.RSVP_MOVED_TO_WAITLIST,
    MailKind.RSVP_PROMOTED,
    MailKind.RSVP_CANCELLED,
    MailKind.RSVP_LINK,
    MailKind.SESSION_CHANGED,
    MailKind.SESSION_CANCELLED,
    MailKind.SESSION_REMINDER,
)

# Which emails carry a calendar invitation, and what it does there. The waitlist
# email has none: a place is not promised yet.
INVITATION_METHODS = {
    MailKind.RSVP_CONFIRMED: ical.REQUEST,
    MailKind.RSVP_PROMOTED: ical.REQUEST,
    MailKind.SESSION_CHANGED: ical.REQUEST,
    MailKind.SESSION_REMINDER: ical.REQUEST,
    MailKind.SESSION_CANCELLED: ical.CANCEL,
    MailKind.RSVP_CANCELLED: ical.CANCEL,
    MailKind.RSVP_MOVED_TO_WAITLIST: ical.CANCEL,
}
# Emails that take an event out of calendars that may hold it, whatever the RSVP is now.
WITHDRAWALS = frozenset({MailKind.RSVP_CANCELLED, MailKind.RSVP_MOVED_TO_WAITLIST})

# Every RSVP email carries the unsubscribe link for reminders: the one optional stream
# that RSVPs lead to. Only the reminder itself can be switched off; the others confirm
# what the person did, or tell them a session they're coming to changed.
PREFERENCE = Preference.REMINDERS
OPTIONAL_KINDS = frozenset({MailKind.SESSION_REMINDER})

# Emails about what the person just did themselves (or what anyone typing their address
# did), by what they do to the person's calendar: "in" puts the event there, "out" takes
# it out (or never puts it), None only repeats the private link. They are coalesced per
# RSVP (see `coalesced`) and counted in the per-recipient budget that anyone can spend.
# The others are news from organizers and the schedule (cop_portal.mail.limits.Budget):
# never coalesced, each a message of its own.
OWN_ACTION_KINDS: dict[MailKind, str | None] = {
    MailKind.RSVP_CONFIRMED: "in",
    MailKind.RSVP_WAITLISTED: "out",
    MailKind.RSVP_MOVED_TO_WAITLIST: "out",
    MailKind.RSVP_CANCELLED: "out",
    MailKind.RSVP_LINK: None,
}

# Where an RSVP's emails go, as a database expression (see ical.rsvp_email).
RSVP_ADDRESS = Case(When(user__isnull=False, then=F("user__email")), default=F("email"))


def rsvps_for_email() -> RsvpQuerySet:
    """RSVPs with everything an email shows, in one query."""
    return Rsvp.objects.select_related("session__venue", "user")


def rsvp_language(rsvp: Rsvp) -> str:
    """The language of every email about this RSVP: a member's own choice
    (User.language, read when the email is sent, so a change applies to emails still
    waiting), else the one the guest answered in (Rsvp.language)."""
    if rsvp.user_id is not None and rsvp.user is not None:
        return rsvp.user.language or settings.LANGUAGE_CODE
    return rsvp.language or settings.LANGUAGE_CODE


def notify(
    kind: MailKind, rsvps: Sequence[Rsvp], *, before: Snapshot | None = None, note: str = ""
) -> None:
    """Queue one email of this kind to each RSVP, in the current transaction (a
    rolled-back change queues nothing).

    Each row's key names the RSVP and the change (the session's `sequence` for news
    about the session, the RSVP's last change for the person's own answer), so the same
    change queued twice is one email.

    `before` is the session as it was before a change (sessions_app.session_changes),
    kept with a "session changed" email so that it can say what changed. A second
    change while the first one's email still waits queues nothing new: that email is
    rendered when sent, so it says the oldest "before" against the session as it is then.

    `note` is the organizer's personal note to the people told (sessions_app.notify_choice),
    kept in the row and quoted in the email; a note with a second change replaces the one
    in the email still waiting. For the people a change leaves out, see `keep_to_what_was_told`.

    Side effects: inserts outbox rows (locking the "session changed" rows still waiting
    for these RSVPs, so no worker takes one between this check and the commit, and
    giving them the new note); the worker delivers them after the commit.
    """
    now = timezone.now()
    if kind in ORGANIZER_NEWS:
        rsvps = one_per_address(rsvps)
    params: dict[str, Any] = {"note": note} if note else {}
    waiting: set[int] = set()
    if kind == MailKind.SESSION_CHANGED:
        if before is not None:
            params["before"] = before
        waiting = _changes_waiting(rsvps, note=note)
    rows = [
        outbox.email(
            kind,
            to=ical.rsvp_email(rsvp),
            key=_key(kind, rsvp, now),
            params={"rsvp": rsvp.pk, **params},
            topic=f"session:{rsvp.session_id}",
            now=now,
        )
        for rsvp in rsvps
        if rsvp.pk not in waiting
    ]
    outbox.queue(rows)


# News from organizers about the session: one email per address, whoever answered twice.
ORGANIZER_NEWS = frozenset({MailKind.SESSION_CHANGED, MailKind.SESSION_CANCELLED})


def one_per_address(rsvps: Sequence[Rsvp]) -> list[Rsvp]:
    """One RSVP per address (a member and a guest can share one), the one going first:
    the number the organizer was shown (notify_choice.who_is_told) is the emails sent."""
    chosen: dict[str, Rsvp] = {}
    for rsvp in sorted(rsvps, key=lambda rsvp: not rsvp.is_going):
        chosen.setdefault(ical.rsvp_email(rsvp).lower(), rsvp)
    return list(chosen.values())


def _changes_waiting(rsvps: Sequence[Rsvp], *, note: str = "") -> set[int]:
    """The RSVPs among these with a "session changed" email not yet taken by a worker;
    a new `note` replaces the one in those emails."""
    if not rsvps:
        return set()
    waiting = OutgoingEmail.objects.select_for_update().filter(
        kind=MailKind.SESSION_CHANGED,
        status=EmailStatus.QUEUED,
        topic__in={f"session:{rsvp.session_id}" for rsvp in rsvps},
    )
    ids = {rsvp.pk for rsvp in rsvps}
    rows = [row for row in waiting.only("params") if row.params.get("rsvp") in ids]
    # Told about this change too: the email says the session as it is when sent.
    changed = [row for row in rows if row.params.pop("after", None) is not None or note]
    if note:
        for row in rows:
            row.params["note"] = note
    OutgoingEmail.objects.bulk_update(changed, ["params"])
    return {row.params["rsvp"] for row in rows}


def keep_to_what_was_told(*, session: Session, told: Sequence[Rsvp], was: Snapshot) -> None:
    """A change the organizer tells only some people about (only people going, or
    nobody) leaves the others' "session changed" emails still waiting saying only what
    they were queued for: `was` (the session before this change, a
    session_changes.told_snapshot) becomes their end point, so they don't describe this
    change, nor carry it in their invitation. An email that already has one keeps it.

    Side effects: updates the params of those outbox rows (locked until the commit).
    """
    ids = {rsvp.pk for rsvp in told}
    waiting = OutgoingEmail.objects.select_for_update().filter(
        kind=MailKind.SESSION_CHANGED, status=EmailStatus.QUEUED, topic=f"session:{session.pk}"
    )
    left_out = [
        row
        for row in waiting.only("params")
        if row.params.get("rsvp") not in ids and "after" not in row.params
    ]
    for row in left_out:
        row.params["after"] = was
    OutgoingEmail.objects.bulk_update(left_out, ["params"])


def _key(kind: MailKind, rsvp: Rsvp, now: datetime) -> str:
    if kind in (MailKind.SESSION_CHANGED, MailKind.SESSION_CANCELLED):
        return f"{kind}:{rsvp.pk}:s{rsvp.session.sequence}"
    if kind == MailKind.RSVP_LINK:
        # The RSVP didn't change: each answer again is its own cause (and coalesced).
        return f"{kind}:{rsvp.pk}:{now.timestamp():.6f}"
    return f"{kind}:{rsvp.pk}:{rsvp.updated.timestamp():.6f}"


@outbox.renderer(*RSVP_KINDS)
def render(rows: Sequence[OutgoingEmail]) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    """Each queued RSVP email as a message, or why it is no longer sent."""
    ids = [row.params.get("rsvp") for row in rows]
    rsvps = rsvps_for_email().in_bulk([pk for pk in ids if isinstance(pk, int)])
    with email_prefs.unsubscribe_keys_for(ical.rsvp_email(rsvp) for rsvp in rsvps.values()):
        for row in rows:
            rsvp = rsvps.get(row.params.get("rsvp"))
            if rsvp is None:
                yield row, Skip("The RSVP no longer exists.")
                continue
            yield row, render_one(MailKind(row.kind), rsvp, row)


def render_one(kind: MailKind, rsvp: Rsvp, row: OutgoingEmail) -> Rendered:
    """The message, or a Skip: the news is no longer true (the RSVP or the session
    changed since it was queued), the person switched it off, one like it went moments
    ago, or a limit holds it back.

    Coalescing: see `coalesced`.

    Limits: every email but the reminder counts against one of the address's two
    per-recipient budgets (cop_portal.mail.limits.Budget: the person's own answers in
    the one anyone can spend, organizers' news in the other).
    """
    if not still_applies(kind, rsvp):
        return Skip("No longer applies: the RSVP or the session changed since.")
    if kind == MailKind.SESSION_REMINDER and row.params.get("starts_at") not in (
        None,
        rsvp.session.starts_at.isoformat(),
    ):
        return Skip("The session moved since this reminder was queued.")
    before = row.params.get("before") if kind == MailKind.SESSION_CHANGED else None
    after = row.params.get("after") if kind == MailKind.SESSION_CHANGED else None
    if before is not None and not differences(before, rsvp.session, show_link=rsvp.may_join_online):
        return Skip("Nothing the person would see changed: it changed back since.")
    if before is not None and after is not None:
        # Left out of later changes (keep_to_what_was_told): the email says the session
        # as it was when queued, unless that is nothing new to them either.
        rsvp.session = as_told(rsvp.session, after)
        if not differences(before, rsvp.session, show_link=rsvp.may_join_online):
            return Skip("Nothing the person would see changed: it changed back since.")
    address = ical.rsvp_email(rsvp)
    if kind in OPTIONAL_KINDS and not email_prefs.wants_email(address, PREFERENCE):
        return Skip("Switched off by the person.")
    own = kind in OWN_ACTION_KINDS
    if row.params.get("latest"):
        kind = latest_kind(rsvp)  # what the answer is now, whatever was queued
        if kind is None or told(rsvp) == answer_of(rsvp):
            return Skip("The last email already said this.")
    elif own and coalesced(kind, rsvp, row.pk):
        follow_up(rsvp, kind)
        return Skip("One like it was sent moments ago; the latest answer follows.")
    # Reminders are not counted: one per RSVP per session date.
    budget = limits.Budget.REQUESTED if own else limits.Budget.NOTICES
    what = f"{kind} for RSVP {rsvp.pk}"
    if kind != MailKind.SESSION_REMINDER and not limits.recipient_allowed(
        address, what=what, budget=budget
    ):
        return Skip("Over the per-recipient limit.")
    if own:
        remember_told(rsvp)
    return build_email(kind, rsvp, before=before, note=str(row.params.get("note", "")))


def answer_of(rsvp: Rsvp) -> str:
    return f"{rsvp.status}:{rsvp.attend_as}"


def _told_key(rsvp: Rsvp) -> str:
    return f"mail:rsvp-told:{rsvp.pk}"


def told(rsvp: Rsvp) -> str | None:
    """The answer (status and mode) the person's last own-answer email gave."""
    return caches["default"].get(_told_key(rsvp))


def remember_told(rsvp: Rsvp) -> None:
    caches["default"].set(_told_key(rsvp), answer_of(rsvp), 24 * 3600)


def latest_kind(rsvp: Rsvp) -> MailKind | None:
    """The email that states this RSVP's answer now (None for a cancelled one, whose
    own email is never held back)."""
    if rsvp.is_going:
        return MailKind.RSVP_CONFIRMED
    if rsvp.is_waitlisted:
        return MailKind.RSVP_WAITLISTED
    return None


def follow_up(rsvp: Rsvp, kind: MailKind) -> None:
    """An email held back in the window (see `coalesced`) is not lost: one email per
    window, due when it ends, states the answer as it is then, unless the last email
    already said the same (switching back and forth ends where it started).

    Side effects: inserts one outbox row per RSVP and window (its key names the email
    that opened the window).
    """
    _effect, opened_by, opened_at = _window(rsvp)
    due = timezone.now()
    if opened_at is not None:
        due = datetime.fromtimestamp(opened_at, tz=UTC)
    due += timedelta(seconds=settings.RSVP_EMAIL_COALESCE_SECONDS + 1)
    row = outbox.email(
        kind,
        to=ical.rsvp_email(rsvp),
        key=f"rsvp_latest:{rsvp.pk}:{opened_by}",
        params={"rsvp": rsvp.pk, "latest": True},
        topic=f"session:{rsvp.session_id}",
    )
    row.next_attempt_at = due
    row.give_up_at = outbox.give_up_at(due)
    outbox.queue([row])


def _window(rsvp: Rsvp) -> tuple[str | None, int | None, float | None]:
    """(effect, email id, when) of the email that opened this RSVP's window."""
    value = caches["default"].get(f"mail:rsvp-effect:{rsvp.pk}")
    if not value:
        return None, None, None
    return (*value, None)[:3]


def coalesced(kind: MailKind, rsvp: Rsvp, email_id: int | None = None) -> bool:
    """Whether this email about the person's own answer can be skipped, because one
    with the same effect on their calendar went to them less than
    RSVP_EMAIL_COALESCE_SECONDS ago (each email sent starts the window again).

    Switching in person/online back and forth, or answering again, sends one email in
    the window; the page shows the current state. A change that takes the event out of
    the calendar (cancelling, giving up a place for a waitlist) or puts it back always
    goes, as the calendar would otherwise be wrong: those are bounded by the per-sender
    and per-recipient limits. The private link (`RSVP_LINK`) is skipped after any
    email in the window, as that email carried it. What is held back is not lost: at the
    window's end one email states the answer as it is then (`follow_up`). An email
    tried again (the mail server refused it for now) is never skipped on
    account of its own earlier try: the cache remembers which email (`email_id`) it was.

    Side effects: remembers the effect of an email about to be sent, in the cache.
    """
    seconds = settings.RSVP_EMAIL_COALESCE_SECONDS
    if seconds <= 0:
        return False
    effect = OWN_ACTION_KINDS[kind]
    cache = caches["default"]
    key = f"mail:rsvp-effect:{rsvp.pk}"
    last_effect, last_email, _opened_at = _window(rsvp)
    if email_id is not None and last_email == email_id:
        return False
    if last_effect is not None and (effect is None or effect == last_effect):
        return True
    cache.set(key, (effect or last_effect or "link", email_id, time.time()), seconds)
    return False


def still_applies(kind: MailKind, rsvp: Rsvp) -> bool:
    """Whether the news is still true: no "you're in" to someone who cancelled since,
    no invitation to a session that was called off meanwhile."""
    session = rsvp.session
    if kind == MailKind.SESSION_CANCELLED:
        # The session's RSVPs stay as they were; everyone who had one hears about it.
        return session.is_cancelled
    if kind == MailKind.RSVP_CANCELLED:
        return not rsvp.is_active and not session.is_cancelled
    if session.is_cancelled or not rsvp.is_active:
        return False
    if kind in (MailKind.RSVP_WAITLISTED, MailKind.RSVP_MOVED_TO_WAITLIST):
        return rsvp.is_waitlisted
    if kind in (MailKind.RSVP_CONFIRMED, MailKind.RSVP_PROMOTED, MailKind.SESSION_REMINDER):
        return rsvp.is_going
    return True


def build_email(
    kind: MailKind, rsvp: Rsvp, *, before: Snapshot | None = None, note: str = ""
) -> CalendarEmail:
    method = INVITATION_METHODS.get(kind)
    # Only people with a place have (or get) the event in their calendar. A withdrawn
    # place always carries the CANCEL: removing an event a calendar never had is harmless.
    with_invitation = method is not None and (rsvp.is_going or kind in WITHDRAWALS)
    language = rsvp_language(rsvp)
    # The context's words and the invitation's SUMMARY/DESCRIPTION too, not only the
    # templates, are in the reader's language.
    with translation.override(language):
        invitation = None
        if with_invitation:
            assert method is not None
            invitation = (ical.invitation(rsvp.session, rsvp, method), method)
        context = email_context(
            kind, rsvp, with_invitation=with_invitation, before=before, note=note
        )
    return compose(
        kind,
        to=ical.rsvp_email(rsvp),
        context=context,
        preference=PREFERENCE,
        optional=kind in OPTIONAL_KINDS,
        member=not rsvp.is_guest,
        language=language,
        invitation=invitation,
    )


def email_context(
    kind: MailKind,
    rsvp: Rsvp,
    *,
    with_invitation: bool,
    before: Snapshot | None = None,
    note: str = "",
) -> dict[str, Any]:
    session = rsvp.session
    session_url = absolute_url(session.get_absolute_url())
    sessions_url = absolute_url(reverse("sessions:session-list"))
    in_person = rsvp.attend_as == AttendAs.IN_PERSON
    # Guests have no account: their private link is the way to change or cancel.
    # Members sign in and answer on the session page.
    manage_url = absolute_url(rsvp.get_absolute_url()) if rsvp.is_guest else session_url
    context: dict[str, Any] = {
        "kind": kind,
        "session": session,
        "name": subject_name(session),
        "rsvp": rsvp,
        "recipient_name": rsvp.display_name,
        "session_url": session_url,
        "sessions_url": sessions_url,
        "manage_url": manage_url,
        "place": pgettext("a place at a session", "seat")
        if in_person
        else pgettext("a place at a session", "place online"),
        "places": pgettext("places at a session", "seats")
        if in_person
        else pgettext("places at a session", "online places"),
        "has_invitation": with_invitation,
        "when": day_word(session.starts_at),
        # The organizer's own words, quoted (emails/_note.*): "> " starts each line in text.
        "note": note,
        "note_quoted": "\n".join(f"> {line}".rstrip() for line in note.splitlines()),
    }
    # The one button of the email, in the session card.
    if kind == MailKind.SESSION_CANCELLED:
        context["cancelled"] = True
    elif kind == MailKind.RSVP_CANCELLED or not rsvp.is_guest:
        context["button_url"], context["button_label"] = session_url, _("View the session")
    else:
        context["button_url"], context["button_label"] = manage_url, _("Manage your RSVP")
    if kind == MailKind.SESSION_CHANGED:
        changes = (
            differences(before, session, show_link=rsvp.may_join_online)
            if before is not None
            else []
        )
        context["changes"] = changes
        context["change_title"] = title_for(changes)
        # The labels are in the reader's language, as DATE and TIME are here.
        context["time_changed"] = any(str(change.label) in (DATE, TIME) for change in changes)
    if rsvp.is_waitlisted:
        context["waitlist_position"] = selectors.waitlist_position(rsvp)
    # The meeting link goes to people with a place, in emails about coming: never to
    # the waitlist, never in a cancellation.
    if kind != MailKind.SESSION_CANCELLED and rsvp.may_join_online:
        context["meeting_url"] = session.meeting_url
        context["joining_instructions"] = session.joining_instructions
    return context


def preview_email(
    kind: MailKind,
    session: Session,
    *,
    member: Any,
    online: bool = False,
    before: Snapshot | None = None,
    note: str = "",
) -> Preview:
    """The email of this kind about `session` (as it would be: it need not be saved) as
    someone going would read it, in person or `online`: subject and plain text, greeting
    them by a placeholder. Built like the real one (`email_context`, `compose`) for a
    member's RSVP that is never saved, so nothing is queued and no invitation is made
    (the subject and text of cop_portal.mail.compose, without its per-reader footer link).
    `member` stands in for the reader's account (the organizer looking)."""
    rsvp = Rsvp(
        session=session,
        user=member,
        attend_as=AttendAs.ONLINE if online else AttendAs.IN_PERSON,
        status=RsvpStatus.GOING,
    )
    context = email_context(kind, rsvp, with_invitation=True, before=before, note=note)
    return compose_preview(kind, context=context, preference=PREFERENCE, optional=False)


def day_word(moment: datetime, now: datetime | None = None) -> str:
    """ "today", "tomorrow" or "on Saturday", in Cleveland's calendar and the active
    language."""
    zone = local_zone()
    day = timezone.localtime(moment, zone).date()
    today = timezone.localtime(now or timezone.now(), zone).date()
    if day == today:
        return _("today")
    if (day - today).days == 1:
        return _("tomorrow")
    if 1 < (day - today).days < 7:
        return _("on %(weekday)s") % {"weekday": dateformat.format(day, "l")}
    return _("on %(day)s") % {"day": date_as(day, "WEEKDAY_DAY")}


REMINDER_HOURS = 24
# No reminder can be older than this before the start it was for: one older than that
# was for an earlier date (the session moved since), and the RSVP is due again.
REMINDER_MAX_HOURS = 72


def reminders_due(hours: int = REMINDER_HOURS, now: datetime | None = None) -> RsvpQuerySet:
    """RSVPs with a place at a published session starting within `hours`, not reminded
    for this date yet, whose address wants reminders."""
    now = now or timezone.now()
    stale = F("session__starts_at") - timedelta(hours=REMINDER_MAX_HOURS)
    rsvps = (
        Rsvp.objects.filter(
            status=RsvpStatus.GOING,
            session__status=SessionStatus.PUBLISHED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + timedelta(hours=hours),
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=stale))
        .select_related("session", "user")
        .order_by("session__starts_at", "pk")
    )
    # People who switched reminders off are left unmarked: switching back on before the
    # session still reminds them.
    return email_prefs.filter_wanting(rsvps, PREFERENCE, address=RSVP_ADDRESS)


@transaction.atomic
def queue_reminders(hours: int = REMINDER_HOURS, now: datetime | None = None) -> int:
    """Queue the day-before reminder for every RSVP due one; returns how many.

    Run by the worker's periodic round, and by `manage.py send_reminders`. Each RSVP is
    marked reminded (for its session's current start) in the same transaction, with a
    conditional UPDATE, so two runs at once queue each reminder once; the outbox key
    names the RSVP and the start, so a session that moves gets a new reminder.

    Side effects: sets Rsvp.reminded_at; inserts outbox rows.
    """
    now = now or timezone.now()
    rsvps = list(reminders_due(hours, now))
    if not rsvps:
        return 0
    stale = F("session__starts_at") - timedelta(hours=REMINDER_MAX_HOURS)
    claimed = set(
        Rsvp.objects.filter(pk__in=[rsvp.pk for rsvp in rsvps])
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=stale))
        .values_list("pk", flat=True)
    )
    Rsvp.objects.filter(pk__in=claimed).update(reminded_at=now)
    rows = [
        outbox.email(
            MailKind.SESSION_REMINDER,
            to=ical.rsvp_email(rsvp),
            key=f"{MailKind.SESSION_REMINDER}:{rsvp.pk}:{rsvp.session.starts_at.isoformat()}",
            params={"rsvp": rsvp.pk, "starts_at": rsvp.session.starts_at.isoformat()},
            topic=f"session:{rsvp.session_id}",
            now=now,
        )
        for rsvp in rsvps
        if rsvp.pk in claimed
    ]
    outbox.queue(rows)
    return len(rows)
