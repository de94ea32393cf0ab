""" "Session changed" emails say what changed, old → new, from the session as it was
when the organizer changed it, kept with the queued email until the worker sends it."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import OutgoingEmail
from sessions_app.models import AttendanceMode
from sessions_app.notify_choice import NotifyAudience
from sessions_app.services.rsvps import Guest, rsvp_create
from sessions_app.services.series import series_publish
from sessions_app.services.sessions import session_update
from tests.clock import DASH, local
from tests.email_html import find_all, heading, preheader, text, tree
from tests.factories import make_series, make_session, make_user, make_venue
from tests.outbox import work

pytestmark = pytest.mark.django_db

OLD_LINK = "https://meet.example.org/secret-room"
NEW_LINK = "https://meet.example.org/another-room"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SITE_URL = "https://cop.example.org"
    settings.RSVP_EMAIL_COALESCE_SECONDS = 0


@pytest.fixture
def session():
    venue = make_venue(name="Hough Library", address="1566 Crawford Rd")
    return make_session(
        title="Tenant rights",
        topic="",
        venue=venue,
        starts_at=local(2027, 12, 16, 18),
        attendance_mode=AttendanceMode.HYBRID,
    )


def answer(session, attend_as="in-person", **who):
    if not who:
        who = {"user": make_user()}
    rsvp, _ = rsvp_create(session=session, attend_as=attend_as, **who)
    return rsvp


def edit(session, *, audience=NotifyAudience.EVERYONE, note="", **fields) -> None:
    """An organizer's edit, committed, its emails left waiting for the worker."""
    with transaction.atomic():
        session_update(session=session, fields=fields, audience=audience, note=note)


def changed_emails(mailoutbox):
    return [email for email in mailoutbox if "changed a session" in email.body]


def sent_after(mailoutbox):
    """Deliver what waits, and return the "session changed" emails sent."""
    mailoutbox.clear()
    work()
    return changed_emails(mailoutbox)


def test_a_new_time_says_old_and_new_time(session, mailoutbox):
    answer(session)

    edit(session, starts_at=local(2027, 12, 16, 18, 30), ends_at=local(2027, 12, 16, 19, 30))

    [email] = sent_after(mailoutbox)
    line = f"Time: Thu, Dec 16, 6:00 PM {DASH} 7:00 PM → 6:30 PM {DASH} 7:30 PM"
    assert (
        email.subject == "[CoP Portal] New time: Tenant rights, now Thursday, December 16, 6:30 PM"
    )
    assert f"Here's what's different:\n\n{line}\n\nHere is how it stands now:" in email.body
    assert heading(email) == "New time"
    assert preheader(email) == f"{line}."
    [changes] = find_all(tree(email), "table", class_="em-changes")
    assert text(changes) == line.replace(":", "", 1)


def test_a_new_date_says_the_day_too(session, mailoutbox):
    answer(session)

    edit(session, starts_at=local(2027, 12, 17, 12), ends_at=local(2027, 12, 17, 13))

    [email] = sent_after(mailoutbox)
    assert (
        f"Date: Thu, Dec 16, 6:00 PM {DASH} 7:00 PM → Fri, Dec 17, 12:00 PM {DASH} 1:00 PM"
    ) in email.body
    assert email.subject.startswith("[CoP Portal] New date: Tenant rights, now Friday")


def test_a_new_place_says_old_and_new_place(session, mailoutbox):
    answer(session)
    venue = make_venue(name="Midtown Tech Hive", address="6815 Euclid Ave")

    edit(session, venue=venue)

    [email] = sent_after(mailoutbox)
    assert (
        "Place: Hough Library, 1566 Crawford Rd, and online → "
        "Midtown Tech Hive, 6815 Euclid Ave, and online"
    ) in email.body
    assert "Time:" not in email.body
    assert email.subject == "[CoP Portal] New place: Tenant rights, Thursday, December 16"
    assert heading(email) == "New place"


def test_going_online_only_says_online(session, mailoutbox):
    answer(session, "online")

    edit(session, attendance_mode=AttendanceMode.ONLINE, venue=None)

    [email] = sent_after(mailoutbox)
    assert "Place: Hough Library, 1566 Crawford Rd, and online → Online" in email.body
    assert "Where: Online" in email.body


def test_a_new_meeting_link_is_said_but_never_shown_in_the_difference(session, mailoutbox):
    online = answer(session, "online", guest=Guest("Olga Online", "olga@example.com"))

    edit(session, meeting_url=NEW_LINK)

    [email] = sent_after(mailoutbox)
    [row] = OutgoingEmail.objects.filter(kind=MailKind.SESSION_CHANGED)
    session.refresh_from_db()
    assert email.to == [online.email]
    assert email.subject.startswith("[CoP Portal] New meeting link: Tenant rights")
    assert "Meeting link: changed, the new one is below" in email.body
    assert f"Join online: {NEW_LINK}" in email.body
    assert OLD_LINK not in email.body
    assert OLD_LINK not in str(row.params)
    assert NEW_LINK not in str(row.params)
    assert session.sequence == 1  # calendars get the new link too


