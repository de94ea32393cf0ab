"""What a change says is in each reader's language, whatever the organizer's page was
in; series lists keep their order in Spanish too."""

import pytest
from django.db import transaction
from django.utils import translation

from sessions_app.models import AttendanceMode, Series
from sessions_app.services.rsvps import rsvp_create
from sessions_app.services.sessions import session_update
from tests.clock import local
from tests.factories import make_series, make_session, make_user, make_venue
from tests.outbox import work

pytestmark = pytest.mark.django_db


@pytest.fixture
def hybrid_session():
    venue = make_venue(name="Hough Library", address="1566 Crawford Rd")
    return make_session(
        title="Tenant rights",
        topic="",
        venue=venue,
        starts_at=local(2027, 12, 16, 18),
        attendance_mode=AttendanceMode.HYBRID,
    )


@pytest.mark.parametrize(("editor", "reader"), [("es", "en"), ("en", "es")])
def test_the_old_place_is_in_the_readers_language(
    editor, reader, hybrid_session, settings, mailoutbox
):
    settings.RSVP_EMAIL_COALESCE_SECONDS = 0
    person = make_user(email="reader@example.org", language=reader)
    rsvp_create(session=hybrid_session, attend_as="online", user=person)
    mailoutbox.clear()
    with translation.override(editor), transaction.atomic():
        session_update(
            session=hybrid_session,
            fields={"attendance_mode": AttendanceMode.ONLINE, "venue": None},
        )

    work()

    (email,) = [
        m for m in mailoutbox if m.to == ["reader@example.org"] and "1566 Crawford" in m.body
    ]
    old_place = {"en": "Hough Library, 1566 Crawford Rd, and online", "es": "y en línea"}
    wrong = {"en": "y en línea", "es": ", and online"}
    assert old_place[reader] in email.body
    assert wrong[reader] not in email.body


def test_series_keep_their_order_on_a_spanish_page():
    for title in ["Zeta circle", "Alpha circle", "Midtown circle"]:
        make_series(title=title)

    with translation.override("es"):
        titles = [series.title for series in Series.objects.all()]

    assert titles == ["Alpha circle", "Midtown circle", "Zeta circle"]
