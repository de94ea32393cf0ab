"""The vocabulary of a session: when, how long, where, and whether it is on."""

from django.db import models


class TimeOfDay(models.TextChoices):
    EVENING = "evening", "Evening"
    DAYTIME = "daytime", "Daytime"


class ConversationFormat(models.TextChoices):
    BRIEF = "brief", "Brief conversation"
    IN_DEPTH = "in-depth", "In-depth conversation"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in-person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid: in person and online"

    @property
    def short_label(self) -> str:
        return "Hybrid" if self is AttendanceMode.HYBRID else self.label


ROOM_MODES = (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID)
ONLINE_MODES = (AttendanceMode.ONLINE, AttendanceMode.HYBRID)


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"