def test_a_new_link_alone_does_not_email_the_waitlist(mailoutbox):
    session = make_session(attendance_mode=AttendanceMode.ONLINE, online_capacity=1)
    going = make_user(email="gina@example.com")
    answer(session, "online", user=going)
    waiting = answer(session, "online", guest=Guest("Wren Waiting", "wren@example.com"))
    assert waiting.is_waitlisted

    edit(session, meeting_url=NEW_LINK)

    assert [email.to for email in sent_after(mailoutbox)] == [["gina@example.com"]]


def test_two_edits_before_sending_are_one_email_oldest_before_newest_after(session, mailoutbox):
    answer(session)

    edit(session, starts_at=local(2027, 12, 16, 18, 30), ends_at=local(2027, 12, 16, 19, 30))
    edit(session, starts_at=local(2027, 12, 16, 19), ends_at=local(2027, 12, 16, 20))

    [email] = sent_after(mailoutbox)
    assert f"Time: Thu, Dec 16, 6:00 PM {DASH} 7:00 PM → 7:00 PM {DASH} 8:00 PM" in email.body
    assert OutgoingEmail.objects.filter(kind=MailKind.SESSION_CHANGED).count() == 1


def test_an_edit_after_the_email_went_gets_its_own_from_where_that_one_left(session, mailoutbox):
    answer(session)
    edit(session, starts_at=local(2027, 12, 16, 18, 30), ends_at=local(2027, 12, 16, 19, 30))
    sent_after(mailoutbox)

    edit(session, starts_at=local(2027, 12, 16, 19), ends_at=local(2027, 12, 16, 20))

    [email] = sent_after(mailoutbox)
    assert f"Time: Thu, Dec 16, 6:30 PM {DASH} 7:30 PM → 7:00 PM {DASH} 8:00 PM" in email.body


def test_a_change_undone_before_sending_sends_nothing(session, mailoutbox):
    answer(session)

    edit(session, starts_at=local(2027, 12, 16, 18, 30), ends_at=local(2027, 12, 16, 19, 30))
    edit(session, starts_at=local(2027, 12, 16, 18), ends_at=local(2027, 12, 16, 19))

    assert sent_after(mailoutbox) == []
    [row] = OutgoingEmail.objects.filter(kind=MailKind.SESSION_CHANGED)
    assert (row.status, row.last_error) == (
        "skipped",
        "Nothing the person would see changed: it changed back since.",
    )


def test_the_rotation_moving_a_session_says_what_moved(mailoutbox):
    first = make_venue(name="Hough Library", address="1566 Crawford Rd")
    today = timezone.localdate()
    series = make_series(venue=first, starts_on=today)
    series_publish(series=series, until=today + timedelta(days=40))
    session = series.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at")[0]
    answer(session)
    series.slots.update(venue=make_venue(name="Midtown Tech Hive", address="6815 Euclid Ave"))

    with transaction.atomic():
        series_publish(series=series, until=today + timedelta(days=40))

    [email] = sent_after(mailoutbox)
    assert "Place: Hough Library, 1566 Crawford Rd" in email.body
    assert "→ Midtown Tech Hive, 6815 Euclid Ave" in email.body


def test_a_new_topic_updates_the_invitations_and_says_old_and_new(session, mailoutbox):
    rsvp = answer(session)
    sequence = session.sequence

    edit(session, topic="Eviction prevention")

    [email] = sent_after(mailoutbox)
    session.refresh_from_db()
    assert session.sequence == sequence + 1  # calendars show the new name
    assert heading(email) == "New topic"
    assert "Topic: Tenant rights → Eviction prevention" in email.body
    assert email.to == [rsvp.user.email]


def test_an_edit_that_leaves_the_headline_alone_sends_nothing(session, mailoutbox):
    answer(session)

    edit(session, agenda="1. Introductions\n2. One good question")

    assert sent_after(mailoutbox) == []
    session.refresh_from_db()
    assert session.sequence == 0


# Who hears about it (the organizer's choice) and their note: sessions_app.notify_choice


def test_only_people_going_leaves_the_waitlist_out(mailoutbox):
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON, meeting_url="", capacity=1)
    answer(session, user=make_user(email="gina@example.com"))
    waiting = answer(session, guest=Guest("Wren Waiting", "wren@example.com"))
    assert waiting.is_waitlisted

    later = {
        "starts_at": session.starts_at + timedelta(hours=1),
        "ends_at": session.ends_at + timedelta(hours=1),
    }

    edit(session, audience=NotifyAudience.GOING, **later)

    assert [email.to for email in sent_after(mailoutbox)] == [["gina@example.com"]]


def test_nobody_grows_the_sequence_and_queues_nothing(session, mailoutbox):
    answer(session)

    edit(
        session,
        audience=NotifyAudience.NOBODY,
        starts_at=local(2027, 12, 16, 19),
        ends_at=local(2027, 12, 16, 20),
    )

    session.refresh_from_db()
    assert session.sequence == 1
    assert not OutgoingEmail.objects.filter(kind=MailKind.SESSION_CHANGED).exists()
    assert sent_after(mailoutbox) == []


