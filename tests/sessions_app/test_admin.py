from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from members.models import User
from sessions_app.models import AttendanceMode, ConversationFormat, Session, SessionStatus
from sessions_app.models.stat_counts import MonthPeople
from sessions_app.services.counts import counts_recount
from sessions_app.services.series import series_publish
from sessions_app.stats import DateRange, attendance_report
from tests.clock import CLEVELAND
from tests.factories import PASSWORD, make_series

pytestmark = pytest.mark.django_db

QUERIES = 10  # 8 today: session, user, counts, date hierarchy, filters


@pytest.fixture
def admin_client_() -> Client:
    admin = User.objects.create_superuser(
        email="keeper@example.com", password=PASSWORD, display_name="Site Keeper"
    )
    client = Client()
    client.force_login(admin)
    return client


def _publish_2026(series) -> None:
    series_publish(
        series=series,
        since=date(2026, 1, 1),
        until=date(2026, 12, 31),
        now=datetime(2026, 1, 1, tzinfo=CLEVELAND),
    )


def _make_sessions(count: int) -> None:
    first = datetime(2026, 1, 7, 18, 0, tzinfo=CLEVELAND)
    Session.objects.bulk_create(
        Session(
            title=f"Drop-in {n}",
            slug=f"drop-in-{n}",
            time_of_day="evening",
            format=ConversationFormat.BRIEF,
            attendance_mode=AttendanceMode.ONLINE,
            starts_at=first + timedelta(days=n),
            ends_at=first + timedelta(days=n, hours=1),
            meeting_url="https://meet.example.org/drop-in",
            status=SessionStatus.PUBLISHED,
        )
        for n in range(count)
    )


def test_admin_series_changelist_lists_the_series(admin_client_):
    make_series(title="Community of Practice")

    response = admin_client_.get(reverse("admin:sessions_app_series_changelist"))

    assert response.status_code == 200
    assert "Community of Practice" in response.text


def test_admin_series_change_page_shows_the_rotation(admin_client_):
    series = make_series()

    response = admin_client_.get(reverse("admin:sessions_app_series_change", args=[series.pk]))

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.queryset.count() == 2
    assert "recurrence-widget" in response.text


def test_admin_series_add_page_has_the_recurrence_widget(admin_client_):
    response = admin_client_.get(reverse("admin:sessions_app_series_add"))

    assert response.status_code == 200
    assert "recurrence-widget" in response.text
    assert "recurrence/js/recurrence-widget.js" in response.text


def test_admin_session_changelist_shows_cleveland_time(admin_client_):
    _publish_2026(make_series())

    response = admin_client_.get(reverse("admin:sessions_app_session_changelist"))

    assert response.status_code == 200
    assert "2026-03-18 18:00" in response.text  # 22:00 UTC, daylight time
    assert "2026-11-18 18:00" in response.text  # 23:00 UTC, standard time


def test_admin_session_change_page_keeps_calendar_fields_read_only(admin_client_):
    _publish_2026(make_series())
    session = Session.objects.get(occurrence_date=date(2026, 12, 16))

    response = admin_client_.get(reverse("admin:sessions_app_session_change", args=[session.pk]))

    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    for name in ("uid", "slug", "sequence", "occurrence_date", "edited"):
        assert name not in form_fields
    assert "2026-12-16-community-of-practice" in response.text


def test_admin_session_changelist_query_count_does_not_grow(
    admin_client_, django_assert_max_num_queries
):
    url = reverse("admin:sessions_app_session_changelist")
    _make_sessions(1)
    with django_assert_max_num_queries(QUERIES) as one_queries:
        one = admin_client_.get(url)
    Session.objects.all().delete()
    _make_sessions(200)

    with django_assert_max_num_queries(QUERIES) as many_queries:
        many = admin_client_.get(url)

    assert len(many_queries) == len(one_queries)

    assert one.context["cl"].result_count == 1
    assert many.context["cl"].result_count == 200


