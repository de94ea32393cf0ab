"""The organizer's series form: schedule in plain fields, rotation as a formset."""

import re
from collections.abc import Container, Sequence
from datetime import date, datetime, time
from typing import Any

import recurrence
from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cop_portal.lib.dates import date_as
from cop_portal.lib.forms import mark_input_languages
from sessions_app.forms.dates import in_calendar_years
from sessions_app.forms.sessions import (
    NAME_REQUIRED,
    WIDE_SELECT,
    time_of_day_field,
    time_of_day_for,
    time_of_day_shown,
    venue_choice,
)
from sessions_app.models import AttendanceMode, RotationSlot, Series, Venue
from sessions_app.models.choices import ONLINE_MODES
from sessions_app.rotation import WEEKDAYS, has_dates

FREQUENCIES = [("monthly", gettext_lazy("Monthly")), ("weekly", gettext_lazy("Weekly"))]
WEEK_OF_MONTH = [
    ("1", gettext_lazy("First")),
    ("2", gettext_lazy("Second")),
    ("3", gettext_lazy("Third")),
    ("4", gettext_lazy("Fourth")),
    ("-1", gettext_lazy("Last")),
]
MAX_LISTED_DATES = 60


def _parse_dates(text: str) -> list[date]:
    """Dates written one per line (or separated by commas) as YYYY-MM-DD."""
    days = []
    for token in filter(None, (part.strip() for part in re.split(r"[\n,]+", text or ""))):
        try:
            days.append(date.fromisoformat(token))
        except ValueError:
            raise ValidationError(
                _("“%(text)s” is not a date. Write dates like 2026-12-16, one per line.")
                % {"text": token[:20]}
            ) from None
    if len(days) > MAX_LISTED_DATES:
        raise ValidationError(_("List at most %(count)s dates.") % {"count": MAX_LISTED_DATES})
    return sorted(set(days))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min)


class DateListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "2026-12-16"})

    def to_python(self, value: Any) -> list[date]:  # type: ignore[override]
        return _parse_dates(super().to_python(value))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(day.isoformat() for day in value)
        return value


# The texts a series has in each language: form field -> Series column, set on the
# instance in SeriesForm.clean(): a model field "title" would write the active language's
# column only, so editing on a Spanish page would put the English into the Spanish one.
TRANSLATED_FIELDS = {
    "title": "title_en",
    "description": "description_en",
    "title_es": "title_es",
    "description_es": "description_es",
}


