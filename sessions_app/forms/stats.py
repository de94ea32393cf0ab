"""The range of the organizers' statistics and funder summary: ?from=2025-03&to=2026-02."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from sessions_app.forms.dates import in_calendar_years
from sessions_app.stats import DateRange, long_date, month_end

MAX_YEARS = 10

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse(text: str, *, end_of_month: bool = False) -> tuple[str, date]:
    """("month", its first or last day) or ("date", the day); ValueError for anything else."""
    if month := _MONTH.fullmatch(text):
        day = date(int(month[1]), int(month[2]), 1)
        return "month", month_end(day) if end_of_month else day
    if _DATE.fullmatch(text):
        return "date", date.fromisoformat(text)
    raise ValueError(text)


class MonthOrDateInput(forms.TextInput):
    """A month picker; a date picker when the value is a whole date (from a link); a text
    box for a value that is neither, so that it comes back as typed, to be corrected."""

    input_type = "month"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if isinstance(value, str) and value.strip():
            try:
                context["widget"]["type"] = _parse(value.strip())[0]
            except ValueError:
                context["widget"]["type"] = "text"
        return context


class MonthOrDateField(forms.Field):
    """A month (2026-03) or a day (2026-03-15). A month means its first day, or its last
    with `end_of_month`."""

    widget = MonthOrDateInput
    default_error_messages = {
        "invalid": _("Enter a month like 2026-03 or a date like 2026-03-15."),
    }

    def __init__(self, *, end_of_month: bool = False, **kwargs: Any) -> None:
        self.end_of_month = end_of_month
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        try:
            _kind, day = _parse(text, end_of_month=self.end_of_month)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return in_calendar_years(day)


class StatisticsRangeForm(forms.Form):
    """From and To, both optional. Only From: up to the end of this month. Only To: the
    twelve months up to it. Neither: the page's default (the last twelve months with
    sessions).

    The fields are `start` and `end` in Python ("from" is a keyword); add_prefix names
    them `from` and `to` in the query string and the page.
    """

    QUERY_NAMES = {"start": "from", "end": "to"}

    start = MonthOrDateField(label=_("From"), required=False)
    end = MonthOrDateField(label=_("To"), end_of_month=True, required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)

    @classmethod
    def showing(cls, date_range: DateRange, *, today: date) -> "StatisticsRangeForm":
        """The form with a range the page picked in its fields."""
        params = date_range.params()
        initial = {field: params[name] for field, name in cls.QUERY_NAMES.items()}
        return cls(initial=initial, today=today)

    def add_prefix(self, field_name: str) -> str:
        return self.QUERY_NAMES.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and end is None:
            return cleaned
        if end is None:
            if start > self.today:
                today = long_date(self.today)
                self.add_error(
                    "start", _("That's after today: choose %(day)s or before.") % {"day": today}
                )
                return cleaned
            end = month_end(self.today)
        if start is None:
            start = end.replace(day=1) - relativedelta(months=11)
        if end < start:
            self.add_error(
                "end",
                _("This is before the start: choose %(day)s or after.") % {"day": long_date(start)},
            )
        elif end >= start + relativedelta(years=MAX_YEARS):
            self.add_error(
                "start",
                _("Choose at most %(years)s years: for this end, start on %(day)s or later.")
                % {
                    "years": MAX_YEARS,
                    "day": long_date(end + timedelta(days=1) - relativedelta(years=MAX_YEARS)),
                },
            )
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def chosen_range(self) -> DateRange | None:
        """The range asked for, once valid; None for the page's default."""
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        return DateRange(start, end) if start and end else None


@dataclass(frozen=True)
class Preset:
    label: str
    range: DateRange

    @property
    def query(self) -> str:
        return urlencode(self.range.params())


def range_presets(today: date) -> list[Preset]:
    """One-click ranges: the last twelve months (this one included), this year, last year."""
    twelve_months_ago = today.replace(day=1) - relativedelta(months=11)
    return [
        Preset(_("Last 12 months"), DateRange(twelve_months_ago, month_end(today))),
        Preset(_("This year"), DateRange(date(today.year, 1, 1), date(today.year, 12, 31))),
        Preset(_("Last year"), DateRange(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
    ]
