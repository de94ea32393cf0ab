"""The series preview's Publish form: it shows the dates it will create, the sessions it
will move and the ones it leaves before anything is saved, defaults to a horizon that
reaches the next two dates not yet published, and publishes exactly what it showed."""

from datetime import date, time, timedelta

import pytest
import recurrence
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cop_portal.mail.models import OutgoingEmail
from sessions_app.models import RotationSlot, Session, SessionStatus
from sessions_app.notify_choice import Told
from sessions_app.rotation import plan_occurrences
from sessions_app.services.series import (
    PublishPlanChanged,
    default_publish_months,
    publish_horizon,
    series_publish,
)
from sessions_app.services.sessions import session_cancel
from sessions_app.views.series import PLAN_CHANGED
from tests.clock import DASH
from tests.factories import make_rsvp, make_series, make_user, make_venue
from tests.outbox import work

pytestmark = pytest.mark.django_db


def _every(months: int) -> recurrence.Recurrence:
    """The third Wednesday, every `months` months."""
    return recurrence.Recurrence(
        rrules=[
            recurrence.Rule(recurrence.MONTHLY, interval=months, byday=[recurrence.Weekday(2, 3)])
        ],
        include_dtstart=False,
    )


def _weekly() -> recurrence.Recurrence:
    return recurrence.Recurrence(
        rrules=[recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.WE])],
        include_dtstart=False,
    )


def _url(series) -> str:
    return reverse("sessions:series-preview", args=[series.slug])


def _day(day: date) -> str:
    """How the list names a day: "Wed, Dec 16", with the year when it isn't this one."""
    text = f"{day:%a, %b %-d}"
    return text if day.year == timezone.localdate().year else f"{text}, {day.year}"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post_data(response) -> dict[str, str]:
    plan = response.context["plan"]
    return {"until": plan.until.isoformat(), "plan": plan.fingerprint}


def test_default_horizon_reaches_the_next_two_dates_when_they_are_months_away(
    organizer_client,
):
    # Every four months: "publish the next 3 months" used to publish nothing at all.
    series = make_series(starts_on=timezone.localdate(), recurrence=_every(4))

    response = organizer_client.get(_url(series))

    plan = response.context["plan"]
    body = response.content.decode()
    assert response.status_code == 200
    assert len(plan.create) == 2
    assert plan.create[1].date > publish_horizon(3)
    assert response.context["form"]["until"].value() == plan.create[1].date
    assert "These 2 sessions will be published" in body
    assert ">Publish 2 sessions</button>" in body
    assert Session.objects.count() == 0


def test_the_list_names_each_new_session_with_its_hours_slot_and_place(organizer_client):
    series = make_series(
        starts_on=timezone.localdate(), venue=make_venue(name="Midtown/Hough office")
    )

    response = organizer_client.get(_url(series))

    plan = response.context["plan"]
    evening = next(planned for planned in plan.create if planned.slot.letter == "A")
    daytime = next(planned for planned in plan.create if planned.slot.letter == "B")
    body = response.content.decode()
    assert (
        f"<li>{_day(evening.date)}, 6{DASH}7 pm, Evening · brief, "
        "at Midtown/Hough office, and online</li>"
    ) in body
    assert (
        f"<li>{_day(daytime.date)}, 11:30 am{DASH}1:30 pm, Daytime · in depth, "
        "at Midtown/Hough office, and online</li>"
    ) in body


def test_show_dates_changes_the_list_without_saving(organizer_client):
    series = make_series(starts_on=timezone.localdate(), recurrence=_weekly())
    first = date.fromisoformat(
        organizer_client.get(_url(series)).context["form"].fields["until"].choices[0][0]
    )

    response = organizer_client.get(_url(series), {"until": first.isoformat()})

    assert response.status_code == 200
    assert [planned.date for planned in response.context["plan"].create] == [first]
    assert "This session will be published" in response.content.decode()
    assert ">Publish 1 session</button>" in response.content.decode()
    assert Session.objects.count() == 0


