"""Delivering the outbox: claim a batch, render it, send it over one connection, record
what happened to each message.

Two workers never send the same message: a batch is claimed with one conditional
UPDATE (rows still waiting, marked with this worker's claim), so each row goes to
whichever worker's UPDATE reaches it first; on PostgreSQL the rows are picked with
SKIP LOCKED, so workers take different rows instead of waiting on each other. A claim
is a lease: a worker killed mid-batch leaves its rows "sending" until the lease runs
out, then the next worker takes them again (`release_expired`). A live worker sends
for half its lease at most, then claims the rest again (a slow mail server), so no
other worker takes back rows it still holds. The one message that can go twice is
the one in flight when a worker dies after the mail server took it and before the
row was marked sent; the copy carries the same Message-ID.

What happens to a message the mail server won't take:
- a permanent refusal (a 5xx reply: no such mailbox, a malformed address) marks it
  failed at once;
- anything else (the server is down, times out, drops the connection, a 4xx reply, the
  database blinked while rendering) tries it again later, after 1, 5, 15 and 60 minutes,
  then 3, 6 and 12 hours, up to MAIL_RETRY_HOURS after it was queued, with one last
  attempt at that moment; then it is marked failed, and listed for organizers.
"""

import logging
import smtplib
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string

from cop_portal.mail.models import EmailStatus, OutgoingEmail
from cop_portal.mail.outbox import Skip, renderer_for

logger = logging.getLogger(__name__)

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
ERROR_LENGTH = 1000


@dataclass
class Outcome:
    """What one delivery run did, by status."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retrying: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Outcome") -> None:
        self.sent += other.sent
        self.skipped += other.skipped
        self.failed += other.failed
        self.retrying += other.retrying
        self.errors.extend(other.errors)


class ConnectionLost(Exception):
    """The mail server can't be reached, or hung up: the rest of the batch waits."""


def next_attempt(attempts: int, now: datetime, give_up_at: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries, or None to give up."""
    if now >= give_up_at:
        return None
    pause = BACKOFF[min(attempts, len(BACKOFF)) - 1] if attempts else BACKOFF[0]
    return min(now + pause, give_up_at)


def is_permanent(error: BaseException) -> bool:
    """A 5xx reply refuses this message for good; anything else may pass later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    # Django refuses a malformed address or header (ValueError, BadHeaderError) before
    # saying anything to the server: every later try would be refused the same way.
    return isinstance(error, ValueError)


def breaks_connection(error: BaseException) -> bool:
    """Whether the connection is gone, so the rest of the batch must not use it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code in (421,)
    return isinstance(error, smtplib.SMTPException | OSError | socket.timeout)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def describe(error: BaseException) -> str:
    """What went wrong, in words an organizer can act on, with the server's own reply."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(_reply(code, text) for code, text in error.recipients.values())
        text = f"The mail server refused the address: {replies}"
    elif isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(
        error.__context__, socket.timeout | TimeoutError
    ):
        # smtplib reports a reply that never came as a closed connection.
        text = "The mail server did not answer in time (timed out)"
    elif isinstance(error, smtplib.SMTPServerDisconnected):
        text = f"The mail server hung up: {error}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"The mail server refused the message: {_reply(error.smtp_code, error.smtp_error)}"
    elif isinstance(error, socket.timeout | TimeoutError):
        text = f"The mail server did not answer in time ({error or 'timed out'})"
    elif isinstance(error, ConnectionError | socket.gaierror):
        text = f"Could not reach the mail server: {error}"
    elif isinstance(error, ValueError):
        text = f"The message could not be written (a malformed address?): {error}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:ERROR_LENGTH]


def claim(size: int, now: datetime | None = None) -> list[OutgoingEmail]:
    """Take up to `size` messages that are due, for this worker alone."""
    now = now or timezone.now()
    token = get_random_string(24)
    with transaction.atomic():
        due = OutgoingEmail.objects.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=now)
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        # Picked first, then updated by id: in one `UPDATE … WHERE pk IN (SELECT … LIMIT
        # … FOR UPDATE SKIP LOCKED)`, PostgreSQL may run the subquery again for each row
        # (a nested loop), each run skipping the rows already updated, and so claim the
        # whole outbox instead of `size` rows.
        picked = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:size])
        OutgoingEmail.objects.filter(pk__in=picked, status=EmailStatus.QUEUED).update(
            status=EmailStatus.SENDING,
            claim=token,
            lease_until=now + _lease(),
        )
    return list(
        OutgoingEmail.objects.filter(claim=token, status=EmailStatus.SENDING).order_by("pk")
    )


