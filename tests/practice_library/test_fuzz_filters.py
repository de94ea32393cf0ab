"""Hostile query strings on the library pages that read them: search, an activity's
question filter, tag pages, and a new post's session link (see tests/fuzzing.py)."""

import pytest

from practice_library.models import PatternKind
from tests.fuzzing import PAGE, FilterCase, World, choice, fuzz_filters, words

pytestmark = pytest.mark.django_db

SEARCH = {
    "q": words(
        "volunteers",
        '"keep volunteers"',
        "grants or youth -money",
        "a:* & !b | (c <-> d)",
        "'",
        "!!!",
        "the",
    ),
    "pattern": words("problem-solving", "visits"),
    "tag": words("grants", "no-such-tag", "Not A Slug"),
    "page": PAGE,
}

FILTERS = [
    FilterCase("library:search", "visitor", SEARCH),
    FilterCase("library:search", "member", SEARCH),
    FilterCase(
        "library:pattern-detail",
        "visitor",
        {"status": choice("open", "answered"), "page": PAGE},
        kwargs=lambda world: {"slug": world.pattern(PatternKind.QUESTION).slug},
    ),
    FilterCase(
        "library:tag-detail", "visitor", {"page": PAGE}, kwargs=lambda world: {"slug": "grants"}
    ),
    FilterCase(
        "library:post-create",
        "member",
        {"session": words("session-1", "x" * 200)},
        kwargs=lambda world: {"slug": world.pattern(PatternKind.DISCUSSION).slug},
    ),
]


@pytest.mark.parametrize("case", FILTERS, ids=str)
def test_page_survives_hostile_query_strings(case, member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)
    world.own_question  # noqa: B018 - a post (tagged "grants") to find
    world.answer  # noqa: B018

    fuzz_filters(case, world)