def test_publish_creates_exactly_the_dates_shown(organizer_client):
    series = make_series(starts_on=timezone.localdate(), recurrence=_weekly())
    shown = organizer_client.get(_url(series), {"until": _nth_date(organizer_client, series, 4)})
    dates = [planned.date for planned in shown.context["plan"].create]

    response = organizer_client.post(_url(series), _post_data(shown))

    assert response.status_code == 302
    assert sorted(series.sessions.values_list("occurrence_date", flat=True)) == dates
    assert len(dates) == 5
    assert set(series.sessions.values_list("status", flat=True)) == {SessionStatus.PUBLISHED}


def _nth_date(client, series, n: int) -> str:
    return client.get(_url(series)).context["form"].fields["until"].choices[n][0]


def test_a_series_changed_since_the_list_was_shown_publishes_nothing(organizer_client):
    series = make_series(starts_on=timezone.localdate())
    shown = organizer_client.get(_url(series))
    # Someone moves slot A to 6:30 pm in another tab.
    RotationSlot.objects.filter(series=series, position=0).update(start_time=time(18, 30))

    response = organizer_client.post(_url(series), _post_data(shown))

    body = response.content.decode()
    assert response.status_code == 409
    assert Session.objects.count() == 0
    assert str(PLAN_CHANGED) in body
    assert f"6:30{DASH}7:30 pm, Evening" in body
    assert response.context["plan"].fingerprint != _post_data(shown)["plan"]


def test_a_post_without_the_plan_asks_to_check_the_dates_first(organizer_client):
    series = make_series(starts_on=timezone.localdate())
    until = _post_data(organizer_client.get(_url(series)))["until"]

    response = organizer_client.post(_url(series), {"until": until})

    assert response.status_code == 400
    assert "Check the dates to publish first, then press Publish." in response.content.decode()
    assert Session.objects.count() == 0


def test_unedited_sessions_the_rotation_moves_are_listed_and_moved(organizer_client):
    series = make_series(starts_on=timezone.localdate())
    shown = organizer_client.get(_url(series))
    organizer_client.post(_url(series), _post_data(shown))
    evening = series.sessions.filter(time_of_day="evening").order_by("starts_at").first()
    RotationSlot.objects.filter(series=series, position=0).update(start_time=time(18, 30))

    again = organizer_client.get(_url(series), {"until": shown.context["plan"].until})

    plan = again.context["plan"]
    body = again.content.decode()
    assert plan.create == []
    assert evening in [move.session for move in plan.move]
    assert "to fit the rotation" in body
    assert f"Until now: {_day(evening.occurrence_date)}, 6{DASH}7 pm" in body
    assert f">Move {len(plan.move)} session" in body

    response = organizer_client.post(_url(series), _post_data(again))

    evening.refresh_from_db()
    assert response.status_code == 302
    assert evening.local_starts_at.time() == time(18, 30)
    assert evening.sequence == 1


def test_edited_and_cancelled_sessions_are_listed_as_staying(organizer_client):
    series = make_series(starts_on=timezone.localdate())
    shown = organizer_client.get(_url(series))
    organizer_client.post(_url(series), _post_data(shown))
    cancelled = series.sessions.order_by("starts_at").first()
    session_cancel(session=cancelled, reason="The office is closed.")

    response = organizer_client.get(_url(series), {"until": shown.context["plan"].until})

    assert response.context["plan"].leave == [cancelled]
    assert "This one stays as you set it" in response.content.decode()
    assert "(cancelled)</li>" in response.content.decode()


def test_nothing_to_publish_replaces_the_button_with_a_sentence(organizer_client):
    series = make_series(starts_on=timezone.localdate())
    shown = organizer_client.get(_url(series))
    organizer_client.post(_url(series), _post_data(shown))
    until = shown.context["plan"].until

    response = organizer_client.get(_url(series), {"until": until.isoformat()})

    body = response.content.decode()
    later = next(
        planned.date
        for planned in plan_occurrences(
            series, list(series.slots.all()), until=until.replace(year=until.year + 1)
        )
        if planned.date > until
    )
    assert (
        f"Nothing new to publish through {until:%B %-d}: every date up to then already has "
        f"its session. The next date without one is {later:%B %-d, %Y}: choose it above."
    ) in body
    assert 'name="plan"' not in body


@pytest.mark.parametrize("until", ["2020-01-01", "soon", "2027-02-30"])
def test_show_dates_with_a_date_not_offered_says_so(organizer_client, until):
    series = make_series(starts_on=timezone.localdate())

    response = organizer_client.get(_url(series), {"until": until})

    assert response.status_code == 400
    assert "Choose one of the dates in the list." in response.content.decode()


