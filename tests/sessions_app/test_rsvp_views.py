"""RSVPs through the real views: members, guests, the waitlist, manage links, privacy."""

import re
from datetime import datetime, time, timedelta
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import User
from sessions_app.models import AttendanceMode, AttendAs, Rsvp, RsvpStatus, SessionStatus
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.factories import PASSWORD, make_session, make_user, make_venue

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/secret-room"


def _rsvp_url(session) -> str:
    return reverse("sessions:rsvp-create", args=[session.slug])


def _guest(name="Gia Guest", email="gia@example.org", how="in-person", **extra) -> dict:
    return {"name": name, "email": email, "organization": "", "how": how, **extra}


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _small_session(seats: int = 2, **fields):
    return make_session(capacity=seats, **fields)


# Members


def test_member_rsvps_in_one_click_to_an_in_person_session(member_client, member):
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON, meeting_url="")

    page = member_client.get(session.get_absolute_url()).content.decode()
    response = member_client.post(_rsvp_url(session), {"how": "in-person"}, follow=True)

    rsvp = Rsvp.objects.get()
    assert 'type="hidden" name="how" value="in-person"' in page
    assert "I'm coming" in page
    assert (rsvp.user, rsvp.attend_as, rsvp.status) == (member, AttendAs.IN_PERSON, "going")
    assert "You're coming in person." in response.content.decode()


def test_member_double_submit_leaves_one_rsvp(member_client):
    session = make_session()

    first = member_client.post(_rsvp_url(session), {"how": "in-person"})
    second = member_client.post(_rsvp_url(session), {"how": "online"})

    assert first.status_code == second.status_code == 302
    assert Rsvp.objects.count() == 1
    assert Rsvp.objects.get().attend_as == AttendAs.IN_PERSON


def test_hybrid_session_lets_member_choose_online_and_see_the_link(member_client, member):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)

    member_client.post(_rsvp_url(session), {"how": "online"})
    body = member_client.get(session.get_absolute_url()).content.decode()

    assert Rsvp.objects.get(user=member).attend_as == AttendAs.ONLINE
    assert "You're coming online." in body
    assert f'href="{SECRET}"' in body
    assert "Dial 555-0100, passcode 4242." in body


def test_meeting_link_stays_hidden_from_others(member_client, other_member, client):
    session = make_session()
    member_client.post(_rsvp_url(session), {"how": "online"})

    for viewer in (_logged_in(other_member), client):
        body = viewer.get(session.get_absolute_url()).content.decode()
        assert SECRET not in body
        assert "passcode 4242" not in body


def test_full_room_offers_waitlist_or_online(member_client):
    session = _small_session(seats=2)
    for _ in range(2):
        rsvp_create(session=session, user=make_user(), attend_as=AttendAs.IN_PERSON)

    body = member_client.get(session.get_absolute_url()).content.decode()

    assert 'value="in-person-waitlist"' in body
    assert "In person: join the waitlist (all seats are taken)" in body
    assert 'value="online"' in body
    assert 'value="in-person"' not in body


def test_waitlisted_member_sees_position_and_no_link(member_client, member):
    session = _small_session(seats=1)
    rsvp_create(session=session, user=make_user(), attend_as=AttendAs.IN_PERSON)
    rsvp_create(session=session, user=make_user(), attend_as=AttendAs.IN_PERSON)

    member_client.post(_rsvp_url(session), {"how": "in-person-waitlist"})
    body = member_client.get(session.get_absolute_url()).content.decode()

    rsvp = Rsvp.objects.get(user=member)
    assert rsvp.status == RsvpStatus.WAITLISTED
    assert "<strong>You're 2nd on the waitlist for a seat.</strong>" in body
    assert SECRET not in body


def test_taking_a_seat_that_just_went_is_refused_with_a_message(member_client):
    session = _small_session(seats=1)
    rsvp_create(session=session, user=make_user(), attend_as=AttendAs.IN_PERSON)

    response = member_client.post(_rsvp_url(session), {"how": "in-person"})

    assert response.status_code == 400
    assert "That way of joining isn't open for this session any more." in unescape(
        response.content.decode()
    )
    assert Rsvp.objects.count() == 1


