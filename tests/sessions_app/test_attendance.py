"""Organizer attendance pages: the RSVP list, its CSV, check-in at the door, walk-ins."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import (
    AttendanceMode,
    AttendAs,
    CheckInBy,
    Rsvp,
    RsvpStatus,
    Session,
    WalkIn,
)
from sessions_app.stats import with_attendance
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user, make_venue

pytestmark = pytest.mark.django_db


def guests(session, count: int, **fields) -> list[Rsvp]:
    return Rsvp.objects.bulk_create(
        Rsvp(
            session=session,
            name=f"Guest {n}",
            email=f"guest{n}@example.org",
            attend_as=AttendAs.ONLINE if n % 3 == 0 else AttendAs.IN_PERSON,
            status=RsvpStatus.WAITLISTED if n % 5 == 0 else RsvpStatus.GOING,
            queued_at=local(2027, 1, 1, 9) + timedelta(minutes=n),
            **fields,
        )
        for n in range(count)
    )


@pytest.fixture
def session(db) -> Session:
    return make_session(
        slug="tenant-organizing",
        title="Community of Practice",
        topic="Tenant organizing",
        venue=make_venue(capacity=10),
        # Check-in opens CHECK_IN_OPENS_BEFORE_HOURS before the start: it is open.
        starts_at=timezone.now() + timedelta(hours=1),
    )


def attendees_url(session) -> str:
    return reverse("sessions:session-attendees", kwargs={"slug": session.slug})


def check_in_url(session) -> str:
    return reverse("sessions:session-check-in", kwargs={"slug": session.slug})


def rsvp_check_in_url(session, rsvp_id: int) -> str:
    return reverse("sessions:rsvp-check-in", kwargs={"slug": session.slug, "rsvp_id": rsvp_id})


# Who may open the pages


@pytest.mark.parametrize(
    "url_name", ["session-attendees", "session-attendees-csv", "session-check-in"]
)
def test_attendance_pages_send_visitors_to_log_in(client, session, url_name):
    url = reverse(f"sessions:{url_name}", kwargs={"slug": session.slug})

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize(
    "url_name", ["session-attendees", "session-attendees-csv", "session-check-in"]
)
def test_attendance_pages_refuse_members(member_client, session, url_name):
    make_rsvp(session, name="Secret Guest", email="secret@example.org")

    response = member_client.get(reverse(f"sessions:{url_name}", kwargs={"slug": session.slug}))

    assert response.status_code == 403
    assert "secret@example.org" not in response.content.decode()


def test_check_in_post_refuses_members(member_client, session):
    answer = make_rsvp(session)

    response = member_client.post(rsvp_check_in_url(session, answer.pk), {"action": "check-in"})

    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.checked_in_at is None


def test_walk_in_post_refuses_members(member_client, session):
    response = member_client.post(check_in_url(session), {"name": "", "count": "3"})

    assert response.status_code == 403
    assert not WalkIn.objects.exists()


def test_attendance_pages_404_for_unknown_session(organizer_client):
    response = organizer_client.get(reverse("sessions:session-attendees", kwargs={"slug": "nope"}))

    assert response.status_code == 404


# The RSVP list


def test_attendees_page_groups_people_and_shows_emails_to_organizers(organizer_client, session):
    dana = make_user(display_name="Dana Member", email="dana@example.com")
    make_rsvp(session, user=dana, organization="Hough Block Club", queued_at=local(2027, 1, 3, 10))
    make_rsvp(session, name="Omar Online", attend_as=AttendAs.ONLINE)
    make_rsvp(
        session,
        name="Wendy Waiting",
        status=RsvpStatus.WAITLISTED,
        queued_at=local(2027, 1, 5, 9),
    )
    make_rsvp(
        session,
        name="Walt Waiting",
        status=RsvpStatus.WAITLISTED,
        queued_at=local(2027, 1, 4, 9),
    )
    make_rsvp(session, name="Cal Cancelled", status=RsvpStatus.CANCELLED)

    response = organizer_client.get(attendees_url(session))

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [a.rsvp.display_name for a in groups.in_person] == ["Dana Member"]
    assert [a.rsvp.display_name for a in groups.online] == ["Omar Online"]
    assert [(a.rsvp.display_name, a.waitlist_position) for a in groups.waitlist] == [
        ("Walt Waiting", 1),
        ("Wendy Waiting", 2),
    ]
    body = response.content.decode()
    assert "dana@example.com" in body
    assert "omar.online@example.org" in body
    assert "Hough Block Club" in body
    assert "Cal Cancelled" not in body
    assert f'href="{session.get_absolute_url()}"' in body
    assert response.context["seats_left"] == 9
    assert response.context["counts"].waitlisted == 2


@pytest.mark.parametrize("count", [1, 500])
@pytest.mark.parametrize(
    ("url", "queries"),
    # Always: session cookie, user, organizer role, open reports (the Organize menu's badge),
    # the session with its counts, the RSVPs.
    [(attendees_url, 6), (check_in_url, 7)],  # + walk-ins at the door
)
def test_attendance_pages_query_count_does_not_grow(
    organizer_client, session, django_assert_max_num_queries, count, url, queries
):
    guests(session, count)
    WalkIn.objects.bulk_create(WalkIn(session=session, count=2) for _ in range(count))

    with django_assert_max_num_queries(queries):
        response = organizer_client.get(url(session))

    body = response.content.decode()
    if url is attendees_url:
        assert body.count('<a href="mailto:') == count
    else:
        online_waiting = sum(1 for n in range(count) if n % 15 == 0)  # not on the door list
        assert body.count('<li class="door-row') == (count - online_waiting) + count


# Check-in at the door


def test_check_in_page_lists_in_person_then_online(organizer_client, session):
    make_rsvp(session, name="Ann Going")
    make_rsvp(session, name="Ola Online", attend_as=AttendAs.ONLINE)
    make_rsvp(session, name="Wes Waiting", status=RsvpStatus.WAITLISTED)
    make_rsvp(session, name="Oona Waiting", attend_as=AttendAs.ONLINE, status=RsvpStatus.WAITLISTED)
    make_rsvp(session, name="Cal Cancelled", status=RsvpStatus.CANCELLED)

    response = organizer_client.get(check_in_url(session))

    assert response.status_code == 200
    door = response.context["door"]
    assert [r.display_name for r in door.going] == ["Ann Going"]
    assert [r.display_name for r in door.waiting] == ["Wes Waiting"]
    assert [r.display_name for r in door.online] == ["Ola Online"]
    body = response.content.decode()
    assert body.index("Ann Going") < body.index("Wes Waiting") < body.index("Ola Online")
    assert "Oona Waiting" not in body
    assert "Cal Cancelled" not in body
    assert body.count(">Check in<span") == 3


def test_check_in_and_undo_change_the_total(organizer_client, session):
    ann = make_rsvp(session, name="Ann Going")

    response = organizer_client.post(rsvp_check_in_url(session, ann.pk), {"action": "check-in"})

    assert response.status_code == 302
    assert response.url == f"{check_in_url(session)}#rsvp-{ann.pk}"
    ann.refresh_from_db()
    assert ann.checked_in_at is not None
    page = organizer_client.get(check_in_url(session))
    assert page.context["session"].attendance_count == 1
    assert "Ann Going is checked in." in page.content.decode()
    assert "Undo<span" in page.content.decode()

    organizer_client.post(rsvp_check_in_url(session, ann.pk), {"action": "undo"})

    ann.refresh_from_db()
    assert ann.checked_in_at is None
    assert organizer_client.get(check_in_url(session)).context["session"].attendance_count == 0


def test_checking_in_twice_keeps_the_first_time(organizer_client, session):
    ann = make_rsvp(session, name="Ann Going")
    organizer_client.post(rsvp_check_in_url(session, ann.pk), {"action": "check-in"})
    ann.refresh_from_db()
    first = ann.checked_in_at

    organizer_client.post(rsvp_check_in_url(session, ann.pk), {"action": "check-in"})

    ann.refresh_from_db()
    assert ann.checked_in_at == first


def test_check_in_of_another_sessions_rsvp_is_404(organizer_client, session):
    other = make_session()
    elsewhere = make_rsvp(other, name="Elsa Elsewhere")

    response = organizer_client.post(
        rsvp_check_in_url(session, elsewhere.pk), {"action": "check-in"}
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


def test_check_in_of_cancelled_rsvp_is_404(organizer_client, session):
    gone = make_rsvp(session, status=RsvpStatus.CANCELLED)

    response = organizer_client.post(rsvp_check_in_url(session, gone.pk), {"action": "check-in"})

    assert response.status_code == 404


def test_check_in_with_a_made_up_action_changes_nothing(organizer_client, session):
    ann = make_rsvp(session)

    response = organizer_client.post(rsvp_check_in_url(session, ann.pk), {"action": "explode"})

    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.checked_in_at is None


def test_check_in_url_refuses_get(organizer_client, session):
    ann = make_rsvp(session)

    response = organizer_client.get(rsvp_check_in_url(session, ann.pk))

    assert response.status_code == 405


def test_walk_ins_add_to_the_total_and_can_be_undone(organizer_client, session):
    ann = make_rsvp(session, name="Ann Going", checked_in_at=local(2027, 3, 17, 18))

    response = organizer_client.post(check_in_url(session), {"name": "Pat Door", "count": "1"})
    organizer_client.post(check_in_url(session), {"name": "", "count": "4"})

    assert response.status_code == 302
    assert list(WalkIn.objects.values_list("name", "count", "self_check_in")) == [
        ("Pat Door", 1, False),
        ("", 4, False),
    ]
    page = organizer_client.get(check_in_url(session))
    assert page.context["session"].attendance_count == 6  # Ann + 1 + 4
    body = page.content.decode()
    assert "Added 4 walk-in people." in body
    assert "Pat Door" in body

    pat = WalkIn.objects.get(name="Pat Door")
    organizer_client.post(
        reverse("sessions:walk-in-delete", kwargs={"slug": session.slug, "walk_in_id": pat.pk})
    )

    assert list(WalkIn.objects.values_list("name", flat=True)) == [""]
    assert organizer_client.get(check_in_url(session)).context["session"].attendance_count == 5
    ann.refresh_from_db()
    assert ann.checked_in_at == local(2027, 3, 17, 18)  # undoing a walk-in leaves RSVPs alone


@pytest.mark.parametrize(
    ("count", "error"),
    [
        ("0", "Enter at least 1 person."),
        ("501", "Enter at most 500 people at a time."),
        ("lots", "Enter a whole number, for example 3."),
        ("", "Enter how many people came in, for example 1."),
    ],
)
def test_walk_in_count_errors_are_plain_words(organizer_client, session, count, error):
    response = organizer_client.post(check_in_url(session), {"name": "", "count": count})

    assert response.status_code == 400
    assert response.context["walk_in_form"].errors == {"count": [error]}
    assert error in response.content.decode()
    assert not WalkIn.objects.exists()


def test_walk_in_form_starts_at_one(organizer_client, session):
    response = organizer_client.get(check_in_url(session))

    assert 'name="count" value="1"' in response.content.decode()


def test_walk_in_of_another_session_cannot_be_deleted(organizer_client, session):
    other = WalkIn.objects.create(session=make_session(), count=2)

    response = organizer_client.post(
        reverse("sessions:walk-in-delete", kwargs={"slug": session.slug, "walk_in_id": other.pk})
    )

    assert response.status_code == 404
    assert WalkIn.objects.filter(pk=other.pk).exists()


def test_check_in_page_shows_a_self_check_in_qr_code(organizer_client, session, settings):
    settings.SITE_URL = "https://cop.example.org"

    response = organizer_client.get(check_in_url(session))

    body = response.content.decode()
    url = response.context["self_check_in_url"]
    assert url.startswith(f"https://cop.example.org/sessions/{session.slug}/here/")
    assert f'<a href="{url}">{url}</a>' in body
    assert '<svg role="img" aria-label="QR code: self check-in for Tenant organizing"' in body
    assert "style=" not in body


# The counts annotation


def test_with_attendance_counts_a_mixed_session_in_one_query(django_assert_num_queries):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)
    for n in range(3):
        make_rsvp(session, name=f"Room {n}", checked_in_at=local(2027, 1, 1) if n < 2 else None)
    for n in range(2):
        make_rsvp(session, name=f"Online {n}", attend_as=AttendAs.ONLINE)
    make_rsvp(
        session, name="Online Waiter", attend_as=AttendAs.ONLINE, status=RsvpStatus.WAITLISTED
    )
    make_rsvp(
        session, name="Room Waiter", status=RsvpStatus.WAITLISTED, checked_in_at=local(2027, 1, 1)
    )
    make_rsvp(session, name="Gone", status=RsvpStatus.CANCELLED, checked_in_at=local(2027, 1, 1))
    WalkIn.objects.create(session=session, count=4)
    WalkIn.objects.create(session=session, count=1, name="Selma", self_check_in=True)
    empty = make_session()

    with django_assert_num_queries(1):
        counted = {s.pk: s for s in with_attendance(Session.objects.all())}

    mixed = counted[session.pk]
    assert (
        mixed.going_in_person_count,
        mixed.going_online_count,
        mixed.waitlisted_count,
        mixed.checked_in_count,
        mixed.walk_in_count,
        mixed.attendance_count,
    ) == (3, 2, 2, 3, 5, 8)
    none = counted[empty.pk]
    assert (
        none.going_in_person_count,
        none.going_online_count,
        none.waitlisted_count,
        none.checked_in_count,
        none.walk_in_count,
        none.attendance_count,
    ) == (0, 0, 0, 0, 0, 0)


# Headings: the topic is the session's name; a missing one is flagged


@pytest.mark.parametrize("url_name", ["session-attendees", "session-check-in"])
def test_attendance_pages_are_headed_by_the_topic_with_the_series_as_context(
    organizer_client, session, url_name
):
    body = organizer_client.get(
        reverse(f"sessions:{url_name}", kwargs={"slug": session.slug})
    ).content.decode()

    assert '<span class="attendance-subtitle">Tenant organizing</span></h1>' in body
    assert '<p class="muted">Community of Practice · <time' in body
    assert "No topic yet" not in body


@pytest.mark.parametrize("url_name", ["session-attendees", "session-check-in"])
def test_attendance_pages_flag_a_series_session_without_a_topic(organizer_client, url_name):
    from tests.factories import make_series

    series = make_series(title="Community of Practice")
    untitled = make_session(series=series, title=series.title, topic="")

    body = organizer_client.get(
        reverse(f"sessions:{url_name}", kwargs={"slug": untitled.slug})
    ).content.decode()

    assert '<span class="attendance-subtitle">Topic to be announced</span></h1>' in body
    edit = reverse("sessions:session-edit", kwargs={"slug": untitled.slug})
    assert (
        f'<span class="badge badge--todo">No topic yet</span> <a href="{edit}#id_topic">'
        "Add a topic</a>"
    ) in body


@pytest.mark.parametrize(
    ("checked_in_at", "checked_in_by"),
    [(local(2027, 3, 17, 18), ""), (None, CheckInBy.DOOR), (None, CheckInBy.SELF)],
)
def test_a_check_in_always_says_who_made_it_and_only_a_check_in_does(
    session, checked_in_at, checked_in_by
):
    answer = make_rsvp(session)

    with pytest.raises(IntegrityError), transaction.atomic():
        Rsvp.objects.filter(pk=answer.pk).update(
            checked_in_at=checked_in_at, checked_in_by=checked_in_by
        )

    answer.refresh_from_db()
    assert (answer.checked_in_at, answer.checked_in_by) == (None, "")


# The attendees page's rows are written once and kept (templatetags/attendance_rows.py):
# a change to an RSVP or its member, or another language, shows at once.


def _attendee_row(body: str, name: str) -> str:
    rows = [row for row in body.split("<tr>") if f">{name}</th>" in row]
    assert len(rows) == 1, name
    return rows[0].split("</tr>")[0]


def test_attendees_page_shows_a_check_in_and_its_undo_at_once(organizer_client, session):
    ann = make_rsvp(session, name="Ann Going", queued_at=local(2027, 1, 3, 10))
    before = _attendee_row(
        organizer_client.get(attendees_url(session)).content.decode(), "Ann Going"
    )

    organizer_client.post(rsvp_check_in_url(session, ann.pk), {"action": "check-in"})
    checked = _attendee_row(
        organizer_client.get(attendees_url(session)).content.decode(), "Ann Going"
    )
    organizer_client.post(rsvp_check_in_url(session, ann.pk), {"action": "undo"})
    undone = _attendee_row(
        organizer_client.get(attendees_url(session)).content.decode(), "Ann Going"
    )

    assert before.endswith('<td data-label="Checked in">No</td>')
    assert '<td data-label="Checked in"><span class="checked">At the door, ' in checked
    assert undone == before


def test_attendees_page_shows_a_members_new_name_and_place_in_line_at_once(
    organizer_client, session
):
    dana = make_user(display_name="Dana Member", email="dana@example.com")
    make_rsvp(session, user=dana, status=RsvpStatus.WAITLISTED, queued_at=local(2027, 1, 3, 10))
    walt = make_rsvp(
        session, name="Walt Waiting", status=RsvpStatus.WAITLISTED, queued_at=local(2027, 1, 2, 9)
    )
    first = organizer_client.get(attendees_url(session)).content.decode()

    dana.display_name = "Dana Renamed"
    dana.save()
    walt.status = RsvpStatus.CANCELLED
    walt.save()
    body = organizer_client.get(attendees_url(session)).content.decode()

    assert '<td data-label="Place in line">2 <span' in _attendee_row(first, "Dana Member")
    assert "Dana Member" not in body
    assert '<td data-label="Place in line">1 <span' in _attendee_row(body, "Dana Renamed")


def test_attendees_rows_are_written_in_each_readers_language(organizer_client, session):
    make_rsvp(session, name="Ann Going", queued_at=local(2027, 1, 3, 10))
    english = _attendee_row(
        organizer_client.get(attendees_url(session)).content.decode(), "Ann Going"
    )

    spanish = _attendee_row(
        organizer_client.get(attendees_url(session), {"lang": "es"}).content.decode(), "Ann Going"
    )

    assert 'data-label="Name"' in english
    assert 'data-label="Nombre"' in spanish
    assert ">No</td>" in spanish
    assert spanish != english
