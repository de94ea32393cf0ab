"""reverse_slug gives exactly what reverse() gives, only faster."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.urls.base import get_script_prefix

from cop_portal.lib.urls import reverse_slug
from tests.factories import make_post, make_session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["a", "2026-12-01-cop-conversation", "slug-mark", "A_b-9"])
def test_reverse_slug_matches_reverse(slug):
    assert reverse_slug("sessions:session-detail", slug) == reverse(
        "sessions:session-detail", kwargs={"slug": slug}
    )
    assert reverse_slug("library:post-detail", slug, kwarg="code") == reverse(
        "library:post-detail", kwargs={"code": slug}
    )


def test_reverse_slug_follows_the_script_prefix():
    before = get_script_prefix()
    try:
        set_script_prefix("/cop/")
        assert reverse_slug("sessions:session-detail", "x") == "/cop/sessions/x/"
    finally:
        set_script_prefix(before)

    assert reverse_slug("sessions:session-detail", "x") == "/sessions/x/"


def test_reverse_slug_leaves_what_is_not_a_slug_to_reverse():
    with pytest.raises(NoReverseMatch):
        reverse_slug("sessions:session-detail", "a/b")


def test_sessions_and_posts_link_to_their_pages(client):
    session = make_session(slug="block-club-basics")
    post = make_post()

    assert session.get_absolute_url() == "/sessions/block-club-basics/"
    assert client.get(session.get_absolute_url()).status_code == 200
    assert client.get(post.get_absolute_url()).status_code == 200
