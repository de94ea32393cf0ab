from django.urls import include, path
from django.views.decorators.http import require_safe

from cop_portal.lib.page_cache import shared_with_visitors
from sessions_app.views import (
    atom,
    attendee_messages,
    feed_pages,
    feeds,
    organize,
    public,
    rsvps,
    series,
    venues,
)

app_name = "sessions"

urlpatterns = [
    # Everyone
    path("sessions/", public.session_list, name="session-list"),
    path("sessions/past/", public.session_past, name="session-past"),
    path("sessions/calendar/", public.calendar, name="calendar"),
    path(
        "sessions/calendar/<int:year>/<int:month>/",
        public.calendar_month,
        name="calendar-month",
    ),
    # Calendar feeds: .ics for calendar apps, Atom for feed readers
    path("sessions/feed.ics", feeds.public_feed_view, name="feed-ics"),
    path(
        "sessions/feed.atom",
        require_safe(shared_with_visitors(atom.UpcomingSessionsFeed())),
        name="feed-atom",
    ),
    path("calendar/<slug:key>.ics", feeds.personal_feed_view, name="personal-feed"),
    path("sessions/<slug:slug>/", public.session_detail, name="session-detail"),
    path("sessions/<slug:slug>/calendar.ics", feeds.session_ics, name="session-ics"),
    path("accessibility/", public.accessibility, name="accessibility"),
    # RSVPs: the token in the address is the key, for guests and members alike
    path("sessions/<slug:slug>/rsvp/", rsvps.rsvp_create_view, name="rsvp-create"),
    path("sessions/<slug:slug>/rsvp/sent/", rsvps.rsvp_sent, name="rsvp-sent"),
    path("my/sessions/", rsvps.my_rsvps, name="my-rsvps"),
    path("my/calendar/", feed_pages.my_calendar, name="my-calendar"),
    path("my/calendar/options/", feed_pages.my_calendar_options, name="my-calendar-options"),
    path("my/calendar/new-address/", feed_pages.my_calendar_renew, name="my-calendar-renew"),
    path("rsvp/<slug:token>/", rsvps.rsvp_manage, name="rsvp-manage"),
    path("rsvp/<slug:token>/change/", rsvps.rsvp_change_view, name="rsvp-change"),
    path("rsvp/<slug:token>/cancel/", rsvps.rsvp_cancel_view, name="rsvp-cancel"),
    path("rsvp/<slug:token>/calendar/", feed_pages.guest_calendar, name="guest-calendar"),
    path(
        "rsvp/<slug:token>/calendar/new-address/",
        feed_pages.guest_calendar_renew,
        name="guest-calendar-renew",
    ),
    # Attendance: lists, check-in at the door, statistics
    path("", include("sessions_app.urls_attendance")),
    # Organizers
    path("sessions/<slug:slug>/edit/", organize.session_edit, name="session-edit"),
    path("sessions/<slug:slug>/publish/", organize.session_publish_view, name="session-publish"),
    path("sessions/<slug:slug>/cancel/", organize.session_cancel_view, name="session-cancel"),
    path(
        "sessions/<slug:slug>/message/",
        attendee_messages.session_message,
        name="session-message",
    ),
    path("organize/sessions/", organize.session_admin_list, name="organize-sessions"),
    path("organize/sessions/new/", organize.session_create_view, name="session-create"),
    path("organize/series/", series.series_list, name="series-list"),
    path("organize/series/new/", series.series_create, name="series-create"),
    path("organize/series/<slug:slug>/", series.series_edit, name="series-edit"),
    path("organize/series/<slug:slug>/preview/", series.series_preview, name="series-preview"),
    path("organize/venues/", venues.venue_list, name="venue-list"),
    path("organize/venues/new/", venues.venue_create_view, name="venue-create"),
    path("organize/venues/<slug:slug>/", venues.venue_edit, name="venue-edit"),
]
