"""Attendance URLs: organizers' RSVP lists and check-in, drop-in self check-in, statistics.

Included into the "sessions" namespace by sessions_app/urls.py.
"""

from django.urls import path

from sessions_app.views import attendance, exports, stats

urlpatterns = [
    # Organizers
    path("sessions/<slug:slug>/attendees/", attendance.session_attendees, name="session-attendees"),
    path(
        "sessions/<slug:slug>/attendees.csv",
        exports.session_attendees_csv,
        name="session-attendees-csv",
    ),
    path(
        "sessions/<slug:slug>/attendees.xlsx",
        exports.session_attendees_xlsx,
        name="session-attendees-xlsx",
    ),
    path("sessions/<slug:slug>/check-in/", attendance.session_check_in, name="session-check-in"),
    path(
        "sessions/<slug:slug>/check-in/<int:rsvp_id>/",
        attendance.rsvp_check_in_view,
        name="rsvp-check-in",
    ),
    path(
        "sessions/<slug:slug>/walk-ins/<int:walk_in_id>/delete/",
        attendance.walk_in_delete_view,
        name="walk-in-delete",
    ),
    path("organize/statistics/", stats.statistics, name="statistics"),
    path("organize/statistics/summary/", stats.funder_summary, name="statistics-summary"),
    # Everyone with the code from the poster at the door
    path("sessions/<slug:slug>/here/<str:code>/", attendance.self_check_in, name="self-check-in"),
    path(
        "sessions/<slug:slug>/here/<str:code>/thanks/",
        attendance.self_check_in_thanks,
        name="self-check-in-thanks",
    ),
]
