"""Organizer pages for series: create and edit with a rotation, preview, publish."""

import itertools
from datetime import date, time, timedelta

import pytest
import recurrence
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import RotationSlot, Series, Session, SessionStatus
from sessions_app.services.series import series_publish
from sessions_app.services.sessions import session_cancel
from tests.factories import make_series, make_venue


def _slot(n: int, **values) -> dict:
    defaults = {
        "time_of_day": "evening",
        "start_time": "18:00",
        "format": "brief",
        "duration_minutes": "60",
        "attendance_mode": "hybrid",
        "venue": "",
        "ORDER": "",
    }
    defaults.update(values)
    return {f"slots-{n}-{key}": value for key, value in defaults.items()}


def _series_data(venue, /, *slots: dict, initial_forms: int = 0, **overrides) -> dict:
    data = {
        "title": "Community of Practice",
        "description": "Community builders compare notes.",
        "is_active": "on",
        "frequency": "monthly",
        "interval": "1",
        "week_of_month": "3",
        "weekday": "2",
        "starts_on": "2027-01-01",
        "ends_on": "",
        "excluded_dates": "",
        "extra_dates": "",
        "meeting_url": "https://meet.example.org/cop",
        "joining_instructions": "",
        "slots-TOTAL_FORMS": str(len(slots)),
        "slots-INITIAL_FORMS": str(initial_forms),
        "slots-MIN_NUM_FORMS": "1",
        "slots-MAX_NUM_FORMS": "8",
    }
    if not slots:
        slots = (
            _slot(0, venue=str(venue.pk)),
            _slot(
                1,
                time_of_day="daytime",
                start_time="11:30",
                format="in-depth",
                duration_minutes="120",
                venue=str(venue.pk),
            ),
        )
        data["slots-TOTAL_FORMS"] = "2"
    for slot in slots:
        data.update(slot)
    data.update(overrides)
    return data


PAGES = ["sessions:series-list", "sessions:series-create"]
SERIES_PAGES = ["sessions:series-edit", "sessions:series-preview"]


@pytest.mark.parametrize("name", PAGES + SERIES_PAGES)
def test_series_pages_are_for_organizers_only(client, member_client, organizer_client, name):
    series = make_series()
    url = reverse(name, args=[series.slug] if name in SERIES_PAGES else [])

    visitor, member, organizer = (c.get(url) for c in (client, member_client, organizer_client))

    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("account_login"))
    assert member.status_code == 403
    assert organizer.status_code == 200


def test_member_cannot_publish_a_series(member_client):
    series = make_series()

    response = member_client.post(
        reverse("sessions:series-preview", args=[series.slug]), {"months": "3"}
    )

    assert response.status_code == 403
    assert Session.objects.count() == 0


def test_create_series_with_rotation(organizer_client):
    venue = make_venue()

    response = organizer_client.post(reverse("sessions:series-create"), _series_data(venue))

    series = Series.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions:series-preview", args=[series.slug])
    assert series.slug == "community-of-practice"
    assert recurrence.serialize(series.recurrence) == "RRULE:FREQ=MONTHLY;BYDAY=3WE"
    slots = list(series.slots.all())
    assert [(s.position, s.time_of_day, s.start_time) for s in slots] == [
        (0, "evening", time(18, 0)),
        (1, "daytime", time(11, 30)),
    ]


def test_create_weekly_series_every_other_week(organizer_client):
    data = _series_data(make_venue(), frequency="weekly", interval="2", week_of_month="")

    organizer_client.post(reverse("sessions:series-create"), data)

    series = Series.objects.get()
    assert recurrence.serialize(series.recurrence) == "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"


def test_create_series_with_skipped_and_extra_dates(organizer_client):
    data = _series_data(
        make_venue(), excluded_dates="2027-02-17\n2027-04-21", extra_dates="2027-07-01"
    )

    organizer_client.post(reverse("sessions:series-create"), data)

    rec = Series.objects.get().recurrence
    assert [d.date() for d in rec.exdates] == [date(2027, 2, 17), date(2027, 4, 21)]
    assert [d.date() for d in rec.rdates] == [date(2027, 7, 1)]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2026-06-01"}, "ends_on", "can't be before the first date"),
        ({"interval": "0"}, "interval", "Enter 1 or more."),
        ({"interval": "99"}, "interval", "Enter at most 12."),
        ({"week_of_month": ""}, "week_of_month", "Choose which week of the month."),
        ({"weekday": "9"}, "weekday", "Select a valid choice."),
        ({"excluded_dates": "2027-02-30"}, "excluded_dates", "is not a date"),
        ({"extra_dates": "next tuesday"}, "extra_dates", "is not a date"),
        ({"starts_on": "13/13/2027"}, "starts_on", "Enter a valid date."),
        ({"title": ""}, "title", "Give the name in English, in Spanish, or both."),
        ({"meeting_url": "ftp://nope"}, "meeting_url", "Enter a valid URL."),
    ],
)
def test_series_form_rejects_bad_input(organizer_client, overrides, field, message):
    data = _series_data(make_venue(), **overrides)

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Series.objects.count() == 0


