import pytest
from django.db import connection
from django.urls import reverse

from members.models import User
from members.services.search_index import FTS_TABLE
from tests.directory_pages import found
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = User.objects.create_superuser(
        email="admin@example.com", password="x", display_name="Admin"
    )
    client.force_login(admin)
    return client


def test_admin_is_for_staff_only(member_client):
    response = member_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_add_a_user_by_email_in_the_admin(staff_client):
    response = staff_client.post(
        reverse("admin:members_user_add"),
        {
            "email": "New.Person@Example.org",
            "display_name": "New Person",
            "usable_password": "true",
            "password1": "a-long-admin-chosen-passphrase",
            "password2": "a-long-admin-chosen-passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.display_name == "New Person"
    assert user.check_password("a-long-admin-chosen-passphrase")


@pytest.mark.parametrize(
    "name", ["admin:members_user_changelist", "admin:sessions_app_venue_changelist"]
)
def test_admin_lists_render(staff_client, name):
    response = staff_client.get(reverse(name))

    assert response.status_code == 200
    assert "CoP Portal administration" in response.content.decode()


# The directory search's word index (SQLite) follows what is done to accounts here.


def indexed_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS_TABLE}")  # noqa: S608 - our table
        return {row[0] for row in cursor.fetchall()}


def test_admin_name_change_finds_the_member_under_the_new_name(staff_client, member_client):
    profile = make_profile(display_name="Rosa Reyes")
    data = {
        "email": profile.user.email,
        "display_name": "Rosa Gardener",
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
    }

    response = staff_client.post(reverse("admin:members_user_change", args=[profile.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert found(member_client, "gardener") == ["Rosa Gardener"]
    assert found(member_client, "reyes") == []
    if connection.vendor == "sqlite":
        # Not part of the name as typed: found by its stem, through the index.
        assert found(member_client, "gardening") == ["Rosa Gardener"]


def test_admin_deactivation_takes_the_member_out_of_kept_searches_at_once(
    staff_client, member_client
):
    profile = make_profile(display_name="Rosa Reyes", bio="Composting.")
    assert found(member_client, "compost") == ["Rosa Reyes"]  # kept for every member
    data = {
        "email": profile.user.email,
        "display_name": "Rosa Reyes",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
    }  # "is_active" unticked

    response = staff_client.post(reverse("admin:members_user_change", args=[profile.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    body = member_client.get(reverse("members:directory"), {"q": "compost"}).content.decode()
    assert found(member_client, "compost") == []
    assert "<strong>1</strong>" not in body


def test_admin_deletion_drops_only_that_members_row(staff_client, member_client):
    leaving = make_profile(display_name="Lena Leaving", bio="Composting.")
    staying = make_profile(display_name="Sam Staying", bio="Composting.")
    leaving_id = leaving.user_id

    response = staff_client.post(
        reverse("admin:members_user_delete", args=[leaving_id]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk=leaving_id).exists()
    assert found(member_client, "compost") == ["Sam Staying"]
    if connection.vendor == "sqlite":
        assert leaving_id not in indexed_ids()
        assert staying.user_id in indexed_ids()


def test_admin_deletion_of_several_drops_only_their_rows(staff_client, member_client):
    leaving = [make_profile(display_name=f"Lena {n}", bio="Composting.") for n in range(2)]
    staying = make_profile(display_name="Sam Staying", bio="Composting.")
    leaving_ids = [profile.user_id for profile in leaving]

    response = staff_client.post(
        reverse("admin:members_user_changelist"),
        {"action": "delete_selected", "_selected_action": leaving_ids, "post": "yes"},
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk__in=leaving_ids).exists()
    assert found(member_client, "compost") == ["Sam Staying"]
    if connection.vendor == "sqlite":
        assert indexed_ids().isdisjoint(leaving_ids)
        assert staying.user_id in indexed_ids()
