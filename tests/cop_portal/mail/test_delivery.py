"""Delivering the outbox to a real mail server that misbehaves (tests/smtp_sink.py), over
Django's SMTP backend, as the worker does: nothing is lost, nothing goes twice.

The tests do the worker's part themselves (`delivery.deliver_due`, the `deliver` task)
and move the clock forward instead of waiting for retries. Most use allauth's emails,
whose text is in the row: what they show is the delivery, not a renderer.
"""

import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message

import pytest
from django.core.mail import EmailMessage
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cop_portal.mail import delivery, outbox, tasks
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import EmailStatus, OutgoingEmail
from members.account_mail import account_email_queue
from sessions_app.models import AttendAs, Rsvp
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.concurrency import at_once
from tests.factories import make_session
from tests.smtp_sink import (
    ACCEPT,
    HANG,
    HANG_UP,
    REFUSE_FOR_NOW,
    Sink,
)

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


class Clock:
    """`timezone.now()` for the code under test: stands still until the test moves it."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def queue_account_emails(*addresses: str) -> list[OutgoingEmail]:
    """Log-in codes for these addresses, queued as allauth's emails are (the rows only:
    the test does the worker's part)."""
    with transaction.atomic():
        for address in addresses:
            account_email_queue(
                EmailMessage(subject=f"Your code, {address}", body="Code: 424242", to=[address])
            )
    return list(OutgoingEmail.objects.order_by("pk"))


def account_email_rows(count: int) -> list[OutgoingEmail]:
    """Outbox rows saved without enqueuing their delivery (as if the task were lost)."""
    rows = [
        outbox.email(
            MailKind.ACCOUNT,
            to=f"person{n}@example.org",
            key=f"test:{n}",
            params={"subject": f"Message {n}", "body": "Hello"},
        )
        for n in range(count)
    ]
    OutgoingEmail.objects.bulk_create(rows)
    return list(OutgoingEmail.objects.order_by("pk"))


def fresh(rows: list[OutgoingEmail]) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk"))


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def rsvp_as_guest(session, email: str = "gia@example.org") -> Rsvp:
    rsvp, _ = rsvp_create(
        session=session, attend_as=AttendAs.ONLINE, guest=Guest("Gia Guest", email, "")
    )
    return rsvp


# The mail server says "not now"


def test_refused_for_now_waits_a_minute_then_goes_once(sink, clock):
    [row] = queue_account_emails("ana@example.org")
    sink.state.mode = REFUSE_FOR_NOW

    delivery.deliver_due()

    row.refresh_from_db()
    assert row.status == EmailStatus.QUEUED
    assert row.attempts == 1
    assert row.next_attempt_at == clock.now + MINUTE
    assert row.last_error == "The mail server refused the message: 451 4.3.0 Try again later"
    assert sink.messages == []

    sink.state.mode = ACCEPT
    clock.advance(MINUTE - timedelta(seconds=1))
    delivery.deliver_due()
    assert sink.state.offered == 1, "tried again before its time"
    clock.advance(timedelta(seconds=1))
    delivery.deliver_due()
    delivery.deliver_due()

    row.refresh_from_db()
    [message] = sink.messages
    assert message["To"] == "ana@example.org"
    assert message["Message-ID"] == row.message_id
    assert (row.status, row.attempts) == (EmailStatus.SENT, 2)


def test_rsvp_confirmation_refused_for_now_is_sent_when_tried_again(sink, clock):
    """A guest's confirmation (and private link) is not "coalesced" away by its own
    earlier try."""
    session = make_session(title="Block club basics", topic="")
    rsvp = rsvp_as_guest(session)
    sink.state.mode = REFUSE_FOR_NOW
    delivery.deliver_due()
    sink.state.mode = ACCEPT

    clock.advance(MINUTE)
    delivery.deliver_due()

    [message] = sink.messages
    assert message["To"] == "gia@example.org"
    assert subject(message).startswith("[CoP Portal] You're in: Block club basics, ")
    row = OutgoingEmail.objects.get()
    assert (row.kind, row.params, row.status) == ("rsvp_confirmed", {"rsvp": rsvp.pk}, "sent")


# The mail server is down, silent, or hangs up


