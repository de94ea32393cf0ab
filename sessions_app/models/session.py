import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.fields import HttpsURLField
from cop_portal.lib.models import TimeStampedModel
from cop_portal.lib.urls import reverse_slug
from sessions_app.models.choices import (
    ONLINE_MODES,
    ROOM_MODES,
    AttendanceMode,
    ConversationFormat,
    SessionStatus,
    TimeOfDay,
)
from sessions_app.models.series import Series
from sessions_app.models.venue import Venue

ROOM_NEEDS_VENUE = _("Choose where people meet in person, or make the session online only.")
TOPIC_TO_BE_ANNOUNCED = _("Topic to be announced")
ONLINE_NEEDS_LINK = (
    "Online and hybrid sessions need a meeting link. Only people who RSVP will see it."
)
# People going online get a Join button (on /me/) from this long before the start until the end.
JOIN_OPENS_BEFORE = timedelta(minutes=15)
# No session lasts longer (the forms allow one day's hours; Session.clean says so to the
# admin), so a session not over yet started less than this long ago: what lets the
# upcoming lists start their walk along the listing index now, not at the first session.
LONGEST_SESSION = timedelta(days=1)
TOO_LONG = _("A session lasts at most a day: end it within 24 hours of its start.")


def local_zone() -> ZoneInfo:
    """Sessions happen in Cleveland; every date and time on the site is local to it."""
    return ZoneInfo(settings.TIME_ZONE)


def local_today(now: datetime | None = None) -> date:
    """Today in Cleveland (or the local day of `now`): the day a page's "this month",
    "this year" and "coming dates" start from, whatever the server's own zone."""
    return timezone.localtime(now or timezone.now(), local_zone()).date()


class SessionQuerySet(models.QuerySet["Session"]):
    def published(self) -> "SessionQuerySet":
        return self.filter(status=SessionStatus.PUBLISHED)

    def public(self) -> "SessionQuerySet":
        """What visitors may open: published and cancelled sessions, never drafts."""
        return self.exclude(status=SessionStatus.DRAFT)

    def upcoming(self, now: datetime | None = None) -> "SessionQuerySet":
        """Not over yet, so a session in progress still counts. `starts_at` is implied
        (LONGEST_SESSION) but bounds the walk along the listing index: without it SQLite
        read every past session to find the next six (9,000 at scale 10: 5 ms)."""
        now = now or timezone.now()
        return self.filter(ends_at__gt=now, starts_at__gt=now - LONGEST_SESSION)

    def past(self, now: datetime | None = None) -> "SessionQuerySet":
        """Over. `starts_at` is implied (a session ends after it starts) but lets SQLite
        count along the covering listing index instead of looking up each row's status
        through the ends_at index (9,000 past sessions: 8.9 -> 1.0 ms)."""
        now = now or timezone.now()
        return self.filter(ends_at__lte=now, starts_at__lte=now)

    def starting_between(self, start: datetime, end: datetime) -> "SessionQuerySet":
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def matching(
        self, *, time_of_day: str = "", format: str = "", attendance_mode: str = ""
    ) -> "SessionQuerySet":
        """Apply the sessions list's filters; an empty value means any."""
        lookups = {
            "time_of_day": time_of_day,
            "format": format,
            "attendance_mode": attendance_mode,
        }
        return self.filter(**{field: value for field, value in lookups.items() if value})

    def for_listing(self) -> "SessionQuerySet":
        return self.select_related("venue")


