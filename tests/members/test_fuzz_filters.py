"""Hostile query strings on the members' lists: the directory and its filters, the gaps
page, the organizers' member list (see tests/fuzzing.py)."""

import pytest

from tests.factories import make_profile
from tests.fuzzing import PAGE, FilterCase, World, checkbox, fuzz_filters, words

pytestmark = pytest.mark.django_db

FILTERS = [
    FilterCase(
        "members:directory",
        "member",
        {
            "q": words("grant", "Dana", "%", "_"),
            "expertise": words("grant-writing", "Grant Writing"),
            "interest": words("tenant-rights"),
            "neighborhood": words("Hough", " hough ", "Slavic  Village"),
            "page": PAGE,
        },
    ),
    FilterCase("members:gaps", "member", {"page": PAGE}),
    FilterCase(
        "members:organize-members",
        "organizer",
        {
            "q": words("dana", "@example.com", "%", "_"),
            "organizers": checkbox(),
            "contact_ok": checkbox(),
            "page": PAGE,
        },
    ),
]


@pytest.mark.parametrize("case", FILTERS, ids=str)
def test_page_survives_hostile_query_strings(case, member, other_member, organizer):
    make_profile(user=other_member, expertise=["Grant writing"], neighborhood="Hough")

    fuzz_filters(case, World(member=member, other_member=other_member, organizer=organizer))
