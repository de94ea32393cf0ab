from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
        "Safe to run again: existing rows are left as they are."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo organizer's password is public.",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this may be a production database. The demo organizer's "
                "password is public; pass --force if you really want demo data here."
            )
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
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organizer: {DEMO_ORGANIZER_EMAIL} / password {DEMO_ORGANIZER_PASSWORD}"
            )
        )
