"""Organizer forms for one session: create or edit, publish, cancel."""

from datetime import time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.forms import mark_input_languages
from sessions_app.forms.dates import in_calendar_years
from sessions_app.models import AttendanceMode, ConversationFormat, Session, TimeOfDay, Venue
from sessions_app.rotation import local_datetime

# The texts an organizer gives per language: form field -> Session column. The English
# ones keep their old names ("title"), so links like "#id_topic" still land; the
# services get the columns themselves, since `title=` would write the active language's.
TRANSLATED_FIELDS = {
    "topic": "topic_en",
    "title": "title_en",
    "summary": "summary_en",
    "agenda": "agenda_en",
    "topic_es": "topic_es",
    "title_es": "title_es",
    "summary_es": "summary_es",
    "agenda_es": "agenda_es",
}
# The model fields an organizer edits directly; the date and times are separate
# fields below, combined into starts_at/ends_at in Cleveland time.
EDITABLE_FIELDS = [
    "time_of_day",
    "format",
    "attendance_mode",
    "venue",
    "capacity",
    "online_capacity",
    "meeting_url",
    "joining_instructions",
]

# The empty choice of "Time of day": the form fills it in from the start time.
FROM_START_TIME = _("Set from the start time")
# Selects whose choices are long ("Hybrid: in person and online", "Set from the start
# time") get a row of their own on wide screens (organize.css), so their whole text shows.
WIDE_SELECT = {"class": "select--wide"}


def venue_choice(field: forms.ModelChoiceField) -> None:
    """Venues as a list of choices to tick rather than a select: a select can't wrap, so
    on a phone it cut "Glenville Recreation Center, Community Room B" short. A CoP has
    a handful of rooms, so the list stays short."""
    field.empty_label = _("No venue (online only)")
    field.widget = forms.RadioSelect()
    field.widget.is_required = field.required
    field.widget.choices = field.choices


def time_of_day_field() -> forms.ChoiceField:
    """ "Time of day", which follows the start time unless the organizer picks one."""
    return forms.ChoiceField(
        label=_("Time of day"),
        required=False,
        choices=[("", FROM_START_TIME), *TimeOfDay.choices],
        help_text=_("Evening from 5 pm, daytime before. Pick one only to say otherwise."),
        widget=forms.Select(attrs=WIDE_SELECT),
    )


def time_of_day_for(chosen: str, start: time | None) -> str:
    """The time of day to save: the organizer's choice, or what the start time gives."""
    if chosen or start is None:
        return chosen
    return TimeOfDay.starting_at(start)


def time_of_day_shown(saved: str, start: time) -> str:
    """What the select shows for a saved time of day: "from the start time" when that
    is what the start time gives anyway, so moving the start time later moves it too."""
    return "" if saved == TimeOfDay.starting_at(start) else saved


NAME_REQUIRED = _("Give the name in English, in Spanish, or both.")


