"""GET forms for the public session pages: list filters and the calendar's month picker."""

import re
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sessions_app.models import AttendanceMode, ConversationFormat, TimeOfDay
from sessions_app.selectors import FIRST_YEAR, LAST_YEAR, in_calendar_range

NOT_A_CHOICE = _("“%(value)s” is not one of the choices. Pick one from the list.")


def _choice_field(
    label: str | Promise, any_label: str | Promise, choices: list[tuple[str, str]]
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", any_label), *choices],
        error_messages={"invalid_choice": NOT_A_CHOICE},
    )


class SessionFilterForm(forms.Form):
    """Bookmarkable filters: ?time_of_day=evening&format=brief&attendance_mode=online."""

    time_of_day = _choice_field(_("Time of day"), _("Any time of day"), TimeOfDay.choices)
    format = _choice_field(_("Format"), _("Any format"), ConversationFormat.choices)
    attendance_mode = _choice_field(_("Where"), _("Anywhere"), AttendanceMode.choices)

    def filters(self) -> dict[str, str]:
        """The valid, non-empty choices, ready for SessionQuerySet.matching().

        Call after is_valid(): a field with a bad value is left out, so the page
        still lists sessions by the filters that made sense.
        """
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] for name in self.fields if cleaned.get(name)}


class MonthForm(forms.Form):
    """The calendar's “go to month” field: ?month=2026-12."""

    month = forms.CharField(
        label=_("Month"),
        help_text=_("Year and month, like 2026-12."),
        # No max_length or placeholder: HTML allows neither on a month input; the
        # pattern check below does the work.
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"required": _("Enter a year and month, like 2026-12.")},
    )

    def clean_month(self) -> tuple[int, int]:
        value: str = self.cleaned_data["month"].strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match:
            raise forms.ValidationError(
                gettext("Enter a year and month, like 2026-12."), code="invalid"
            )
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise forms.ValidationError(gettext("Months go from 01 to 12."), code="invalid_month")
        if not in_calendar_range(year, month):
            raise forms.ValidationError(
                gettext("The calendar covers %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )
        return year, month

    @classmethod
    def for_month(cls, year: int, month: int, **kwargs: Any) -> "MonthForm":
        """An unbound form showing the month on screen."""
        return cls(initial={"month": f"{year:04d}-{month:02d}"}, **kwargs)