def test_admin_session_added_by_hand_gets_a_dated_slug(admin_client_):
    response = admin_client_.post(
        reverse("admin:sessions_app_session_add"),
        {
            # One field per language (modeltranslation's TranslationAdmin).
            "title_en": "Holiday social",
            "time_of_day": "evening",
            "format": ConversationFormat.BRIEF,
            "attendance_mode": AttendanceMode.ONLINE,
            "starts_at_0": "2026-12-09",
            "starts_at_1": "18:00",
            "ends_at_0": "2026-12-09",
            "ends_at_1": "20:00",
            "meeting_url": "https://meet.example.org/social",
            "status": SessionStatus.PUBLISHED,
        },
    )

    assert response.status_code == 302
    session = Session.objects.get(title="Holiday social")
    assert session.slug == "2026-12-09-holiday-social"
    assert session.local_starts_at.hour == 18


def test_admin_refuses_a_session_longer_than_a_day(admin_client_):
    response = admin_client_.post(
        reverse("admin:sessions_app_session_add"),
        {
            "title_en": "Weekend retreat",
            "time_of_day": "daytime",
            "format": ConversationFormat.IN_DEPTH,
            "attendance_mode": AttendanceMode.ONLINE,
            "starts_at_0": "2026-12-12",
            "starts_at_1": "09:00",
            "ends_at_0": "2026-12-13",
            "ends_at_1": "17:00",
            "meeting_url": "https://meet.example.org/retreat",
            "status": SessionStatus.PUBLISHED,
        },
    )

    assert response.status_code == 200
    assert "A session lasts at most a day" in response.content.decode()
    assert not Session.objects.filter(title="Weekend retreat").exists()


def test_admin_moving_a_session_bumps_its_sequence(admin_client_):
    _make_sessions(1)
    session = Session.objects.get()
    url = reverse("admin:sessions_app_session_change", args=[session.pk])
    data = {
        "title_en": session.title,
        "time_of_day": session.time_of_day,
        "format": session.format,
        "attendance_mode": session.attendance_mode,
        "starts_at_0": "2026-01-07",
        "starts_at_1": "17:00",
        "ends_at_0": "2026-01-07",
        "ends_at_1": "19:00",
        "meeting_url": session.meeting_url,
        "status": session.status,
    }

    admin_client_.post(url, {**data, "title_en": "Renamed"})
    session.refresh_from_db()
    after_rename = session.sequence
    admin_client_.post(url, {**data, "starts_at_1": "17:30"})
    session.refresh_from_db()

    assert after_rename == 1  # the first save moved it from 18:00 to 17:00
    assert session.sequence == 2
    assert session.local_starts_at.minute == 30


def _stored_months() -> list[tuple[date, object]]:
    return list(MonthPeople.objects.order_by("month").values_list("month", "sessions"))


def test_admin_changing_a_past_sessions_format_keeps_its_stored_month_true(admin_client_):
    _make_sessions(1)  # 7 January 2026: a month that is over
    session = Session.objects.get()
    counts_recount()
    before = _stored_months()
    url = reverse("admin:sessions_app_session_change", args=[session.pk])

    admin_client_.post(
        url,
        {
            "title_en": session.title,
            "time_of_day": session.time_of_day,
            "format": ConversationFormat.IN_DEPTH,
            "attendance_mode": session.attendance_mode,
            "starts_at_0": "2026-01-07",
            "starts_at_1": "18:00",
            "ends_at_0": "2026-01-07",
            "ends_at_1": "19:00",
            "meeting_url": session.meeting_url,
            "status": session.status,
        },
    )
    kept = _stored_months()
    counts_recount()

    assert Session.objects.get().format == ConversationFormat.IN_DEPTH
    assert kept != before
    assert kept == _stored_months()


def test_admin_deleting_past_sessions_takes_them_out_of_their_stored_month(admin_client_):
    _make_sessions(4)  # 7 to 10 January 2026: a month that is over
    counts_recount()
    first, second, *rest = Session.objects.order_by("starts_at")
    january = DateRange(date(2026, 1, 1), date(2026, 1, 31))

    admin_client_.post(
        reverse("admin:sessions_app_session_delete", args=[first.pk]), {"post": "yes"}
    )
    after_one = attendance_report(january).session_count
    admin_client_.post(
        reverse("admin:sessions_app_session_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )
    kept = _stored_months()
    counts_recount()

    assert Session.objects.count() == len(rest) == 2
    assert after_one == 3
    assert attendance_report(january).session_count == 2
    assert kept == _stored_months()