def test_series_form_rejects_a_schedule_without_dates(organizer_client):
    # The last date falls before the first third Wednesday.
    data = _series_data(make_venue(), starts_on="2027-01-01", ends_on="2027-01-10")

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert "gives no dates at all" in " ".join(response.context["form"].non_field_errors())
    assert "gives no dates at all" in response.content.decode()
    assert Series.objects.count() == 0


def test_series_form_rejects_a_schedule_that_skips_every_date(organizer_client):
    data = _series_data(
        make_venue(),
        ends_on="2027-02-28",
        excluded_dates="2027-01-20\n2027-02-17",
    )

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert Series.objects.count() == 0


def test_series_form_needs_at_least_one_slot(organizer_client):
    data = _series_data(
        make_venue(),
        _slot(0, time_of_day="", start_time="", format="", duration_minutes="", attendance_mode=""),
    )

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert Series.objects.count() == 0
    assert RotationSlot.objects.count() == 0


def test_series_form_with_no_slot_forms_at_all(organizer_client):
    data = _series_data(make_venue(), **{"slots-TOTAL_FORMS": "0"})
    data = {key: value for key, value in data.items() if not key.startswith("slots-0")}
    data = {key: value for key, value in data.items() if not key.startswith("slots-1")}

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert "Add at least one slot" in response.content.decode()


def test_in_person_slot_needs_a_venue(organizer_client):
    data = _series_data(make_venue(), _slot(0, attendance_mode="in-person", venue=""))

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert "Choose where people meet" in response.content.decode()
    assert Series.objects.count() == 0


def test_online_slot_needs_the_series_meeting_link(organizer_client):
    data = _series_data(make_venue(), _slot(0, attendance_mode="online"), meeting_url="")

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert "need a meeting link" in " ".join(response.context["form"].errors["meeting_url"])
    assert Series.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"duration_minutes": "5"}, "at least 15 minutes"),
        ({"duration_minutes": "9999"}, "at most 600 minutes"),
        ({"start_time": "7pm-ish"}, "Enter a valid time."),
    ],
)
def test_slot_rejects_bad_values(organizer_client, values, message):
    venue = make_venue()
    data = _series_data(venue, _slot(0, venue=str(venue.pk), **values))

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_too_many_forms_is_a_clean_error(organizer_client):
    venue = make_venue()
    slots = [_slot(n, venue=str(venue.pk)) for n in range(9)]
    data = _series_data(venue, *slots, **{"slots-TOTAL_FORMS": "9"})

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert Series.objects.count() == 0


def test_broken_management_form_is_a_clean_error(organizer_client):
    data = _series_data(make_venue())
    del data["slots-TOTAL_FORMS"]

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 400
    assert Series.objects.count() == 0


def test_edit_form_shows_the_schedule_in_plain_fields(organizer_client):
    series = make_series()

    response = organizer_client.get(reverse("sessions:series-edit", args=[series.slug]))

    form = response.context["form"]
    assert form["frequency"].value() == "monthly"
    assert form["week_of_month"].value() == "3"
    assert form["weekday"].value() == 2
    assert len(response.context["formset"].forms) == 3  # two slots and one empty


def test_edit_can_reorder_and_remove_slots(organizer_client):
    series = make_series()
    first, second = series.slots.all()
    venue = first.venue
    data = _series_data(
        venue,
        _slot(
            0, id=str(first.pk), series=str(series.pk), venue=str(venue.pk), ORDER="2", DELETE="on"
        ),
        _slot(
            1,
            id=str(second.pk),
            series=str(series.pk),
            venue=str(venue.pk),
            time_of_day="daytime",
            start_time="12:00",
            ORDER="1",
        ),
        _slot(2, time_of_day="evening", start_time="17:30", venue=str(venue.pk), ORDER="2"),
        initial_forms=2,
        **{"slots-TOTAL_FORMS": "3"},
    )

    response = organizer_client.post(reverse("sessions:series-edit", args=[series.slug]), data)

    assert response.status_code == 302
    assert [(s.position, s.start_time) for s in series.slots.all()] == [
        (0, time(12, 0)),
        (1, time(17, 30)),
    ]


