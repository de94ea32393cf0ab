"""The RSVP form can't fail silently: it starts from the likeliest answer, and a form with
a problem comes back at the form, with a summary that links to each field, everything typed
kept, and nothing saved. Then the pages after an RSVP: calendar buttons, and the meeting
link only for people going online."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from sessions_app.models import AttendanceMode, AttendAs, Rsvp, RsvpStatus, SessionStatus
from sessions_app.services.rsvps import Guest, rsvp_cancel, rsvp_create
from tests.factories import make_session

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/secret-room"


def _rsvp_url(session) -> str:
    return reverse("sessions:rsvp-create", args=[session.slug])


def _page(client, session) -> str:
    return client.get(session.get_absolute_url()).content.decode()


def _checked(page: str) -> list[str]:
    """The values of the "how will you join" radios that start checked."""
    return re.findall(r'<input type="radio" name="how" value="([^"]+)"[^>]*\bchecked\b', page)


def _summary(page: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>(.*?)</ul>', page, re.S)
    assert found, "no error summary on the page"
    return found.group(0)


def _summary_links(page: str) -> list[tuple[str, str]]:
    """(target id, text) of each link in the error summary."""
    return [
        (target, unescape(text))
        for target, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', _summary(page))
    ]


def _guest_in_person(session, email: str) -> Rsvp:
    rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, guest=Guest("Pat", email))
    return rsvp


# Starting from the likeliest answer


def test_hybrid_session_starts_guests_in_person_and_says_they_can_change_it(client):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)

    page = _page(client, session)

    assert _checked(page) == ["in-person"]
    assert "You can change this later with the link in your confirmation email." in page
    assert 'aria-describedby="id_how_helptext"' in page


def test_hybrid_session_starts_members_in_person_too(member_client):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)

    page = _page(member_client, session)

    assert _checked(page) == ["in-person"]
    assert "You can change this later on this page." in page


def test_a_full_room_starts_the_form_online(client):
    session = make_session(capacity=1)
    _guest_in_person(session, "first@example.org")

    page = _page(client, session)

    assert _checked(page) == ["online"]
    assert 'value="in-person-waitlist"' in page


def test_when_every_way_in_is_a_waitlist_nothing_is_chosen_for_the_guest(client):
    session = make_session(capacity=1, online_capacity=1)
    _guest_in_person(session, "first@example.org")
    rsvp_create(session=session, attend_as=AttendAs.ONLINE, guest=Guest("Ola", "o@example.org"))

    page = _page(client, session)

    assert _checked(page) == []
    assert "You can change this later" not in page


@pytest.mark.parametrize(
    ("mode", "value"),
    [(AttendanceMode.IN_PERSON, "in-person"), (AttendanceMode.ONLINE, "online")],
)
def test_a_session_with_one_way_in_sends_it_without_asking(client, mode, value):
    session = make_session(attendance_mode=mode)

    page = _page(client, session)

    assert f'<input type="hidden" name="how" value="{value}" id="id_how">' in page
    assert "How will you join?" not in page


def test_a_guest_who_leaves_the_suggestion_as_it_is_rsvps_in_person(client):
    session = make_session()
    suggested = _checked(_page(client, session))[0]

    response = client.post(
        _rsvp_url(session), {"name": "Gia", "email": "gia@example.org", "how": suggested}
    )

    assert response.status_code == 302
    assert Rsvp.objects.get().attend_as == AttendAs.IN_PERSON


# A form with problems


def test_the_form_opens_the_page_at_itself(client):
    session = make_session()

    page = _page(client, session)

    assert page.count('id="rsvp"') == 1
    assert f'action="{_rsvp_url(session)}#rsvp"' in page


def test_guest_form_with_problems_comes_back_with_a_summary_linking_each_field(client):
    session = make_session()

    response = client.post(
        _rsvp_url(session),
        {"name": "", "email": "gia@example", "organization": "Hough block club", "how": ""},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert '<div class="error-summary" tabindex="-1" data-error-summary>' in page
    assert "There is a problem</h3>" in page
    assert _summary_links(page) == [
        ("id_name", "Tell us your name, so we know who to expect."),
        ("id_email", "Enter an email address like name@example.org."),
        ("id_how_0", "Choose how you will join."),
    ]
    for target, _text in _summary_links(page):
        assert f'id="{target}"' in page
    # Each field says what's wrong beside it, and keeps what was typed.
    assert re.search(r'<input type="text" name="name"[^>]*aria-invalid="true"', page)
    assert 'aria-describedby="id_email_helptext id_email_error"' in page
    assert 'id="id_email_error"' in page
    assert 'value="gia@example"' in page
    assert 'value="Hough block club"' in page
    assert (
        '<fieldset class="choice field--error" aria-describedby="id_how_helptext id_how_error">'
        in page
    )
    assert Rsvp.objects.count() == 0


def test_the_summary_comes_first_in_the_form(client):
    session = make_session()

    page = client.post(_rsvp_url(session), {"name": "", "email": "", "how": "online"}).content
    page = page.decode()

    form = page[page.index(f'action="{_rsvp_url(session)}#rsvp"') :]
    assert form.index("error-summary") < form.index('name="name"')
    assert _checked(page) == ["online"]


def test_a_seat_taken_meanwhile_is_explained_in_the_summary(member_client):
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON, capacity=1)
    _guest_in_person(session, "first@example.org")

    response = member_client.post(_rsvp_url(session), {"how": "in-person"})

    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert "That way of joining isn't open for this session any more." in _summary(page)
    assert _summary_links(page) == []
    assert Rsvp.objects.count() == 1


def test_too_many_rsvps_is_said_in_the_summary(client, settings):
    settings.RSVP_GUEST_RATE_PER_IP = "1/h"
    session = make_session()
    client.post(_rsvp_url(session), {"name": "A", "email": "a@example.org", "how": "online"})

    response = client.post(
        _rsvp_url(session), {"name": "B", "email": "b@example.org", "how": "online"}
    )

    assert response.status_code == 429
    assert "Too many RSVPs from here" in _summary(response.content.decode())
    assert Rsvp.objects.count() == 1


def test_answering_a_cancelled_session_says_so_at_the_top(client):
    session = make_session(status=SessionStatus.CANCELLED, cancellation_reason="Snow")

    response = client.post(
        _rsvp_url(session), {"name": "Gia", "email": "gia@example.org", "how": "in-person"}
    )

    assert response.status_code == 400
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "This session is cancelled, so it no longer takes RSVPs."
    ]
    assert "This session is cancelled, so it no longer takes RSVPs." in response.content.decode()
    assert Rsvp.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"name": "\x00", "email": "a@example.org", "how": "online"},
        {"name": "Gia", "email": "a@example.org\x00", "how": "online"},
        {"how": "online-waitlist"},
        {},
    ],
    ids=["nul-in-name", "nul-in-email", "waitlist-with-room", "nothing"],
)
def test_odd_input_is_refused_with_a_summary_and_nothing_saved(client, data):
    session = make_session()

    response = client.post(_rsvp_url(session), data)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Rsvp.objects.count() == 0


def test_two_answers_at_once_keep_the_last_one(client):
    session = make_session()

    response = client.post(
        _rsvp_url(session),
        {"name": "Gia", "email": "a@example.org", "how": ["online", "in-person"]},
    )

    assert response.status_code == 302
    assert Rsvp.objects.get().attend_as == "in-person"


# After the RSVP: "check your email", and the manage page


def test_check_your_email_page_offers_every_calendar_button_without_the_meeting_link(client):
    session = make_session()

    page = client.get(reverse("sessions:rsvp-sent", args=[session.slug])).content.decode()

    for button in ("Google Calendar", "Outlook.com", "Outlook (Microsoft 365)", "Download .ics"):
        assert button in page
    assert SECRET not in page
    assert "it comes by email to people with a place online" in page


def test_in_person_guest_is_not_shown_the_meeting_link_first(client):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)
    rsvp = _guest_in_person(session, "pat@example.org")

    page = client.get(rsvp.get_absolute_url()).content.decode()

    assert "You're coming in person." in page
    assert "Open the meeting link" not in page
    assert SECRET not in page
    assert "Joining online instead? Choose Online and the meeting link shows on this page." in page
    assert "Add it to your calendar" in page
    assert reverse("sessions:guest-calendar", kwargs={"token": rsvp.token}) in page


def test_online_guest_gets_the_meeting_link_and_the_calendar_buttons(client):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)
    rsvp, _ = rsvp_create(
        session=session, attend_as=AttendAs.ONLINE, guest=Guest("Ola", "o@example.org")
    )

    page = client.get(rsvp.get_absolute_url()).content.decode()

    assert f'href="{SECRET}"' in page
    assert "Google Calendar" in page
    assert page.index("Open the meeting link") < page.index("Add it to your calendar")


def test_waitlisted_guest_gets_no_meeting_link(client):
    session = make_session(attendance_mode=AttendanceMode.ONLINE, online_capacity=1)
    rsvp_create(session=session, attend_as=AttendAs.ONLINE, guest=Guest("A", "a@example.org"))
    waiting, _ = rsvp_create(
        session=session,
        attend_as=AttendAs.ONLINE,
        guest=Guest("B", "b@example.org"),
        waitlist_ok=True,
    )

    page = client.get(waiting.get_absolute_url()).content.decode()

    assert waiting.status == RsvpStatus.WAITLISTED
    assert "You're 1st on the waitlist for an online place." in page
    assert SECRET not in page


def test_after_cancelling_the_page_offers_to_rsvp_again_not_a_calendar(client):
    session = make_session()
    rsvp = _guest_in_person(session, "pat@example.org")
    rsvp_cancel(rsvp=rsvp)

    page = client.get(rsvp.get_absolute_url()).content.decode()

    assert "You cancelled this RSVP." in page
    assert f'href="{session.get_absolute_url()}#rsvp">RSVP again</a>' in page
    assert "Keep it in your calendar" not in page
    assert "Add it to your calendar" not in page
    assert "Google Calendar" not in page


def test_a_cancelled_session_offers_no_calendar_on_the_manage_page(client):
    session = make_session()
    rsvp = _guest_in_person(session, "pat@example.org")
    session.status = SessionStatus.CANCELLED
    session.save()

    page = client.get(rsvp.get_absolute_url()).content.decode()

    assert "This session is cancelled." in page
    assert "Add it to your calendar" not in page
    assert "RSVP again" not in page


def test_members_manage_page_links_their_own_calendar_feed(member_client, member):
    session = make_session()
    rsvp, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)

    page = member_client.get(rsvp.get_absolute_url()).content.decode()

    assert f'href="{reverse("sessions:my-calendar")}">Subscribe to your calendar feed</a>' in page


def test_member_coming_in_person_sees_no_meeting_link_box_on_the_session_page(
    member_client, member
):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)
    rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member)

    page = _page(member_client, session)

    assert "You're coming in person." in page
    assert "Open the meeting link" not in page
    assert SECRET not in page
    assert "Joining online instead? Choose Online and the meeting link shows on this page." in page


def test_check_your_email_page_shows_the_session_as_a_card(client):
    session = make_session(topic="Tenant organizing")

    page = client.get(reverse("sessions:rsvp-sent", args=[session.slug])).content.decode()

    assert '<span class="date-badge" aria-hidden="true">' in page
    assert f'<span class="session-summary__context">{session.title}</span>' in page
    assert f"· {session.where}</span>" in unescape(page)
