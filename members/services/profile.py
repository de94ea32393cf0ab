"""Writes on a member's profile.

A member's Profile row is made the first time anything needs it (`profile_for`), so
accounts created before profiles existed, or by an admin, need no back-filling.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from members.models import Profile, User
from members.search import profile_search_vector
from members.services.counts import (
    neighborhood_counts_refresh,
    topic_counts_refresh,
    topic_ids_of,
)
from members.services.language import user_language_set
from members.services.search_index import profiles_search_index_refresh
from practice_library.services.posts import tags_for_names


@dataclass(frozen=True)
class ProfileData:
    """Everything the profile form edits, already cleaned. Tags are names, not rows."""

    display_name: str
    # None keeps the account's language.
    language: str | None = None
    pronouns: str = ""
    organization: str = ""
    role: str = ""
    neighborhood: str = ""
    bio: str = ""
    expertise: Sequence[str] = ()
    interests: Sequence[str] = ()
    preferred_contact: str = ""
    listed: bool = False
    contact_ok: bool = False


def profile_for(user: User) -> Profile:
    """The member's profile, created (unlisted, empty) on first need.

    Side effects: may insert one Profile row, and its row in the search index
    (`profiles_search_refresh`).
    """
    profile, created = Profile.objects.get_or_create(user=user)
    if created:
        profiles_search_refresh(profiles=Profile.objects.filter(pk=profile.pk))
    return profile


@transaction.atomic
def profile_update(*, user: User, data: ProfileData) -> Profile:
    """Save the member's display name and profile, all or nothing.

    Side effects: updates the user's display name and language; creates the topics named in
    expertise and interests that aren't in the vocabulary yet (`tags_for_names`: one
    vocabulary with the library's, "Meetings" is an existing "meeting");
    replaces the profile's expertise and interests; refreshes what the directory search
    reads of it (`profiles_search_refresh`: the name may have changed too) and the
    stored counts of the topics and neighborhoods it had and has (`topic_counts_refresh`,
    `neighborhood_counts_refresh`).
    """
    profile = profile_for(user)
    neighborhood_before = profile.neighborhood
    if user.display_name != data.display_name:
        user.display_name = data.display_name
        user.save(update_fields=["display_name"])
    if data.language:
        user_language_set(user=user, language=data.language)
    profile.pronouns = data.pronouns
    profile.organization = data.organization
    profile.role = data.role
    profile.neighborhood = data.neighborhood
    profile.bio = data.bio
    profile.preferred_contact = data.preferred_contact
    profile.listed = data.listed
    profile.contact_ok = data.contact_ok
    profile.full_clean(exclude=["user", "code", "expertise", "interests"])
    before = topic_ids_of(user=user)
    profile.save()
    profile.expertise.set(expertise := tags_for_names(data.expertise))
    profile.interests.set(interests := tags_for_names(data.interests))
    profiles_search_refresh(profiles=Profile.objects.filter(pk=profile.pk))
    topic_counts_refresh(tag_ids=before | {tag.pk for tag in [*expertise, *interests]})
    neighborhood_counts_refresh(names={neighborhood_before, profile.neighborhood})
    return profile


def profiles_search_refresh(*, profiles: QuerySet[Profile]) -> None:
    """Recompute what the directory search reads of these profiles, in one statement
    or two however many: on PostgreSQL their stored vectors, on SQLite their rows in the
    word index (members/services/search_index.py). To call whenever their topics, words
    or account's name change.

    Side effects: updates `Profile.search_vector` (not `updated`: nothing a member
    wrote changed), or rewrites the profiles' rows in the SQLite index; on both, makes
    the directory's kept search results stale (members/kept_searches.py).
    """
    if connection.vendor == "postgresql":
        profiles.update(search_vector=profile_search_vector())
    # SQLite's word index (nothing on PostgreSQL) and, on both, the kept search results.
    profiles_search_index_refresh(profiles=profiles)


@transaction.atomic
def profile_listing_set(*, user: User, listed: bool) -> Profile:
    """List the member in the directory, or not (a new member's first choice, on the
    welcome page).

    Side effects: may create the member's profile; updates its `listed`, its row in the
    directory's search index (which holds listed members only: `profiles_search_refresh`)
    and the stored counts of its topics and neighborhood (`topic_counts_refresh`,
    `neighborhood_counts_refresh`).
    """
    profile = profile_for(user)
    if profile.listed != listed:
        profile.listed = listed
        profile.save(update_fields=["listed", "updated"])
        profiles_search_refresh(profiles=Profile.objects.filter(pk=profile.pk))
        topic_counts_refresh(tag_ids=topic_ids_of(user=user))
        neighborhood_counts_refresh(names={profile.neighborhood})
    return profile
