"""An Atom feed of upcoming sessions, for feed readers (Django's syndication framework)."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cop_portal.lib.dates import date_as
from cop_portal.lib.translated import translated
from sessions_app.models import Session

ITEMS = 50


class UpcomingSessionsFeed(Feed):
    feed_type = Atom1Feed
    subtitle = gettext_lazy(
        "Upcoming sessions of the Community of Practice for community builders in "
        "Cleveland: monthly, evening and daytime, in person and online. "
        "An invitation, not an obligation."
    )

    def title(self) -> str:
        return _("%(site)s: upcoming sessions") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("sessions:session-list")

    def feed_url(self) -> str:
        return reverse("sessions:feed-atom")

    def items(self) -> list[Session]:
        return list(
            Session.objects.published()
            .upcoming(timezone.now())
            .for_listing()
            .order_by("starts_at", "id")[:ITEMS]
        )

    def item_title(self, item: Session) -> str:
        when = item.local_starts_at
        if translation.get_language() != settings.LANGUAGE_CODE:
            return (
                f"{item.headline} ({date_as(when, 'SHORT_WEEKDAY_DATE')}, {date_as(when, 'CLOCK')})"
            )
        hour = when.strftime("%I:%M %p").lstrip("0").replace(":00", "").lower()
        return f"{item.headline} ({when:%a %b} {when.day}, {hour})"

    def item_description(self, item: Session) -> str:
        # The headline is the entry's title; the series it belongs to is context here.
        context = item.context.strip()
        if context and context[-1] not in ".?!":
            context = f"{context}."
        # A summary only in English says so on a Spanish feed: "… (en inglés)".
        summary = translated(item, "summary")
        summary_text = " ".join(part for part in (summary.text.strip(), summary.note) if part)
        parts = [context, summary_text, _("Where: %(where)s.") % {"where": item.where}]
        return " ".join(part for part in parts if part)

    def item_link(self, item: Session) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Session) -> str:
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Session) -> datetime:
        return item.created

    def item_updateddate(self, item: Session) -> datetime:
        return item.updated

    def item_categories(self, item: Session) -> list[str]:
        return [item.get_time_of_day_display(), item.get_format_display(), item.where]