def test_edit_of_an_admin_made_schedule_keeps_it(organizer_client):
    rule = recurrence.Rule(recurrence.MONTHLY, bymonthday=[1, 15])
    series = make_series(recurrence=recurrence.Recurrence(rrules=[rule], include_dtstart=False))
    slot = series.slots.first()
    data = _series_data(
        slot.venue,
        _slot(0, id=str(slot.pk), series=str(series.pk), venue=str(slot.venue.pk)),
        initial_forms=1,
        title="Renamed",
    )

    page = organizer_client.get(reverse("sessions:series-edit", args=[series.slug]))
    response = organizer_client.post(reverse("sessions:series-edit", args=[series.slug]), data)

    series.refresh_from_db()
    assert "in the admin site" in page.content.decode()
    assert response.status_code == 302
    assert series.title == "Renamed"
    assert recurrence.serialize(series.recurrence) == "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15"


def test_preview_lists_the_next_twelve_dates_with_alternating_slots(organizer_client):
    series = make_series(starts_on=timezone.localdate() - timedelta(days=400))

    response = organizer_client.get(reverse("sessions:series-preview", args=[series.slug]))

    rows = response.context["rows"]
    assert len(rows) == 12
    letters = [planned.slot.letter for planned, _ in rows]
    assert letters[:2] in (["A", "B"], ["B", "A"])
    assert all(a != b for a, b in itertools.pairwise(letters))
    assert all(planned.date >= timezone.localdate() for planned, _ in rows)
    assert "Not published yet" in response.content.decode()


def test_preview_marks_skipped_dates(organizer_client):
    today = timezone.localdate()
    series = make_series(starts_on=today)
    first = next(iter(series.recurrence.occurrences(dtstart=_midnight(today)))).date()
    series.recurrence.exdates = [_midnight(first)]
    series.save()

    response = organizer_client.get(reverse("sessions:series-preview", args=[series.slug]))

    planned, _session = response.context["rows"][0]
    assert planned.date == first
    assert planned.excluded is True
    assert "Skipped" in response.content.decode()


def _midnight(day):
    from datetime import datetime

    return datetime.combine(day, time.min)


def _shown(client, series, until=None) -> dict:
    """What the preview's Publish form carries after "Show dates" (the default horizon
    without `until`): the POST data that publishes exactly those dates."""
    query = {"until": until.isoformat()} if until else {}
    response = client.get(reverse("sessions:series-preview", args=[series.slug]), query)
    assert response.status_code == 200
    plan = response.context["plan"]
    return {"until": plan.until.isoformat(), "plan": plan.fingerprint}


def test_publish_creates_sessions_once(organizer_client):
    series = make_series(starts_on=timezone.localdate())
    url = reverse("sessions:series-preview", args=[series.slug])

    shown = _shown(organizer_client, series)

    first = organizer_client.post(url, shown)
    created = Session.objects.count()
    again = organizer_client.get(url, {"until": shown["until"]})

    assert first.status_code == 302
    assert 2 <= created <= 4
    assert Session.objects.filter(status=SessionStatus.PUBLISHED).count() == created
    assert again.context["plan"].does_something is False
    assert "Nothing new to publish through" in again.content.decode()
    assert 'name="plan"' not in again.content.decode()


def test_publish_leaves_cancelled_sessions_alone(organizer_client):
    series = make_series(starts_on=timezone.localdate())
    url = reverse("sessions:series-preview", args=[series.slug])
    organizer_client.post(url, _shown(organizer_client, series))
    cancelled = Session.objects.order_by("starts_at").first()
    session_cancel(session=cancelled, reason="Closed")
    later = timezone.localdate() + timedelta(days=200)
    last = max(day for day in _offered(organizer_client, series) if day <= later)

    response = organizer_client.post(url, _shown(organizer_client, series, last), follow=True)

    cancelled.refresh_from_db()
    assert cancelled.status == SessionStatus.CANCELLED
    assert "1 edited or cancelled session left as is" in response.content.decode()


def _offered(client, series) -> list[date]:
    response = client.get(reverse("sessions:series-preview", args=[series.slug]))
    return [
        date.fromisoformat(value) for value, _ in response.context["form"].fields["until"].choices
    ]


