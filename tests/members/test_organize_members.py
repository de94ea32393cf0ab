"""The organizers' member list, the make/remove organizer buttons and the contacts CSV."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import Profile, User
from members.services.roles import organizer_set
from tests.factories import make_organizer, make_user

pytestmark = pytest.mark.django_db

LIST_URL = reverse("members:organize-members")
CSV_URL = reverse("members:organize-members-csv")


def role_url(user: User, query: str = "") -> str:
    url = reverse("members:organize-member-organizer", kwargs={"user_id": user.pk})
    return f"{url}?{query}" if query else url


def profile(user: User, **fields) -> Profile:
    return Profile.objects.create(user=user, **fields)


def organizer_names() -> list[str]:
    group = Group.objects.get(name=ORGANIZERS_GROUP)
    return sorted(group.user_set.values_list("display_name", flat=True))


def listed_names(response) -> list[str]:
    return [person.display_name for person in response.context["page"].object_list]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def message_texts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Who may open the pages


@pytest.mark.parametrize("url", [LIST_URL, CSV_URL])
def test_organize_members_pages_send_visitors_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("url", [LIST_URL, CSV_URL])
def test_organize_members_pages_refuse_members(member_client, other_member, url):
    profile(other_member, contact_ok=True)

    response = member_client.get(url)

    assert response.status_code == 403
    assert other_member.email not in response.content.decode()


def test_role_button_refuses_members(member_client, other_member):
    response = member_client.post(role_url(other_member), {"action": "make"})

    assert response.status_code == 403
    assert organizer_names() == []


def test_role_button_sends_visitors_to_log_in(client, member):
    response = client.post(role_url(member), {"action": "make"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert organizer_names() == []


def test_role_button_refuses_get(organizer_client, member):
    response = organizer_client.get(role_url(member))

    assert response.status_code == 405
    assert organizer_names() == ["Olu Organizer"]


def test_organize_subnav_links_to_members(organizer_client):
    response = organizer_client.get(reverse("sessions:organize-sessions"))

    assert f'<a href="{LIST_URL}">Members</a>' in response.content.decode()


# The list


def test_member_list_shows_every_account_with_its_details(organizer_client, organizer, member):
    profile(
        member,
        organization="Hough Block Club",
        neighborhood="Hough",
        contact_ok=True,
        listed=True,
    )
    member.date_joined = datetime(2026, 3, 2, 15, tzinfo=UTC)
    member.save()

    response = organizer_client.get(LIST_URL)

    assert response.status_code == 200
    assert listed_names(response) == ["Dana Member", "Olu Organizer"]
    body = response.content.decode()
    row = body[body.index(f'id="member-{member.pk}"') :].split("</tr>", 1)[0]
    assert f'<a href="mailto:{member.email}">{member.email}</a>' in row
    assert '<td data-label="Organization">Hough Block Club</td>' in row
    assert '<td data-label="Neighborhood">Hough</td>' in row
    assert ">Mar 2, 2026</time>" in row
    assert '<td data-label="Contact OK">Yes</td>' in row
    assert '<td data-label="Listed">Yes</td>' in row
    assert 'value="make"' in row
    organizer_row = body[body.index(f'id="member-{organizer.pk}"') :].split("</tr>", 1)[0]
    assert '<span class="badge badge--ok">Yes</span>' in organizer_row
    assert '<td data-label="Contact OK">No</td>' in organizer_row  # no profile yet
    assert "Remove organizer" not in organizer_row  # not on your own row


@pytest.mark.parametrize("q", ["river", "RIVER", "rivera@ex"])
def test_member_list_searches_name_and_email(organizer_client, q):
    make_user(display_name="Sam Rivera", email="rivera@example.org")
    make_user(display_name="Pat Lee", email="pat@example.org")

    response = organizer_client.get(LIST_URL, {"q": q})

    assert listed_names(response) == ["Sam Rivera"]


def test_member_list_search_by_email_only_part(organizer_client):
    make_user(display_name="Sam", email="sam@cleveland-land-bank.org")
    make_user(display_name="Pat", email="pat@example.org")

    response = organizer_client.get(LIST_URL, {"q": "land-bank"})

    assert listed_names(response) == ["Sam"]


def test_member_list_filters_organizers_only(organizer_client, member):
    make_organizer(display_name="Ada Organizer")

    response = organizer_client.get(LIST_URL, {"organizers": "on"})

    assert listed_names(response) == ["Ada Organizer", "Olu Organizer"]


def test_member_list_filters_contact_ok_only(organizer_client, member, other_member):
    profile(member, contact_ok=True)
    profile(other_member, contact_ok=False)

    response = organizer_client.get(LIST_URL, {"contact_ok": "on"})

    assert listed_names(response) == ["Dana Member"]


def test_member_list_combines_search_and_filters(organizer_client):
    profile(make_organizer(display_name="Ada Hough"), contact_ok=True)
    profile(make_organizer(display_name="Bea Hough"), contact_ok=False)
    profile(make_user(display_name="Cy Hough"), contact_ok=True)

    response = organizer_client.get(
        LIST_URL, {"q": "hough", "organizers": "on", "contact_ok": "on"}
    )

    assert listed_names(response) == ["Ada Hough"]


def test_member_list_says_when_nothing_matches(organizer_client):
    response = organizer_client.get(LIST_URL, {"q": "nobody-like-this"})

    assert listed_names(response) == []
    assert "No member matches." in response.content.decode()


def test_member_list_refuses_an_overlong_search(organizer_client):
    response = organizer_client.get(LIST_URL, {"q": "x" * 101})

    assert response.status_code == 400
    assert "Keep the search under 100 characters." in response.content.decode()
    assert response.context["page"] is None


def test_member_list_rows_show_roles_with_buttons_that_keep_the_search(organizer, organizer_client):
    other = make_organizer(display_name="Olga Organizer", email="olga@example.org")
    plain = make_user(display_name="Pat Plain", email="pat@example.org")
    profile(plain, organization="Hough Block Club", contact_ok=True)
    admin = make_user(display_name="Sam Admin", email="sam@example.org", is_superuser=True)
    gone = make_user(display_name="Dee Gone", email="dee@example.org", is_active=False)

    body = organizer_client.get(LIST_URL, {"q": "o", "page": 1}).content.decode()

    query = "?q=o&amp;page=1"
    assert f'action="{role_url(other)}{query}"' in body  # Remove
    assert f'action="{role_url(plain)}{query}"' in body  # Make
    assert f'action="{role_url(organizer)}' not in body  # not yourself
    assert f'action="{role_url(admin)}' not in body  # organizes as site admin
    assert f'action="{role_url(gone)}' not in body  # deactivated
    forms = re.findall(r'"form--inline">\s*<input type="hidden" name="csrfmiddlewaretoken', body)
    assert len(forms) == 2
    assert "role from Olga Organizer</span>" in body
    assert '<span class="cell-note">as site admin</span>' in body
    assert '<span class="cell-note">Deactivated</span>' in body
    assert '<td data-label="Organization">Hough Block Club</td>' in body
    assert ' <span class="muted">(you)</span>' in body


def test_member_list_pages_by_fifty_keeping_the_search(organizer_client):
    User.objects.bulk_create(
        User(email=f"p{n:02}@example.org", display_name=f"Person {n:02}") for n in range(60)
    )

    first = organizer_client.get(LIST_URL, {"q": "person"})
    second = organizer_client.get(LIST_URL, {"q": "person", "page": 2})

    assert len(listed_names(first)) == 50
    assert listed_names(second) == [f"Person {n}" for n in range(50, 60)]
    assert f'href="{LIST_URL}?q=person&amp;page=2" rel="next"' in first.content.decode()


@pytest.mark.parametrize("count", [1, 500])
def test_member_list_query_count_does_not_grow(
    organizer_client, django_assert_max_num_queries, count
):
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@example.org", display_name=f"Bulk {n}") for n in range(count)
    )
    # Half have a profile, half don't: both must be free.
    Profile.objects.bulk_create(Profile(user=user, code=f"c{user.pk}") for user in users[::2])
    Group.objects.get(name=ORGANIZERS_GROUP).user_set.add(*users[::3])

    # Session, user, organizer role, open library reports (the Organize menu), count, page.
    with django_assert_max_num_queries(6):
        response = organizer_client.get(LIST_URL)

    assert len(listed_names(response)) == min(count + 1, 50)


# Making and removing organizers


def test_make_organizer_adds_the_role_and_returns_to_the_same_search(organizer_client, member):
    response = organizer_client.post(
        role_url(member, "q=dana&organizers=&page=1&evil=https://x.example"),
        {"action": "make"},
    )

    assert response.status_code == 302
    assert response.url == f"{LIST_URL}?q=dana&page=1"
    assert organizer_names() == ["Dana Member", "Olu Organizer"]
    page = organizer_client.get(response.url)
    assert message_texts(page) == ["Dana Member is now an organizer."]


def test_remove_organizer_takes_the_role_away(organizer_client):
    ada = make_organizer(display_name="Ada Organizer")

    response = organizer_client.post(role_url(ada), {"action": "remove"})

    assert response.status_code == 302
    assert response.url == LIST_URL
    assert organizer_names() == ["Olu Organizer"]
    assert message_texts(organizer_client.get(LIST_URL)) == [
        "Ada Organizer is no longer an organizer."
    ]


def test_removed_organizer_loses_access_to_the_page(organizer_client):
    ada = make_organizer(display_name="Ada Organizer")
    organizer_client.post(role_url(ada), {"action": "remove"})

    response = client_for(ada).get(LIST_URL)

    assert response.status_code == 403


def test_make_organizer_twice_changes_nothing_the_second_time(organizer_client, member):
    organizer_client.post(role_url(member), {"action": "make"}, follow=True)

    response = organizer_client.post(role_url(member), {"action": "make"}, follow=True)

    assert organizer_names() == ["Dana Member", "Olu Organizer"]
    assert message_texts(response) == ["Dana Member was already an organizer; nothing changed."]


def test_organizer_cannot_remove_their_own_role(organizer_client, organizer):
    make_organizer(display_name="Ada Organizer")

    response = organizer_client.post(role_url(organizer, "q=olu"), {"action": "remove"})

    assert response.status_code == 400
    assert organizer_names() == ["Ada Organizer", "Olu Organizer"]
    assert message_texts(response) == [
        "You can't remove your own organizer role. Ask another organizer to do it, so the "
        "CoP is never left without one by accident."
    ]
    assert listed_names(response) == ["Olu Organizer"]  # the same search, shown again


def test_last_organizer_cannot_be_removed(organizer):
    admin = User.objects.create_superuser(email="admin@example.org", display_name="Admin")

    response = client_for(admin).post(role_url(organizer), {"action": "remove"})

    assert response.status_code == 400
    assert organizer_names() == ["Olu Organizer"]
    assert message_texts(response) == [
        "Olu Organizer is the only organizer left. Make someone else an organizer first."
    ]


def test_deactivated_account_cannot_be_made_organizer(organizer_client):
    gone = make_user(display_name="Gone Member", is_active=False)

    response = organizer_client.post(role_url(gone), {"action": "make"})

    assert response.status_code == 400
    assert organizer_names() == ["Olu Organizer"]
    assert message_texts(response) == [
        "Gone Member's account is deactivated, so they can't organize. Reactivate it first."
    ]


def test_role_button_with_a_made_up_action_is_refused(organizer_client, member):
    response = organizer_client.post(role_url(member), {"action": "toggle"})

    assert response.status_code == 400
    assert organizer_names() == ["Olu Organizer"]
    assert message_texts(response) == ["Use the Make organizer or Remove organizer button."]


def test_role_button_for_an_unknown_account_is_404(organizer_client):
    response = organizer_client.post(
        reverse("members:organize-member-organizer", kwargs={"user_id": 999_999}),
        {"action": "make"},
    )

    assert response.status_code == 404
    assert organizer_names() == ["Olu Organizer"]


def test_organizer_set_counts_only_active_organizers_as_the_rest(organizer):
    make_organizer(display_name="Inactive Organizer", is_active=False)
    admin = User.objects.create_superuser(email="admin@example.org", display_name="Admin")

    with pytest.raises(ValidationError):
        organizer_set(user=organizer, by=admin, value=False)

    assert organizer_names() == ["Inactive Organizer", "Olu Organizer"]


def test_organizer_set_may_remove_an_inactive_organizer(organizer):
    gone = make_organizer(display_name="Gone Organizer", is_active=False)

    changed = organizer_set(user=gone, by=organizer, value=False)

    assert changed is True
    assert organizer_names() == ["Olu Organizer"]


# Contacts CSV


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_contacts_csv_lists_only_active_members_who_agreed(organizer_client, organizer):
    joined = datetime(2026, 3, 2, 15, tzinfo=UTC)
    profile(
        make_user(display_name="Dana Member", email="dana@example.org", date_joined=joined),
        organization="Hough Block Club",
        role="Treasurer",
        neighborhood="Hough",
        contact_ok=True,
    )
    profile(
        make_user(display_name="=HYPERLINK(1)", email="formula@example.org", date_joined=joined),
        organization="+1 Group",
        role="-lead",
        neighborhood="@home",
        contact_ok=True,
    )
    profile(make_user(display_name="Said No", email="no@example.org"), contact_ok=False)
    profile(
        make_user(display_name="Deactivated", email="off@example.org", is_active=False),
        contact_ok=True,
    )
    make_user(display_name="No Profile", email="none@example.org")

    response = organizer_client.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="cop-contacts-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert read_csv(response) == [
        ["Name", "Email", "Organization", "Role", "Neighborhood", "Joined"],
        ["'=HYPERLINK(1)", "formula@example.org", "'+1 Group", "'-lead", "'@home", "2026-03-02"],
        ["Dana Member", "dana@example.org", "Hough Block Club", "Treasurer", "Hough", "2026-03-02"],
    ]


def test_contacts_csv_with_nobody_consenting_has_only_the_header(organizer_client, member):
    profile(member, contact_ok=False)

    response = organizer_client.get(CSV_URL)

    assert read_csv(response) == [
        ["Name", "Email", "Organization", "Role", "Neighborhood", "Joined"]
    ]


@pytest.mark.parametrize("count", [1, 500])
def test_contacts_csv_query_count_does_not_grow(
    organizer_client, django_assert_max_num_queries, count
):
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@example.org", display_name=f"Bulk {n}") for n in range(count)
    )
    Profile.objects.bulk_create(
        Profile(user=user, code=f"c{user.pk}", contact_ok=True) for user in users
    )

    # Session, user, organizer role, the members with their profiles.
    with django_assert_max_num_queries(4):
        response = organizer_client.get(CSV_URL)

    assert len(read_csv(response)) == 1 + count
