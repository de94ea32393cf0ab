from sessions_app.models.choices import (
    AttendanceMode,
    ConversationFormat,
    SessionStatus,
    TimeOfDay,
)
from sessions_app.models.feed_token import FeedToken
from sessions_app.models.rsvp import AttendAs, CheckInBy, Rsvp, RsvpQuerySet, RsvpStatus, WalkIn
from sessions_app.models.series import RotationSlot, Series
from sessions_app.models.session import Session, SessionQuerySet
from sessions_app.models.stat_counts import MonthPeople, SessionCounts
from sessions_app.models.venue import Venue, VenueQuerySet

__all__ = [
    "AttendAs",
    "AttendanceMode",
    "CheckInBy",
    "ConversationFormat",
    "FeedToken",
    "MonthPeople",
    "RotationSlot",
    "Rsvp",
    "RsvpQuerySet",
    "RsvpStatus",
    "Series",
    "Session",
    "SessionCounts",
    "SessionQuerySet",
    "SessionStatus",
    "TimeOfDay",
    "Venue",
    "VenueQuerySet",
    "WalkIn",
]