def test_guest_rsvp_answers_while_the_mail_server_is_down_and_the_email_waits(
    client, mail_server_down, database_queue, clock
):
    """The request only writes rows (the database task backend, as in production): it
    never talks to the mail server, so a server that is down changes nothing for it."""
    session = make_session(title="Block club basics", topic="")
    url = reverse("sessions:rsvp-create", args=[session.slug])
    data = {"name": "Gia Guest", "email": "gia@example.org", "organization": "", "how": "online"}

    started = time.monotonic()
    response = client.post(url, data)
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert response.url == reverse("sessions:rsvp-sent", args=[session.slug])
    assert elapsed < 2
    rsvp = Rsvp.objects.get(session=session)
    row = OutgoingEmail.objects.get()
    assert (row.to, row.status, row.attempts) == ("gia@example.org", EmailStatus.QUEUED, 0)
    [task] = DBTaskResult.objects.all()
    assert (task.task_path, task.status) == ("cop_portal.mail.tasks.deliver", "READY")

    tasks.deliver.call()  # the worker's turn, with the mail server still down

    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.QUEUED, 1)
    assert row.last_error == "Could not reach the mail server: [Errno 111] Connection refused"
    assert row.next_attempt_at == clock.now + MINUTE
    assert Rsvp.objects.get() == rsvp


def test_guest_rsvp_confirmation_arrives_once_when_the_mail_server_is_back(
    client, mail_server_down, database_queue, clock
):
    session = make_session(title="Block club basics", topic="")
    url = reverse("sessions:rsvp-create", args=[session.slug])
    data = {"name": "Gia Guest", "email": "gia@example.org", "organization": "", "how": "online"}
    client.post(url, data)
    tasks.deliver.call()  # down: tried once
    clock.advance(MINUTE)
    tasks.deliver.call()  # still down: tried twice

    with Sink(port=mail_server_down) as sink:
        clock.advance(5 * MINUTE)
        tasks.deliver.call()
        tasks.deliver.call()

    [message] = sink.messages
    row = OutgoingEmail.objects.get()
    assert message["To"] == "gia@example.org"
    assert message["Message-ID"] == row.message_id
    assert subject(message).startswith("[CoP Portal] You're in: Block club basics, ")
    assert (row.status, row.attempts) == (EmailStatus.SENT, 3)


def test_server_down_stops_the_run_and_leaves_the_rest_of_the_outbox_due(
    mail_server_down, settings, clock
):
    settings.MAIL_BATCH_SIZE = 2
    rows = queue_account_emails(*(f"p{n}@example.org" for n in range(5)))

    outcome = delivery.deliver_due()

    assert (outcome.sent, outcome.retrying) == (0, 2)
    tried, put_back, *untouched = fresh(rows)
    assert (tried.attempts, tried.next_attempt_at) == (1, clock.now + MINUTE)
    assert (put_back.attempts, put_back.next_attempt_at) == (0, clock.now + MINUTE)
    assert [(row.attempts, row.next_attempt_at) for row in untouched] == [(0, clock.now)] * 3
    assert {row.status for row in fresh(rows)} == {EmailStatus.QUEUED}


def test_server_hanging_past_the_timeout_is_tried_again_later(sink, clock):
    rows = queue_account_emails("a@example.org", "b@example.org", "c@example.org")
    sink.state.script = [HANG]

    started = time.monotonic()
    delivery.deliver_due()
    elapsed = time.monotonic() - started

    assert elapsed < 5  # EMAIL_TIMEOUT is 1 s
    hung, *rest = fresh(rows)
    assert (hung.status, hung.attempts) == (EmailStatus.QUEUED, 1)
    assert hung.last_error == "The mail server did not answer in time (timed out)"
    assert [(row.status, row.attempts) for row in rest] == [(EmailStatus.QUEUED, 0)] * 2
    assert sink.messages == []

    clock.advance(MINUTE)
    delivery.deliver_due()

    assert sorted(sink.message_ids()) == sorted(row.message_id for row in rows)
    assert {row.status for row in fresh(rows)} == {EmailStatus.SENT}


