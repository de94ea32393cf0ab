from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.models import Venue


class StateField(forms.CharField):
    """Two letters in capitals, however they were typed ("oh" is OH)."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).upper()


class VenueForm(forms.ModelForm):
    capacity = forms.IntegerField(
        label=_("In-person capacity"),
        min_value=1,
        max_value=10_000,
        help_text=_("How many people the room seats."),
        error_messages={
            "min_value": _("The room must seat at least one person."),
            "max_value": _("Enter the number of seats, at most 10,000."),
        },
    )

    class Meta:
        model = Venue
        field_classes = {"state": StateField}
        fields = [
            "name",
            "neighborhood",
            "capacity",
            "address",
            "city",
            "state",
            "postal_code",
            "transit_notes",
            "parking_notes",
            "directions",
            "accessibility_notes",
            "is_active",
        ]
        widgets = {
            "state": forms.TextInput(attrs={"size": 2, "maxlength": 2}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "size": 10}),
            "transit_notes": forms.Textarea(attrs={"rows": 3}),
            "parking_notes": forms.Textarea(attrs={"rows": 2}),
            "directions": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "name": _("Name"),
            "neighborhood": _("Neighborhood"),
            "city": _("City"),
            "state": _("State"),
            "postal_code": _("ZIP code"),
            "parking_notes": _("Parking notes"),
            "directions": _("Directions"),
            "accessibility_notes": _("Accessibility notes"),
        }
        help_texts = {
            "city": "",
            "transit_notes": _(
                "RTA bus lines and the nearest HealthLine stop, how far the walk is, "
                "where to leave a bike."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Blank only in rows saved before addresses had parts: a map needs it from now on.
        self.fields["postal_code"].required = True
        self.fields["postal_code"].error_messages["required"] = _(
            "Enter the ZIP code, so maps find the right street."
        )
