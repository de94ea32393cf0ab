"""Organizers' actions that email people are limited per organizer too
(MAIL_RATE_PER_ORGANIZER): past the limit, a 429 with the reason and nothing changed.
Only actions that email someone count: an edit or a cancellation that tells nobody
(nobody has an RSVP, or the organizer chose "Nobody") is never limited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Session, SessionStatus
from sessions_app.services.rsvps import rsvp_create
from tests.factories import make_organizer, make_series, make_session, make_user

pytestmark = pytest.mark.django_db

TOO_MANY = "You&#x27;ve made many changes that email people in a short time."


@pytest.fixture(autouse=True)
def _two_an_hour(settings):
    settings.MAIL_RATE_PER_ORGANIZER = "2/h"


def _cancel(client: Client, session: Session, audience: str = "everyone"):
    url = reverse("sessions:session-cancel", args=[session.slug])
    return client.post(url, {"reason": "Snow.", "audience": audience, "step": "save"})


def _answered() -> Session:
    """A session someone is going to: changing it emails them."""
    session = make_session()
    rsvp_create(session=session, user=make_user(), attend_as="in-person")
    return session


def test_the_third_cancellation_in_an_hour_is_refused_and_changes_nothing(organizer_client):
    sessions = [_answered() for _ in range(3)]

    answers = [_cancel(organizer_client, session) for session in sessions]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert TOO_MANY in answers[2].content.decode()
    statuses = [Session.objects.get(pk=session.pk).status for session in sessions]
    assert statuses == [SessionStatus.CANCELLED] * 2 + [SessionStatus.PUBLISHED]


def test_the_limit_is_per_organizer(organizer_client):
    other = Client()
    other.force_login(make_organizer(display_name="Other Organizer"))
    sessions = [_answered() for _ in range(4)]

    answers = [_cancel(organizer_client, session) for session in sessions[:2]]
    answers += [_cancel(other, session) for session in sessions[2:]]

    assert [answer.status_code for answer in answers] == [302] * 4


def _edit_data(session: Session, start: str) -> dict[str, str]:
    """The edit form moving the session to `start` (and an hour), everyone told."""
    return {
        "title": session.title,
        "topic": session.topic,
        "date": timezone.localtime(session.starts_at).date().isoformat(),
        "start_time": start,
        "end_time": f"{int(start[:2]) + 1}:{start[3:]}",
        "time_of_day": "evening",
        "format": "brief",
        "attendance_mode": "hybrid",
        "venue": str(session.venue.pk),
        "meeting_url": "https://meet.example.org/secret-room",
        "audience": "everyone",
        "step": "save",
    }


def test_edits_past_the_limit_are_refused_next_to_the_form(organizer_client):
    session = _answered()
    url = reverse("sessions:session-edit", args=[session.slug])

    answers = [
        organizer_client.post(url, _edit_data(session, start))
        for start in ("18:00", "18:30", "19:00")
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert TOO_MANY in answers[2].content.decode()
    session.refresh_from_db()
    assert session.local_starts_at.strftime("%H:%M") == "18:30"
    assert session.sequence == 2


def test_changes_that_email_nobody_are_never_limited(organizer_client):
    quiet = [_answered() for _ in range(3)]
    untouched = make_session()  # nobody has an RSVP
    url = reverse("sessions:session-edit", args=[untouched.slug])

    answers = [_cancel(organizer_client, session, audience="nobody") for session in quiet]
    answers += [
        organizer_client.post(url, {**_edit_data(untouched, start), "step": ""})
        for start in ("17:00", "17:30", "18:00")
    ]

    assert [answer.status_code for answer in answers] == [302] * 6
    assert [Session.objects.get(pk=session.pk).status for session in quiet] == [
        SessionStatus.CANCELLED
    ] * 3


def test_publishing_a_draft_past_the_limit_is_refused(organizer_client):
    drafts = [make_session(status=SessionStatus.DRAFT) for _ in range(3)]

    answers = [
        organizer_client.post(
            reverse("sessions:session-publish", args=[draft.slug]), {"confirm": "on"}
        )
        for draft in drafts
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert [Session.objects.get(pk=draft.pk).status for draft in drafts] == [
        SessionStatus.PUBLISHED,
        SessionStatus.PUBLISHED,
        SessionStatus.DRAFT,
    ]


def test_publishing_a_series_past_the_limit_is_refused(organizer_client):
    series = make_series(starts_on=timezone.localdate() - timedelta(days=40))
    url = reverse("sessions:series-preview", args=[series.slug])

    def publish():
        plan = organizer_client.get(url).context["plan"]  # Publish carries what it showed
        return organizer_client.post(
            url, {"until": plan.until.isoformat(), "plan": plan.fingerprint}
        )

    answers = [publish() for _ in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert TOO_MANY in answers[2].content.decode()


def test_refused_forms_are_not_counted(organizer_client):
    session = make_session()
    url = reverse("sessions:session-cancel", args=[session.slug])

    for _ in range(3):
        organizer_client.post(url, {"reason": ""})
    answer = _cancel(organizer_client, session)

    assert answer.status_code == 302