def test_cancelling_frees_the_seat_for_the_first_in_line(member, member_client):
    session = _small_session(seats=1)
    member_client.post(_rsvp_url(session), {"how": "in-person"})
    first = make_user()
    second = make_user()
    rsvp_create(session=session, user=first, attend_as=AttendAs.IN_PERSON)
    rsvp_create(session=session, user=second, attend_as=AttendAs.IN_PERSON)
    mine = Rsvp.objects.get(user=member)

    response = member_client.post(reverse("sessions:rsvp-cancel", args=[mine.token]))

    assert response.status_code == 302
    assert Rsvp.objects.get(user=member).status == RsvpStatus.CANCELLED
    assert Rsvp.objects.get(user=first).status == RsvpStatus.GOING
    assert Rsvp.objects.get(user=second).status == RsvpStatus.WAITLISTED


def test_rsvp_again_after_cancelling(member_client, member):
    session = make_session()
    member_client.post(_rsvp_url(session), {"how": "in-person"})
    rsvp = Rsvp.objects.get()
    member_client.post(reverse("sessions:rsvp-cancel", args=[rsvp.token]))

    member_client.post(_rsvp_url(session), {"how": "online"})

    rsvp.refresh_from_db()
    assert Rsvp.objects.count() == 1
    assert (rsvp.status, rsvp.attend_as) == (RsvpStatus.GOING, AttendAs.ONLINE)


def test_switching_to_online_gives_the_seat_to_the_next_person(member_client, member):
    session = _small_session(seats=1)
    member_client.post(_rsvp_url(session), {"how": "in-person"})
    waiting = make_user()
    rsvp_create(session=session, user=waiting, attend_as=AttendAs.IN_PERSON)
    mine = Rsvp.objects.get(user=member)

    member_client.post(reverse("sessions:rsvp-change", args=[mine.token]), {"how": "online"})

    assert Rsvp.objects.get(user=member).attend_as == AttendAs.ONLINE
    assert Rsvp.objects.get(user=waiting).status == RsvpStatus.GOING


def test_listed_member_names_show_to_members_only(member_client, other_member, client):
    session = make_session()
    member_client.post(_rsvp_url(session), {"how": "in-person", "listed": "on"})
    rsvp_create(session=session, user=make_user(display_name="Quiet Person"), attend_as="online")

    for_member = _logged_in(other_member).get(session.get_absolute_url()).content.decode()
    for_visitor = client.get(session.get_absolute_url()).content.decode()

    assert re.search(
        r'<h2 id="attendees-title">Who.s coming</h2>.*Dana Member</li>', for_member, re.S
    )
    assert "Quiet Person" not in for_member
    assert "Dana Member" not in for_visitor
    assert "1 going in person" in for_visitor
    assert "1 online" in for_visitor


# Guests


def test_guest_rsvp_says_check_your_email_and_the_email_leads_to_the_manage_page(
    client, django_capture_on_commit_callbacks
):
    session = make_session()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _rsvp_url(session), _guest(organization="Hough block club"), follow=True
        )

    rsvp = Rsvp.objects.get()
    assert response.redirect_chain == [(f"/sessions/{session.slug}/rsvp/sent/", 302)]
    sent = response.content.decode()
    assert "Check your email" in sent
    assert "We sent the details and your private link to gia@example.org." in sent
    assert rsvp.token not in sent
    assert (rsvp.name, rsvp.email, rsvp.organization) == (
        "Gia Guest",
        "gia@example.org",
        "Hough block club",
    )
    assert rsvp.get_absolute_url() in mail.outbox[0].body
    page = client.get(rsvp.get_absolute_url()).content.decode()
    assert "You're coming in person." in page
    assert '<meta name="robots" content="noindex">' in page
    assert len(rsvp.token) >= 43


def test_guest_going_online_sees_the_link_on_the_manage_page(client):
    session = make_session()
    client.post(_rsvp_url(session), _guest(how="online"))

    page = client.get(Rsvp.objects.get().get_absolute_url()).content.decode()

    assert f'href="{SECRET}"' in page


def test_guest_email_is_one_rsvp_whatever_its_case(client):
    session = make_session()
    client.post(_rsvp_url(session), _guest(email="Gia@Example.org"))

    response = client.post(_rsvp_url(session), _guest(email="gia@EXAMPLE.ORG", how="online"))

    assert response.status_code == 302
    assert Rsvp.objects.count() == 1


