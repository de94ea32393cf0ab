"""RSVPs that arrive at the same moment, from real threads with their own connections.

Each thread opens its own database connection and waits at a barrier, so the calls
really overlap: on PostgreSQL under READ COMMITTED (where counting seats and then
inserting would oversell) and on SQLite (where a writer must wait for the lock, never
answer "database is locked"). The suite's SQLite test database is a file for this
reason: an in-memory one is shared between threads with different locking rules.
"""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cop_portal.mail import outbox
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import OutgoingEmail
from sessions_app.models import AttendanceMode, AttendAs, Rsvp, RsvpStatus
from sessions_app.services.rsvps import Guest, rsvp_cancel, rsvp_create
from tests.concurrency import at_once
from tests.factories import make_session, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 100
SEATS = 10


class QueuedEmails:
    """(kind, rsvp id) of every email the services put in the outbox, committed."""

    def __init__(self) -> None:
        self.after = 0

    def __iter__(self):
        rows = OutgoingEmail.objects.filter(pk__gt=self.after).order_by("pk")
        return iter([(MailKind(row.kind), row.params["rsvp"]) for row in rows])

    def clear(self) -> None:
        self.after = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def emails(monkeypatch) -> QueuedEmails:
    """Queued, not sent: rendering a hundred emails would only slow the race down."""
    monkeypatch.setattr(outbox, "_enqueue_delivery", lambda: None)
    return QueuedEmails()


@pytest.mark.parametrize(
    ("who", "mode"),
    [("member", AttendanceMode.HYBRID), ("guest", AttendanceMode.IN_PERSON)],
)
def test_rsvp_create_hundred_at_once_fills_seats_then_waitlist(who, mode, emails):
    session = make_session(attendance_mode=mode, capacity=SEATS)
    if who == "member":
        people = [{"user": make_user()} for _ in range(PEOPLE)]
    else:
        people = [
            {"guest": Guest(name=f"Guest {n}", email=f"guest{n}@example.org")}
            for n in range(PEOPLE)
        ]

    def answer(person: dict[str, Any]) -> Callable[[], tuple[Rsvp, bool]]:
        return lambda: rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, **person)

    results, errors = at_once([answer(person) for person in people])

    assert errors == []
    assert [created for _rsvp, created in results] == [True] * PEOPLE
    rows = list(Rsvp.objects.filter(session=session).order_by("id"))
    assert len(rows) == PEOPLE
    if who == "member":
        assert len({row.user_id for row in rows}) == PEOPLE
    else:
        assert len({row.email.lower() for row in rows}) == PEOPLE
    assert Counter(row.status for row in rows) == {
        RsvpStatus.GOING: SEATS,
        RsvpStatus.WAITLISTED: PEOPLE - SEATS,
    }
    assert {row.attend_as for row in rows} == {AttendAs.IN_PERSON}
    # Seats went to the first ten written, and the queue is in the order rows were written.
    assert [row.status for row in rows[:SEATS]] == [RsvpStatus.GOING] * SEATS
    waitlist = Rsvp.objects.filter(session=session).waitlisted().in_queue_order()
    assert list(waitlist.values_list("id", flat=True)) == [row.id for row in rows[SEATS:]]
    queued = [row.queued_at for row in rows]
    assert queued == sorted(queued)
    # Each person heard once, with the answer the database holds; nobody was promoted.
    assert sorted(emails) == sorted(
        (MailKind.RSVP_CONFIRMED if row.is_going else MailKind.RSVP_WAITLISTED, row.id)
        for row in rows
    )


@pytest.mark.parametrize("who", ["member", "guest"])
def test_rsvp_create_same_person_eight_times_at_once_leaves_one_rsvp(who, emails):
    session = make_session(capacity=SEATS)
    if who == "member":
        member = make_user()
        people = [{"user": member}] * 8
    else:
        # Eight tabs, the address typed with different capitals: still one guest.
        spellings = ["ana@example.org", "Ana@example.org", "ANA@EXAMPLE.ORG", "ana@Example.org"]
        people = [{"guest": Guest(name="Ana", email=spellings[n % 4])} for n in range(8)]

    results, errors = at_once(
        [
            lambda person=person: rsvp_create(
                session=session, attend_as=AttendAs.IN_PERSON, **person
            )
            for person in people
        ]
    )

    assert errors == []
    rows = list(Rsvp.objects.filter(session=session))
    assert len(rows) == 1
    assert rows[0].status == RsvpStatus.GOING
    assert {rsvp.pk for rsvp, _created in results} == {rows[0].pk}
    assert sorted(created for _rsvp, created in results) == [False] * 7 + [True]
    # The first answer confirms; a guest's later ones resend the private link (the
    # per-RSVP and per-recipient limits keep that to a few emails).
    again = MailKind.RSVP_LINK if who == "guest" else None
    assert sorted(emails) == sorted(
        [(MailKind.RSVP_CONFIRMED, rows[0].pk)] + ([(again, rows[0].pk)] * 7 if again else [])
    )


