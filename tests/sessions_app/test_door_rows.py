"""The door list's and attendees page's rows, written in Python (templatetags/attendance_rows):
the same words and dates the templates wrote, escaped, and forms that post with their
CSRF token."""

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cop_portal.lib.dates import date_as
from sessions_app.models import AttendAs, CheckInBy, Rsvp, RsvpStatus
from sessions_app.templatetags.attendance_rows import _writer
from tests.clock import CLEVELAND, local
from tests.factories import make_rsvp, make_session, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    """Starts in an hour: check-in is open."""
    return make_session(topic="Tenant organizing", starts_at=timezone.now() + timedelta(hours=1))


def door_url(session) -> str:
    return reverse("sessions:session-check-in", kwargs={"slug": session.slug})


def row_url(session, answer: Rsvp) -> str:
    return reverse("sessions:rsvp-check-in", kwargs={"slug": session.slug, "rsvp_id": answer.pk})


def attendees_url(session) -> str:
    return reverse("sessions:session-attendees", kwargs={"slug": session.slug})


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "name",
    ["CLOCK", "SHORT_DAY_TIME", "SHORT_DAY_DATE", "CLOCK_ZONE", "SHORT_DAY", "SHORT_WEEKDAY_DATE"],
)
def test_rows_write_moments_as_date_as_does(language, name):
    # Every hour and a few minutes across a year, over both changes of the clock.
    start = datetime(2027, 1, 1, tzinfo=CLEVELAND)
    moments = [
        start + timedelta(hours=hours, minutes=hours * 7 % 60) for hours in range(0, 8760, 7)
    ]

    with translation.override(language):
        write = _writer(name, language)
        written = [write(timezone.localtime(moment)) for moment in moments]
        expected = [date_as(moment, name) for moment in moments]

    assert written == expected


def test_door_rows_escape_names_organizations_and_addresses(organizer_client, session):
    make_rsvp(
        session,
        name='<b>Ann & "Bo"</b>',
        email="ann@example.org",
        organization="<i>Hough</i>",
        checked_in_at=timezone.now(),
    )

    body = organizer_client.get(door_url(session)).content.decode()

    assert "<b>Ann" not in body
    assert "<i>Hough" not in body
    assert "<strong>&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;</strong>" in body
    assert "Guest · &lt;i&gt;Hough&lt;/i&gt;" in body
    assert "check-in of &lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;" in body
    assert 'data-door-search-text="&lt;b&gt;ann &amp; &quot;bo&quot;&lt;/b&gt; ' in body


def test_attendee_rows_escape_and_write_each_column(organizer_client, session):
    member = make_user(email="dana@example.com", display_name="Dana <Member>")
    make_rsvp(
        session,
        user=member,
        queued_at=local(2027, 1, 4, 9, 5),
        checked_in_at=local(2027, 1, 5, 18, 7),
        checked_in_by=CheckInBy.SELF,
    )
    make_rsvp(
        session,
        name="Wes Waiting",
        attend_as=AttendAs.ONLINE,
        status=RsvpStatus.WAITLISTED,
        queued_at=local(2027, 1, 4, 10),
    )

    body = organizer_client.get(attendees_url(session)).content.decode()

    assert (
        '<tr><th scope="row" data-label="Name">Dana &lt;Member&gt;</th>'
        '<td data-label="Member or guest">Member</td>'
        '<td data-label="Organization">—</td>'
        '<td data-label="Email"><a href="mailto:dana@example.com">dana@example.com</a></td>'
        '<td data-label="Answered"><time datetime="2027-01-04T09:05:00-05:00">Jan 4, 9:05 AM</time>'
        "</td>"
        '<td data-label="Checked in"><span class="checked">Self check-in, 6:07 PM</span></td></tr>'
    ) in body
    assert (
        '<tr><td data-label="Place in line">1 <span class="muted">(online)</span></td>'
        '<th scope="row" data-label="Name">Wes Waiting</th>'
    ) in body
    assert '<td data-label="Checked in">No</td></tr>' in body


def test_door_row_buttons_post_with_the_pages_csrf_token(organizer, session):
    answer = make_rsvp(session, name="Ann Going")
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)
    body = client.get(door_url(session)).content.decode()
    row = re.search(rf'<li [^>]*id="rsvp-{answer.pk}".*?</li>', body, re.S).group(0)
    action = re.search(r'<form method="post" action="([^"]+)"', row).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1)

    refused = client.post(action, {"action": "check-in"})
    response = client.post(action, {"action": "check-in", "csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert response.status_code == 302
    assert response["Location"] == f"{door_url(session)}#rsvp-{answer.pk}"
    answer.refresh_from_db()
    assert answer.checked_in_by == CheckInBy.DOOR
    assert answer.checked_in_at is not None


def test_door_rows_offer_undo_only_once_checked_in_before_check_in_opens(organizer_client):
    later = make_session(topic="Later", starts_at=timezone.now() + timedelta(days=3))
    waiting = make_rsvp(later, name="Not Yet")
    came = make_rsvp(later, name="Came Early", checked_in_at=timezone.now())

    body = organizer_client.get(door_url(later)).content.decode()

    actions = re.findall(r'<form method="post" action="([^"]+)" class="door-row__action"', body)
    assert actions == [row_url(later, came)]
    assert (body.count('value="check-in"'), body.count('value="undo"')) == (0, 1)
    assert '<span class="visually-hidden"> check-in of Came Early</span>' in body
    assert f'id="rsvp-{waiting.pk}"' in body


def test_kept_door_rows_post_with_each_requests_own_csrf_token(organizer, session):
    # The rows are kept between requests (templatetags/attendance_rows.py), the token
    # never: a second browser's rows carry its own.
    answer = make_rsvp(session, name="Ann Going")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(organizer)
    second.force_login(organizer)
    first.get(door_url(session))
    body = second.get(door_url(session)).content.decode()
    row = re.search(rf'<li [^>]*id="rsvp-{answer.pk}".*?</li>', body, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1)

    response = second.post(
        row_url(session, answer), {"action": "check-in", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.checked_in_at is not None


def test_kept_door_rows_show_a_check_in_and_the_readers_language_at_once(organizer_client, session):
    answer = make_rsvp(session, name="Ann Going")
    before = organizer_client.get(door_url(session)).content.decode()

    organizer_client.post(row_url(session, answer), {"action": "check-in"})
    english = organizer_client.get(door_url(session)).content.decode()
    spanish = organizer_client.get(door_url(session), {"lang": "es"}).content.decode()

    assert '>Check in<span class="visually-hidden"> Ann Going</span>' in before
    assert '>Undo<span class="visually-hidden"> check-in of Ann Going</span>' in english
    assert "Check in<span" not in english
    assert '>Deshacer<span class="visually-hidden">' in spanish
