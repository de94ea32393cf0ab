"""RSVP emails under the mail limits: a person's own changes coalesce per RSVP, every
email counts against its address, organizers' news has a budget of its own, and the
per-sender checks the RSVP views call (sessions_app.rate_limits)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import timezone

from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import OutgoingEmail, SendCounter
from sessions_app.models import AttendAs, Rsvp, RsvpStatus
from sessions_app.rate_limits import rsvp_change_allowed, rsvp_create_allowed
from sessions_app.services.rsvps import rsvp_cancel, rsvp_change, rsvp_create
from sessions_app.services.sessions import session_cancel
from tests.factories import make_session, make_user
from tests.outbox import send_rsvp_emails, work

pytestmark = pytest.mark.django_db

SPELLINGS = [
    "kate@example.org",
    "Kate@Example.org",
    "\u212aate@example.org",  # the Kelvin sign for the K
    "\uff4b\uff41\uff54\uff45@example.org",  # full-width letters
]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service's after-commit emails, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def end_the_windows() -> None:
    """As if RSVP_EMAIL_COALESCE_SECONDS (and every other window) had passed."""
    SendCounter.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    caches["default"].clear()


def guest_rsvp(email: str) -> Rsvp:
    """A guest RSVP saved as typed (no service), so the address keeps its spelling."""
    return Rsvp.objects.create(
        session=make_session(),
        name="Kate",
        email=email,
        attend_as=AttendAs.IN_PERSON,
        status=RsvpStatus.GOING,
        queued_at=timezone.now(),
    )


# Coalescing a person's own changes


def test_toggling_in_person_and_online_five_times_sends_one_email(member, committed):
    session = make_session()
    rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)
    end_the_windows()  # the confirmation went long ago
    mail.outbox.clear()

    for attend_as in [AttendAs.ONLINE, AttendAs.IN_PERSON] * 2 + [AttendAs.ONLINE]:
        with committed():
            rsvp = rsvp_change(rsvp=rsvp, attend_as=attend_as)

    [email] = mail.outbox
    assert email.to == [member.email]
    assert Rsvp.objects.get(pk=rsvp.pk).attend_as == AttendAs.ONLINE


def test_answer_then_cancel_then_answer_again_keeps_the_calendar_right(member, committed):
    """Each of these takes the event out of the calendar or puts it back: none is
    skipped, or the person's calendar would show the wrong state."""
    session = make_session()

    with committed():
        rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)
    with committed():
        rsvp_cancel(rsvp=rsvp)
    with committed():
        rsvp_create(session=session, attend_as=AttendAs.ONLINE, user=member)

    subjects = [email.subject.removeprefix("[CoP Portal] ").split(":")[0] for email in mail.outbox]
    assert subjects == ["You're in", "RSVP cancelled", "You're in"]


def test_switching_twice_right_after_answering_sends_only_the_confirmation(member, committed):
    session = make_session()
    with committed():
        rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)

    with committed():
        rsvp = rsvp_change(rsvp=rsvp, attend_as=AttendAs.ONLINE)
        rsvp = rsvp_change(rsvp=rsvp, attend_as=AttendAs.IN_PERSON)

    assert len(mail.outbox) == 1


def test_a_change_after_the_window_sends_again(member, committed):
    session = make_session()
    with committed():
        rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)
    end_the_windows()

    with committed():
        rsvp_change(rsvp=rsvp, attend_as=AttendAs.ONLINE)

    assert len(mail.outbox) == 2


def test_coalescing_is_per_rsvp(member, other_member, committed):
    session = make_session()

    with committed():
        rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)
        rsvp_create(session=make_session(), attend_as=AttendAs.IN_PERSON, user=member)
        rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=other_member)

    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [member.email, member.email, other_member.email]
    )


def test_coalescing_can_be_switched_off(settings, member, committed):
    settings.RSVP_EMAIL_COALESCE_SECONDS = 0
    session = make_session()
    with committed():
        rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)

    with committed():
        rsvp_change(rsvp=rsvp, attend_as=AttendAs.ONLINE)

    assert len(mail.outbox) == 2


def test_skipped_email_is_logged(member, committed, caplog):
    session = make_session()
    with committed():
        rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)

    with committed():
        rsvp_change(rsvp=rsvp, attend_as=AttendAs.ONLINE)

    skipped = OutgoingEmail.objects.get(status="skipped")
    assert skipped.kind == MailKind.RSVP_CONFIRMED
    assert skipped.last_error == "One like it was sent moments ago; the latest answer follows."
    assert f"Email {skipped.pk} (rsvp_confirmed) not sent: One like it" in caplog.text


def after_the_window(monkeypatch) -> None:
    """The clock moved past RSVP_EMAIL_COALESCE_SECONDS (300 s); then the worker runs."""
    later = timezone.now() + timedelta(seconds=302)
    monkeypatch.setattr(timezone, "now", lambda: later)
    work()


def test_the_answer_held_back_in_the_window_follows_at_its_end(member, committed, monkeypatch):
    session = make_session()
    with committed():
        rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)
    with committed():
        rsvp_change(rsvp=rsvp, attend_as=AttendAs.ONLINE)
    assert len(mail.outbox) == 1  # "you're in, in person"; the switch is held back

    after_the_window(monkeypatch)

    first, latest = mail.outbox
    assert "in person" in first.body.lower()
    assert latest.subject.startswith("[CoP Portal] You're in: ")
    assert "online" in latest.body.lower()
    assert "Join online:" in latest.body  # the online place's joining details


