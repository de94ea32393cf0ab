""" "New sessions published" emails: who gets them, when, and what they say."""

import smtplib
from datetime import datetime, timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from cop_portal.mail import delivery, fanout
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.models import Dispatch, EmailPreference, OutgoingEmail
from sessions_app.announcements import announce
from sessions_app.models import (
    AttendanceMode,
    ConversationFormat,
    Session,
    SessionStatus,
    TimeOfDay,
)
from sessions_app.services.series import series_publish
from sessions_app.services.sessions import session_create, session_publish
from tests.clock import CLEVELAND, DASH
from tests.email_html import links
from tests.factories import make_series, make_session, make_user
from tests.outbox import SITE, work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def opted_in(**fields):
    user = make_user(**fields)
    email_prefs.set_preference(user.email, "announcements", True)
    return user


def next_year(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    year = timezone.localdate().year + 1
    return datetime(year, month, day, hour, minute, tzinfo=CLEVELAND)


def one_off(starts_at: datetime, **overrides) -> dict:
    fields = {
        "title": "Neighbourhood walk debrief",
        "time_of_day": TimeOfDay.EVENING,
        "format": ConversationFormat.BRIEF,
        "attendance_mode": AttendanceMode.ONLINE,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "meeting_url": "https://meet.example.org/walk",
    }
    fields.update(overrides)
    return fields


def test_announcement_after_a_one_off_is_published(committed, mailoutbox):
    member = opted_in(display_name="Ana", email="ana@example.org")

    with committed():
        session = session_create(fields=one_off(next_year(7, 8, 18)), publish=True)

    [email] = mailoutbox
    url = f"{SITE}/sessions/{session.slug}/"
    assert email.to == [member.email]
    day = dateformat.format(session.starts_at.astimezone(CLEVELAND), "l, F j")
    assert email.subject == f"[CoP Portal] New session: Neighbourhood walk debrief, {day}"
    assert email.body.startswith("Hi Ana,\n\nA new session is open for RSVPs:\n")
    assert f"6:00 PM {DASH} 7:00 PM EDT" in email.body
    assert "What:  Evening, brief conversation, online" in email.body
    assert f"RSVP:  {url}" in email.body
    assert links(email)["Neighbourhood walk debrief"] == url
    assert links(email)["RSVP"] == url
    assert "https://meet.example.org/walk" not in email.body  # the link is for RSVPs


def test_announcement_headers_and_footer_are_for_announcements(committed, mailoutbox):
    member = opted_in()

    with committed():
        session_create(fields=one_off(next_year(1, 12, 18)), publish=True)

    [email] = mailoutbox
    url = email_prefs.unsubscribe_url(member.email, "announcements")
    message = email.message()
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email_prefs.read_unsubscribe_token(url.rsplit("/", 2)[1]) == (
        member.email,
        "announcements",
    )
    footer = "Don't want emails about newly published sessions? Unsubscribe in one click:"
    assert f"{footer}\n{url}" in email.body
    assert f"Choose which emails you get: {SITE}/me/emails/" in email.body
    assert links(email)["Unsubscribe in one click"] == url
    assert f"6:00 PM {DASH} 7:00 PM EST" in email.body


def test_announcement_of_a_series_publish_lists_every_new_session_in_one_email(
    committed, mailoutbox
):
    member = opted_in()
    series = make_series(title="Community of Practice")
    today = timezone.localdate()

    with committed():
        result = series_publish(series=series, since=today, until=today + timedelta(days=95))

    [email] = mailoutbox
    assert len(result.created) == 3
    assert email.to == [member.email]
    assert email.subject.startswith("[CoP Portal] 3 new sessions, from ")
    assert "3 new sessions are open for RSVPs:" in email.body
    for session in result.created:
        assert f"{SITE}/sessions/{session.slug}/" in email.body
    assert "What:  Evening, brief conversation, in person and online" in email.body
    assert "What:  Daytime, in-depth conversation, in person and online" in email.body


def test_announcement_after_a_series_publish_that_creates_nothing_is_not_sent(
    committed, mailoutbox
):
    opted_in()
    series = make_series()
    today = timezone.localdate()
    with committed():
        series_publish(series=series, since=today, until=today + timedelta(days=95))
    mailoutbox.clear()

    with committed():
        series_publish(series=series, since=today, until=today + timedelta(days=95))

    assert mailoutbox == []


def test_announcement_after_a_draft_is_published(committed, mailoutbox):
    member = opted_in()
    with committed():
        draft = session_create(fields=one_off(next_year(3, 3, 11)), publish=False)
    assert mailoutbox == []

    with committed():
        session_publish(session=draft)

    [email] = mailoutbox
    assert email.to == [member.email]
    assert draft.title in email.subject


def test_announcements_go_only_to_active_verified_opted_in_members(committed, mailoutbox):
    wanted = opted_in(email="yes@example.org")
    make_user(email="default@example.org")  # announcements are off unless turned on
    opted_in(email="unverified@example.org", verified=False)
    opted_in(email="inactive@example.org", is_active=False)
    switched_off = opted_in(email="off@example.org")
    email_prefs.set_preference(switched_off.email, "announcements", False)
    email_prefs.set_preference("guest@example.org", "announcements", True)  # no account

    with committed():
        session_create(fields=one_off(next_year(2, 2, 18)), publish=True)

    assert [email.to for email in mailoutbox] == [[wanted.email]]


def test_announcement_not_sent_when_the_publish_rolls_back(committed, mailoutbox):
    opted_in()

    def publish_then_fail() -> None:
        with transaction.atomic():
            session_create(fields=one_off(next_year(2, 2, 18)), publish=True)
            raise RuntimeError("something else failed")

    with committed(), pytest.raises(RuntimeError, match="something else failed"):
        publish_then_fail()

    assert mailoutbox == []


def announce_now(sessions):
    """Record the announcement as a publish does, then do the worker's part."""
    with transaction.atomic():
        dispatch = announce(sessions)
    work()
    return dispatch


def test_announcement_skips_sessions_no_longer_published_when_sent(mailoutbox):
    member = opted_in()
    sessions = [make_session(), make_session()]
    with transaction.atomic():
        announce(sessions)
    # Between the publish and the worker, both sessions are called off.
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(status=SessionStatus.CANCELLED)

    work()

    assert mailoutbox == []
    skipped = OutgoingEmail.objects.get(to=member.email)
    assert (skipped.status, skipped.last_error) == (
        "skipped",
        "None of the sessions is still upcoming.",
    )


def test_announcement_fans_out_in_the_worker_and_counts_what_it_reached(mailoutbox):
    members = [opted_in() for _ in range(5)]
    session = make_session()

    with transaction.atomic():
        dispatch = announce([session])
    # The publish itself only recorded the news and counted who will get it.
    assert (dispatch.planned, OutgoingEmail.objects.count()) == (5, 0)

    work()

    dispatch.refresh_from_db()
    assert (dispatch.queued, dispatch.expanded_at is not None) == (5, True)
    assert sorted(email.to[0] for email in mailoutbox) == sorted(m.email for m in members)


def test_announcement_expanded_twice_is_sent_once(mailoutbox, monkeypatch):
    """A worker killed after queueing half: the next expansion queues only the rest."""
    members = [opted_in() for _ in range(5)]
    with transaction.atomic():
        dispatch = announce([make_session()])
    fanout.expand(dispatch.pk, batch=2)
    Dispatch.objects.filter(pk=dispatch.pk).update(expanded_at=None, cursor=0, queued=0)

    work()

    assert sorted(email.to[0] for email in mailoutbox) == sorted(m.email for m in members)


def test_announcement_to_a_refusing_mailbox_carries_on_with_the_others(monkeypatch, mailoutbox):
    first, second = opted_in(), opted_in()
    session = make_session()
    real_send = EmailBackend.send_messages

    def refuse_first(self, messages):
        if messages[0].to == [first.email]:
            raise smtplib.SMTPRecipientsRefused({first.email: (550, b"No such mailbox")})
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_first)
    announce_now([session])

    assert [email.to for email in mailoutbox] == [[second.email]]
    refused = OutgoingEmail.objects.get(to=first.email)
    assert refused.status == "failed"
    assert "No such mailbox" in refused.last_error


def test_announcement_delivery_query_count_does_not_grow_with_members(mailoutbox):
    """Sending a batch reads everything once (the rows, the members, their preferences,
    the sessions, the limits, the unsubscribe keys); what grows is one UPDATE per
    message, marking it sent."""

    def queries_to_deliver(members: int) -> int:
        for _ in range(members):
            opted_in()
        with transaction.atomic():
            announce([make_session()])
        fanout.expand(Dispatch.objects.latest("pk").pk)
        with CaptureQueriesContext(connection) as context:
            outcome = delivery.deliver_due()
        EmailPreference.objects.update(announcements=False)
        assert outcome.sent == members
        return len(context.captured_queries)

    one, six = queries_to_deliver(1), queries_to_deliver(6)

    assert six - one == 5
    assert one <= 16
