from sessions_app.models.choices import (
    AttendanceMode,
    ConversationFormat,
    SessionStatus,
    TimeOfDay,
)
from sessions_app.models.series import RotationSlot, Series
from sessions_app.models.session import Session, SessionQuerySet
from sessions_app.models.venue import Venue, VenueQuerySet

__all__ = [
    "AttendanceMode",
    "ConversationFormat",
    "RotationSlot",
    "Series",
    "Session",
    "SessionQuerySet",
    "SessionStatus",
    "TimeOfDay",
    "Venue",
    "VenueQuerySet",
]