def test_guest_cancels_from_the_manage_link(client):
    session = make_session()
    client.post(_rsvp_url(session), _guest())
    rsvp = Rsvp.objects.get()

    response = client.post(reverse("sessions:rsvp-cancel", args=[rsvp.token]), follow=True)

    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.CANCELLED
    assert "Your RSVP is cancelled." in response.content.decode()
    assert "You cancelled this RSVP." in response.content.decode()


def test_guest_changes_mode_from_the_manage_link(client):
    session = make_session()
    client.post(_rsvp_url(session), _guest())
    rsvp = Rsvp.objects.get()

    client.post(reverse("sessions:rsvp-change", args=[rsvp.token]), {"how": "online"})

    rsvp.refresh_from_db()
    assert rsvp.attend_as == AttendAs.ONLINE


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_guest(email="not-an-email"), "email", "Enter an email address like name@example.org."),
        (_guest(email=""), "email", "We need an email address"),
        (_guest(name=""), "name", "Tell us your name"),
        (_guest(name="   "), "name", "Tell us your name"),
        (_guest(name="x" * 121), "name", "Keep your name under 120 characters."),
        (_guest(how="balcony"), "how", "isn't open for this session"),
        (_guest(how=""), "how", "Choose how you will join."),
    ],
)
def test_guest_bad_input_is_explained_next_to_the_field(client, data, field, message):
    session = make_session()

    response = client.post(_rsvp_url(session), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["rsvp_form"].errors[field])
    assert message.split(".")[0] in unescape(response.content.decode())
    assert Rsvp.objects.count() == 0


def test_guest_email_never_shown_to_members(member_client, client):
    session = make_session()
    client.post(_rsvp_url(session), _guest(email="private.guest@example.org"))

    body = member_client.get(session.get_absolute_url()).content.decode()

    assert "private.guest@example.org" not in body
    assert "Gia Guest" not in body