class SeriesForm(forms.ModelForm):
    title = forms.CharField(label=gettext_lazy("Title (English)"), required=False, max_length=120)
    description = forms.CharField(
        label=gettext_lazy("Description (English)"),
        required=False,
        help_text=gettext_lazy("Copied into each new session's summary."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    title_es = forms.CharField(
        label=gettext_lazy("Title (Spanish)"),
        required=False,
        max_length=120,
        help_text=gettext_lazy(
            "Copied into the sessions the series creates. Leave blank to show the English "
            "title on Spanish pages."
        ),
    )
    description_es = forms.CharField(
        label=gettext_lazy("Description (Spanish)"),
        required=False,
        help_text=gettext_lazy(
            "Copied into each new session's summary in Spanish. Leave blank to show the "
            "English one, marked as English."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("Frequency"), choices=FREQUENCIES, initial="monthly"
    )
    interval = forms.IntegerField(
        label=gettext_lazy("Every"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=gettext_lazy("1 for every month (or week), 2 for every other one, and so on."),
        error_messages={
            "min_value": gettext_lazy("Enter 1 or more."),
            "max_value": gettext_lazy("Enter at most 12."),
        },
    )
    week_of_month = forms.ChoiceField(
        label=gettext_lazy("Which week (monthly only)"),
        choices=WEEK_OF_MONTH,
        initial="3",
        required=False,
    )
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Day of the week"),
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        initial=2,
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave blank to keep going until you pause the series."),
    )
    excluded_dates = DateListField(
        label=gettext_lazy("Skip these dates"),
        required=False,
        help_text=gettext_lazy(
            "Holidays and closures, one per line (YYYY-MM-DD). "
            "A skipped date keeps its turn in the rotation."
        ),
    )
    extra_dates = DateListField(
        label=gettext_lazy("Add these dates"),
        required=False,
        help_text=gettext_lazy("Extra meetings outside the rule, one per line (YYYY-MM-DD)."),
    )

    class Meta:
        model = Series
        fields = [
            "starts_on",
            "meeting_url",
            "joining_instructions",
            "is_active",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "joining_instructions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "starts_on": gettext_lazy("First date"),
            "meeting_url": gettext_lazy("Online meeting link"),
            "joining_instructions": gettext_lazy("Joining instructions"),
            "is_active": gettext_lazy("Active"),
        }

    schedule_fields = (
        "frequency",
        "interval",
        "week_of_month",
        "weekday",
        "starts_on",
        "ends_on",
        "excluded_dates",
        "extra_dates",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(list(TRANSLATED_FIELDS))
        mark_input_languages(self, TRANSLATED_FIELDS)
        for name, column in TRANSLATED_FIELDS.items():
            self.initial.setdefault(name, getattr(self.instance, column) or "")
        self.schedule_editable = True
        if self.instance.pk:
            initial = self._initial_schedule(self.instance.recurrence)
            if initial is None:
                # Set up in the admin with options this form can't show: keep it as is.
                self.schedule_editable = False
                for name in self.schedule_fields:
                    if name != "starts_on":
                        del self.fields[name]
            else:
                for name, value in initial.items():
                    self.initial.setdefault(name, value)

    @staticmethod
    def _initial_schedule(rec: recurrence.Recurrence) -> dict[str, Any] | None:
        if len(rec.rrules) != 1 or rec.exrules:
            return None
        rule = rec.rrules[0]
        days = [recurrence.to_weekday(day) for day in rule.byday or []]
        simple = (
            rule.freq in (recurrence.WEEKLY, recurrence.MONTHLY)
            and len(days) == 1
            and not any([rule.bymonth, rule.bymonthday, rule.bysetpos, rule.count])
        )
        if not simple:
            return None
        monthly = rule.freq == recurrence.MONTHLY
        return {
            "frequency": "monthly" if monthly else "weekly",
            "interval": rule.interval,
            "weekday": days[0].number,
            "week_of_month": str(days[0].index) if monthly and days[0].index else "",
            "ends_on": rule.until.date() if rule.until else None,
            "excluded_dates": [moment.date() for moment in rec.exdates],
            "extra_dates": [moment.date() for moment in rec.rdates],
        }

    def clean_starts_on(self) -> date:
        return in_calendar_years(self.cleaned_data["starts_on"])

    def clean_ends_on(self) -> date | None:
        ends_on = self.cleaned_data["ends_on"]
        return in_calendar_years(ends_on) if ends_on else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("title") or data.get("title_es")):
            self.add_error("title", NAME_REQUIRED)
        for name, column in TRANSLATED_FIELDS.items():
            setattr(self.instance, column, data.get(name, ""))
        if not self.schedule_editable or self.errors:
            return data
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if ends_on and starts_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last date can't be before the first date."))
            return data
        monthly = data["frequency"] == "monthly"
        if monthly and not data.get("week_of_month"):
            self.add_error("week_of_month", _("Choose which week of the month."))
            return data
        weekday = recurrence.Weekday(
            data["weekday"], int(data["week_of_month"]) if monthly else None
        )
        rule = recurrence.Rule(
            recurrence.MONTHLY if monthly else recurrence.WEEKLY,
            interval=data["interval"],
            byday=[weekday],
            until=datetime.combine(ends_on, time.max) if ends_on else None,
        )
        rec = recurrence.Recurrence(
            rrules=[rule],
            rdates=[_midnight(day) for day in data["extra_dates"]],
            exdates=[_midnight(day) for day in data["excluded_dates"]],
            include_dtstart=False,
        )
        if starts_on and not has_dates(rec, starts_on):
            raise ValidationError(
                _(
                    "This schedule gives no dates at all. Check the first and last dates "
                    "and the dates to skip."
                )
            )
        self.instance.recurrence = rec
        return data


class RotationSlotForm(forms.ModelForm):
    time_of_day = time_of_day_field()
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"),
        min_value=15,
        max_value=600,
        error_messages={
            "min_value": gettext_lazy("A session lasts at least 15 minutes."),
            "max_value": gettext_lazy("A session lasts at most 600 minutes (10 hours)."),
        },
    )

    class Meta:
        model = RotationSlot
        fields = [
            "time_of_day",
            "start_time",
            "format",
            "duration_minutes",
            "attendance_mode",
            "venue",
        ]
        widgets = {"start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        labels = {
            "start_time": gettext_lazy("Starts at (Cleveland time)"),
            "format": gettext_lazy("Format"),
            "attendance_mode": gettext_lazy("Attendance mode"),
            "venue": gettext_lazy("Venue"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(is_active=True) | Venue.objects.filter(
            pk=self.instance.venue_id or 0
        )
        venue_choice(self.fields["venue"])
        self.fields["attendance_mode"].widget.attrs.update(WIDE_SELECT)
        self.fields["start_time"].help_text = ""
        if self.instance.pk:
            self.initial["time_of_day"] = time_of_day_shown(
                self.instance.time_of_day, self.instance.start_time
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["time_of_day"] = time_of_day_for(data.get("time_of_day", ""), data.get("start_time"))
        mode = data.get("attendance_mode")
        if mode and mode != AttendanceMode.ONLINE and not data.get("venue"):
            self.add_error(
                "venue", _("Choose where people meet in person, or make it online only.")
            )
        return data


class BaseRotationFormSet(BaseInlineFormSet):
    default_error_messages = {
        "too_few_forms": gettext_lazy(
            "Add at least one slot: the rotation needs a time, a format and a place."
        ),
        "too_many_forms": gettext_lazy("A rotation has at most %(num)d slots."),
    }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Turn in the rotation")
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this slot")

    def uses_online(self) -> bool:
        return any(
            form.cleaned_data.get("attendance_mode") in ONLINE_MODES for form in self.ordered_forms
        )


RotationFormSet = inlineformset_factory(
    Series,
    RotationSlot,
    form=RotationSlotForm,
    formset=BaseRotationFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=8,
    validate_max=True,
    can_delete=True,
    can_order=True,
)


class PublishHorizonForm(forms.Form):
    """How far to publish: through one of the series' coming dates (a GET, "Show dates")."""

    until = forms.TypedChoiceField(
        label=gettext_lazy("Publish through"),
        coerce=date.fromisoformat,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the dates in the list.")},
    )

    def __init__(
        self,
        *args: Any,
        dates: Sequence[date] = (),
        published: Container[date] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["until"].choices = [
            (
                day.isoformat(),
                _("%(day)s (published)") % {"day": date_as(day, "SHORT_WEEKDAY_DATE")}
                if day in published
                else date_as(day, "SHORT_WEEKDAY_DATE"),
            )
            for day in dates
        ]


class PublishSeriesForm(PublishHorizonForm):
    """The Publish button: the dates shown, and a digest of what they would create."""

    plan = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": gettext_lazy("Check the dates to publish first, then press Publish.")
        },
    )
