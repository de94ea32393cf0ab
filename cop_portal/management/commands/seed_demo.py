import math
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cop_portal.counts import recount
from cop_portal.lib.content_version import content_changed
from cop_portal.lib.db_stats import refresh_planner_statistics
from cop_portal.reference_data import (
    MEMBERS,
    POSTS,
    REPLIES,
    RSVPS,
    SESSIONS,
    reference_data_exists,
    seed_reference_data,
)
from members.demo import (
    DEMO_ORGANIZER_EMAIL,
    DEMO_ORGANIZER_PASSWORD,
    seed_members,
    seed_organizer,
)
from practice_library.demo import seed_posts
from sessions_app.demo import seed_series, seed_venues


class Command(BaseCommand):
    help = (
        "Load demo data: an organizer account, demo members with profiles, the CoP's venues, "
        "its monthly series with RSVPs, and a handful of library posts. "
        "Safe to run again: existing rows are left as they are. With --scale N, also a "
        f"reference data set for benchmarks: N x ({SESSIONS:,} sessions over ten years, "
        f"{MEMBERS:,} members, {RSVPS:,} RSVPs, {POSTS:,} posts with {REPLIES:,} replies)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo organizer's password is public.",
        )
        parser.add_argument(
            "--scale",
            help="Also load the reference data set, N times its size (a number >= 0, "
            "e.g. 0.1 or 10). Loaded once per database; later runs leave it alone.",
        )

    def handle(
        self, *args: Any, force: bool = False, scale: str | float | None = None, **options: Any
    ) -> None:
        factor = _parse_scale(scale) if scale is not None else None
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this may be a production database. The demo organizer's "
                "password is public; pass --force if you really want demo data here."
            )
        # The default language's columns (slugs, `title`) are written the same whatever
        # language happens to be active; the Spanish texts go in by their own names.
        with translation.override(settings.LANGUAGE_CODE):
            self._seed(factor)

    def _seed(self, factor: float | None) -> None:
        venues = seed_venues()
        seed_organizer()
        members = seed_members()
        series = seed_series()
        posts = seed_posts()
        self.stdout.write(f"Venues: {', '.join(str(venue) for venue in venues)}")
        if series is not None:
            count = series.sessions.count()
            self.stdout.write(f"Series: {series.title}, with {count} sessions")
        if members:
            self.stdout.write(f"Members: {len(members)} demo members")
        if posts:
            self.stdout.write(f"Library: {len(posts)} posts")
        if factor:  # --scale 0 is the demo data alone
            self._seed_reference(factor)
        recount()  # bulk_create goes around the services that keep the stored counts
        content_changed()  # much of it went in with bulk_create, which sends no signals
        refresh_planner_statistics()  # the tables just grew, maybe a thousandfold
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organizer: {DEMO_ORGANIZER_EMAIL} / password {DEMO_ORGANIZER_PASSWORD}"
            )
        )

    def _seed_reference(self, scale: float) -> None:
        if reference_data_exists():
            self.stdout.write(
                "Reference data: already loaded, left as it is "
                "(to load another scale, start from an empty database)."
            )
            return
        started = time.perf_counter()
        counts = seed_reference_data(scale=scale)
        self.stdout.write(
            f"Reference data (scale {scale:g}): {counts.sessions:,} sessions, "
            f"{counts.members:,} members, {counts.rsvps:,} RSVPs, {counts.posts:,} posts, "
            f"{counts.replies:,} replies, in {time.perf_counter() - started:.1f} s"
        )


def _parse_scale(text: str | float) -> float:
    """A finite number >= 0; anything else stops the command before it writes a row."""
    try:
        scale = float(text)
    except ValueError:
        raise CommandError(f"--scale takes a number such as 0.1, 1 or 10, not {text!r}.") from None
    if not math.isfinite(scale) or scale < 0:
        raise CommandError(f"--scale must be a number of 0 or more, not {text!r}.")
    return scale