def test_switching_back_within_the_window_sends_nothing_more(member, committed, monkeypatch):
    session = make_session()
    with committed():
        rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)
    with committed():
        rsvp = rsvp_change(rsvp=rsvp, attend_as=AttendAs.ONLINE)
    with committed():
        rsvp_change(rsvp=rsvp, attend_as=AttendAs.IN_PERSON)

    after_the_window(monkeypatch)

    assert len(mail.outbox) == 1
    [follow_up] = OutgoingEmail.objects.filter(key__startswith="rsvp_latest:")
    assert (follow_up.status, follow_up.last_error) == (
        "skipped",
        "The last email already said this.",
    )


def test_organizers_news_and_promotions_are_never_coalesced(member, other_member, committed):
    session = make_session(capacity=1)
    with committed():
        first, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=other_member)
        rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)
    mail.outbox.clear()

    with committed():
        rsvp_cancel(rsvp=first)
    with committed():
        session_cancel(session=session, reason="Snow.")

    subjects = [(email.to[0], email.subject.split(":")[0]) for email in mail.outbox]
    # member was waitlisted moments ago, yet hears of the seat and of the cancellation.
    assert subjects == [
        (other_member.email, "[CoP Portal] RSVP cancelled"),
        (member.email, "[CoP Portal] A seat opened up, you're in"),
        (member.email, "[CoP Portal] Cancelled"),
    ]


# Per recipient


def test_spellings_of_one_address_share_one_budget(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "3/h"
    rsvps = [guest_rsvp(spelling) for spelling in SPELLINGS]

    send_rsvp_emails(MailKind.RSVP_CONFIRMED, rsvps)

    assert [email.to[0] for email in mail.outbox] == SPELLINGS[:3]


def test_organizers_news_still_goes_when_the_address_had_many_confirmations(settings, committed):
    settings.MAIL_RATE_PER_RECIPIENT = "2/h"
    rsvps = [guest_rsvp("kate@example.org") for _ in range(3)]
    send_rsvp_emails(MailKind.RSVP_CONFIRMED, rsvps)
    mail.outbox.clear()

    with committed():
        session_cancel(session=rsvps[0].session, reason="Snow.")

    [email] = mail.outbox
    assert email.to == ["kate@example.org"]
    assert email.subject.startswith("[CoP Portal] Cancelled")


def test_organizers_news_has_its_own_limit(settings, committed):
    settings.MAIL_RATE_PER_RECIPIENT_NOTICES = "2/h"
    rsvps = [guest_rsvp("kate@example.org") for _ in range(3)]

    for rsvp in rsvps:
        with committed():
            session_cancel(session=rsvp.session, reason="Snow.")

    assert len(mail.outbox) == 2


def test_reminders_are_not_counted(settings):
    """send_reminders sends one per RSVP per session date by itself."""
    settings.MAIL_RATE_PER_RECIPIENT_NOTICES = "1/h"
    rsvps = [guest_rsvp("kate@example.org") for _ in range(3)]

    send_rsvp_emails(MailKind.SESSION_REMINDER, rsvps)

    assert len(mail.outbox) == 3


# The per-sender checks for the RSVP views


def visitor_request(ip: str = "203.0.113.5"):
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    return request


def test_guest_rsvps_are_limited_per_ip(settings):
    settings.RSVP_GUEST_RATE_PER_IP = "2/h"

    answers = [
        rsvp_create_allowed(visitor_request(), guest_email=f"guest{n}@example.org")
        for n in range(3)
    ]

    assert answers == [True, True, False]
    assert rsvp_create_allowed(visitor_request("203.0.113.6"), guest_email="x@example.org")


def test_guest_rsvps_are_limited_per_address_in_any_spelling(settings):
    settings.RSVP_GUEST_RATE_PER_EMAIL = "3/h"

    answers = [
        rsvp_create_allowed(visitor_request(f"203.0.113.{n}"), guest_email=spelling)
        for n, spelling in enumerate(SPELLINGS)
    ]

    assert answers == [True, True, True, False]


def test_a_blank_guest_address_is_not_counted(settings):
    settings.RSVP_GUEST_RATE_PER_EMAIL = "1/h"

    answers = [
        rsvp_create_allowed(visitor_request(f"203.0.113.{n}"), guest_email=" ") for n in range(3)
    ]

    assert answers == [True, True, True]


def test_member_rsvps_are_limited_per_member(settings, member):
    settings.MAIL_RATE_PER_SENDER = "2/h"
    request = RequestFactory().post("/")
    request.user = member
    other = RequestFactory().post("/")  # the same IP address
    other.user = make_user()

    answers = [rsvp_create_allowed(request) for _ in range(3)]

    assert answers == [True, True, False]
    assert rsvp_create_allowed(other) is True
    assert rsvp_change_allowed(request) is True  # changes are counted apart


def test_changes_are_limited_per_ip_for_guests(settings):
    settings.MAIL_RATE_PER_SENDER = "2/h"

    answers = [rsvp_change_allowed(visitor_request()) for _ in range(3)]

    assert answers == [True, True, False]
