"""The directory's cards as every member sees them (written per request by
{% member_card %}; they were once kept in the fragments cache): two members read the
directory, a profile changes, and each sees the change on their next request."""

import pytest
from django.test import Client
from django.urls import reverse

from members.services.profile import ProfileData, profile_listing_set, profile_update
from practice_library.models import Tag
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("members:directory")


@pytest.fixture
def viewers(member, other_member) -> dict[str, Client]:
    """Two members, each with their own browser, both listed."""
    make_profile(user=member, organization="Dana's org")
    make_profile(user=other_member, organization="Omar's org")
    clients = {"member": Client(), "other": Client()}
    clients["member"].force_login(member)
    clients["other"].force_login(other_member)
    return clients


@pytest.fixture
def tanya():
    return make_profile(
        display_name="Tanya Brooks", organization="Buckeye Tenants Union", expertise=["tenants"]
    )


def pages(viewers: dict[str, Client]) -> dict[str, str]:
    return {name: client.get(DIRECTORY_URL).content.decode() for name, client in viewers.items()}


def tanya_data(**changes) -> ProfileData:
    data = {
        "display_name": "Tanya Brooks",
        "organization": "Buckeye Tenants Union",
        "expertise": ["tenants"],
        "listed": True,
    }
    return ProfileData(**(data | changes))


def test_directory_cards_show_a_new_name_to_every_member_at_once(viewers, tanya):
    before = pages(viewers)

    profile_update(user=tanya.user, data=tanya_data(display_name="Tanya Brooks-Hall"))

    after = pages(viewers)
    assert all("Tanya Brooks</a>" in page for page in before.values())
    assert all("Tanya Brooks-Hall</a>" in page for page in after.values())
    assert all("Tanya Brooks</a>" not in page for page in after.values())


def test_directory_cards_show_new_expertise_to_every_member_at_once(viewers, tanya):
    pages(viewers)

    profile_update(user=tanya.user, data=tanya_data(expertise=["tenants", "eviction defense"]))

    after = pages(viewers)
    assert all(">eviction defense</a>" in page for page in after.values())


def test_directory_cards_show_a_renamed_topic_at_once(viewers, tanya):
    pages(viewers)

    Tag.objects.filter(name="tenants").update(name="tenant organizing")
    Tag.objects.get(name="tenant organizing").save()  # as the library's services write

    after = pages(viewers)
    assert all(">tenant organizing</a>" in page for page in after.values())


def test_directory_cards_leave_out_a_member_who_unlists_at_once(viewers, tanya):
    before = pages(viewers)

    profile_listing_set(user=tanya.user, listed=False)

    after = pages(viewers)
    assert all("Tanya Brooks" in page for page in before.values())
    assert all("Tanya Brooks" not in page for page in after.values())


def test_directory_cards_show_each_member_once_to_both(viewers):
    page = pages(viewers)

    for text in (page["member"], page["other"]):
        assert text.count("Dana&#x27;s org") == 1
        assert text.count("Omar&#x27;s org") == 1


def test_directory_sends_a_visitor_to_log_in():
    response = Client().get(DIRECTORY_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_directory_cards_show_a_new_organization_to_every_member_at_once(viewers, tanya):
    # Profiles are not in the content version: only the card's key (the profile's
    # `updated`) makes this one show.
    pages(viewers)

    profile_update(user=tanya.user, data=tanya_data(organization="Cleveland Tenants Org"))

    after = pages(viewers)
    assert all("Cleveland Tenants Org" in page for page in after.values())
    assert all("Buckeye Tenants Union" not in page for page in after.values())
