"""Hostile input to the members' forms: profile, email preferences, "mark as read",
leaving, and the organizers' role buttons (see tests/fuzzing.py)."""

import pytest

from cop_portal.mail.models import EmailPreference
from members.models import Profile, User
from members.services.profile import profile_for
from practice_library.models import Post, Reply, Tag
from tests.fuzzing import (
    FormCase,
    World,
    checkbox,
    choice,
    fuzz_form,
    moment,
    reauthenticated,
    text,
    words,
)

pytestmark = pytest.mark.django_db


def _with_profile(world: World) -> None:
    """The page makes the member's profile on the first visit, whatever is submitted."""
    profile_for(world.member)


TOPICS = words("grant writing, tenant rights", "Spanish", ",,, ,", "a, A, a ,b")

FORMS = [
    FormCase(
        "members:profile-edit",
        "member",
        {
            "display_name": words("Dana R.", "  Dana   Member  "),
            "pronouns": text(40, min_size=0),
            "organization": text(120, min_size=0),
            "role": text(120, min_size=0),
            "neighborhood": words("Hough", " slavic  village "),
            "bio": text(1000, min_size=0),
            "expertise_picked": TOPICS,
            "expertise": TOPICS,
            "interests_picked": TOPICS,
            "interests": TOPICS,
            "preferred_contact": text(200, min_size=0),
            "listed": checkbox(),
            "contact_ok": checkbox(),
        },
        watch=(Profile, Tag),
        prepare=lambda client, world: _with_profile(world),
    ),
    FormCase(
        "members:preferences",
        "member",
        {"announcements": checkbox(), "reminders": checkbox(), "replies": checkbox()},
        watch=(EmailPreference,),
    ),
    FormCase("members:replies-seen", "member", {"until": moment()}, watch=(Profile,)),
    FormCase(
        "members:delete",
        "member",
        {"posts": choice("keep", "delete"), "confirm": checkbox()},
        watch=(User, Post, Reply),
        prepare=lambda client, world: reauthenticated(client),
    ),
    FormCase(
        "members:organize-member-organizer",
        "organizer",
        {"action": choice("make", "remove")},
        kwargs=lambda world: {"user_id": world.other_member.pk},
    ),
]


@pytest.mark.parametrize("case", FORMS, ids=str)
def test_form_survives_hostile_input(case, member, other_member, organizer):
    fuzz_form(case, World(member=member, other_member=other_member, organizer=organizer))