def test_rsvp_create_view_same_member_eight_tabs_at_once_shows_no_error(member):
    session = make_session(capacity=SEATS)
    url = reverse("sessions:rsvp-create", args=[session.slug])
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(member)
        clients.append(client)

    responses, errors = at_once(
        [lambda client=client: client.post(url, {"how": "in-person"}) for client in clients]
    )

    assert errors == []
    assert [response.status_code for response in responses] == [302] * 8
    assert {response.url for response in responses} == {session.get_absolute_url()}
    seen = [
        [str(m) for m in client.get(session.get_absolute_url()).context["messages"]]
        for client in clients
    ]
    assert seen == [["You're coming in person. See you there!"]] * 8
    rows = list(Rsvp.objects.filter(session=session))
    assert [(row.user_id, row.status) for row in rows] == [(member.pk, RsvpStatus.GOING)]


def test_rsvp_cancel_three_at_once_promotes_three_longest_waiting_once_each(emails):
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON, capacity=SEATS)
    going = [
        rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=make_user())[0]
        for _ in range(SEATS)
    ]
    waiting = [
        rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=make_user())[0]
        for _ in range(6)
    ]
    # The queue is by when people asked, then by id, not by id alone: reorder it, with
    # a tie between the second and third in line.
    start = timezone.now()
    minutes = [5, 1, 3, 0, 1, 4]  # waiting[3] first, then waiting[1] and waiting[4] (tie)
    for rsvp, minute in zip(waiting, minutes, strict=True):
        rsvp.queued_at = start + timedelta(minutes=minute)
    Rsvp.objects.bulk_update(waiting, ["queued_at"])
    first_three = {waiting[3].pk, waiting[1].pk, waiting[4].pk}
    emails.clear()

    results, errors = at_once([lambda rsvp=rsvp: rsvp_cancel(rsvp=rsvp) for rsvp in going[:3]])

    assert errors == []
    assert [rsvp.status for rsvp in results] == [RsvpStatus.CANCELLED] * 3
    statuses = dict(Rsvp.objects.filter(session=session).values_list("id", "status"))
    assert Counter(statuses.values()) == {
        RsvpStatus.GOING: SEATS,
        RsvpStatus.WAITLISTED: 3,
        RsvpStatus.CANCELLED: 3,
    }
    assert {pk for pk, status in statuses.items() if status == RsvpStatus.GOING} == (
        {rsvp.pk for rsvp in going[3:]} | first_three
    )
    promoted = [rsvp_id for kind, rsvp_id in emails if kind == MailKind.RSVP_PROMOTED]
    assert sorted(promoted) == sorted(first_three)


def test_rsvp_cancel_at_once_with_new_rsvps_never_oversells(emails):
    """Cancellations and new answers interleaved: the seats stay full, never over."""
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON, capacity=SEATS)
    going = [
        rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=make_user())[0]
        for _ in range(SEATS)
    ]
    newcomers = [make_user() for _ in range(20)]
    cancels = [lambda rsvp=rsvp: rsvp_cancel(rsvp=rsvp) for rsvp in going[:5]]
    answers = [
        lambda user=user: rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=user)
        for user in newcomers
    ]

    _results, errors = at_once(cancels + answers)

    assert errors == []
    statuses = Counter(Rsvp.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == {
        RsvpStatus.GOING: SEATS,
        RsvpStatus.WAITLISTED: 15,  # 5 going stayed, 20 came: 25 for 10 seats
        RsvpStatus.CANCELLED: 5,
    }
    promoted = [rsvp_id for kind, rsvp_id in emails if kind == MailKind.RSVP_PROMOTED]
    assert len(promoted) == len(set(promoted))
