"""The vocabulary of a session: when, how long, where, and whether it is on."""

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

# Sessions starting at 5 pm or later are evening sessions; earlier ones are daytime.
EVENING_FROM = time(17, 0)


class TimeOfDay(models.TextChoices):
    EVENING = "evening", _("Evening")
    DAYTIME = "daytime", _("Daytime")

    @classmethod
    def starting_at(cls, start: time) -> "TimeOfDay":
        """The time of day a session starting at `start` (Cleveland time) belongs to,
        unless an organizer says otherwise: evening from 5 pm, daytime before."""
        return cls.EVENING if start >= EVENING_FROM else cls.DAYTIME


class ConversationFormat(models.TextChoices):
    BRIEF = "brief", _("Brief conversation")
    IN_DEPTH = "in-depth", _("In-depth conversation")

    @property
    def words(self) -> str:
        """ "brief", "in depth": the format on its own, as a slot names it."""
        return str(_("in depth") if self is ConversationFormat.IN_DEPTH else _("brief"))


def slot_label(time_of_day: str, format: str) -> str:
    """ "Evening · brief", "Daytime · in depth": a slot (time of day and format) as the
    statistics and the series' publish list name it."""
    return f"{TimeOfDay(time_of_day).label} · {ConversationFormat(format).words}"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid: in person and online")

    @property
    def short_label(self) -> str:
        return str(_("Hybrid") if self is AttendanceMode.HYBRID else self.label)


ROOM_MODES = (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID)
ONLINE_MODES = (AttendanceMode.ONLINE, AttendanceMode.HYBRID)


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
