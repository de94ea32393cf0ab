"""The reference data set that benchmarks run against: `seed_demo --scale N`.

At scale 1: 1,000 sessions over ten years (ending about a year ahead), 5,000 members
with profiles, 50,000 RSVPs, 5,000 library posts with 20,000 replies. Each app makes
its own rows (`<app>/reference_data.py`); this module puts them together in the order
their links need, in one transaction, so a failed run leaves nothing behind.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from members.reference_data import reference_members, spanish_members
from practice_library.reference_data import (
    reference_focus_activities,
    reference_posts,
    reference_tags,
)
from sessions_app.models.session import local_zone
from sessions_app.reference_data import (
    reference_rsvps,
    reference_sessions,
    reference_sessions_exist,
    reference_venues,
)

SESSIONS = 1_000
MEMBERS = 5_000
RSVPS = 50_000
POSTS = 5_000
REPLIES = 20_000
# One post gets one in BUSIEST_POST_SHARE of all the replies: a long thread to measure.
BUSIEST_POST_SHARE = 100


@dataclass(frozen=True)
class ReferenceCounts:
    sessions: int
    members: int
    rsvps: int
    posts: int
    replies: int


def reference_data_exists() -> bool:
    """Whether a reference set was loaded already (at whatever scale)."""
    return reference_sessions_exist()


@transaction.atomic
def seed_reference_data(*, scale: float, today: date | None = None) -> ReferenceCounts:
    """Write the reference set at `scale` (0.1 is a tenth of every count, 10 ten times).

    Call it once per database: the rows are written in bulk, with no check for ones
    already there (see `reference_data_exists`). Side effects: none beyond the rows;
    no email is sent and no service runs.
    """
    now = timezone.now()
    today = today or timezone.localdate(now, local_zone())
    counts = {
        name: round(base * scale)
        for name, base in {
            "sessions": SESSIONS,
            "members": MEMBERS,
            "rsvps": RSVPS,
            "posts": POSTS,
            "replies": REPLIES,
        }.items()
    }
    members = reference_members(count=counts["members"], tags=reference_tags(), now=now)
    sessions = reference_sessions(count=counts["sessions"], venues=reference_venues(), today=today)
    rsvps = reference_rsvps(
        sessions=sessions,
        members=members,
        count=counts["rsvps"],
        now=now,
        spanish_members=spanish_members(),
    )
    public = [session for session in sessions if not session.is_draft]
    reference_focus_activities(sessions=public)
    posts = []
    if members:  # posts need authors
        posts = reference_posts(
            count=counts["posts"],
            replies=counts["replies"],
            authors=members,
            sessions=public,
            busiest=counts["replies"] // BUSIEST_POST_SHARE,
        )
    return ReferenceCounts(
        sessions=len(sessions),
        members=len(members),
        rsvps=rsvps,
        posts=len(posts),
        replies=counts["replies"] if posts else 0,
    )
