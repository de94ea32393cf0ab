"""RSVP emails through the real services: what each kind says, who gets the meeting link,
the calendar invitation inside them, and a mail server that fails."""

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import Message

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from icalendar import Calendar

from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import OutgoingEmail
from sessions_app.models import AttendanceMode, Rsvp, RsvpStatus
from sessions_app.notifications import build_email
from sessions_app.services.rsvps import Guest, rsvp_cancel, rsvp_change, rsvp_create
from sessions_app.services.sessions import session_cancel, session_update
from tests.clock import CLEVELAND, DASH, local
from tests.email_html import heading, html_of, links
from tests.factories import make_session, make_user
from tests.outbox import SITE, send_rsvp_emails

pytestmark = pytest.mark.django_db

MEETING_URL = "https://meet.example.org/secret-room"
SPIRIT = "an invitation, not an obligation"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "CoP Portal <hello@cop.example.org>"
    # Each test looks at every email; coalescing has tests of its own.
    settings.RSVP_EMAIL_COALESCE_SECONDS = 0


@pytest.fixture
def answer(django_capture_on_commit_callbacks):
    """rsvp_create, with the emails it queues sent as after a real commit."""

    def answer(session, attend_as="in-person", **who):
        with django_capture_on_commit_callbacks(execute=True):
            rsvp, _ = rsvp_create(session=session, attend_as=attend_as, **who)
        return rsvp

    return answer


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def calendar_part(email: EmailMessage) -> Message | None:
    parts = [p for p in email.message().walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) <= 1
    return parts[0] if parts else None


def calendar_of(email: EmailMessage) -> Calendar:
    part = calendar_part(email)
    assert part is not None
    return Calendar.from_ical(part.get_payload(decode=True))


def event_of(email: EmailMessage):
    [event] = calendar_of(email).events
    return event


def everything(email: EmailMessage) -> str:
    """Every text the person receives: subject, text, HTML and attachments."""
    texts = [email.subject, email.body, *(str(alt.content) for alt in email.alternatives)]
    for attachment in email.attachments:
        content = attachment.content
        texts.append(content.decode() if isinstance(content, bytes) else str(content))
    # Calendar lines fold at 75 octets; unfold before searching.
    return "\n".join(texts).replace("\r\n ", "")


def session_url(session) -> str:
    return f"{SITE}/sessions/{session.slug}/"


# Confirmations


def test_confirmed_email_member_in_hybrid_session(answer, member, mailoutbox):
    session = make_session(title="Block club basics", topic="", starts_at=local(2027, 3, 17, 18))

    rsvp = answer(session, "in-person", user=member)

    [email] = mailoutbox
    html = html_of(email)
    assert email.to == [member.email]
    assert email.from_email == "CoP Portal <hello@cop.example.org>"
    assert email.subject == "[CoP Portal] You're in: Block club basics, Wednesday, March 17"
    assert email.body.startswith(
        "Hi Dana Member,\n\nYou're in! We're glad you're coming, in person."
    )
    assert f"When:  Wednesday, March 17, 2027, 6:00 PM {DASH} 7:00 PM EDT" in email.body
    assert f"More:  {session_url(session)}" in email.body
    # Hybrid: the link goes to people with an online place, not to those in the room.
    assert MEETING_URL not in everything(email)
    assert SPIRIT in email.body
    assert f"Sign in and open the session page: {session_url(session)}" in email.body
    assert rsvp.token not in everything(email)
    assert heading(email) == "You're in!"
    assert links(email)["Block club basics"] == session_url(session)
    assert links(email)["View the session"] == session_url(session)
    assert SPIRIT in html


def test_confirmed_email_online_place_in_hybrid_session_has_the_link(answer, member, mailoutbox):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)

    answer(session, "online", user=member)

    [email] = mailoutbox
    assert f"Join online: {MEETING_URL}\nDial 555-0100, passcode 4242." in email.body
    assert links(email)[MEETING_URL] == MEETING_URL
    assert [conference.uri for conference in event_of(email).conferences] == [MEETING_URL]


def test_confirmed_email_guest_gets_the_private_manage_link(answer, mailoutbox):
    session = make_session(attendance_mode=AttendanceMode.ONLINE)

    rsvp = answer(session, "online", guest=Guest("Gus Guest", "gus@example.com"))

    [email] = mailoutbox
    manage_url = f"{SITE}/rsvp/{rsvp.token}/"
    assert email.to == ["gus@example.com"]
    assert email.body.startswith("Hi Gus Guest,\n\nYou're in! We're glad you're coming, online.")
    assert f"Your private link (it's only for you): {manage_url}" in email.body
    assert links(email)["change or cancel with your private link"] == manage_url
    assert links(email)["Manage your RSVP"] == manage_url
    assert "Where: Online" in email.body


