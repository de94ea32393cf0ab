"""Server errors the fuzz tests found in the library, each pinned by a plain test.

PostgreSQL refuses a NUL character anywhere in a query ("PostgreSQL text fields cannot
contain NUL (0x00) bytes"), so a NUL from an address was a 500 there and a quiet
"not found" on SQLite. The tests check on both that no such query is sent at all.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice_library.models import PatternKind
from tests.factories import _pattern_for_kind, make_post, make_reply, make_session

pytestmark = pytest.mark.django_db


def _no_nul_sent(queries: CaptureQueriesContext) -> bool:
    return not any("\x00" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("session", ["\x00", "a\x00b", "not a slug", "x" * 500])
def test_post_create_with_a_bad_session_in_the_address_starts_a_blank_post(member_client, session):
    pattern = _pattern_for_kind(PatternKind.DISCUSSION)

    with CaptureQueriesContext(connection) as queries:
        response = member_client.get(
            reverse("library:post-create", kwargs={"slug": pattern.slug}), {"session": session}
        )

    assert response.status_code == 200
    assert response.context["form"]["sessions"].value() in (None, [])
    assert _no_nul_sent(queries)


def test_post_create_with_a_session_in_the_address_still_links_it(member_client):
    pattern = _pattern_for_kind(PatternKind.DISCUSSION)
    session = make_session(title="Tenant organizing")

    response = member_client.get(
        reverse("library:post-create", kwargs={"slug": pattern.slug}), {"session": session.slug}
    )

    assert response.context["form"]["sessions"].value() == [session.pk]


@pytest.mark.parametrize(
    "path",
    [
        "/library/posts/%00/",
        "/library/posts/a%00b/edit/",
        "/library/posts/%00/replies/",
        "/library/posts/%00/replies/1/edit/",
        "/library/files/%00/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_codes_with_a_nul_are_not_found(member_client, path, method):
    """Post and file codes are URL-safe tokens, so their addresses take slugs only."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(member_client, method)(path)

    assert response.status_code == 404
    assert _no_nul_sent(queries)


def test_post_and_reply_addresses_still_work(member_client):
    post = make_post()
    reply = make_reply(post=post)

    assert member_client.get(post.get_absolute_url()).status_code == 200
    edit = reverse("library:reply-report", kwargs={"code": post.code, "reply_id": reply.pk})
    assert member_client.get(edit).status_code == 200


# Ids too big for any row in a multiple choice: SQLite raised OverflowError (a 500)
# where PostgreSQL finds nothing.

TOO_BIG = ["9223372036854775808", "-9223372036854775809", "9" * 30]


@pytest.mark.parametrize("pk", TOO_BIG)
def test_session_focus_refuses_ids_too_big_for_any_row(organizer_client, pk):
    session = make_session()

    response = organizer_client.post(
        reverse("library:session-focus", kwargs={"session_slug": session.slug}),
        {"activities": [pk]},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["activities"] == [f"“{pk}” is not a valid value."]
    assert not session.focus_activities.exists()


@pytest.mark.parametrize("pk", TOO_BIG)
def test_post_create_refuses_session_ids_too_big_for_any_row(member_client, pk):
    pattern = _pattern_for_kind(PatternKind.DISCUSSION)

    response = member_client.post(
        reverse("library:post-create", kwargs={"slug": pattern.slug}),
        {"title": "Notes", "sessions": [pk]},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["sessions"] == [f"“{pk}” is not a valid value."]


def test_post_edit_refuses_attachment_ids_too_big_for_any_row(member, member_client):
    post = make_post(author=member)

    response = member_client.post(
        reverse("library:post-edit", kwargs={"code": post.code}),
        {"title": "Notes", "remove_attachments": [TOO_BIG[0]]},
    )

    assert response.status_code == 400
    assert "remove_attachments" in response.context["form"].errors


def test_pattern_edit_refuses_related_ids_too_big_for_any_row(organizer_client):
    pattern = _pattern_for_kind(PatternKind.QUESTION)

    response = organizer_client.post(
        reverse("library:pattern-edit", kwargs={"slug": pattern.slug}),
        {"purpose": "Why", "invitation": "What?", "related": [TOO_BIG[0]]},
    )

    assert response.status_code == 400
    assert "related" in response.context["form"].errors


def test_multiple_choices_still_take_real_ids(organizer_client):
    session = make_session()
    pattern = _pattern_for_kind(PatternKind.QUESTION)

    response = organizer_client.post(
        reverse("library:session-focus", kwargs={"session_slug": session.slug}),
        {"activities": [str(pattern.pk)]},
    )

    assert response.status_code == 302
    assert list(session.focus_activities.all()) == [pattern]


def test_pattern_edit_with_a_tampered_step_shows_the_form_again(organizer_client):
    """A step form posted as saved but naming no step has no minutes: summing the saved
    minutes for the page's heading was a 500 (TypeError)."""
    pattern = _pattern_for_kind(PatternKind.QUESTION)
    data = {
        "purpose": "Why",
        "invitation": "What?",
        "brief-TOTAL_FORMS": "1",
        "brief-INITIAL_FORMS": "1",
        "brief-0-text": "A step without its id",
        "in_depth-TOTAL_FORMS": "0",
        "in_depth-INITIAL_FORMS": "0",
    }

    response = organizer_client.post(
        reverse("library:pattern-edit", kwargs={"slug": pattern.slug}), data
    )

    assert response.status_code == 400
    assert response.context["brief"].forms[0].errors["minutes"] == [
        "How many minutes does this step take?"
    ]
