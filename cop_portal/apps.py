from django.apps import AppConfig
from django.db.models.signals import post_migrate

from cop_portal.lib.content_version import Shown, watch_content

# What the public pages kept for visitors show (cop_portal.lib.page_cache): a committed
# write to one of these makes every kept page stale; a write to anything else leaves
# them kept. Checked against the pages' templates: add a model here when a public page
# starts showing it. Not here, as no public page shows them: series and their rotation
# (their sessions are what shows; publishing changes the version itself), walk-ins and
# check-ins (organizers' pages), calendar-feed tokens, profiles (members only), follows,
# visit requests, reports, email preferences.
SHOWN_ON_PUBLIC_PAGES = (
    # Sessions: lists, pages, calendars, feeds, the accessibility page's venues.
    Shown("sessions_app.Venue"),
    Shown("sessions_app.Session"),
    # Places left and waitlists: counts by session, status and mode.
    Shown(
        "sessions_app.Rsvp",
        fields=frozenset({"session", "status", "attend_as", "listed", "user"}),
    ),
    # The library: activities, posts and all that shows on a post's page.
    Shown("practice_library.ActivityPattern"),
    Shown("practice_library.PatternStep"),
    Shown("practice_library.Tag"),
    Shown("practice_library.Post"),
    Shown("practice_library.Reply"),
    Shown("practice_library.Attachment"),
    Shown("practice_library.PostLink"),
    Shown("practice_library.Reuse"),  # "reused N times"
    Shown("practice_library.Signup"),  # "N people counted in"
    Shown("practice_library.EvidenceItem"),
    # Authors' names on posts, replies and evidence. A new account shows nowhere yet,
    # so signing up changes nothing; deleting one signs its posts "a former member".
    Shown("members.User", fields=frozenset({"display_name"}), new_rows=False),
)


class CopPortalConfig(AppConfig):
    """The project itself: site pages, demo data and the cache table."""

    name = "cop_portal"
    verbose_name = "CoP Portal"

    def ready(self) -> None:
        from cop_portal.lib.db_stats import statistics_after_migrate

        watch_content(SHOWN_ON_PUBLIC_PAGES)
        post_migrate.connect(statistics_after_migrate, sender=self, dispatch_uid="db-statistics")
