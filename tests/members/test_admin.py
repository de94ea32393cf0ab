import pytest
from django.urls import reverse

from members.models import User

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
