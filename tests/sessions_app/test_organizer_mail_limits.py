"""Organizers' actions that email people are limited per organizer too
(MAIL_RATE_PER_ORGANIZER): past the limit, a 429 with the reason and nothing changed."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Session, SessionStatus
from tests.factories import make_organizer, make_series, make_session

pytestmark = pytest.mark.django_db

TOO_MANY = "You&#x27;ve made many changes that email people in a short time."


@pytest.fixture(autouse=True)
def _two_an_hour(settings):
    settings.MAIL_RATE_PER_ORGANIZER = "2/h"


def _cancel(client: Client, session: Session):
    url = reverse("sessions:session-cancel", args=[session.slug])
    return client.post(url, {"reason": "Snow.", "confirm": "on"})


def test_the_third_cancellation_in_an_hour_is_refused_and_changes_nothing(organizer_client):
    sessions = [make_session() for _ in range(3)]

    answers = [_cancel(organizer_client, session) for session in sessions]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert TOO_MANY in answers[2].content.decode()
    statuses = [Session.objects.get(pk=session.pk).status for session in sessions]
    assert statuses == [SessionStatus.CANCELLED] * 2 + [SessionStatus.PUBLISHED]


def test_the_limit_is_per_organizer(organizer_client):
    other = Client()
    other.force_login(make_organizer(display_name="Other Organizer"))
    sessions = [make_session() for _ in range(4)]

    answers = [_cancel(organizer_client, session) for session in sessions[:2]]
    answers += [_cancel(other, session) for session in sessions[2:]]

    assert [answer.status_code for answer in answers] == [302] * 4


def test_edits_past_the_limit_are_refused_next_to_the_form(organizer_client):
    session = make_session(title="Budget night")
    url = reverse("sessions:session-edit", args=[session.slug])
    data = {
        "topic": session.topic,
        "date": timezone.localtime(session.starts_at).date().isoformat(),
        "start_time": "18:00",
        "end_time": "19:00",
        "time_of_day": "evening",
        "format": "brief",
        "attendance_mode": "hybrid",
        "venue": str(session.venue.pk),
        "meeting_url": "https://meet.example.org/secret-room",
    }

    answers = [organizer_client.post(url, {**data, "title": title}) for title in "ABC"]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert TOO_MANY in answers[2].content.decode()
    assert Session.objects.get(pk=session.pk).title == "B"


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

    answers = [organizer_client.post(url, {"months": "3"}) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert TOO_MANY in answers[2].content.decode()


def test_refused_forms_are_not_counted(organizer_client):
    session = make_session()
    url = reverse("sessions:session-cancel", args=[session.slug])

    for _ in range(3):
        organizer_client.post(url, {"reason": ""})
    answer = _cancel(organizer_client, session)

    assert answer.status_code == 302
