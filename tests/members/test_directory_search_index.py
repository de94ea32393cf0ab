"""What the directory search reads stays true (issue 19): on SQLite the word index
(members/services/search_index.py), on PostgreSQL the stored vectors, through profile
edits, name changes, unlisting, account deletion and a recount after bulk rows."""

import pytest
from django.core.management import call_command
from django.db import connection

from members.models import Profile, User
from members.services.account import account_delete
from members.services.counts import counts_recount
from members.services.profile import ProfileData, profile_listing_set, profile_update
from members.services.search_index import FTS_TABLE, search_index_prune
from tests.directory_pages import found
from tests.factories import make_profile, make_user

pytestmark = pytest.mark.django_db


def edit(profile: Profile, **changes: object) -> None:
    """Save the profile through the service the profile page uses."""
    data = {
        "display_name": profile.user.display_name,
        "organization": profile.organization,
        "role": profile.role,
        "bio": profile.bio,
        "listed": profile.listed,
        **changes,
    }
    profile_update(user=profile.user, data=ProfileData(**data))


def indexed_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS_TABLE}")  # noqa: S608 - our table
        return {row[0] for row in cursor.fetchall()}


sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="the word index is SQLite's"
)


def test_index_follows_a_profile_edit(member_client):
    profile = make_profile(display_name="Rosa Reyes", bio="I run the tool library.")
    assert found(member_client, "tools") == ["Rosa Reyes"]

    edit(profile, bio="I teach composting.", organization="Slavic Village Gardeners")

    assert found(member_client, "tools") == []
    assert found(member_client, "compost") == ["Rosa Reyes"]
    assert found(member_client, "gardening") == ["Rosa Reyes"]


@sqlite_only
def test_index_follows_a_name_change(member_client):
    profile = make_profile(display_name="Rosa Reyes")

    edit(profile, display_name="Rosa Gardener")

    # "gardening" is not part of the name as typed: found by its stem, through the index.
    assert found(member_client, "gardening") == ["Rosa Gardener"]
    assert found(member_client, "reyes") == []


def test_name_change_shows_at_once(member_client):
    profile = make_profile(display_name="Rosa Reyes")

    edit(profile, display_name="Rosa Gardener")

    assert found(member_client, "gardener") == ["Rosa Gardener"]
    assert found(member_client, "reyes") == []


def test_unlisting_takes_a_member_out_of_the_search_at_once(member_client):
    profile = make_profile(display_name="Rosa Reyes", bio="Composting since 2010.")

    profile_listing_set(user=profile.user, listed=False)

    assert found(member_client, "compost") == []

    profile_listing_set(user=profile.user, listed=True)

    assert found(member_client, "compost") == ["Rosa Reyes"]


def test_a_new_profile_is_indexed_when_it_is_made(member_client):
    user = make_user(display_name="Teodoro Novak")

    profile_listing_set(user=user, listed=True)  # makes the profile

    assert found(member_client, "teodoro") == ["Teodoro Novak"]
    if connection.vendor == "sqlite":
        assert user.pk in indexed_ids()


@sqlite_only
def test_account_deletion_drops_only_that_members_row(member_client):
    leaving = make_profile(display_name="Lena Leaving", bio="Composting.")
    staying = make_profile(display_name="Sam Staying", bio="Composting.")
    leaving_id = leaving.user_id

    account_delete(user=leaving.user, keep_posts=True)

    assert leaving_id not in indexed_ids()
    assert staying.user_id in indexed_ids()
    assert found(member_client, "compost") == ["Sam Staying"]


def test_deleted_account_is_never_found(member_client):
    leaving = make_profile(display_name="Lena Leaving", bio="Composting.")

    account_delete(user=leaving.user, keep_posts=False)

    assert found(member_client, "compost") == []
    assert found(member_client, "lena") == []


def test_recount_indexes_profiles_written_around_the_services(member_client):
    user = User.objects.create(email="bulk@example.com", display_name="Bo Bulk")
    Profile.objects.bulk_create([Profile(user=user, listed=True, bio="Beekeeping on roofs.")])

    counts_recount()

    assert found(member_client, "beekeepers") == ["Bo Bulk"]


@sqlite_only
def test_prune_drops_rows_of_profiles_gone_around_the_services(member_client):
    gone = make_profile(display_name="Gone Member", bio="Composting.")
    kept = make_profile(display_name="Kept Member", bio="Composting.")
    # Deleted without the account service, as a flush or a hand edit would.
    User.objects.filter(pk=gone.user_id).delete()

    assert search_index_prune() == 1
    assert indexed_ids() >= {kept.user_id}
    assert gone.user_id not in indexed_ids()
    assert search_index_prune() == 0


@sqlite_only
def test_index_matches_word_starts_without_accents_or_case(member_client):
    make_profile(display_name="Lucía Vega", organization="Asociación de Vecinos")

    assert found(member_client, "asociacion") == ["Lucía Vega"]
    assert found(member_client, "VECINO") == ["Lucía Vega"]
    assert found(member_client, "ciacion") == []  # the start of a word, not its middle


def test_recount_command_rebuilds_the_index(member_client):
    user = User.objects.create(email="bulk@example.com", display_name="Bo Bulk")
    Profile.objects.bulk_create([Profile(user=user, listed=True, role="Beekeeper")])

    call_command("recount")

    assert found(member_client, "beekeeping") == ["Bo Bulk"]
