from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cop_portal.mail.models import Preference


class CheckboxInput(forms.CheckboxInput):
    """Hands the field what the browser sent, so anything but a checkbox's own value
    can be refused (Django's CheckboxInput reads any text as "on"). Same class name,
    so that `field.widget_type` is still "checkbox" for the templates."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class Checkbox(forms.BooleanField):
    widget = CheckboxInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> bool:
        if value in (None, "", False):
            return False
        if value in ("on", True):
            return True
        raise forms.ValidationError(_("Tick the box or leave it empty."), code="invalid")


class EmailPreferencesForm(forms.Form):
    """Which optional emails a member's account address receives."""

    announcements = Checkbox(
        label=Preference.ANNOUNCEMENTS.label,
        help_text=_(
            "One email when organizers publish new sessions, with their dates and "
            "times. Off unless you turn it on."
        ),
    )
    reminders = Checkbox(
        label=Preference.REMINDERS.label,
        help_text=_(
            "A day before each session you RSVP'd to, with the time, place and meeting link."
        ),
    )
    replies = Checkbox(
        label=Preference.REPLIES.label,
        help_text=_("When someone replies in the practice library to a post you wrote or follow."),
    )
    organizer_messages = Checkbox(
        label=Preference.ORGANIZER_MESSAGES.label,
        help_text=_(
            "When an organizer writes to the people going to, or waiting for, a "
            "session you RSVP'd to: a room change, what to bring, a follow-up afterwards."
        ),
    )