class Session(TimeStampedModel):
    """One meeting of the CoP: what people see, RSVP to and put in their calendars."""

    uid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text=_("Calendar UID; never changes.")
    )
    slug = models.SlugField(max_length=90, unique=True, editable=False)
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    occurrence_date = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The series date this session stands for, even after it is moved."),
    )
    title = models.CharField(max_length=120)
    topic = models.CharField(max_length=160, blank=True, help_text=_("The question of the day."))
    summary = models.TextField(
        max_length=1000, blank=True, help_text=_("One or two sentences for lists and previews.")
    )
    agenda = models.TextField(
        max_length=10_000, blank=True, help_text=_("Markdown: lists, links, **bold**, headings.")
    )
    time_of_day = models.CharField(max_length=10, choices=TimeOfDay.choices)
    format = models.CharField(max_length=10, choices=ConversationFormat.choices)
    attendance_mode = models.CharField(max_length=10, choices=AttendanceMode.choices)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(db_index=True)
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    capacity = models.PositiveIntegerField(
        _("in-person seats"),
        null=True,
        blank=True,
        help_text=_("Leave blank to use the venue's capacity."),
    )
    online_capacity = models.PositiveIntegerField(
        _("online places"),
        null=True,
        blank=True,
        help_text=_("Leave blank for no limit on people joining online."),
    )
    meeting_url = HttpsURLField(_("online meeting link"), max_length=500, blank=True)
    joining_instructions = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT, db_index=True
    )
    cancellation_reason = models.TextField(max_length=1000, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Grows on every change of time, place or status.")
    )
    edited = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Changed by an organizer, so series updates leave it alone."),
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="sessions_app_session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="sessions_app_session_capacity_positive",
                violation_error_message=_("A session needs at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(online_capacity__isnull=True) | Q(online_capacity__gt=0),
                name="sessions_app_session_online_capacity_positive",
                violation_error_message=_("Allow at least one person online, or leave it blank."),
            ),
            models.CheckConstraint(
                condition=Q(attendance_mode=AttendanceMode.ONLINE) | Q(venue__isnull=False),
                name="sessions_app_session_room_needs_venue",
                violation_error_message=_("In-person and hybrid sessions need a venue."),
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                name="sessions_app_session_one_per_series_date",
            ),
        ]
        indexes = [
            # The lists filter on ends_at and status and order by starts_at, id: all four
            # in one index find a page and count it without reading the wide rows.
            models.Index(fields=["starts_at", "id", "ends_at", "status"], name="session_listing"),
        ]

    def __str__(self) -> str:
        return f"{self.headline} ({timezone.localtime(self.starts_at, local_zone()):%Y-%m-%d})"

    def clean(self) -> None:
        errors = {}
        if self.in_room and self.venue_id is None:
            errors["venue"] = ROOM_NEEDS_VENUE
        if self.online and not self.meeting_url:
            errors["meeting_url"] = ONLINE_NEEDS_LINK
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > LONGEST_SESSION:
            errors[NON_FIELD_ERRORS] = TOO_LONG
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse_slug("sessions:session-detail", self.slug)

    @property
    def headline(self) -> str:
        """What the session is about, which is its title wherever people see it.

        A series gives each of its sessions the series' name, so that name is only context
        ("Community of Practice"); the topic says what this month is about. A one-off session
        without a topic is what its organizer called it.
        """
        if self.topic:
            return self.topic
        return self.title if self.series_id is None else str(TOPIC_TO_BE_ANNOUNCED)

    @property
    def has_topic(self) -> bool:
        return bool(self.topic) or self.series_id is None

    @property
    def context(self) -> str:
        """The series (or one-off title) a topic belongs to, or "" when it is the headline."""
        return "" if self.title == self.headline else self.title

    @property
    def local_starts_at(self) -> datetime:
        return timezone.localtime(self.starts_at, local_zone())

    @property
    def local_ends_at(self) -> datetime:
        return timezone.localtime(self.ends_at, local_zone())

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_draft(self) -> bool:
        return self.status == SessionStatus.DRAFT

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def in_room(self) -> bool:
        return self.attendance_mode in ROOM_MODES

    @property
    def online(self) -> bool:
        return self.attendance_mode in ONLINE_MODES

    @property
    def online_places(self) -> int | None:
        """A limit on people online, or None for no limit (or no online part)."""
        return self.online_capacity if self.online else None

    @property
    def join_opens_at(self) -> datetime:
        """When the Join button appears for people going online."""
        return self.starts_at - JOIN_OPENS_BEFORE

    def is_joinable_at(self, now: datetime) -> bool:
        """Whether the Join button shows at `now`: an online part with its link, not
        cancelled, from join_opens_at until the end."""
        return (
            self.online
            and bool(self.meeting_url)
            and not self.is_cancelled
            and self.join_opens_at <= now < self.ends_at
        )

    @property
    def is_open_for_rsvp(self) -> bool:
        return self.status == SessionStatus.PUBLISHED and not self.is_past

    @property
    def where(self) -> str:
        """ "Midtown/Hough office and online", "Online": the place in a few words."""
        if not self.in_room or self.venue is None:
            return str(_("Online"))
        place = self.venue.name
        if self.venue.neighborhood and self.venue.neighborhood not in place:
            place = f"{place}, {self.venue.neighborhood}"
        return str(_("%(place)s, and online") % {"place": place}) if self.online else place

    @property
    def seats(self) -> int | None:
        """In-person seats: the session's own number, else the venue's."""
        if not self.in_room:
            return None
        if self.capacity:
            return self.capacity
        return self.venue.capacity if self.venue else None