def _lease() -> timedelta:
    return timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def release_expired(now: datetime | None = None) -> int:
    """Give back messages whose worker held them past the lease (it was killed, or lost
    its database): they are due again at once."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(status=EmailStatus.SENDING, lease_until__lt=now).update(
        status=EmailStatus.QUEUED, claim="", lease_until=None, next_attempt_at=now
    )


def _mine(row: OutgoingEmail) -> QuerySet[OutgoingEmail]:
    # Only while this worker still holds the row: if the lease ran out and another
    # worker took it, this one's late news changes nothing.
    return OutgoingEmail.objects.filter(pk=row.pk, claim=row.claim, status=EmailStatus.SENDING)


def _finish(
    row: OutgoingEmail, status: str, *, error: str = "", subject: str = "", tried: bool = False
) -> None:
    changes: dict[str, object] = {
        "status": status,
        "claim": "",
        "lease_until": None,
        "finished_at": timezone.now(),
    }
    if error:
        changes["last_error"] = error
    if tried:
        changes["attempts"] = row.attempts + 1
    if subject:
        changes["subject"] = subject[:300]
    if status == EmailStatus.SENT and row.kind == "account":
        # allauth's text holds log-in codes and reset links: gone once delivered.
        changes["params"] = {}
    _mine(row).update(**changes)


def _retry_or_fail(row: OutgoingEmail, error: str, now: datetime) -> bool:
    """Schedule the next attempt; True if there is one, False if the row failed."""
    attempts = row.attempts + 1
    when = next_attempt(attempts, now, row.give_up_at)
    if when is None:
        _mine(row).update(
            status=EmailStatus.FAILED,
            attempts=attempts,
            claim="",
            lease_until=None,
            finished_at=now,
            last_error=error,
        )
        logger.error("Gave up on email %s (%s): %s", row.pk, row.kind, error)
        return False
    _mine(row).update(
        status=EmailStatus.QUEUED,
        attempts=attempts,
        claim="",
        lease_until=None,
        next_attempt_at=when,
        last_error=error,
    )
    logger.warning("Email %s (%s) will be tried again at %s: %s", row.pk, row.kind, when, error)
    return True


def _put_back(rows: Sequence[OutgoingEmail], when: datetime) -> None:
    """Rows of a batch that were never tried (the connection went): due again at `when`,
    no attempt counted."""
    for row in rows:
        _mine(row).update(
            status=EmailStatus.QUEUED, claim="", lease_until=None, next_attempt_at=when
        )


def _render(rows: Sequence[OutgoingEmail]) -> list[tuple[OutgoingEmail, object]]:
    """Each row with its message, its Skip, or the exception that rendering raised."""
    by_kind: dict[str, list[OutgoingEmail]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    rendered: list[tuple[OutgoingEmail, object]] = []
    for kind, batch in by_kind.items():
        try:
            rendered.extend(renderer_for(kind)(batch))
        except Exception as error:
            logger.exception("Could not render %s %s emails.", len(batch), kind)
            rendered.extend((row, error) for row in batch)
    return sorted(rendered, key=lambda pair: pair[0].pk)


def send_batch(rows: Sequence[OutgoingEmail]) -> Outcome:
    """Render and send claimed rows over one connection; record each one's fate."""
    outcome = Outcome()
    now = timezone.now()
    # Half the lease for sending, the other half for the message in flight: past its
    # lease, another worker's round takes a row back and sends it too.
    stop_at = min(row.lease_until or now for row in rows) - _lease() / 2 if rows else now
    rendered = _render(rows)
    connection = get_connection()
    opened = False
    try:
        for index, (row, message) in enumerate(rendered):
            if index and timezone.now() >= stop_at:
                # Due again at once, no attempt counted: the next claim (this worker's
                # or another's) takes them with a fresh lease. The first message always
                # goes, so that a batch slow to render still moves on.
                _put_back([pair[0] for pair in rendered[index:]], timezone.now())
                break
            if isinstance(message, Skip):
                _finish(row, EmailStatus.SKIPPED, error=message.reason)
                logger.info("Email %s (%s) not sent: %s", row.pk, row.kind, message.reason)
                outcome.skipped += 1
                continue
            if isinstance(message, BaseException):
                if _retry_or_fail(row, describe(message), now):
                    outcome.retrying += 1
                else:
                    outcome.failed += 1
                continue
            message.connection = connection
            message.extra_headers["Message-ID"] = row.message_id
            try:
                if not opened:
                    # Opened here, not by send(): a connection that send() opens itself
                    # is closed after each message.
                    connection.open()
                    opened = True
                message.send()
            except Exception as error:
                text = describe(error)
                outcome.errors.append(text)
                if is_permanent(error):
                    _finish(
                        row, EmailStatus.FAILED, error=text, subject=message.subject, tried=True
                    )
                    logger.error("Email %s (%s) refused for good: %s", row.pk, row.kind, text)
                    outcome.failed += 1
                elif _retry_or_fail(row, text, now):
                    outcome.retrying += 1
                else:
                    outcome.failed += 1
                if breaks_connection(error):
                    later = [pair[0] for pair in rendered[index + 1 :]]
                    _put_back(later, now + BACKOFF[0])
                    outcome.retrying += len(later)
                    break
                continue
            _finish(row, EmailStatus.SENT, subject=message.subject, tried=True)
            outcome.sent += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Could not close the mail connection.")
    return outcome


def deliver_due(*, max_batches: int | None = None) -> Outcome:
    """Send every message that is due, batch after batch, until none is left (or
    `max_batches`). Stops early when the mail server is unreachable: the messages wait
    for their next attempt."""
    total = Outcome()
    batches = 0
    while max_batches is None or batches < max_batches:
        rows = claim(settings.MAIL_BATCH_SIZE)
        if not rows:
            break
        outcome = send_batch(rows)
        total.add(outcome)
        batches += 1
        if outcome.retrying and not outcome.sent:
            break  # the server is down: don't spin through the rest now
    return total


def is_due(now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        Q(status=EmailStatus.QUEUED, next_attempt_at__lte=now)
        | Q(status=EmailStatus.SENDING, lease_until__lt=now)
    ).exists()