def test_members_cannot_publish_what_they_saw(member_client, organizer_client):
    series = make_series(starts_on=timezone.localdate())
    data = _post_data(organizer_client.get(_url(series)))

    response = member_client.post(_url(series), data)

    assert response.status_code == 403
    assert Session.objects.count() == 0


@pytest.mark.parametrize("position", [0, -1])
def test_preview_query_count_is_flat_with_many_planned_dates(
    organizer_client, django_assert_max_num_queries, position
):
    series = make_series(starts_on=timezone.localdate(), recurrence=_weekly())
    until = _nth_date(organizer_client, series, position)

    # Session, user, organizer role; series, slots, sessions; flash messages.
    with django_assert_max_num_queries(8):
        response = organizer_client.get(_url(series), {"until": until})

    assert response.status_code == 200
    created = len(response.context["plan"].create)
    assert created == 1 if position == 0 else created >= 104  # two years of Wednesdays


def test_default_months_cover_the_next_two_unpublished_dates():
    series = make_series(starts_on=date(2026, 1, 1))
    today = date(2026, 1, 2)
    upcoming = list(plan_occurrences(series, list(series.slots.all()), until=date(2028, 1, 1)))
    published = {date(2026, 1, 21), date(2026, 2, 18), date(2026, 3, 18), date(2026, 4, 15)}

    # Nothing published: January 21 and February 18 are within three months.
    assert default_publish_months(upcoming, set(), today=today) == 3
    # Through April: the next two are May 20 and June 17, five months and a half away.
    assert default_publish_months(upcoming, published, today=today) == 6


def test_default_months_stop_at_two_years():
    series = make_series(starts_on=date(2026, 1, 1), recurrence=_every(12))
    upcoming = list(plan_occurrences(series, list(series.slots.all()), until=date(2030, 1, 1)))

    assert default_publish_months(upcoming, set(), today=date(2026, 1, 22)) == 24


def test_publish_through_the_last_offered_date_stays_within_two_years(organizer_client):
    series = make_series(starts_on=timezone.localdate(), recurrence=_weekly())

    last = date.fromisoformat(_nth_date(organizer_client, series, -1))

    assert last <= publish_horizon(24)
    assert last + timedelta(days=7) > publish_horizon(24)


def test_series_publish_with_a_stale_plan_saves_nothing():
    series = make_series(starts_on=timezone.localdate())

    with pytest.raises(PublishPlanChanged):
        series_publish(series=series, until=publish_horizon(3), expected="stale")

    assert Session.objects.count() == 0


# Who hears about the sessions a publish moves: the same choice, note and preview as an
# edit (sessions_app.notify_choice), carried through to the emails.


@pytest.fixture
def moved(organizer_client):
    """A published series whose slot A moved to 6:30 pm, its next evening session
    answered by Gina (going, a member) and Wren (waitlisted, a guest)."""
    series = make_series(starts_on=timezone.localdate(), recurrence=_weekly())
    shown = organizer_client.get(_url(series), {"until": _nth_date(organizer_client, series, 2)})
    organizer_client.post(_url(series), _post_data(shown))
    evening = series.sessions.filter(time_of_day="evening").order_by("starts_at").first()
    make_rsvp(evening, user=make_user(email="gina@example.org"))
    make_rsvp(evening, name="Wren Waiting", email="wren@example.org", status="waitlisted")
    RotationSlot.objects.filter(series=series, position=0).update(start_time=time(18, 30))
    return series, evening, shown.context["plan"].until


def _shown(client, series, until):
    return client.get(_url(series), {"until": until.isoformat()})


def test_moves_say_who_would_be_told_with_the_choice_and_the_email(organizer_client, moved):
    series, _evening, until = moved

    response = _shown(organizer_client, series, until)

    body = response.content.decode()
    assert response.status_code == 200
    assert "2 people have an RSVP: 1 going, 1 on the waitlist." in body
    assert "Nobody has an RSVP yet." in body  # the other moved evenings
    assert "Everyone with an RSVP: 2 people" in body
    assert "Only people going: 1 person" in body
    assert "Nobody: move them without emailing" in body
    moves = len(response.context["plan"].move)
    assert f">Move {moves} sessions and notify 2 people</button>" in body
    assert f">Move {moves} sessions without emailing</button>" in body
    preview = response.context["preview"]
    assert preview.subject.startswith("[CoP Portal] New time: Community of Practice, now ")
    assert f"6:00 PM {DASH} 7:00 PM → 6:30 PM {DASH} 7:30 PM" in preview.body
    assert OutgoingEmail.objects.filter(kind="session_changed").count() == 0


