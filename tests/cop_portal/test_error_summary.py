"""Every form that includes includes/form_errors.html comes back with the same error summary
(the GOV.UK pattern): "There is a problem", each message linked to a field that is on the page,
ready to take the focus (tabindex="-1", data-error-summary for static/js/error-summary.js)."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_post, make_session, make_user

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(
    r'<div class="error-summary" tabindex="-1" data-error-summary>(.*?)</ul>', re.S
)


def _summaries(page: str) -> list[str]:
    return SUMMARY.findall(page)


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def _assert_summary_links_its_fields(page: str) -> list[str]:
    """The summary's messages; each link goes to an element on the page that takes the focus."""
    (summary,) = _summaries(page)
    assert "There is a problem" in summary
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert items, "an empty summary"
    for target in re.findall(r'<a href="#([^"]+)">', summary):
        assert target in _ids(page), f"the summary links to #{target}, which isn't on the page"
        assert re.search(rf'<(?:input|select|textarea)\b[^>]*\sid="{re.escape(target)}"', page)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sessions_list_with_a_bad_filter_links_the_filter(client):
    response = client.get(reverse("sessions:session-list") + "?format=banana")

    messages = _assert_summary_links_its_fields(response.content.decode())

    assert response.status_code == 400
    assert messages == ["“banana” is not one of the choices. Pick one from the list."]
    assert 'href="#id_format"' in response.content.decode()


def test_new_session_with_errors_links_each_field(organizer_client):
    response = organizer_client.post(reverse("sessions:session-create"), {"title": ""})

    messages = _assert_summary_links_its_fields(response.content.decode())

    assert response.status_code == 400
    assert len(messages) >= 2


def test_new_venue_with_errors_links_each_field(organizer_client):
    response = organizer_client.post(reverse("sessions:venue-create"), {"name": ""})

    _assert_summary_links_its_fields(response.content.decode())


def test_cancelling_a_session_without_a_reason_links_the_field(organizer_client):
    session = make_session()

    response = organizer_client.post(
        reverse("sessions:session-cancel", args=[session.slug]), {"reason": ""}
    )

    page = response.content.decode()
    assert _assert_summary_links_its_fields(page) == [
        "Tell people why, so they know what to expect next."
    ]
    assert 'href="#id_reason"' in page


def test_new_post_with_errors_links_each_field(member):
    post = make_post()

    response = _as(member).post(
        reverse("library:post-create", args=[post.pattern.slug]), {"title": ""}
    )

    _assert_summary_links_its_fields(response.content.decode())


def test_a_page_without_errors_has_no_summary(client, organizer_client):
    for viewer, url in (
        (client, reverse("sessions:session-list")),
        (client, make_session().get_absolute_url()),
        (organizer_client, reverse("sessions:session-create")),
        (_as(make_user()), reverse("members:profile-edit")),
    ):
        assert _summaries(viewer.get(url).content.decode()) == []


def test_the_focus_script_is_on_every_page(client):
    page = client.get(reverse("sessions:session-list")).content.decode()

    assert re.search(r'<script src="[^"]*js/error-summary\.js" defer></script>', page)