def test_the_note_travels_with_the_row_and_a_later_one_replaces_it(session, mailoutbox):
    answer(session)

    edit(
        session,
        note="Room 2 tonight.",
        starts_at=local(2027, 12, 16, 18, 30),
        ends_at=local(2027, 12, 16, 19, 30),
    )
    edit(
        session,
        note="Room 3, sorry!",
        starts_at=local(2027, 12, 16, 19),
        ends_at=local(2027, 12, 16, 20),
    )

    [row] = OutgoingEmail.objects.filter(kind=MailKind.SESSION_CHANGED)
    [email] = sent_after(mailoutbox)
    assert row.params["note"] == "Room 3, sorry!"
    assert "A note from the organizers:\n> Room 3, sorry!\n\nHere's what's different:" in email.body
    assert "Room 2" not in email.body


def test_without_a_note_the_email_reads_as_before(session, mailoutbox):
    answer(session)

    edit(session, starts_at=local(2027, 12, 16, 18, 30))

    [row] = OutgoingEmail.objects.filter(kind=MailKind.SESSION_CHANGED)
    [email] = sent_after(mailoutbox)
    assert "note" not in row.params
    assert "A note from the organizers" not in email.body
    assert find_all(tree(email), "table", class_="em-note") == []


# An email still waiting says only the change it was queued for, when a later change
# leaves its reader out (notifications.keep_to_what_was_told).


def _times(hour: int, minute: int = 0) -> dict:
    return {
        "starts_at": local(2027, 12, 16, hour, minute),
        "ends_at": local(2027, 12, 16, hour + 1, minute),
    }


def test_a_later_change_told_to_nobody_stays_out_of_the_waiting_email(session, mailoutbox):
    rsvp = answer(session)
    edit(session, **_times(18, 30))

    edit(session, audience=NotifyAudience.NOBODY, **_times(19))

    [email] = sent_after(mailoutbox)
    assert email.to == [rsvp.user.email]
    assert f"Time: Thu, Dec 16, 6:00 PM {DASH} 7:00 PM → 6:30 PM {DASH} 7:30 PM" in email.body
    assert (
        email.subject == "[CoP Portal] New time: Tenant rights, now Thursday, December 16, 6:30 PM"
    )
    assert f"6:30 PM {DASH} 7:30 PM EST" in email.body
    assert "7:00 PM" not in email.body.replace(f"6:00 PM {DASH} 7:00 PM", "")
    # The invitation is the first change's too: calendars get the second from the feed.
    [event] = Calendar.from_ical(_calendar(email).get_payload(decode=True)).events
    assert (event["SEQUENCE"], event.decoded("DTSTART")) == (1, local(2027, 12, 16, 18, 30))


def _calendar(email):
    [part] = [part for part in email.message().walk() if part.get_content_type() == "text/calendar"]
    return part


def test_people_left_out_of_a_later_change_hear_only_the_first(mailoutbox):
    session = make_session(
        title="Tenant rights",
        topic="",
        starts_at=local(2027, 12, 16, 18),
        attendance_mode=AttendanceMode.IN_PERSON,
        meeting_url="",
        capacity=1,
    )
    answer(session, user=make_user(email="gina@example.com"))
    answer(session, guest=Guest("Wren Waiting", "wren@example.com"))
    edit(session, **_times(18, 30))

    edit(session, audience=NotifyAudience.GOING, **_times(19))

    sent = {email.to[0]: email for email in sent_after(mailoutbox)}
    assert f"Time: Thu, Dec 16, 6:00 PM {DASH} 7:00 PM → 7:00 PM {DASH} 8:00 PM" in (
        sent["gina@example.com"].body
    )
    wren = sent["wren@example.com"]
    assert f"Time: Thu, Dec 16, 6:00 PM {DASH} 7:00 PM → 6:30 PM {DASH} 7:30 PM" in wren.body
    assert wren.subject.endswith("now Thursday, December 16, 6:30 PM")
    assert "8:00 PM" not in wren.body


def test_told_again_later_the_waiting_email_says_everything(session, mailoutbox):
    answer(session)
    edit(session, **_times(18, 30))
    edit(session, audience=NotifyAudience.NOBODY, **_times(19))

    edit(session, venue=make_venue(name="Midtown Tech Hive", address="6815 Euclid Ave"))

    [email] = sent_after(mailoutbox)
    [row] = OutgoingEmail.objects.filter(kind=MailKind.SESSION_CHANGED)
    assert "after" not in row.params
    assert f"Time: Thu, Dec 16, 6:00 PM {DASH} 7:00 PM → 7:00 PM {DASH} 8:00 PM" in email.body
    assert "→ Midtown Tech Hive, 6815 Euclid Ave, and online" in email.body


def test_a_change_undone_quietly_sends_nothing(session, mailoutbox):
    answer(session)
    edit(session, **_times(18, 30))

    edit(session, audience=NotifyAudience.NOBODY, **_times(18))

    assert sent_after(mailoutbox) == []
    [row] = OutgoingEmail.objects.filter(kind=MailKind.SESSION_CHANGED)
    assert row.status == "skipped"
