"""Server errors the fuzz tests found in the members app, each pinned by a plain test."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/members/%00/", "/members/a%00b/"])
def test_profile_code_with_a_nul_is_not_found(member_client, path):
    """A NUL in a query is a 500 on PostgreSQL; profile codes are URL-safe tokens, so
    their addresses take slugs only and no query is sent."""
    with CaptureQueriesContext(connection) as queries:
        response = member_client.get(path)

    assert response.status_code == 404
    assert not any("\x00" in query["sql"] for query in queries.captured_queries)


def test_profile_address_still_works(member_client):
    profile = make_profile(display_name="Rosa")

    response = member_client.get(profile.get_absolute_url())

    assert response.status_code == 200