def test_guest_rsvps_are_rate_limited_per_ip(client, settings):
    settings.RSVP_GUEST_RATE_PER_IP = "2/h"
    session = make_session()

    statuses = [
        client.post(_rsvp_url(session), _guest(email=f"g{n}@example.org")).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Rsvp.objects.count() == 2


def test_guest_rsvps_are_rate_limited_per_email(settings):
    settings.RSVP_GUEST_RATE_PER_EMAIL = "1/h"
    first, second = make_session(), make_session()

    ok = Client(REMOTE_ADDR="10.0.0.1").post(_rsvp_url(first), _guest())
    limited = Client(REMOTE_ADDR="10.0.0.2").post(_rsvp_url(second), _guest())

    assert (ok.status_code, limited.status_code) == (302, 429)
    assert "Too many RSVPs" in limited.content.decode()


# Closed sessions, bad links, CSRF


@pytest.mark.parametrize(
    "fields",
    [
        {"status": SessionStatus.CANCELLED, "cancellation_reason": "Snow"},
        {"starts_at": timezone.now() - timedelta(days=2)},
    ],
    ids=["cancelled", "past"],
)
def test_rsvp_to_a_closed_session_is_refused(client, member_client, fields):
    session = make_session(**fields)

    for viewer, data in ((client, _guest()), (member_client, {"how": "in-person"})):
        response = viewer.post(_rsvp_url(session), data)
        assert response.status_code == 400
    assert Rsvp.objects.count() == 0


def test_rsvp_to_a_draft_or_unknown_session_is_404(member_client):
    draft = make_session(status=SessionStatus.DRAFT)

    assert member_client.post(_rsvp_url(draft), {"how": "in-person"}).status_code == 404
    missing = reverse("sessions:rsvp-create", args=["no-such-session"])
    assert member_client.post(missing, {"how": "in-person"}).status_code == 404
    assert Rsvp.objects.count() == 0


def test_rsvp_needs_post(member_client):
    assert member_client.get(_rsvp_url(make_session())).status_code == 405


@pytest.mark.parametrize("token", ["tampered-token", "x" * 200, "%00"])
def test_bad_manage_tokens_are_404(client, token):
    session = make_session()
    client.post(_rsvp_url(session), _guest())

    assert client.get(f"/rsvp/{token}/").status_code == 404
    assert client.post(f"/rsvp/{token}/cancel/").status_code == 404
    assert Rsvp.objects.get().status == RsvpStatus.GOING


def test_rsvp_without_csrf_token_is_refused(member):
    session = make_session()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(_rsvp_url(session), {"how": "in-person"})

    assert response.status_code == 403
    assert Rsvp.objects.count() == 0


def test_manage_page_of_a_past_session_offers_no_changes(client):
    session = make_session()
    rsvp, _ = rsvp_create(
        session=session, guest=Guest("Gia", "gia@example.org"), attend_as="online"
    )
    session.starts_at = timezone.now() - timedelta(days=3)
    session.ends_at = session.starts_at + timedelta(hours=1)
    session.save()

    page = client.get(rsvp.get_absolute_url()).content.decode()
    change = client.post(reverse("sessions:rsvp-change", args=[rsvp.token]), {"how": "in-person"})

    assert "This session has already taken place." in page
    assert "Cancel my RSVP" not in page
    assert SECRET not in page
    assert change.status_code == 302
    rsvp.refresh_from_db()
    assert rsvp.attend_as == AttendAs.ONLINE


# Guest becomes member


def test_guest_rsvps_join_the_account_verified_with_that_email(client):
    session = make_session()
    client.post(_rsvp_url(session), _guest(email="Newcomer@Example.com"))
    mail.outbox.clear()

    client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.com",
            "display_name": "New Comer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    link = re.search(r"https?://testserver(/accounts/confirm-email/[^\s]+)", mail.outbox[-1].body)
    client.post(link.group(1))

    user = User.objects.get(email="newcomer@example.com")
    rsvp = Rsvp.objects.get()
    assert rsvp.user == user
    body = client.get(session.get_absolute_url()).content.decode()
    assert "You're coming in person." in body


def test_guest_rsvp_does_not_double_a_member_answer(member):
    session = make_session()
    rsvp_create(session=session, user=member, attend_as="online")
    rsvp_create(session=session, guest=Guest("Dana", member.email), attend_as="in-person")
    from sessions_app.services.rsvps import rsvps_claim_for_member

    rsvps_claim_for_member(user=member, email=member.email)

    assert Rsvp.objects.filter(user=member).count() == 1
    assert Rsvp.objects.active().count() == 1
    assert Rsvp.objects.active().get().attend_as == AttendAs.ONLINE


# Speed


@pytest.mark.parametrize("count", [1, 500])
def test_session_page_queries_do_not_grow_with_rsvps(
    client, member, django_assert_max_num_queries, count
):
    session = make_session(capacity=10_000, venue=make_venue(capacity=10_000))
    people = User.objects.bulk_create(
        User(email=f"p{n}@example.org", display_name=f"P{n}") for n in range(count)
    )
    now = timezone.now()
    Rsvp.objects.bulk_create(
        Rsvp(
            session=session,
            user=person,
            attend_as="in-person",
            status="going",
            queued_at=now,
            listed=True,
            token=f"t{n}",
        )
        for n, person in enumerate(people)
    )

    # the session, RSVP counts, focus activities, linked posts
    with django_assert_max_num_queries(4):
        client.get(session.get_absolute_url())
    client.force_login(member)
    # + log-in session, user, organizer role, the viewer's RSVP, listed members
    with django_assert_max_num_queries(9):
        response = client.get(session.get_absolute_url())
    assert f"{count} going in person" in response.content.decode()


def test_raising_capacity_promotes_the_first_in_line(organizer_client):
    evening = datetime.combine(
        timezone.localdate() + timedelta(days=7), time(18), tzinfo=timezone.get_current_timezone()
    )
    session = _small_session(
        seats=1, attendance_mode=AttendanceMode.IN_PERSON, meeting_url="", starts_at=evening
    )
    people = [make_user() for _ in range(3)]
    for person in people:
        rsvp_create(session=session, user=person, attend_as=AttendAs.IN_PERSON)
    start = session.local_starts_at
    data = {
        "title": session.title,
        "topic": session.topic,
        "summary": "",
        "agenda": "",
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": session.local_ends_at.strftime("%H:%M"),
        "time_of_day": session.time_of_day,
        "format": session.format,
        "attendance_mode": session.attendance_mode,
        "venue": str(session.venue_id),
        "capacity": "2",
        "online_capacity": "",
        "meeting_url": "",
        "joining_instructions": "",
    }

    response = organizer_client.post(reverse("sessions:session-edit", args=[session.slug]), data)

    statuses = [Rsvp.objects.get(user=person).status for person in people]
    assert response.status_code == 302, response.context["form"].errors
    assert statuses == [RsvpStatus.GOING, RsvpStatus.GOING, RsvpStatus.WAITLISTED]


def test_online_cap_puts_late_comers_on_the_online_waitlist(client):
    session = make_session(online_capacity=1)
    client.post(_rsvp_url(session), _guest(email="a@example.org", how="online"))

    page = client.get(session.get_absolute_url()).content.decode()
    client.post(_rsvp_url(session), _guest(email="b@example.org", how="online-waitlist"))

    assert "Online: join the waitlist (all online places are taken)" in page
    assert Rsvp.objects.get(email="b@example.org").status == RsvpStatus.WAITLISTED


# My sessions


def test_my_sessions_lists_upcoming_answers_with_details(member_client, member):
    online = make_session(title="Online one")
    full = _small_session(seats=1, title="Full one")
    rsvp_create(session=full, user=make_user(), attend_as="in-person")
    rsvp_create(session=online, user=member, attend_as="online")
    rsvp_create(session=full, user=member, attend_as="in-person")

    body = member_client.get(reverse("sessions:my-rsvps")).content.decode()

    assert "Online one" in body
    assert f'href="{SECRET}"' in body
    assert "<strong>You're 1st on the waitlist for a seat.</strong>" in body


def test_my_sessions_gives_the_meeting_link_only_to_people_going_online(member_client, member):
    rsvp_create(session=make_session(topic="Joining online"), user=member, attend_as="online")
    rsvp_create(session=make_session(topic="In the room"), user=member, attend_as="in-person")

    body = member_client.get(reverse("sessions:my-rsvps")).content.decode()

    assert "<strong>You're coming online.</strong>" in body
    assert "<strong>You're coming in person.</strong>" in body
    assert body.count(f'href="{SECRET}"') == 1


def test_my_sessions_cancel_comes_back_to_the_list(member_client, member):
    session = make_session()
    rsvp, _ = rsvp_create(session=session, user=member, attend_as="in-person")

    response = member_client.post(
        reverse("sessions:rsvp-cancel", args=[rsvp.token]),
        {"next": reverse("sessions:my-rsvps")},
    )

    rsvp.refresh_from_db()
    assert response["Location"] == reverse("sessions:my-rsvps")
    assert rsvp.status == RsvpStatus.CANCELLED


def test_cancel_ignores_an_outside_next_address(member_client, member):
    session = make_session()
    rsvp, _ = rsvp_create(session=session, user=member, attend_as="in-person")

    response = member_client.post(
        reverse("sessions:rsvp-cancel", args=[rsvp.token]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == session.get_absolute_url()


def test_my_sessions_needs_an_account(client):
    response = client.get(reverse("sessions:my-rsvps"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("count", [1, 40])
def test_my_sessions_queries_do_not_grow(
    member_client, member, django_assert_max_num_queries, count
):
    for n in range(count):
        session = _small_session(seats=1)
        if n % 2:
            rsvp_create(session=session, user=make_user(), attend_as="in-person")
        rsvp_create(session=session, user=member, attend_as="in-person")

    with django_assert_max_num_queries(7):
        response = member_client.get(reverse("sessions:my-rsvps"))

    assert response.content.decode().count("Cancel my RSVP") == count


def test_going_members_page_keeps_the_link_out_of_json_ld_and_open_graph(member_client):
    session = make_session()
    member_client.post(_rsvp_url(session), {"how": "online"})

    body = member_client.get(session.get_absolute_url()).content.decode()

    head = body.split("</head>")[0]
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert f'href="{SECRET}"' in body  # on the page, for the person going
    assert SECRET not in head
    assert SECRET not in jsonld.group(1)


def test_my_sessions_titles_each_by_its_topic_with_the_series_as_context(member_client, member):
    from tests.factories import make_series

    series = make_series(title="Community of Practice")
    session = make_session(series=series, title=series.title, topic="Tenant rights basics")
    rsvp_create(session=session, user=member, attend_as="in-person")

    body = member_client.get(reverse("sessions:my-rsvps")).content.decode()

    assert (
        '<p class="eyebrow">Community of Practice</p>\n          <h2 class="my-rsvps__title">'
        f'<a href="{session.get_absolute_url()}">Tenant rights basics</a></h2>'
    ) in body
    assert 'Cancel my RSVP<span class="visually-hidden"> for Tenant rights basics on' in body
