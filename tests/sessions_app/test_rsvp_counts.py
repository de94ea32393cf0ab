"""The RSVP services keep each session's stored attendance counts (which the statistics
read) true as people answer, change, cancel and get promoted."""

import pytest

from sessions_app.models import AttendAs, SessionCounts
from sessions_app.services.counts import counts_recount
from sessions_app.services.rsvps import Guest, rsvp_cancel, rsvp_change, rsvp_create
from tests.factories import make_rsvp, make_session, make_user

pytestmark = pytest.mark.django_db


def _counts(session):
    row = SessionCounts.objects.get(session=session)
    return row.going_in_person, row.going_online, row.waitlisted


def test_rsvp_answers_change_and_cancel_keep_the_counts():
    session = make_session(capacity=1, online_capacity=10, attendance_mode="hybrid")
    first, _ = rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=make_user())
    second, _ = rsvp_create(
        session=session, attend_as=AttendAs.IN_PERSON, guest=Guest("Bea", "bea@example.org")
    )
    assert _counts(session) == (1, 0, 1)

    rsvp_change(rsvp=first, attend_as=AttendAs.ONLINE)  # the waiting guest gets the seat
    assert _counts(session) == (1, 1, 0)

    rsvp_cancel(rsvp=second)
    assert _counts(session) == (0, 1, 0)


def test_counts_kept_by_the_services_match_a_recount():
    session = make_session(capacity=2)
    for _ in range(3):
        rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=make_user())
    kept = _counts(session)

    counts_recount()

    assert kept == _counts(session) == (2, 0, 1)


def test_the_worker_stores_the_month_just_over_once():
    from dateutil.relativedelta import relativedelta

    from cop_portal.mail import beat
    from sessions_app.models import MonthPeople
    from sessions_app.models.session import local_today
    from sessions_app.services.counts import last_month_store

    last_month = local_today().replace(day=1) - relativedelta(months=1)
    MonthPeople.objects.filter(month=last_month).delete()
    assert last_month_store in beat.jobs()

    last_month_store()
    stored = MonthPeople.objects.get(month=last_month)
    last_month_store()

    assert MonthPeople.objects.get(month=last_month).pk == stored.pk
    assert MonthPeople.objects.filter(month=last_month).count() == 1


def _stored():
    """Every stored session count and month, as comparable values."""
    from sessions_app.models import MonthPeople

    return (
        sorted(
            SessionCounts.objects.values_list(
                "session_id", "going_in_person", "checked_in_in_person", "waitlisted"
            )
        ),
        sorted((row.month, bytes(row.members), row.guests) for row in MonthPeople.objects.all()),
    )


def _past_session_with_two_members_checked_in():
    from sessions_app.services.attendance import rsvp_check_in
    from tests.clock import local

    session = make_session(starts_at=local(2024, 5, 1, 18))
    leaving, staying = make_user(), make_user()
    for user in (leaving, staying):
        rsvp_check_in(rsvp=make_rsvp(session, user=user))
    counts_recount()
    return session, leaving


def test_account_deletion_takes_its_past_rsvps_out_of_the_stored_counts():
    from members.services.account import account_delete

    session, leaving = _past_session_with_two_members_checked_in()
    assert SessionCounts.objects.get(session=session).checked_in_in_person == 2

    account_delete(user=leaving, keep_posts=True)

    kept = _stored()
    counts_recount()
    assert SessionCounts.objects.get(session=session).checked_in_in_person == 1
    assert kept == _stored()


def test_admin_deleting_a_user_or_a_session_keeps_the_stored_counts(admin_client):
    session, leaving = _past_session_with_two_members_checked_in()

    response = admin_client.post(f"/admin/members/user/{leaving.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    kept = _stored()
    counts_recount()
    assert kept == _stored()

    response = admin_client.post(
        f"/admin/sessions_app/session/{session.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    kept = _stored()
    counts_recount()
    assert kept == _stored()
