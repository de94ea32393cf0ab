"""Emails to the people who RSVP'd. (Being written: the lead defined the interface.)"""

import enum


class EmailKind(enum.StrEnum):
    CONFIRMED = "rsvp_confirmed"
    WAITLISTED = "rsvp_waitlisted"
    PROMOTED = "rsvp_promoted"
    SESSION_CHANGED = "session_changed"
    SESSION_CANCELLED = "session_cancelled"
    REMINDER = "session_reminder"


def send_rsvp_emails(kind: EmailKind, rsvp_ids: list[int]) -> None:
    """Send one email of this kind to each RSVP. Called after the transaction commits."""
