"""Hostile query strings (and feed request headers) on the sessions pages that read them:
the list filters, the calendar's month picker, the public feed (see tests/fuzzing.py)."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import (
    HOSTILE,
    HOSTILE_DATETIME,
    HOSTILE_TEXT,
    PAGE,
    Field,
    FilterCase,
    World,
    assert_handled,
    choice,
    examples,
    fuzz_filters,
    rolled_back,
)

pytestmark = pytest.mark.django_db

SESSION_FILTERS = {
    "time_of_day": choice("evening", "daytime"),
    "format": choice("brief", "in-depth"),
    "attendance_mode": choice("in-person", "online", "hybrid"),
}
MONTH = Field(
    st.sampled_from(["2026-12", "2026-1", "2000-01", "2100-12"]),
    st.one_of(
        st.sampled_from(["2026-13", "1999-12", "2101-01", "9999-99", "0000-00", "2026-00"]),
        HOSTILE,
    ),
)
# Months or days; reversed, far apart or far off ones are refused with a 400.
RANGE_END = Field(
    st.sampled_from(["2026-12", "2024-01", "2026-02-28", "2016-01", "2100-12", ""]),
    st.one_of(st.sampled_from(["2026-13", "1999-12", "2026-02-30", "2026-1", "0000-00"]), HOSTILE),
)
STATISTICS_RANGE = {"from": RANGE_END, "to": RANGE_END}

FILTERS = [
    FilterCase("sessions:session-list", "visitor", {**SESSION_FILTERS, "page": PAGE}),
    FilterCase("sessions:session-past", "visitor", {**SESSION_FILTERS, "page": PAGE}),
    FilterCase("sessions:calendar", "visitor", {**SESSION_FILTERS, "month": MONTH}),
    FilterCase(
        "sessions:calendar-month",
        "visitor",
        SESSION_FILTERS,
        kwargs=lambda world: {"year": 2026, "month": 12},
    ),
    FilterCase("sessions:feed-ics", "visitor", SESSION_FILTERS),
    FilterCase("sessions:organize-sessions", "organizer", {"page": PAGE}),
    FilterCase("sessions:statistics", "organizer", STATISTICS_RANGE),
    FilterCase("sessions:statistics-summary", "organizer", STATISTICS_RANGE),
    FilterCase(
        "sessions:session-check-in",
        "organizer",
        {"q": Field(st.sampled_from(["Dana", "dana@example.org", "Guest", ""]), HOSTILE)},
        kwargs=lambda world: {"slug": world.session.slug},
    ),
    FilterCase(
        "sessions:series-preview",
        "organizer",
        {"until": RANGE_END},
        kwargs=lambda world: {"slug": world.series.slug},
    ),
]


@pytest.mark.parametrize("case", FILTERS, ids=str)
def test_page_survives_hostile_query_strings(case, member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)
    world.session  # noqa: B018 - something to list

    fuzz_filters(case, world)


HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_IF_MODIFIED_SINCE": st.one_of(
            st.sampled_from(["Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"]),
            HOSTILE_DATETIME,
            HOSTILE_TEXT,
        ),
        "HTTP_IF_NONE_MATCH": st.one_of(
            st.sampled_from(['"abc"', "*", 'W/"x", "y"']), HOSTILE_TEXT
        ),
        # Servers refuse control characters in headers (gunicorn answers 400 itself), so
        # the app never sees them: printable text only, long and strange.
        "HTTP_USER_AGENT": st.one_of(
            st.sampled_from(["Thunderbird/115.0", "x" * 5000, "' OR '1'='1"]),
            st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=300),
        ),
    },
)


def test_feeds_survive_hostile_request_headers(member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)
    urls = [
        reverse("sessions:feed-ics"),
        reverse("sessions:personal-feed", kwargs={"key": world.feed_key}),
        reverse("sessions:session-ics", kwargs={"slug": world.session.slug}),
        reverse("sessions:feed-atom"),
    ]

    @examples(40)
    @given(url=st.sampled_from(urls), headers=HEADERS)
    def fetch(url, headers):
        with rolled_back():
            response = Client().get(url, **headers)
            assert_handled(response)

    fetch()