@pytest.mark.parametrize("until", ["2020-01-01", "tomorrow", "", "2027-13-45"])
def test_publish_rejects_dates_it_did_not_offer(organizer_client, until):
    series = make_series(starts_on=timezone.localdate())
    data = {**_shown(organizer_client, series), "until": until}

    response = organizer_client.post(reverse("sessions:series-preview", args=[series.slug]), data)

    assert response.status_code == 400
    assert Session.objects.count() == 0


def test_paused_series_does_not_publish(organizer_client):
    series = make_series(starts_on=timezone.localdate(), is_active=False)
    first = _offered(organizer_client, series)[0]

    response = organizer_client.post(
        reverse("sessions:series-preview", args=[series.slug]),
        {"until": first.isoformat(), "plan": "whatever"},
    )

    assert response.status_code == 400
    assert "paused" in response.content.decode()
    assert Session.objects.count() == 0


def test_unknown_series_is_404(organizer_client, db):
    response = organizer_client.get(reverse("sessions:series-preview", args=["nope"]))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_series_list_query_count_is_fixed(organizer_client, django_assert_max_num_queries, count):
    for n in range(count):
        make_series(title=f"Series {n}")

    with django_assert_max_num_queries(8):
        response = organizer_client.get(reverse("sessions:series-list"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == count


def test_preview_query_count_with_many_sessions(organizer_client, django_assert_max_num_queries):
    series = make_series(
        starts_on=timezone.localdate() - timedelta(days=3650),
        recurrence=recurrence.Recurrence(
            rrules=[recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.WE])],
            include_dtstart=False,
        ),
    )
    last = _offered(organizer_client, series)[-1]
    series_publish(series=series, until=last)

    with django_assert_max_num_queries(8):
        response = organizer_client.get(
            reverse("sessions:series-preview", args=[series.slug]), {"until": last.isoformat()}
        )

    assert response.status_code == 200
    assert all(session is not None for _, session in response.context["rows"])
    assert len(response.context["form"].fields["until"].choices) >= 100


def test_preview_points_to_a_published_session_on_a_newly_skipped_date(organizer_client):
    today = timezone.localdate()
    series = make_series(starts_on=today)
    url = reverse("sessions:series-preview", args=[series.slug])
    organizer_client.post(url, _shown(organizer_client, series))
    session = Session.objects.order_by("starts_at").first()
    series.recurrence.exdates = [_midnight(session.occurrence_date)]
    series.save()

    response = organizer_client.get(url)

    assert "already published" in response.content.decode()
    assert reverse("sessions:session-cancel", args=[session.slug]) in response.content.decode()


def test_slot_time_of_day_follows_its_start_time_unless_chosen(organizer_client):
    venue = make_venue()
    data = _series_data(
        venue,
        _slot(0, time_of_day="", start_time="18:00", venue=str(venue.pk)),
        _slot(1, time_of_day="", start_time="11:30", venue=str(venue.pk)),
        _slot(2, time_of_day="evening", start_time="16:00", venue=str(venue.pk)),
    )

    response = organizer_client.post(reverse("sessions:series-create"), data)

    assert response.status_code == 302
    slots = RotationSlot.objects.order_by("position")
    assert [slot.time_of_day for slot in slots] == ["evening", "daytime", "evening"]


def test_slot_edit_shows_a_time_of_day_the_start_time_gives_as_from_the_start_time(
    organizer_client,
):
    series = make_series()  # slot A evening at 6 pm, slot B daytime at 11:30 am
    RotationSlot.objects.filter(series=series, position=1).update(time_of_day="evening")

    response = organizer_client.get(reverse("sessions:series-edit", args=[series.slug]))

    saved = response.context["formset"].forms[:2]
    assert [form["time_of_day"].value() for form in saved] == ["", "evening"]
    assert "Evening from 5 pm, daytime before." in response.content.decode()


def test_organizer_list_marks_drafts_as_seen_by_organizers_only(organizer_client):
    series = make_series(starts_on=timezone.localdate())
    series_publish(series=series, until=timezone.localdate() + timedelta(days=60))
    draft = series.sessions.order_by("starts_at").first()
    Session.objects.filter(pk=draft.pk).update(status=SessionStatus.DRAFT)

    response = organizer_client.get(reverse("sessions:organize-sessions"))

    body = response.content.decode()
    assert body.count("Only organizers see it") == 1
    assert body.count('<span class="badge badge--todo">No topic yet</span>') == (
        series.sessions.count()
    )
