"""Home and About render for every role with the shared layout."""

import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "about", "account_reset_password"]
ENTRANCE_PAGES = ["account_login", "account_signup", "account_request_login_code"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_render_in_the_site_layout(any_client, name):
    response = any_client.get(reverse(name))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in body
    assert '<main id="main"' in body
    assert '<nav class="site-nav" aria-label="Main">' in body
    assert "Midtown/Hough" in body  # footer


@pytest.mark.parametrize("name", ENTRANCE_PAGES)
def test_entrance_pages_render_for_visitors_in_the_site_layout(client, name):
    response = client.get(reverse(name))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<main id="main" tabindex="-1" class="wrap site-main entrance">' in body
    assert 'class="form"' in body


@pytest.mark.parametrize("name", ["account_login", "account_signup"])
def test_entrance_pages_send_signed_in_members_home(member_client, name):
    response = member_client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_home_invites_visitors_to_sign_up(client):
    body = client.get(reverse("home")).content.decode()

    assert "An invitation, not an obligation." in body
    assert f'href="{reverse("account_signup")}"' in body
    assert f'href="{reverse("account_login")}"' in body


def test_home_greets_a_member_by_name_in_the_account_menu(member_client, member):
    body = member_client.get(reverse("home")).content.decode()

    assert member.display_name in body
    assert f'action="{reverse("account_logout")}"' in body
    assert f'href="{reverse("account_signup")}"' not in body


def test_about_tells_the_story_and_the_eleven_activities(client):
    response = client.get(reverse("about"))

    body = response.content.decode()
    for fact in ["Agora building", "spring 2020", "every week", "Midtown/Hough", "monthly"]:
        assert fact in body
    for name in ["Jean Lave", "Etienne Wenger", "apprenticeship"]:
        assert name in body
    activities = [
        "Problem solving",
        "Requests for information",
        "Seeking experience",
        "Reusing assets",
        "Coordination and synergy",
        "Building an argument",
        "Growing confidence",
        "Discussing new developments",
        "Documenting projects",
        "Visits",
        "Identifying gaps in competence",
    ]
    for activity in activities:
        assert f"<strong>{activity}.</strong>" in body


def test_about_says_what_is_counted_and_why(client):
    body = client.get(reverse("about")).content.decode()

    assert '<h2 id="what-we-count">What we count, and why</h2>' in body
    for fact in [
        "who came to each session and how many",
        "planning rooms and seats that fit",
        "telling the organizations that fund the CoP how many community builders it reaches",
        "Only organizers see names.",
        "coming is still an invitation, not an obligation",
    ]:
        assert fact in body, fact


@pytest.mark.parametrize(
    ("who", "sees_organize"), [("visitor", False), ("member", False), ("organizer", True)]
)
def test_only_organizers_see_the_organize_menu(client, member, organizer, who, sees_organize):
    if who != "visitor":
        client.force_login(member if who == "member" else organizer)

    body = client.get(reverse("home")).content.decode()

    assert ("<summary>Organize</summary>" in body) is sees_organize
    assert (f'href="{reverse("sessions:venue-list")}"' in body) is sees_organize


def test_admin_link_only_for_staff_organizers(client, organizer):
    organizer.is_staff = True
    organizer.save()
    client.force_login(organizer)

    body = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("admin:index")}"' in body


@pytest.mark.parametrize(("name", "own_queries"), [("home", 1), ("about", 0)])
def test_site_pages_query_count(
    client, django_assert_max_num_queries, organizer, name, own_queries
):
    with django_assert_max_num_queries(own_queries):  # home: the upcoming sessions
        client.get(reverse(name))

    client.force_login(organizer)
    # session, user, organizer role, open library reports (the Organize menu's count)
    with django_assert_max_num_queries(own_queries + 4):
        client.get(reverse(name))


def test_pages_do_not_accept_posts(client):
    response = client.post(reverse("home"))

    assert response.status_code == 405


def test_unverified_member_sees_their_name(client):
    user = make_user(display_name="Quinn", verified=False)
    client.force_login(user)

    assert "Quinn" in client.get(reverse("about")).content.decode()