def test_connection_dropped_mid_message_retries_it_and_the_rest_of_the_batch(sink, clock):
    rows = queue_account_emails(*(f"p{n}@example.org" for n in range(5)))
    sink.state.script = [ACCEPT, ACCEPT, HANG_UP]

    delivery.deliver_due()

    statuses = [(row.status, row.attempts) for row in fresh(rows)]
    assert statuses == [
        (EmailStatus.SENT, 1),
        (EmailStatus.SENT, 1),
        (EmailStatus.QUEUED, 1),  # the one the server dropped
        (EmailStatus.QUEUED, 0),  # never tried: the connection was gone
        (EmailStatus.QUEUED, 0),
    ]
    assert fresh(rows)[2].last_error == "The mail server hung up: Connection unexpectedly closed"

    clock.advance(MINUTE)
    delivery.deliver_due()

    assert sorted(sink.message_ids()) == sorted(row.message_id for row in rows)
    assert {row.status for row in fresh(rows)} == {EmailStatus.SENT}


# Refused for good


def test_bouncing_and_malformed_addresses_fail_at_once_and_the_others_go(sink):
    sink.state.bouncing = {"gone@example.org"}
    rows = queue_account_emails(
        "ana@example.org", "gone@example.org", "ben@@example.org", "cy@example.org"
    )

    delivery.deliver_due()

    ana, gone, malformed, cy = fresh(rows)
    assert (gone.status, gone.finished_at is not None) == (EmailStatus.FAILED, True)
    assert gone.last_error == "The mail server refused the address: 550 5.1.1 No such mailbox"
    assert (malformed.status, malformed.finished_at is not None) == (EmailStatus.FAILED, True)
    assert malformed.last_error == (
        "The message could not be written (a malformed address?): "
        'Invalid address "ben@@example.org"'
    )
    assert [message["To"] for message in sink.messages] == ["ana@example.org", "cy@example.org"]
    assert (ana.status, cy.status) == (EmailStatus.SENT, EmailStatus.SENT)
    assert OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).count() == 0


# Backoff


def test_refused_for_a_day_is_tried_with_growing_pauses_then_failed_at_give_up(
    sink, clock, settings
):
    settings.MAIL_RETRY_HOURS = 24
    start = clock.now
    [row] = queue_account_emails("ana@example.org")
    sink.state.mode = REFUSE_FOR_NOW
    tried_after = []

    while row.status == EmailStatus.QUEUED:
        clock.now = row.next_attempt_at - timedelta(seconds=1)
        delivery.deliver_due()
        assert sink.state.offered == len(tried_after), f"tried before {row.next_attempt_at}"
        clock.now = row.next_attempt_at
        delivery.deliver_due()
        tried_after.append(clock.now - start)
        row.refresh_from_db()

    h, m = timedelta(hours=1), MINUTE
    assert tried_after == [
        0 * m,
        1 * m,
        6 * m,
        21 * m,
        1 * h + 21 * m,
        4 * h + 21 * m,
        10 * h + 21 * m,
        22 * h + 21 * m,
        24 * h,  # the last pause is cut short: one last try when the day is over
    ]
    assert row.give_up_at == start + 24 * h
    assert (row.status, row.attempts, row.finished_at) == (EmailStatus.FAILED, 9, row.give_up_at)
    assert row.last_error == "The mail server refused the message: 451 4.3.0 Try again later"
    assert sink.state.offered == 9
    assert sink.messages == []


# Never twice


@pytest.mark.django_db(transaction=True)
def test_deliveries_running_at_once_never_send_a_message_twice(sink, settings):
    settings.MAIL_BATCH_SIZE = 10
    rows = account_email_rows(120)

    outcomes, errors = at_once([delivery.deliver_due] * 4)

    assert errors == []
    assert sum(outcome.sent for outcome in outcomes) == 120
    ids = sink.message_ids()
    assert len(ids) == 120
    assert set(ids) == {row.message_id for row in rows}
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_a_claim_takes_at_most_the_batch_size():
    rows = queue_account_emails(*(f"p{n}@example.org" for n in range(5)))

    claimed = delivery.claim(2)

    assert [row.pk for row in claimed] == [row.pk for row in rows[:2]]
    statuses = [row.status for row in fresh(rows)]
    assert statuses == [EmailStatus.SENDING] * 2 + [EmailStatus.QUEUED] * 3