def test_confirmed_email_for_in_person_session_has_no_meeting_link(answer, member, mailoutbox):
    # The factory gives every session a meeting link; an in-person one never shows it.
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON)

    answer(session, "in-person", user=member)

    [email] = mailoutbox
    assert MEETING_URL not in everything(email)
    assert "555-0100" not in everything(email)
    assert "CONFERENCE" not in everything(email)
    assert event_of(email).conferences == []


def test_emails_show_titles_as_written_in_text_and_escaped_in_html(answer, member, mailoutbox):
    session = make_session(title="Rent & repairs: O'Brien's <tips>", topic="")

    answer(session, "online", user=member)

    [email] = mailoutbox
    assert email.subject.startswith("[CoP Portal] You're in: Rent & repairs: O'Brien's <tips>, ")
    assert "\nRent & repairs: O'Brien's <tips>\n" in email.body
    assert "Rent &amp; repairs: O&#x27;Brien&#x27;s &lt;tips&gt;" in html_of(email)
    assert "<tips>" not in html_of(email)


# The waitlist


def test_waitlisted_email_gives_the_position_and_no_meeting_link(answer, mailoutbox):
    session = make_session(capacity=1, attendance_mode=AttendanceMode.HYBRID)
    answer(session, "in-person", user=make_user())
    answer(session, "in-person", user=make_user())
    mailoutbox.clear()

    rsvp = answer(session, "in-person", guest=Guest("Wren Waiting", "wren@example.com"))

    [email] = mailoutbox
    html = html_of(email)
    assert rsvp.status == RsvpStatus.WAITLISTED
    assert email.subject.startswith("[CoP Portal] You're on the waitlist: ")
    assert (
        "All the seats are taken for now, so you're on the waitlist: you're number 2 "
        "for a seat. We'll email you if one opens up, with the meeting link."
    ) in email.body
    assert "you're <strong>number 2</strong> for a seat" in html
    assert f"Leave the waitlist with your private link (it's only for you): {SITE}/rsvp/" in (
        email.body
    )
    assert SPIRIT in email.body
    assert SPIRIT in html
    assert MEETING_URL not in everything(email)
    assert "555-0100" not in everything(email)
    assert calendar_part(email) is None
    assert email.attachments == []


def test_waitlisted_online_email_counts_only_the_online_queue(answer, mailoutbox):
    session = make_session(capacity=1, online_capacity=1)
    answer(session, "in-person", user=make_user())
    answer(session, "in-person", user=make_user())  # waiting for a seat, not online
    answer(session, "online", user=make_user())
    mailoutbox.clear()

    answer(session, "online", user=make_user())

    [email] = mailoutbox
    assert "you're number 1 for a place online" in email.body
    assert "All the online places are taken" in email.body


def test_giving_up_a_seat_for_a_full_online_waitlist_takes_the_event_out(
    answer, committed, mailoutbox
):
    session = make_session(capacity=5, online_capacity=1)
    answer(session, "online", user=make_user())
    rsvp = answer(session, "in-person", guest=Guest("Sam Switch", "sam@example.com"))
    assert rsvp.status == RsvpStatus.GOING
    mailoutbox.clear()

    with committed():
        rsvp_change(rsvp=rsvp, attend_as="online", waitlist_ok=True)

    [email] = mailoutbox
    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.WAITLISTED
    assert email.subject.startswith("[CoP Portal] On the waitlist now: ")
    assert "you gave up your place and are on the waitlist: you're number 1" in email.body
    assert "We've taken the session out of your calendar" in email.body
    assert calendar_part(email).get_param("method") == "CANCEL"
    calendar = calendar_of(email)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]).startswith(str(session.uid))
    assert MEETING_URL not in everything(email)


def test_promoted_email_when_a_seat_opens_up(answer, member, committed, mailoutbox):
    session = make_session(capacity=1)
    first = answer(session, "in-person", user=make_user())
    answer(session, "in-person", user=member)
    mailoutbox.clear()

    with committed():
        rsvp_cancel(rsvp=first)

    cancelled, email = mailoutbox
    event = event_of(email)
    assert cancelled.to == [first.user.email]
    assert calendar_of(cancelled)["METHOD"] == "CANCEL"
    assert email.to == [member.email]
    assert email.subject.startswith("[CoP Portal] A seat opened up, you're in: ")
    assert "Good news: a seat opened up and it's yours. You're in!" in email.body
    assert heading(email) == "A seat opened up: you're in!"
    assert MEETING_URL not in everything(email)  # a seat in the room
    assert calendar_of(email)["METHOD"] == "REQUEST"
    assert event.attendees[0].params["PARTSTAT"] == "ACCEPTED"
    assert event.conferences == []


# Changes and cancellation


