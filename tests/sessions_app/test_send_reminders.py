"""send_reminders: who gets a reminder, once only, even with two runs at once, and a
failed email tried again on the next run."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import OutgoingEmail
from sessions_app.models import AttendanceMode, Rsvp, SessionStatus
from sessions_app.services.rsvps import Guest, rsvp_cancel, rsvp_create
from sessions_app.services.sessions import session_cancel, session_update
from tests.factories import make_session, make_user
from tests.outbox import work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]


def in_hours(hours: float):
    return timezone.now() + timedelta(hours=hours)


def going(session, email: str, attend_as: str = "online") -> Rsvp:
    """A guest RSVP, its confirmation already sent (so only reminders are left)."""
    rsvp, _ = rsvp_create(session=session, attend_as=attend_as, guest=Guest(email, email))
    work()
    mail.outbox.clear()
    return rsvp


def settled() -> None:
    """Send what the setup queued (confirmations), so only reminders are left."""
    work()
    mail.outbox.clear()


def remind(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def recipients(mailoutbox) -> list[str]:
    return sorted(address for email in mailoutbox for address in email.to)


def test_send_reminders_reaches_going_people_of_sessions_within_a_day(mailoutbox):
    soon = make_session(starts_at=in_hours(20))
    later = make_session(starts_at=in_hours(30))
    going(soon, "soon@example.com")
    going(later, "later@example.com")

    output = remind()

    [email] = mailoutbox
    assert output == "Queued 1 reminder; sent 1 email.\n"
    assert email.to == ["soon@example.com"]
    assert email.subject.startswith("[CoP Portal] See you ")
    assert Rsvp.objects.get(email="soon@example.com").reminded_at is not None
    assert Rsvp.objects.get(email="later@example.com").reminded_at is None


def test_send_reminders_skips_waitlisted_and_cancelled_rsvps(mailoutbox):
    session = make_session(starts_at=in_hours(5), online_capacity=1)
    going(session, "going@example.com")
    going(session, "waiting@example.com")
    cancelled = going(make_session(starts_at=in_hours(5)), "cancelled@example.com")
    rsvp_cancel(rsvp=cancelled)
    settled()

    output = remind()

    assert output == "Queued 1 reminder; sent 1 email.\n"
    assert recipients(mailoutbox) == ["going@example.com"]
    assert Rsvp.objects.get(email="waiting@example.com").reminded_at is None


def test_send_reminders_skips_cancelled_drafts_and_started_sessions(mailoutbox):
    cancelled = make_session(starts_at=in_hours(5))
    going(cancelled, "cancelled@example.com")
    session_cancel(session=cancelled, reason="Snow.")
    draft = make_session(starts_at=in_hours(5))
    going(draft, "draft@example.com")
    draft.status = SessionStatus.DRAFT
    draft.save()
    started = make_session(starts_at=in_hours(1))
    going(started, "started@example.com")
    started.starts_at = in_hours(-0.5)
    started.save()
    mailoutbox.clear()

    output = remind()

    assert output == "Queued 0 reminders; sent 0 emails.\n"
    assert mailoutbox == []


def test_send_reminders_includes_in_person_people(mailoutbox):
    session = make_session(starts_at=in_hours(3), attendance_mode=AttendanceMode.IN_PERSON)
    going(session, "room@example.com", attend_as="in-person")

    remind()

    assert recipients(mailoutbox) == ["room@example.com"]
    assert "meet.example.org" not in mailoutbox[0].body


def test_send_reminders_hours_option_widens_the_window(mailoutbox):
    session = make_session(starts_at=in_hours(40))
    going(session, "two-days@example.com")

    assert remind() == "Queued 0 reminders; sent 0 emails.\n"
    assert remind("--hours", "48") == "Queued 1 reminder; sent 1 email.\n"
    assert recipients(mailoutbox) == ["two-days@example.com"]


def test_send_reminders_twice_sends_once(mailoutbox):
    session = make_session(starts_at=in_hours(10))
    going(session, "a@example.com")
    going(session, "b@example.com")

    first = remind()
    second = remind()

    assert (first, second) == (
        "Queued 2 reminders; sent 2 emails.\n",
        "Queued 0 reminders; sent 0 emails.\n",
    )
    assert recipients(mailoutbox) == ["a@example.com", "b@example.com"]


def test_send_reminders_row_claimed_by_an_overlapping_run_is_not_sent_again(
    mailoutbox, monkeypatch
):
    session = make_session(starts_at=in_hours(10))
    first = going(session, "a@example.com")
    going(session, "b@example.com")
    # Another run claims a@ between this run's query and its own claim.
    real_filter = Rsvp.objects.filter
    claimed = timezone.now()

    def filter_after_other_run(*args, **kwargs):
        Rsvp.objects.all().filter(pk=first.pk, reminded_at__isnull=True).update(reminded_at=claimed)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Rsvp.objects, "filter", filter_after_other_run)

    output = remind()

    assert output == "Queued 1 reminder; sent 1 email.\n"
    assert recipients(mailoutbox) == ["b@example.com"]
    assert Rsvp.objects.get(pk=first.pk).reminded_at == claimed


def test_send_reminders_while_the_mail_server_is_down_keeps_the_reminder_for_later(
    mailoutbox, monkeypatch
):
    session = make_session(starts_at=in_hours(10))
    rsvp = going(session, "a@example.com")
    real_send = EmailBackend.send_messages

    def refuse(self, messages):
        raise smtplib.SMTPException("Mail server is down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    errors = StringIO()
    call_command("send_reminders", stdout=StringIO(), stderr=errors)

    assert mailoutbox == []
    assert Rsvp.objects.get(pk=rsvp.pk).reminded_at is not None  # queued, once
    assert errors.getvalue() == (
        "1 email(s) were not sent yet; they are tried again later "
        "(manage.py mail_status lists them).\n"
    )
    [waiting] = OutgoingEmail.objects.filter(kind=MailKind.SESSION_REMINDER)
    assert (waiting.status, waiting.attempts) == ("queued", 1)

    # The server is back; the next attempt is due a minute later.
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    output = remind()

    assert output == "Queued 0 reminders; sent 1 email.\n"
    assert recipients(mailoutbox) == ["a@example.com"]


def test_send_reminders_again_after_the_session_moved_a_week_on(mailoutbox, monkeypatch):
    session = make_session(starts_at=in_hours(10))
    going(session, "a@example.com")
    remind()
    session_update(
        session=session,
        fields={
            "starts_at": session.starts_at + timedelta(days=7),
            "ends_at": session.ends_at + timedelta(days=7),
        },
    )
    settled()
    a_week_later = timezone.now() + timedelta(days=7)
    monkeypatch.setattr(timezone, "now", lambda: a_week_later)

    output = remind()

    assert output == "Queued 1 reminder; sent 1 email.\n"
    assert recipients(mailoutbox) == ["a@example.com"]
    assert Rsvp.objects.get().reminded_at == a_week_later


@pytest.mark.parametrize("hours", ["0", "73", "-1"])
def test_send_reminders_refuses_hours_out_of_range(hours):
    with pytest.raises(CommandError, match="--hours must be between 1 and 72"):
        call_command("send_reminders", "--hours", hours, stdout=StringIO())


def test_send_reminders_with_many_sessions_and_people(mailoutbox):
    sessions = [make_session(starts_at=in_hours(2 + n)) for n in range(3)]
    for session in sessions:
        for _ in range(2):
            rsvp_create(session=session, attend_as="online", user=make_user())
    settled()

    output = remind()

    assert output == "Queued 6 reminders; sent 6 emails.\n"
    assert len(mailoutbox) == 6
    assert Rsvp.objects.filter(reminded_at__isnull=True).count() == 0


# Email preferences


def test_send_reminders_skips_people_who_turned_reminders_off_without_claiming(mailoutbox):
    from cop_portal.mail import preferences as email_prefs

    session = make_session(starts_at=in_hours(5))
    going(session, "wants@example.com")
    going(session, "Off@Example.com")
    member = make_user(email="member-off@example.com")
    rsvp_create(session=session, attend_as="online", user=member)
    email_prefs.set_preference("off@example.com", "reminders", False)
    email_prefs.set_preference(member.email, "reminders", False)
    settled()

    output = remind()

    assert output == "Queued 1 reminder; sent 1 email.\n"
    assert recipients(mailoutbox) == ["wants@example.com"]
    assert Rsvp.objects.of_guest("Off@Example.com").get().reminded_at is None
    assert Rsvp.objects.get(user=member).reminded_at is None


def test_send_reminders_after_turning_reminders_back_on(mailoutbox):
    from cop_portal.mail import preferences as email_prefs

    going(make_session(starts_at=in_hours(5)), "back@example.com")
    email_prefs.set_preference("back@example.com", "reminders", False)
    remind()
    email_prefs.set_preference("back@example.com", "reminders", True)

    output = remind()

    assert output == "Queued 1 reminder; sent 1 email.\n"
    assert recipients(mailoutbox) == ["back@example.com"]


def test_send_reminders_people_who_turned_reminders_off_cost_no_queries(mailoutbox):
    from cop_portal.mail import preferences as email_prefs

    def queries_with(switched_off: int) -> int:
        session = make_session(starts_at=in_hours(3))
        going(session, f"wants-{session.pk}@example.com")
        for i in range(switched_off):
            address = f"off-{session.pk}-{i}@example.com"
            going(session, address)
            email_prefs.set_preference(address, "reminders", False)
        with CaptureQueriesContext(connection) as context:
            output = remind()
        assert output == "Queued 1 reminder; sent 1 email.\n"
        return len(context.captured_queries)

    assert queries_with(switched_off=1) == queries_with(switched_off=6)


def test_reminder_email_carries_the_reminders_unsubscribe_link_and_headers(mailoutbox):
    from cop_portal.mail import preferences as email_prefs

    going(make_session(starts_at=in_hours(5)), "guest@example.com")

    remind()

    [email] = mailoutbox
    url = email_prefs.unsubscribe_url("guest@example.com", "reminders")
    message = email.message()
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        "Don't want reminders the day before a session? Unsubscribe in one click:\n" + url
    ) in email.body
    assert "Choose which emails you get" not in email.body  # a guest has no account


def test_reminders_off_still_gets_the_rsvp_confirmation_but_no_reminder(
    mailoutbox, django_capture_on_commit_callbacks
):
    from cop_portal.mail import preferences as email_prefs

    email_prefs.set_preference("off@example.com", "reminders", False)
    session = make_session(starts_at=in_hours(5))
    rsvp_create(session=session, attend_as="online", guest=Guest("Off", "off@example.com"))
    work()
    [confirmation] = mailoutbox
    mailoutbox.clear()

    output = remind()

    assert confirmation.subject.startswith("[CoP Portal] You're in: ")
    assert "This email always goes, whatever your preferences." in confirmation.body
    assert output == "Queued 0 reminders; sent 0 emails.\n"
    assert mailoutbox == []