@pytest.mark.django_db(transaction=True)
def test_a_batch_slower_than_its_lease_is_not_sent_twice_by_another_worker(sink, settings):
    """A slow server: the batch takes longer than the lease. The second worker, whose
    round gives back rows held past their lease, must not send what the first still
    holds."""
    settings.MAIL_LEASE_SECONDS = 2
    settings.MAIL_BATCH_SIZE = 10
    sink.state.delay = 0.3  # 3 s for the batch
    rows = account_email_rows(10)

    def second_worker():
        time.sleep(2.2)
        delivery.release_expired()
        return delivery.deliver_due()

    _, errors = at_once([delivery.deliver_due, second_worker])

    assert errors == []
    assert Counter(sink.message_ids()) == {row.message_id: 1 for row in rows}
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


@pytest.mark.parametrize(("batch_size", "connections"), [(100, 1), (2, 3)])
def test_one_smtp_connection_carries_a_whole_batch(sink, settings, batch_size, connections):
    settings.MAIL_BATCH_SIZE = batch_size
    queue_account_emails(*(f"p{n}@example.org" for n in range(5)))
    before = sink.state.connections

    delivery.deliver_due()

    assert len(sink.messages) == 5
    assert sink.state.connections - before == connections


# The database blinks, the worker dies


def fails_once(function: Callable, error: Exception) -> Callable:
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise error
        return function(*args, **kwargs)

    return flaky


def test_database_unreachable_while_rendering_is_tried_again_later(sink, clock, monkeypatch):
    rows = queue_account_emails("ana@example.org", "ben@example.org")
    render = outbox.renderer_for(MailKind.ACCOUNT)
    lost = OperationalError("server closed the connection unexpectedly")
    monkeypatch.setitem(outbox._renderers, MailKind.ACCOUNT.value, fails_once(render, lost))

    delivery.deliver_due()

    assert [(row.status, row.attempts) for row in fresh(rows)] == [(EmailStatus.QUEUED, 1)] * 2
    assert fresh(rows)[0].last_error == (
        "OperationalError: server closed the connection unexpectedly"
    )
    assert sink.messages == []

    clock.advance(MINUTE)
    delivery.deliver_due()

    assert sorted(sink.message_ids()) == sorted(row.message_id for row in rows)


def test_database_unreachable_after_sending_sends_again_after_the_lease_with_one_message_id(
    sink, clock, monkeypatch, settings
):
    """The one message that can go twice: the server took it, and the row could not be
    marked sent. The copy carries the same Message-ID, so mail clients show one."""
    rows = queue_account_emails("ana@example.org", "ben@example.org")
    lost = OperationalError("server closed the connection unexpectedly")
    monkeypatch.setattr(delivery, "_finish", fails_once(delivery._finish, lost))

    with pytest.raises(OperationalError):
        delivery.deliver_due()  # the task fails; its rows stay claimed

    assert [row.status for row in fresh(rows)] == [EmailStatus.SENDING] * 2
    assert delivery.release_expired() == 0, "released while the worker may still hold them"
    clock.advance(timedelta(seconds=settings.MAIL_LEASE_SECONDS + 1))
    assert delivery.release_expired() == 2
    delivery.deliver_due()

    first, second = rows
    assert Counter(sink.message_ids()) == {first.message_id: 2, second.message_id: 1}
    assert [row.status for row in fresh(rows)] == [EmailStatus.SENT] * 2


def test_rows_of_a_worker_that_died_are_released_after_the_lease_and_sent_once(sink, clock):
    dead, alive = queue_account_emails("ana@example.org", "ben@example.org")
    OutgoingEmail.objects.filter(pk=dead.pk).update(
        status=EmailStatus.SENDING, claim="dead-worker", lease_until=clock.now - MINUTE
    )
    OutgoingEmail.objects.filter(pk=alive.pk).update(
        status=EmailStatus.SENDING, claim="live-worker", lease_until=clock.now + MINUTE
    )

    released = delivery.release_expired()
    delivery.deliver_due()
    delivery.deliver_due()

    assert released == 1
    assert sink.message_ids() == [dead.message_id]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.claim, dead.lease_until) == (EmailStatus.SENT, "", None)
    assert (alive.status, alive.claim) == (EmailStatus.SENDING, "live-worker")
