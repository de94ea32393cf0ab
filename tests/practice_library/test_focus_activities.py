"""The organizer page that sets a session's focus activities."""

import pytest
from django.urls import reverse

from practice_library.models import ActivityPattern
from sessions_app.models import SessionStatus
from tests.factories import make_session

pytestmark = pytest.mark.django_db


def focus_url(session) -> str:
    return reverse("library:session-focus", kwargs={"session_slug": session.slug})


def pks(*slugs: str) -> list[str]:
    return [str(ActivityPattern.objects.get(slug=slug).pk) for slug in slugs]


def focus_slugs(session) -> list[str]:
    return list(session.focus_activities.order_by("position").values_list("slug", flat=True))


def test_focus_sends_visitors_to_log_in(client):
    session = make_session()

    response = client.get(focus_url(session))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_focus_is_forbidden_to_members(member_client):
    session = make_session()

    assert member_client.get(focus_url(session)).status_code == 403
    response = member_client.post(focus_url(session), {"activities": pks("visits")})

    assert response.status_code == 403
    assert focus_slugs(session) == []


def test_focus_unknown_session_is_404(organizer_client):
    response = organizer_client.get(
        reverse("library:session-focus", kwargs={"session_slug": "no-such-session"})
    )

    assert response.status_code == 404


def test_focus_page_shows_the_eleven_with_current_choice_ticked(organizer_client):
    session = make_session(title="Spring planning", status=SessionStatus.DRAFT)
    visits = ActivityPattern.objects.get(slug="visits")
    visits.sessions.add(session)

    response = organizer_client.get(focus_url(session))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Spring planning" in body
    assert body.count('name="activities"') == 11
    assert f'name="activities" value="{visits.pk}" id="id_activities_9" checked' in body
    assert body.count(" checked") == 1


def test_focus_sets_the_activities(organizer_client):
    session = make_session()

    response = organizer_client.post(
        focus_url(session), {"activities": pks("problem-solving", "documenting-projects")}
    )

    assert response.status_code == 302
    assert response.url == session.get_absolute_url()
    assert focus_slugs(session) == ["problem-solving", "documenting-projects"]
    page = organizer_client.get(response.url)
    messages = [str(m) for m in page.context["messages"]]
    assert messages == ["Focus activities saved: Problem solving, Documenting projects."]


def test_focus_clears_the_activities(organizer_client):
    session = make_session()
    ActivityPattern.objects.get(slug="visits").sessions.add(session)

    response = organizer_client.post(focus_url(session), {})

    assert response.status_code == 302
    assert focus_slugs(session) == []


def test_focus_unknown_activity_is_400_and_changes_nothing(organizer_client):
    session = make_session()
    ActivityPattern.objects.get(slug="visits").sessions.add(session)

    response = organizer_client.post(focus_url(session), {"activities": ["999999"]})

    assert response.status_code == 400
    assert "Pick activities from the list." in response.content.decode()
    assert focus_slugs(session) == ["visits"]


def test_focus_activities_show_on_the_activity_page(client, organizer_client):
    session = make_session(title="Walking the gardens")

    organizer_client.post(focus_url(session), {"activities": pks("visits")})

    body = client.get(reverse("library:pattern-detail", kwargs={"slug": "visits"})).content
    assert f'<a href="{session.get_absolute_url()}">Walking the gardens</a>' in body.decode()