def test_session_changed_email_updates_the_same_calendar_event(
    answer, member, committed, mailoutbox
):
    session = make_session(title="Tenant rights", topic="", starts_at=local(2027, 3, 17, 18))
    answer(session, "online", user=member)
    [confirmation] = mailoutbox
    mailoutbox.clear()

    with committed():
        session_update(
            session=session,
            fields={"starts_at": local(2027, 3, 18, 12), "ends_at": local(2027, 3, 18, 13)},
        )

    [email] = mailoutbox
    before, after = event_of(confirmation), event_of(email)
    assert email.subject == "[CoP Portal] New date: Tenant rights, now Thursday, March 18, 12:00 PM"
    assert (
        f"Date: Wed, Mar 17, 6:00 PM {DASH} 7:00 PM → Thu, Mar 18, 12:00 PM {DASH} 1:00 PM\n"
    ) in email.body
    assert f"When:  Thursday, March 18, 2027, 12:00 PM {DASH} 1:00 PM EDT" in email.body
    assert "The attached invitation updates the session in your calendar." in email.body
    assert f"Join online: {MEETING_URL}" in email.body
    assert SPIRIT in email.body
    assert heading(email) == "New date"
    assert calendar_of(email)["METHOD"] == "REQUEST"
    assert before.uid == after.uid == f"{session.uid}@cop.example.org"
    assert after.sequence > before.sequence
    assert after.start == local(2027, 3, 18, 12)


def test_session_changed_email_to_the_waitlist_has_no_link_or_invitation(
    answer, committed, mailoutbox
):
    session = make_session(capacity=1, online_capacity=1)
    answer(session, "online", user=make_user())
    waiting = answer(session, "online", guest=Guest("Wren Waiting", "wren@example.com"))
    mailoutbox.clear()

    with committed():
        session_update(
            session=session,
            fields={
                "starts_at": session.starts_at + timedelta(hours=1),
                "ends_at": session.ends_at + timedelta(hours=1),
            },
        )

    [email] = [m for m in mailoutbox if m.to == ["wren@example.com"]]
    assert Rsvp.objects.get(pk=waiting.pk).status == RsvpStatus.WAITLISTED
    assert "You're still on the waitlist for a place online" in email.body
    assert MEETING_URL not in everything(email)
    assert calendar_part(email) is None


def test_session_cancelled_email_cancels_the_calendar_event(answer, member, committed, mailoutbox):
    session = make_session(title="Tenant rights", topic="", starts_at=local(2027, 3, 17, 18))
    answer(session, "online", user=member)
    [confirmation] = mailoutbox
    mailoutbox.clear()

    with committed():
        session_cancel(session=session, reason="The building lost power.")

    [email] = mailoutbox
    part = calendar_part(email)
    calendar = calendar_of(email)
    event = event_of(email)
    assert email.subject == "[CoP Portal] Cancelled: Tenant rights, Wednesday, March 17"
    assert "We're sorry: Tenant rights on Wednesday, March 17 is cancelled." in email.body
    assert "The building lost power." in email.body
    assert "The building lost power." in html_of(email)
    assert SPIRIT in email.body
    assert f"The next sessions: {SITE}/sessions/" in email.body
    assert MEETING_URL not in everything(email)
    assert part.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    assert event.status == "CANCELLED"
    assert event.uid == event_of(confirmation).uid
    assert event.sequence > event_of(confirmation).sequence
    assert event.conferences == []


def test_session_cancelled_email_reaches_the_waitlist_without_invitation(
    answer, committed, mailoutbox
):
    session = make_session(capacity=1)
    answer(session, "in-person", user=make_user())
    answer(session, "in-person", guest=Guest("Wren Waiting", "wren@example.com"))
    mailoutbox.clear()

    with committed():
        session_cancel(session=session, reason="Snow.")

    [email] = [m for m in mailoutbox if m.to == ["wren@example.com"]]
    assert len(mailoutbox) == 2
    assert email.subject.startswith("[CoP Portal] Cancelled: ")
    assert calendar_part(email) is None


# Reminders (the command's own behaviour is in test_send_reminders.py)


def test_reminder_email_says_see_you_tomorrow(answer, member, mailoutbox):
    tomorrow = timezone.localdate() + timedelta(days=1)
    starts_at = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 18, tzinfo=CLEVELAND)
    session = make_session(title="Tenant rights", topic="", starts_at=starts_at)
    rsvp = answer(session, "online", user=member)
    mailoutbox.clear()

    send_rsvp_emails(MailKind.SESSION_REMINDER, [rsvp])

    [email] = mailoutbox
    assert email.subject == "[CoP Portal] See you tomorrow: Tenant rights, 6:00 PM"
    assert "A friendly reminder: Tenant rights is tomorrow at 6:00 PM." in email.body
    assert heading(email) == "See you tomorrow!"
    assert f"Join online: {MEETING_URL}" in email.body
    assert SPIRIT in email.body
    assert calendar_of(email)["METHOD"] == "REQUEST"