def test_update_preview_shows_the_note_and_publishes_nothing(organizer_client, moved):
    series, evening, until = moved
    data = {**_post_data(_shown(organizer_client, series, until)), "note": "Room 2 now."}

    response = organizer_client.post(_url(series), {**data, "step": "preview"})

    evening.refresh_from_db()
    assert response.status_code == 200
    assert "A note from the organizers:\n&gt; Room 2 now." in response.content.decode()
    assert evening.sequence == 0
    assert OutgoingEmail.objects.filter(kind="session_changed").count() == 0


def test_only_people_going_hear_about_a_move_with_the_note(organizer_client, moved, mailoutbox):
    series, evening, until = moved
    data = {**_post_data(_shown(organizer_client, series, until)), "audience": "going"}

    response = organizer_client.post(_url(series), {**data, "note": "Sorry!", "step": "save"})

    evening.refresh_from_db()
    work()
    [email] = [email for email in mailoutbox if "changed a session" in email.body]
    assert response.status_code == 302
    assert evening.local_starts_at.time() == time(18, 30)
    assert email.to == ["gina@example.org"]
    assert "A note from the organizers:\n> Sorry!" in email.body
    assert "(1 person will get an email about it)" in _messages(response)[0]


def test_nobody_hears_about_a_move_when_the_organizer_says_so(organizer_client, moved, mailoutbox):
    series, evening, until = moved
    data = {**_post_data(_shown(organizer_client, series, until)), "audience": "nobody"}

    response = organizer_client.post(_url(series), data)

    evening.refresh_from_db()
    assert response.status_code == 302
    assert evening.sequence == 1  # calendars still follow
    assert not OutgoingEmail.objects.filter(kind="session_changed").exists()
    assert "(nobody was emailed)" in _messages(response)[0]


def test_an_rsvp_since_the_numbers_were_shown_publishes_nothing(organizer_client, moved):
    series, evening, until = moved
    data = _post_data(_shown(organizer_client, series, until))
    make_rsvp(evening, name="Late Larry")

    response = organizer_client.post(_url(series), {**data, "audience": "everyone"})

    evening.refresh_from_db()
    assert response.status_code == 409
    assert evening.sequence == 0
    assert "3 people have an RSVP: 2 going, 1 on the waitlist." in response.content.decode()


def test_a_tampered_audience_publishes_nothing(organizer_client, moved):
    series, evening, until = moved
    data = _post_data(_shown(organizer_client, series, until))

    response = organizer_client.post(_url(series), {**data, "audience": "the-press"})

    evening.refresh_from_db()
    assert response.status_code == 400
    assert "Choose who gets an email from the list." in response.content.decode()
    assert evening.sequence == 0


@pytest.mark.parametrize("dates", [2, 40])
def test_preview_with_moves_counts_everyone_in_one_query(
    organizer_client, django_assert_max_num_queries, dates
):
    series = make_series(starts_on=timezone.localdate(), recurrence=_weekly())
    shown = organizer_client.get(
        _url(series), {"until": _nth_date(organizer_client, series, dates)}
    )
    organizer_client.post(_url(series), _post_data(shown))
    for session in series.sessions.filter(time_of_day="evening"):
        make_rsvp(session, name="Olga Online", attend_as="online")
        make_rsvp(session, name="Wren Waiting", status="waitlisted")
    RotationSlot.objects.filter(series=series, position=0).update(start_time=time(18, 30))

    # As without moves, plus who would be told, and the email settings the preview links.
    with django_assert_max_num_queries(10):
        response = _shown(organizer_client, series, shown.context["plan"].until)

    moves = len(response.context["plan"].move)
    assert moves == (dates + 2) // 2
    assert response.context["notify_form"].told == Told(going=moves, waitlisted=moves)
