"""Attendance URLs (organizer RSVP lists, check-in, statistics). Being written."""

urlpatterns: list = []