def session_text_fields() -> dict[str, forms.Field]:
    """The texts a session has in each language, grouped by language in the form: the
    name (required in one language at least, SessionForm.clean), the topic, the summary
    and the agenda, each optional."""
    return {
        "title": forms.CharField(
            label=_("Series or event name (English)"),
            required=False,
            max_length=120,
            help_text=_("Shown small, next to the topic, like “Community of Practice”."),
        ),
        "topic": forms.CharField(
            label=_("Topic (English)"),
            required=False,
            max_length=160,
            help_text=_(
                "This is the session's title on the site, in emails and calendars. Say what "
                "people will talk about, like “Keeping volunteers after the first meeting”."
            ),
            widget=forms.TextInput(attrs={"class": "input--lead"}),
        ),
        "summary": forms.CharField(
            label=_("Summary (English)"),
            required=False,
            max_length=1000,
            help_text=_("One or two sentences for lists and previews."),
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
        "agenda": forms.CharField(
            label=_("Agenda (English)"),
            required=False,
            max_length=10_000,
            help_text=_("Markdown: lists, links, **bold**, headings."),
            widget=forms.Textarea(attrs={"rows": 8}),
        ),
        "title_es": forms.CharField(
            label=_("Series or event name (Spanish)"),
            required=False,
            max_length=120,
            help_text=_("Leave blank to show the English name on Spanish pages."),
        ),
        "topic_es": forms.CharField(
            label=_("Topic (Spanish)"),
            required=False,
            max_length=160,
            help_text=_("Leave blank to show the English topic, marked as English."),
        ),
        "summary_es": forms.CharField(
            label=_("Summary (Spanish)"),
            required=False,
            max_length=1000,
            help_text=_("Leave blank to show the English summary, marked as English."),
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
        "agenda_es": forms.CharField(
            label=_("Agenda (Spanish)"),
            required=False,
            max_length=10_000,
            widget=forms.Textarea(attrs={"rows": 8}),
        ),
    }


class SessionForm(forms.Form):
    """A plain form (not a ModelForm) so the session is changed only by the service,
    which compares before and after to decide whether calendars must update."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, session: Session | None = None, **kwargs: Any) -> None:
        if session is not None:
            kwargs.setdefault("initial", self._initial_from(session))
        super().__init__(*args, **kwargs)
        self.fields.update(session_text_fields())
        self.fields.update(forms.fields_for_model(Session, fields=EDITABLE_FIELDS))
        self.order_fields([*TRANSLATED_FIELDS, "date", "start_time", "end_time"])
        mark_input_languages(self, TRANSLATED_FIELDS)
        self.fields["joining_instructions"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["time_of_day"] = time_of_day_field()
        self.fields["attendance_mode"].widget.attrs.update(WIDE_SELECT)
        self.fields["capacity"] = forms.IntegerField(
            label=_("In-person seats"),
            required=False,
            min_value=1,
            max_value=10_000,
            help_text=_("Leave blank to use the venue's capacity."),
            error_messages={
                "min_value": _("A session needs at least one seat; leave blank for the venue's."),
                "max_value": _("Enter at most 10,000 seats."),
            },
        )
        self.fields["online_capacity"] = forms.IntegerField(
            label=_("Online places"),
            required=False,
            min_value=1,
            max_value=10_000,
            help_text=_("Leave blank for no limit."),
            error_messages={
                "min_value": _("Allow at least one person online, or leave it blank."),
                "max_value": _("Enter at most 10,000 places."),
            },
        )
        current = session.venue_id if session else None
        venue_field = self.fields["venue"]
        venue_field.queryset = Venue.objects.filter(is_active=True) | Venue.objects.filter(
            pk=current or 0
        )
        venue_choice(venue_field)
        self.fields["time_of_day"].label = _("Time of day")
        self.fields["format"].label = _("Format")
        self.fields["attendance_mode"].label = _("Attendance mode")
        self.fields["venue"].label = _("Venue")
        self.fields["meeting_url"].label = _("Online meeting link")
        self.fields["meeting_url"].help_text = _("Only people who RSVP and organizers see it.")
        self.fields["joining_instructions"].label = _("Joining instructions")

    @staticmethod
    def _initial_from(session: Session) -> dict[str, Any]:
        initial = {name: getattr(session, name) for name in EDITABLE_FIELDS}
        initial.update(
            {name: getattr(session, column) or "" for name, column in TRANSLATED_FIELDS.items()}
        )
        initial["venue"] = session.venue_id
        initial["date"] = session.local_starts_at.date()
        initial["start_time"] = session.local_starts_at.time()
        initial["end_time"] = session.local_ends_at.time()
        initial["time_of_day"] = time_of_day_shown(session.time_of_day, initial["start_time"])
        return initial

    def clean_date(self) -> date:
        return in_calendar_years(self.cleaned_data["date"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        data["time_of_day"] = time_of_day_for(data.get("time_of_day", ""), start)
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The session must end after it starts."))
            else:
                data["starts_at"] = local_datetime(day, start)
                data["ends_at"] = local_datetime(day, end)
        if not (data.get("title") or data.get("title_es")):
            self.add_error("title", NAME_REQUIRED)
        # The model's own rules (venue for a room, link for online) speak for themselves.
        probe = Session(**{name: data.get(name) for name in EDITABLE_FIELDS})
        try:
            probe.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
        return data

    def session_fields(self) -> dict[str, Any]:
        """Cleaned values keyed by Session field, ready for the services."""
        data = self.cleaned_data
        fields = {name: data[name] for name in EDITABLE_FIELDS}
        fields.update({column: data[name] for name, column in TRANSLATED_FIELDS.items()})
        fields["capacity"] = data["capacity"] or None
        fields["online_capacity"] = data["online_capacity"] or None
        fields["starts_at"], fields["ends_at"] = data["starts_at"], data["ends_at"]
        return fields


def default_session_initial() -> dict[str, Any]:
    """A new one-off session: next week, evening, an hour, hybrid."""
    day = timezone.localdate() + timedelta(days=7)
    return {
        "date": day,
        "start_time": time(18, 0),
        "end_time": time(19, 0),
        "time_of_day": "",  # from the start time
        "format": ConversationFormat.BRIEF,
        "attendance_mode": AttendanceMode.HYBRID,
        "venue": Venue.objects.active().values_list("pk", flat=True).first(),
    }


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the session page and in calendars. Say whether a new date will follow."
        ),
        error_messages={"required": _("Tell people why, so they know what to expect next.")},
    )


class ConfirmForm(forms.Form):
    """A one-button POST (publish a draft) still goes through a form."""