# The calendar part


def test_calendar_part_is_an_itip_alternative_and_an_attachment(answer, member, mailoutbox):
    session = make_session(starts_at=local(2027, 1, 20, 18))

    answer(session, "online", user=member)

    [email] = mailoutbox
    message = email.message()
    alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
    types = [part.get_content_type() for part in alternative.get_payload()]
    part = calendar_part(email)
    data = part.get_payload(decode=True)
    calendar = Calendar.from_ical(data)
    [event] = calendar.events
    [attachment] = email.attachments
    assert types == ["text/plain", "text/html", "text/calendar"]
    assert part.get_param("method") == str(calendar["METHOD"]) == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert (attachment.filename, attachment.mimetype) == ("invite.ics", "application/ics")
    assert attachment.content == data
    assert calendar["PRODID"] == "-//CoP Portal//Sessions//EN"
    assert event.uid == f"{session.uid}@cop.example.org"
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.start == local(2027, 1, 20, 18)
    assert [tz.tz_name for tz in calendar.timezones] == ["America/New_York"]
    assert event.organizer == "mailto:hello@cop.example.org"
    assert [str(attendee) for attendee in event.attendees] == [f"mailto:{member.email}"]


def test_calendar_part_is_the_same_for_the_same_data(answer, member, mailoutbox):
    session = make_session()
    rsvp = answer(session, "online", user=member)

    first = build_email(MailKind.RSVP_CONFIRMED, rsvp)
    second = build_email(MailKind.RSVP_CONFIRMED, rsvp)

    assert calendar_part(first).get_payload() == calendar_part(second).get_payload()


# When sending can't or shouldn't happen


def test_no_email_for_an_rsvp_cancelled_before_sending(answer, member, mailoutbox):
    session = make_session()
    rsvp = answer(session, "online", user=member)
    rsvp_cancel(rsvp=rsvp)
    mailoutbox.clear()

    send_rsvp_emails(MailKind.RSVP_CONFIRMED, [rsvp])

    # Only the cancellation itself went (queued by rsvp_cancel); the late "you're in"
    # was not sent, and says why.
    assert [email.subject.split(":")[0] for email in mailoutbox] == ["[CoP Portal] RSVP cancelled"]
    late = OutgoingEmail.objects.filter(kind=MailKind.RSVP_CONFIRMED).latest("pk")
    assert (late.status, late.last_error) == (
        "skipped",
        "No longer applies: the RSVP or the session changed since.",
    )


def test_failing_mail_server_keeps_the_rsvp_and_logs(answer, member, monkeypatch, caplog):
    def refuse(self, messages):
        raise smtplib.SMTPException("Mail server is down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    session = make_session()

    with caplog.at_level(logging.WARNING, logger="cop_portal.mail.delivery"):
        rsvp = answer(session, "online", user=member)

    [record] = [r for r in caplog.records if r.name == "cop_portal.mail.delivery"]
    [queued] = OutgoingEmail.objects.all()
    assert Rsvp.objects.get(pk=rsvp.pk).status == RsvpStatus.GOING
    assert record.levelno == logging.WARNING
    assert "will be tried again" in record.getMessage()
    # Kept, to be tried again in a minute, with what went wrong.
    assert (queued.status, queued.attempts, queued.to) == ("queued", 1, member.email)
    assert queued.last_error == "SMTPException: Mail server is down"


def test_one_failing_email_does_not_stop_the_others(answer, committed, monkeypatch, mailoutbox):
    session = make_session()
    answer(session, "online", guest=Guest("Bounce", "bounce@example.com"))
    answer(session, "online", guest=Guest("Fine", "fine@example.com"))
    mailoutbox.clear()
    real_send = EmailBackend.send_messages

    def flaky(self, messages):
        if messages[0].to == ["bounce@example.com"]:
            raise smtplib.SMTPRecipientsRefused({"bounce@example.com": (550, b"No such user")})
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)

    with committed():
        session_cancel(session=session, reason="Snow.")

    assert [email.to for email in mailoutbox] == [["fine@example.com"]]


def test_cancelling_an_rsvp_takes_the_event_out_of_the_calendar(
    answer, member, committed, mailoutbox
):
    session = make_session()
    rsvp = answer(session, "online", user=member)
    mailoutbox.clear()

    with committed():
        rsvp_cancel(rsvp=rsvp)

    [email] = mailoutbox
    calendar = calendar_of(email)
    assert email.to == [member.email]
    assert email.subject.startswith("[CoP Portal] RSVP cancelled: ")
    assert "your place goes to the next person waiting" in email.body
    assert calendar["METHOD"] == "CANCEL"
    assert event_of(email).get("UID") == event_of(email).get("UID")
    assert MEETING_URL not in email.body
    assert MEETING_URL not in html_of(email)
