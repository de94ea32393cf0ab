"""Server errors the fuzz tests found outside the apps, each pinned by a plain test."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.models import Preference

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["\x00.reminders", "a\x00b.reminders", "not a key.reminders"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_unsubscribe_with_a_malformed_key_is_a_bad_link(client, token, method):
    """A NUL in a query is a 500 on PostgreSQL: keys are URL-safe tokens, so anything
    else is refused before the database is asked."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(reverse("unsubscribe", kwargs={"token": token}))

    assert response.status_code == 400
    assert "link" in response.content.decode().lower()
    assert not any("\x00" in query["sql"] for query in queries.captured_queries)


def test_unsubscribe_with_a_real_key_still_works(client):
    token = email_prefs.unsubscribe_token("gia@example.org", Preference.REMINDERS)

    response = client.get(reverse("unsubscribe", kwargs={"token": token}))

    assert response.status_code == 200
