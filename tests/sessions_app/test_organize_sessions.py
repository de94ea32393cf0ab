"""Organizer pages for single sessions: create, edit, publish, cancel, list."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from cop_portal.lib.dates import date_as
from sessions_app.models import Rsvp, Session, SessionStatus
from sessions_app.services.sessions import session_create
from tests.clock import CLEVELAND
from tests.factories import make_series, make_session, make_venue


def _session(*, days_ahead: int = 10, publish: bool = True, **fields) -> Session:
    venue = fields.pop("venue", None) or make_venue()
    day = timezone.localdate() + timedelta(days=days_ahead)
    values = {
        "title": "Community of Practice",
        "time_of_day": "evening",
        "format": "brief",
        "attendance_mode": "hybrid",
        "venue": venue,
        "meeting_url": "https://meet.example.org/secret-room",
        "starts_at": datetime.combine(day, time(18), tzinfo=CLEVELAND),
        "ends_at": datetime.combine(day, time(19), tzinfo=CLEVELAND),
        **fields,
    }
    return session_create(fields=values, publish=publish)


def _form_data(venue, /, **overrides) -> dict:
    data = {
        "title": "Tenant organizing 101",
        "topic": "Starting a tenant association",
        "summary": "How three buildings on Hough Avenue got organized.",
        "agenda": "1. Stories\n2. Questions",
        "date": "2027-03-17",
        "start_time": "18:00",
        "end_time": "19:30",
        "time_of_day": "evening",
        "format": "brief",
        "attendance_mode": "hybrid",
        "venue": str(venue.pk),
        "capacity": "",
        "online_capacity": "",
        "meeting_url": "https://meet.example.org/tenants",
        "joining_instructions": "Passcode 1234",
        "action": "publish",
    }
    data.update(overrides)
    return data


@pytest.fixture
def session(db) -> Session:
    return _session()


ORGANIZER_PAGES = [
    ("sessions:organize-sessions", False),
    ("sessions:session-create", False),
    ("sessions:session-edit", True),
    ("sessions:session-cancel", True),
]


@pytest.mark.parametrize(("name", "needs_slug"), ORGANIZER_PAGES)
def test_organizer_pages_send_visitors_to_log_in(client, session, name, needs_slug):
    url = reverse(name, kwargs={"slug": session.slug} if needs_slug else None)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "needs_slug"), ORGANIZER_PAGES)
def test_organizer_pages_forbid_members(member_client, session, name, needs_slug):
    url = reverse(name, kwargs={"slug": session.slug} if needs_slug else None)

    assert member_client.get(url).status_code == 403


@pytest.mark.parametrize(("name", "needs_slug"), ORGANIZER_PAGES)
def test_organizer_pages_open_for_organizers(organizer_client, session, name, needs_slug):
    url = reverse(name, kwargs={"slug": session.slug} if needs_slug else None)

    response = organizer_client.get(url)

    assert response.status_code == 200
    assert b"<form" in response.content or session.title.encode() in response.content


def test_members_cannot_post_changes(member_client, session):
    url = reverse("sessions:session-cancel", kwargs={"slug": session.slug})

    response = member_client.post(url, {"reason": "Because I said so"})

    session.refresh_from_db()
    assert response.status_code == 403
    assert session.status == SessionStatus.PUBLISHED


def test_create_publishes_session_in_cleveland_time(organizer_client):
    venue = make_venue()

    response = organizer_client.post(reverse("sessions:session-create"), _form_data(venue))

    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert session.status == SessionStatus.PUBLISHED
    assert session.slug == "2027-03-17-starting-a-tenant-association"
    # March 17, 2027 is after the DST switch: 6 pm EDT is 22:00 UTC.
    assert session.starts_at == datetime(2027, 3, 17, 22, 0, tzinfo=ZoneInfo("UTC"))
    assert session.local_ends_at.time() == time(19, 30)
    assert session.series is None


def test_create_as_draft_keeps_it_unpublished(organizer_client):
    data = _form_data(make_venue(), action="draft")

    organizer_client.post(reverse("sessions:session-create"), data)

    assert Session.objects.get().status == SessionStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "17:00"}, "end_time", "The session must end after it starts."),
        ({"end_time": "18:00"}, "end_time", "The session must end after it starts."),
        ({"capacity": "0"}, "capacity", "A session needs at least one seat"),
        ({"capacity": "-3"}, "capacity", "A session needs at least one seat"),
        ({"venue": ""}, "venue", "Choose where people meet in person"),
        ({"attendance_mode": "in-person", "venue": ""}, "venue", "Choose where people meet"),
        ({"attendance_mode": "online", "meeting_url": ""}, "meeting_url", "need a meeting link"),
        ({"meeting_url": ""}, "meeting_url", "need a meeting link"),
        ({"meeting_url": "javascript:alert(1)"}, "meeting_url", "Enter a valid URL."),
        ({"date": "2027-02-30"}, "date", "Enter a valid date."),
        ({"start_time": "25:00"}, "start_time", "Enter a valid time."),
        ({"format": "banana"}, "format", "Select a valid choice."),
        ({"title": ""}, "title", "Give the name in English, in Spanish, or both."),
        ({"title": "x" * 500}, "title", "at most 120 characters"),
    ],
)
def test_create_rejects_bad_input_next_to_the_field(organizer_client, overrides, field, message):
    data = _form_data(make_venue(), **overrides)

    response = organizer_client.post(reverse("sessions:session-create"), data)

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message.split(".")[0].encode() in response.content
    assert Session.objects.count() == 0


def test_online_session_needs_no_venue(organizer_client):
    data = _form_data(make_venue(), attendance_mode="online", venue="")

    response = organizer_client.post(reverse("sessions:session-create"), data)

    assert response.status_code == 302
    assert Session.objects.get().venue is None


def test_create_offers_only_active_venues(organizer_client):
    make_venue(name="Agora building", is_active=False)
    make_venue(name="Midtown/Hough office")

    response = organizer_client.get(reverse("sessions:session-create"))

    assert b"Midtown/Hough office" in response.content
    assert b"Agora building" not in response.content


def test_edit_moving_the_time_bumps_sequence(organizer_client, session):
    day = session.local_starts_at.date().isoformat()
    data = _form_data(session.venue, date=day, start_time="17:30", end_time="19:00")

    response = organizer_client.post(reverse("sessions:session-edit", args=[session.slug]), data)

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.local_starts_at.time() == time(17, 30)
    assert session.sequence == 1
    assert session.edited is True
    assert session.title == "Tenant organizing 101"


def test_edit_of_words_only_keeps_sequence(organizer_client, session):
    start = session.local_starts_at
    data = _form_data(
        session.venue,
        date=start.date().isoformat(),
        start_time="18:00",
        end_time="19:00",
        title=session.title,  # without a topic the title is the event's name: news too
        topic=session.topic,
        summary="Different words for the same session.",
        meeting_url=session.meeting_url,  # a new link is news for calendars too
    )

    organizer_client.post(reverse("sessions:session-edit", args=[session.slug]), data)

    session.refresh_from_db()
    assert session.summary == "Different words for the same session."
    assert session.sequence == 0
    assert session.slug.endswith("community-of-practice")  # the public address never changes


def test_edit_form_shows_current_values_in_local_time(organizer_client, session):
    response = organizer_client.get(reverse("sessions:session-edit", args=[session.slug]))

    form = response.context["form"]
    assert form["start_time"].value() == time(18, 0)
    assert form["date"].value() == session.local_starts_at.date()
    assert b'value="18:00"' in response.content


def test_edit_with_bad_input_changes_nothing(organizer_client, session):
    data = _form_data(session.venue, end_time="10:00")

    response = organizer_client.post(reverse("sessions:session-edit", args=[session.slug]), data)

    session.refresh_from_db()
    assert response.status_code == 400
    assert session.title == "Community of Practice"
    assert session.sequence == 0


def test_edit_unknown_session_is_404(organizer_client, db):
    response = organizer_client.get(reverse("sessions:session-edit", args=["no-such-session"]))

    assert response.status_code == 404


def test_publish_makes_a_draft_public(organizer_client):
    draft = _session(publish=False)

    response = organizer_client.post(reverse("sessions:session-publish", args=[draft.slug]))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == SessionStatus.PUBLISHED
    assert draft.sequence == 1


def test_publish_needs_post(organizer_client):
    draft = _session(publish=False)

    response = organizer_client.get(reverse("sessions:session-publish", args=[draft.slug]))

    draft.refresh_from_db()
    assert response.status_code == 405
    assert draft.status == SessionStatus.DRAFT


def test_publish_forbidden_for_members(member_client):
    draft = _session(publish=False)

    response = member_client.post(reverse("sessions:session-publish", args=[draft.slug]))

    draft.refresh_from_db()
    assert response.status_code == 403
    assert draft.status == SessionStatus.DRAFT


def test_cancel_needs_a_reason(organizer_client, session):
    url = reverse("sessions:session-cancel", args=[session.slug])

    response = organizer_client.post(url, {"reason": "  "})

    session.refresh_from_db()
    assert response.status_code == 400
    assert "Tell people why" in response.context["form"].errors["reason"][0]
    assert session.status == SessionStatus.PUBLISHED


def test_cancel_records_reason_and_bumps_sequence(organizer_client, session):
    url = reverse("sessions:session-cancel", args=[session.slug])

    response = organizer_client.post(url, {"reason": "Snow emergency; see you next month."})

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.status == SessionStatus.CANCELLED
    assert session.cancellation_reason == "Snow emergency; see you next month."
    assert session.sequence == 1


def test_cancel_twice_changes_nothing(organizer_client, session):
    url = reverse("sessions:session-cancel", args=[session.slug])
    organizer_client.post(url, {"reason": "First reason"})

    response = organizer_client.post(url, {"reason": "Second reason"})

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.cancellation_reason == "First reason"
    assert session.sequence == 1


def test_organizer_list_shows_drafts_and_cancelled(organizer_client):
    _session(title="Draft one", publish=False)
    cancelled = _session(title="Called off")
    organizer_client.post(
        reverse("sessions:session-cancel", args=[cancelled.slug]), {"reason": "x"}
    )

    response = organizer_client.get(reverse("sessions:organize-sessions"))

    text = response.content.decode()
    assert "Draft one" in text
    assert "Called off" in text
    assert "Cancelled" in text


def test_organizer_list_leaves_out_past_sessions(organizer_client):
    _session(title="Long ago", days_ahead=-30)

    response = organizer_client.get(reverse("sessions:organize-sessions"))

    assert "Long ago" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 120])
def test_organizer_list_query_count_is_fixed(
    organizer_client, django_assert_max_num_queries, count
):
    venue = make_venue()
    start = timezone.now() + timedelta(days=1)
    series = make_series()
    Session.objects.bulk_create(
        Session(
            slug=f"s-{n}",
            title=f"Session {n}",
            # Half of them from a series without a topic: flagged, with no query more.
            series=series if n % 2 else None,
            time_of_day="evening",
            format="brief",
            attendance_mode="hybrid",
            venue=venue,
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=1),
            status=SessionStatus.PUBLISHED,
        )
        for n in range(count)
    )

    with django_assert_max_num_queries(8):
        response = organizer_client.get(reverse("sessions:organize-sessions"))

    assert response.status_code == 200
    assert response.context["without_topic"] == min(count, 50) // 2  # 50 to a page


def test_session_create_service_rejects_end_before_start(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _session(ends_at=datetime(2020, 1, 1, tzinfo=CLEVELAND))

    assert "The session must end after it starts." in str(error.value)
    assert Session.objects.count() == 0


def test_slug_of_a_second_session_on_the_same_day_is_unique(db):
    first = _session()
    second = _session()

    assert first.slug != second.slug
    assert second.slug == f"{first.slug}-2"
    assert date.fromisoformat(first.slug[:10]) == first.local_starts_at.date()


def test_organizer_list_shows_who_is_coming_and_who_came(organizer_client):
    # Through the services, which keep the stored counts the list reads.
    from sessions_app.services.attendance import rsvp_check_in, walk_in_add
    from sessions_app.services.rsvps import rsvp_create
    from tests.factories import make_user

    session = _session(capacity=5)
    here, _ = rsvp_create(session=session, user=make_user(), attend_as="in-person")
    rsvp_create(session=session, user=make_user(), attend_as="online")
    rsvp_check_in(rsvp=here)
    walk_in_add(session=session, count=3)

    body = organizer_client.get(reverse("sessions:organize-sessions")).content.decode()

    assert "1/5 in person" in body
    assert "1 online" in body
    assert "<strong>4 came</strong>" in body
    assert reverse("sessions:session-check-in", args=[session.slug]) in body


def test_organizer_list_counts_are_the_live_counts_after_each_change(organizer_client):
    from sessions_app.services.attendance import rsvp_check_in, walk_in_add, walk_in_remove
    from sessions_app.services.rsvps import rsvp_cancel, rsvp_create
    from sessions_app.stats import with_attendance
    from tests.factories import make_user

    fields = (
        "going_in_person_count",
        "going_online_count",
        "waitlisted_count",
        "checked_in_count",
        "walk_in_count",
        "attendance_count",
    )
    session = _session(capacity=1)
    url = reverse("sessions:organize-sessions")

    def shown_and_live() -> tuple[list[int], list[int]]:
        shown = organizer_client.get(url).context["page"].object_list[0]
        live = with_attendance(Session.objects.filter(pk=session.pk)).get()
        return [getattr(shown, f) for f in fields], [getattr(live, f) for f in fields]

    first, _ = rsvp_create(session=session, user=make_user(), attend_as="in-person")
    waiting, _ = rsvp_create(session=session, user=make_user(), attend_as="in-person")
    rsvp_create(session=session, user=make_user(), attend_as="online")
    shown, live = shown_and_live()
    assert shown == live == [1, 1, 1, 0, 0, 0]

    rsvp_check_in(rsvp=first)
    walk_in = walk_in_add(session=session, count=2)
    shown, live = shown_and_live()
    assert shown == live == [1, 1, 1, 1, 2, 3]

    rsvp_cancel(rsvp=first)  # the waiting person gets the seat
    walk_in_remove(walk_in=walk_in)
    shown, live = shown_and_live()
    assert shown == live
    assert Rsvp.objects.get(pk=waiting.pk).status == "going"


# The topic is the session's title: organizers see it, and are told when one is missing.


def _series_session(*, topic: str = "", days_ahead: int = 10, **fields) -> Session:
    series = fields.pop("series", None) or make_series(title="Community of Practice")
    day = timezone.localdate() + timedelta(days=days_ahead)
    return make_session(
        series=series,
        title=series.title,
        topic=topic,
        starts_at=datetime.combine(day, time(18), tzinfo=CLEVELAND),
        **fields,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_organizer_list_shows_headlines_and_flags_sessions_without_a_topic(organizer_client):
    series = make_series(title="Community of Practice")
    untitled = _series_session(series=series, days_ahead=5)
    _series_session(series=series, topic="Keeping volunteers", days_ahead=12)
    _session(title="Budget night", days_ahead=20)

    response = organizer_client.get(reverse("sessions:organize-sessions"))

    body = response.content.decode()
    # None of them has a Spanish name (test_organizer_spanish.py looks at that flag).
    spanish_flag = ' <span class="badge badge--todo">No Spanish title</span>'
    assert body.count(spanish_flag) == 3
    body = body.replace(spanish_flag, "")
    assert (
        f'<a href="{untitled.get_absolute_url()}" class="headline--tba">Topic to be announced</a>'
        ' <span class="badge badge--todo">No topic yet</span>'
        '<span class="cell-note">Series: Community of Practice</span></th>'
    ) in body
    assert (
        '>Keeping volunteers</a><span class="cell-note">Series: Community of Practice</span></th>'
    ) in body
    assert ">Budget night</a></th>" in body
    assert body.count("No topic yet") == 1
    assert "<strong>1 session on this page has no topic yet.</strong>" in body
    edit = reverse("sessions:session-edit", args=[untitled.slug])
    assert f'<a href="{edit}#id_topic">Add a topic' in body


def test_organizer_list_without_missing_topics_has_no_warning(organizer_client):
    _series_session(topic="Keeping volunteers")

    response = organizer_client.get(reverse("sessions:organize-sessions"))

    assert response.context["without_topic"] == 0
    assert "no topic yet" not in response.content.decode()


def test_create_message_names_the_session_by_its_topic(organizer_client):
    response = organizer_client.post(
        reverse("sessions:session-create"), _form_data(make_venue()), follow=True
    )

    assert "“Starting a tenant association” was published." in _messages(response)[0]


def test_publishing_a_draft_without_a_topic_nudges_the_organizer(organizer_client):
    draft = _series_session(status=SessionStatus.DRAFT)
    day = draft.local_starts_at

    response = organizer_client.post(reverse("sessions:session-publish", args=[draft.slug]))

    [message] = _messages(response)
    assert message.startswith(
        f"The Community of Practice session on {day:%B} {day.day} is published."
    )
    assert message.endswith(
        " It has no topic yet: edit it to add one, so people know what it's about."
    )


def test_cancel_message_names_the_session_by_its_topic(organizer_client):
    session = _series_session(topic="Keeping volunteers")

    response = organizer_client.post(
        reverse("sessions:session-cancel", args=[session.slug]), {"reason": "Snow."}
    )

    assert _messages(response) == ["“Keeping volunteers” is cancelled. Nobody was emailed."]


def test_session_form_puts_the_topic_first_and_says_what_it_is_for(organizer_client):
    response = organizer_client.get(reverse("sessions:session-create"))

    form = response.context["form"]
    assert list(form.fields)[:2] == ["topic", "title"]
    assert form["topic"].label == "Topic (English)"
    body = response.content.decode()
    assert "This is the session's title on the site, in emails and calendars." in body
    assert '<label for="id_topic">Topic (English)</label>' in body
    assert body.index('id="id_topic"') < body.index('id="id_title"')
    assert 'class="input--lead"' in body


def test_edit_page_of_a_session_without_a_topic_asks_for_one(organizer_client):
    session = _series_session()

    response = organizer_client.get(reverse("sessions:session-edit", args=[session.slug]))

    body = response.content.decode()
    assert "<h1>Edit “Topic to be announced”</h1>" in body
    notice = (
        '<p class="message message--warning topic-notice" id="topic-notice"><strong>No topic '
        "yet:</strong> people see “Topic to be announced” on the site, in emails and in "
        "calendars. Add what this session is about, so they know whether to come.</p>"
    )
    assert notice in body
    assert body.index(notice) < body.index('id="id_topic"')  # next to the field it is about


def test_edit_page_of_a_session_with_a_topic_has_no_notice(organizer_client):
    session = _series_session(topic="Keeping volunteers")

    response = organizer_client.get(reverse("sessions:session-edit", args=[session.slug]))

    assert "topic-notice" not in response.content.decode()


def test_new_one_off_slug_comes_from_its_topic_and_never_changes(organizer_client):
    organizer_client.post(reverse("sessions:session-create"), _form_data(make_venue()))
    session = Session.objects.get()

    organizer_client.post(
        reverse("sessions:session-edit", args=[session.slug]),
        _form_data(make_venue(), topic="Something else"),
    )

    session.refresh_from_db()
    assert (session.topic, session.slug) == (
        "Something else",
        "2027-03-17-starting-a-tenant-association",
    )


# Time of day follows the start time unless the organizer picks one


@pytest.mark.parametrize(
    ("start", "chosen", "saved"),
    [
        ("11:30", "", "daytime"),
        ("16:59", "", "daytime"),
        ("17:00", "", "evening"),
        ("18:00", "", "evening"),
        ("11:30", "evening", "evening"),
        ("18:00", "daytime", "daytime"),
    ],
)
def test_create_sets_the_time_of_day_from_the_start_time_unless_chosen(
    organizer_client, start, chosen, saved
):
    data = _form_data(make_venue(), start_time=start, end_time="19:30", time_of_day=chosen)

    response = organizer_client.post(reverse("sessions:session-create"), data)

    assert response.status_code == 302
    assert Session.objects.get().time_of_day == saved


def test_new_session_form_offers_the_time_of_day_from_the_start_time(organizer_client):
    response = organizer_client.get(reverse("sessions:session-create"))

    assert response.context["form"]["time_of_day"].value() == ""
    assert '<option value="" selected>Set from the start time</option>' in response.content.decode()


@pytest.mark.parametrize(("stored", "shown"), [("evening", ""), ("daytime", "daytime")])
def test_edit_form_shows_a_time_of_day_the_start_time_gives_as_from_the_start_time(
    organizer_client, stored, shown
):
    session = _session(time_of_day=stored)  # starts at 6 pm

    response = organizer_client.get(reverse("sessions:session-edit", args=[session.slug]))

    assert response.context["form"]["time_of_day"].value() == shown


def test_session_form_shows_whole_venue_names_and_long_selects_get_a_row(organizer_client):
    venue = make_venue(name="Cleveland Public Library, Martin Luther King Jr. Branch")

    response = organizer_client.get(reverse("sessions:session-create"))

    body = response.content.decode()
    # Venues are choices to tick: a select can't wrap a long name on a phone.
    assert f'<input type="radio" name="venue" value="{venue.pk}"' in body
    assert "\n Cleveland Public Library, Martin Luther King Jr. Branch</label>" in body
    assert body.count('class="select--wide"') == 2  # time of day, attendance mode


@pytest.mark.parametrize("language", ["en", "es"])
def test_organizer_list_rows_link_each_session_s_own_pages_in_the_reader_s_language(
    organizer_client, language
):
    sessions = [_session(days_ahead=days) for days in (3, 9)]
    query = "?lang=es" if language == "es" else ""

    body = organizer_client.get(reverse("sessions:organize-sessions") + query).content.decode()

    words = {
        "en": ["When", "RSVPs", "Check-in", "Edit", "Cancel"],
        "es": ["Cuándo", "Respuestas", "Registro de llegada", "Editar", "Cancelar"],
    }[language]
    for session in sessions:
        for name in ("session-attendees", "session-check-in", "session-edit", "session-cancel"):
            url = reverse(f"sessions:{name}", args=[session.slug])
            assert body.count(f'<a href="{url}">') == 1, (session.slug, name)
    assert body.count(f'data-label="{words[0]}"') == 2
    for word in words[1:]:
        assert body.count(f'">{word}<span class="visually-hidden">') == 2, word


@pytest.mark.parametrize("language", ["en", "es"])
def test_organizer_list_rows_name_each_link_s_session_for_screen_readers(
    organizer_client, language
):
    session = _session(days_ahead=3, topic="Rent & <repairs>")
    untitled = _series_session(days_ahead=9)
    query = "?lang=es" if language == "es" else ""

    body = organizer_client.get(reverse("sessions:organize-sessions") + query).content.decode()

    with translation.override(language):
        day, other_day = (date_as(s.starts_at, "SHORT_DAY") for s in (session, untitled))
    for_word, for_day_word = {"en": ("for", "for"), "es": ("de", "del")}[language]
    hidden = f"Rent &amp; &lt;repairs&gt;, {day}"
    assert body.count(f'<span class="visually-hidden"> {for_word} {hidden}</span>') == 2
    assert body.count(f'<span class="visually-hidden"> {hidden}</span>') == 2  # edit, cancel
    assert body.count(f'<span class="visually-hidden"> {for_day_word} {other_day}</span>') == 1


def test_organizer_rows_follow_check_ins_and_walk_ins_for_every_organizer(organizer_client):
    # A check-in changes no content version: the rows show the stored counts that the
    # check-in and walk-in services update.
    from django.test import Client

    from sessions_app.services.attendance import rsvp_check_in, walk_in_add, walk_in_remove
    from tests.factories import make_organizer, make_rsvp, make_user

    session = make_session(starts_at=timezone.now() + timedelta(minutes=30))
    rsvp = make_rsvp(session, user=make_user(display_name="Early Bird"))
    other_organizer = Client()
    other_organizer.force_login(make_organizer())
    url = reverse("sessions:organize-sessions")

    def came() -> list[list[str]]:
        return [
            re.findall(r"<strong>(\d+) came</strong>", c.get(url).content.decode()) or ["0"]
            for c in (organizer_client, other_organizer)
        ]

    assert came() == [["0"], ["0"]]
    rsvp_check_in(rsvp=rsvp)
    assert came() == [["1"], ["1"]]
    walk_in = walk_in_add(session=session, count=2)
    assert came() == [["3"], ["3"]]
    walk_in_remove(walk_in=walk_in)
    rsvp_check_in(rsvp=rsvp, checked_in=False)
    assert came() == [["0"], ["0"]]


def test_organizer_list_rows_write_each_kind_of_session(organizer_client):
    # Written in Python (templatetags/organizer_rows.py): the markup the template wrote.
    from sessions_app.services.attendance import walk_in_add
    from sessions_app.services.sessions import session_cancel

    series = make_series(title="Community of Practice")
    untitled = _series_session(series=series, days_ahead=3, status=SessionStatus.DRAFT)
    english_only = _session(days_ahead=4, topic_en="Rent <strikes>", topic_es="")
    cancelled = _session(days_ahead=5, topic="Gone")
    session_cancel(session=cancelled, reason="Snow")
    came = _session(days_ahead=6, topic="Busy", attendance_mode="online")
    walk_in_add(session=came, count=2)

    body = organizer_client.get(reverse("sessions:organize-sessions") + "?lang=es").content.decode()
    rows = {
        s.pk: row
        for s in (untitled, english_only, cancelled, came)
        for row in [
            re.search(
                rf'<tr>\s*<td[^>]*><time datetime="{s.local_starts_at.isoformat()}">.*?</tr>',
                body,
                re.S,
            ).group(0)
        ]
    }

    edit = reverse("sessions:session-edit", args=[untitled.slug])
    assert f'<a href="{untitled.get_absolute_url()}" class="headline--tba">' in rows[untitled.pk]
    assert '<span class="badge badge--todo">' in rows[untitled.pk]
    assert (
        '<span class="cell-note">Serie: <span lang="en">Community of Practice' in rows[untitled.pk]
    )
    assert '<span class="status status--draft">' in rows[untitled.pk]
    assert f'<a href="{edit}#id_topic">' in rows[untitled.pk]
    fallback = '<span lang="en">Rent &lt;strikes&gt;</span> <span class="translation-note">'
    assert f"{fallback}(en inglés)</span>" in rows[english_only.pk]
    assert reverse("sessions:session-cancel", args=[cancelled.slug]) not in rows[cancelled.pk]
    assert '<span class="status status--cancelled">' in rows[cancelled.pk]
    assert re.search(r"<strong>2 \w+</strong>", rows[came.pk])
    assert "presencial" not in rows[came.pk]
