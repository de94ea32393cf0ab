"""The session page: what it tells each person, what it never shows, and its JSON-LD."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import (
    AttendanceMode,
    ConversationFormat,
    Session,
    SessionStatus,
    TimeOfDay,
)
from tests.clock import CLEVELAND, DASH, local
from tests.factories import make_session, make_venue
from tests.session_pages import without_icons

pytestmark = pytest.mark.django_db

SECRET_URL = "https://meet.example.org/secret-room"
SECRET_INSTRUCTIONS = "Dial 555-0100, passcode 4242."


def jsonld(body: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def office() -> object:
    return make_venue(
        name="Midtown/Hough office",
        address="6555 Euclid Avenue",
        postal_code="44103",
        neighborhood="Midtown/Hough",
        directions="First door on the left.",
        accessibility_notes="Step-free entrance & a hearing loop.",
        parking_notes="Free lot behind the building.",
    )


@pytest.fixture
def winter_session() -> Session:
    return make_session(
        title="Small grants for block clubs",
        topic="Who funds what",
        summary="How to write a short application.",
        agenda="1. Introductions\n2. **Grants** we know\n\n[City page](https://example.org)",
        starts_at=local(2030, 12, 18, 18),
        venue=office(),
    )


def test_session_page_tells_everyone_what_when_and_where(any_client, winter_session):
    response = any_client.get(winter_session.get_absolute_url())

    body = without_icons(response.content.decode())
    assert response.status_code == 200
    for text in [
        # The topic is the title; the one-off session's own title is context.
        '<p class="session__context">Small grants for block clubs</p>',
        "<h1>Who funds what</h1>",
        "<title>Who funds what, December 18, 2030",
        "How to write a short application.",
        '<span class="badge badge--evening">Evening</span>',
        '<span class="badge badge--brief">Brief</span>',
        '<span class="badge badge--hybrid">Hybrid</span>',
        '<time datetime="2030-12-18T18:00:00-05:00">Wednesday, December 18, 2030</time>',
        f"6:00 PM {DASH} 7:00 PM EST",
        "(1 hour)",
        "Midtown/Hough office, and online",
        '<a href="#venue-title">Map and directions</a>',
        '<h2 id="venue-title">Where</h2>',
        "6555 Euclid Avenue",
        "First door on the left.",
        "Step-free entrance &amp; a hearing loop.",
        "Free lot behind the building.",
        "<li><strong>Grants</strong> we know</li>",
        '<a href="https://example.org" rel="nofollow noopener">City page</a>',
        "<strong>Online:</strong>",
        f'href="{reverse("sessions:accessibility")}"',
    ]:
        assert text in body, text
    assert "took place" not in body


@pytest.fixture(params=["visitor", "member"])
def client_without_rsvp(request, member) -> Client:
    client = Client()
    if request.param == "member":
        client.force_login(member)
    return client


def test_session_page_hides_the_meeting_link_without_an_rsvp(client_without_rsvp, winter_session):
    body = client_without_rsvp.get(winter_session.get_absolute_url()).content.decode()

    assert SECRET_URL not in body
    assert "secret-room" not in body
    assert SECRET_INSTRUCTIONS not in body


def test_session_page_shows_organizers_the_meeting_link(organizer_client, winter_session):
    body = organizer_client.get(winter_session.get_absolute_url()).content.decode()

    assert f'href="{SECRET_URL}"' in body
    assert SECRET_INSTRUCTIONS in body


def test_session_page_shows_summer_times_as_edt(client):
    session = make_session(starts_at=local(2030, 7, 17, 11, 30), time_of_day=TimeOfDay.DAYTIME)

    body = client.get(session.get_absolute_url()).content.decode()

    assert f"11:30 AM {DASH} 12:30 PM EDT" in body
    assert 'datetime="2030-07-17T11:30:00-04:00"' in body


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(60, "(1 hour)"), (120, "(2 hours)"), (90, "(90 minutes)"), (150, "(2 hours 30 minutes)")],
)
def test_session_page_shows_the_length(client, minutes, shown):
    start = local(2030, 12, 18, 11)
    session = make_session(starts_at=start, ends_at=start + timedelta(minutes=minutes))

    body = client.get(session.get_absolute_url()).content.decode()

    assert shown in body


def test_online_session_page_has_no_venue(client):
    session = make_session(attendance_mode=AttendanceMode.ONLINE, venue=None)

    body = without_icons(client.get(session.get_absolute_url()).content.decode())

    assert "<dt>Where</dt>\n        <dd>Online</dd>" in body
    assert "venue-title" not in body
    assert "In person:" not in body
    assert (
        "<strong>Online:</strong> the meeting link appears on this page once you RSVP, "
        "and in your confirmation email." in body
    )
    assert SECRET_URL not in body


def test_in_person_session_page_gives_the_address_to_join(client):
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON, venue=office())

    body = client.get(session.get_absolute_url()).content.decode()

    assert "<strong>In person:</strong> Midtown/Hough office," in body
    assert "Online:" not in body


def test_cancelled_session_page_gives_the_reason_and_no_way_to_join(any_client):
    session = make_session(
        status=SessionStatus.CANCELLED, cancellation_reason="The office is closed for repairs."
    )

    response = any_client.get(session.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>This session is cancelled.</strong>" in body
    assert "The office is closed for repairs." in body
    assert "How to join" not in body
    assert '<span class="badge badge--cancelled">Cancelled</span>' in body


def test_past_session_page_says_it_took_place(any_client):
    session = make_session(starts_at=timezone.now() - timedelta(days=40))

    body = any_client.get(session.get_absolute_url()).content.decode()

    took_place = session.local_starts_at.strftime("%A, %B %-d, %Y")
    assert f"<strong>This session took place on {took_place}.</strong>" in body
    assert "How to join" not in body


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_draft_session_page_is_not_found_for_visitors_and_members(client, member, who):
    session = make_session(status=SessionStatus.DRAFT)
    if who == "member":
        client.force_login(member)

    response = client.get(session.get_absolute_url())

    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_draft_session_page_shows_organizers_a_notice_and_publish_button(organizer_client):
    session = make_session(status=SessionStatus.DRAFT)

    response = organizer_client.get(session.get_absolute_url())

    body = response.content.decode()
    publish = reverse("sessions:session-publish", kwargs={"slug": session.slug})
    assert response.status_code == 200
    assert "Draft — only organizers can see this." in body
    assert re.search(
        rf'<form method="post" action="{publish}">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        body,
    )
    assert '<meta name="robots" content="noindex">' in body


def test_unknown_session_page_is_not_found(client):
    response = client.get(reverse("sessions:session-detail", kwargs={"slug": "no-such-thing"}))

    assert response.status_code == 404


def test_organizers_get_edit_and_cancel_links(organizer_client):
    session = make_session()

    body = organizer_client.get(session.get_absolute_url()).content.decode()

    slug = {"slug": session.slug}
    assert f'href="{reverse("sessions:session-edit", kwargs=slug)}"' in body
    assert f'href="{reverse("sessions:session-cancel", kwargs=slug)}"' in body
    assert reverse("sessions:session-publish", kwargs=slug) not in body


@pytest.mark.parametrize(
    "fields",
    [
        {"status": SessionStatus.CANCELLED},
        {"starts_at": datetime(2024, 1, 17, 18, tzinfo=CLEVELAND)},
    ],
)
def test_organizers_get_no_cancel_link_on_cancelled_or_past_sessions(organizer_client, fields):
    session = make_session(**fields)

    body = organizer_client.get(session.get_absolute_url()).content.decode()

    assert f'href="{reverse("sessions:session-edit", kwargs={"slug": session.slug})}"' in body
    assert reverse("sessions:session-cancel", kwargs={"slug": session.slug}) not in body


def test_members_get_no_organizer_links(member_client):
    session = make_session()

    body = member_client.get(session.get_absolute_url()).content.decode()

    assert "For organizers" not in body
    assert reverse("sessions:session-edit", kwargs={"slug": session.slug}) not in body


def test_session_page_has_open_graph_and_description(client, winter_session):
    body = client.get(winter_session.get_absolute_url()).content.decode()

    url = f"{settings.SITE_URL}{winter_session.get_absolute_url()}"
    assert '<meta property="og:title" content="Who funds what">' in body
    assert '<meta property="og:type" content="website">' in body
    assert f'<meta property="og:url" content="{url}">' in body
    assert f'<meta property="og:site_name" content="{settings.SITE_NAME}">' in body
    assert (
        '<meta property="og:description" content="Wednesday, December 18, 2030, 6:00 PM EST. '
        'How to write a short application.">' in body
    )
    assert (
        '<meta name="description" content="Wednesday, December 18, 2030, 6:00 PM EST. '
        'How to write a short application.">' in body
    )


# JSON-LD --------------------------------------------------------------------------


def test_jsonld_describes_a_hybrid_winter_session(client, winter_session):
    body = client.get(winter_session.get_absolute_url()).content.decode()

    data = jsonld(body)
    url = f"{settings.SITE_URL}{winter_session.get_absolute_url()}"
    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Who funds what",
        "description": "How to write a short application.",
        "startDate": "2030-12-18T18:00:00-05:00",
        "endDate": "2030-12-18T19:00:00-05:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
        "location": [
            {
                "@type": "Place",
                "name": "Midtown/Hough office",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "6555 Euclid Avenue",
                    "addressLocality": "Cleveland",
                    "addressRegion": "OH",
                    "postalCode": "44103",
                    "addressCountry": "US",
                },
                "description": "Accessibility: Step-free entrance & a hearing loop.",
            },
            {"@type": "VirtualLocation", "url": url},
        ],
        "organizer": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
        "url": url,
        "isAccessibleForFree": True,
    }
    assert "\\u0026 a hearing loop" in body  # & escaped inside the script block


def test_jsonld_summer_session_has_daylight_offset(client):
    session = make_session(starts_at=local(2030, 7, 17, 11, 30))

    data = jsonld(client.get(session.get_absolute_url()).content.decode())

    assert data["startDate"] == "2030-07-17T11:30:00-04:00"
    assert data["endDate"] == "2030-07-17T12:30:00-04:00"


def test_jsonld_cancelled_session_says_so(client):
    session = make_session(status=SessionStatus.CANCELLED)

    data = jsonld(client.get(session.get_absolute_url()).content.decode())

    assert data["eventStatus"] == "https://schema.org/EventCancelled"


@pytest.mark.parametrize(
    ("mode", "schema_mode", "types"),
    [
        (AttendanceMode.IN_PERSON, "OfflineEventAttendanceMode", "Place"),
        (AttendanceMode.ONLINE, "OnlineEventAttendanceMode", "VirtualLocation"),
    ],
)
def test_jsonld_single_mode_sessions_have_one_location(client, mode, schema_mode, types):
    venue = None if mode == AttendanceMode.ONLINE else make_venue()
    session = make_session(attendance_mode=mode, venue=venue, format=ConversationFormat.IN_DEPTH)

    data = jsonld(client.get(session.get_absolute_url()).content.decode())

    assert data["eventAttendanceMode"] == f"https://schema.org/{schema_mode}"
    assert data["location"]["@type"] == types


def test_jsonld_escapes_markup_in_titles(client):
    session = make_session(topic="</script><script>alert(1)</script>")

    body = client.get(session.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in body
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in body
    assert jsonld(body)["name"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("count", [1, 500])
def test_session_page_query_count_does_not_grow(
    client, organizer, django_assert_max_num_queries, count
):
    venue = make_venue()
    start = timezone.now() + timedelta(days=1)
    Session.objects.bulk_create(
        make_session(save=False, venue=venue, starts_at=start + n * timedelta(hours=3))
        for n in range(count)
    )
    session = Session.objects.order_by("starts_at").last()

    # the session, the RSVP counts, focus activities, linked library posts
    with django_assert_max_num_queries(4):
        response = client.get(session.get_absolute_url())
    assert response.status_code == 200

    client.force_login(organizer)
    # + log-in session, user, organizer role, the viewer's RSVP, listed members, and
    # (organizers only) how the emails about the session went and the open library
    # reports (the Organize menu's count)
    with django_assert_max_num_queries(11):
        client.get(session.get_absolute_url())
