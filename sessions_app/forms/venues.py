from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.forms import mark_input_languages
from sessions_app.models import Venue
from sessions_app.services.venues import TRANSLATED_NOTES as NOTES


class StateField(forms.CharField):
    """Two letters in capitals, however they were typed ("oh" is OH)."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).upper()


# The notes on reaching and finding a venue, given per language. The English ones keep
# their old names ("directions"); venue_create/venue_update save a bare name to its
# English column and "<name>_es" to the Spanish one, whatever language the page is in.
NOTE_LABELS = {
    "transit_notes": (_("Getting there (English)"), _("Getting there (Spanish)")),
    "parking_notes": (_("Parking notes (English)"), _("Parking notes (Spanish)")),
    "directions": (_("Directions (English)"), _("Directions (Spanish)")),
    "accessibility_notes": (
        _("Accessibility notes (English)"),
        _("Accessibility notes (Spanish)"),
    ),
}
NOTE_HELP = {
    "transit_notes": _(
        "RTA bus lines and the nearest HealthLine stop, how far the walk is, where to leave a bike."
    ),
    "parking_notes": _("Where to park and what it costs."),
    "directions": _("How to find the room once you reach the building."),
    "accessibility_notes": _("Step-free access, elevators, restrooms, hearing loops…"),
}
NOTE_ROWS = {"transit_notes": 3, "parking_notes": 2, "directions": 3, "accessibility_notes": 3}
# Form field -> Venue column.
NOTE_COLUMNS = {
    **{name: f"{name}_en" for name in NOTES},
    **{f"{name}_es": f"{name}_es" for name in NOTES},
}


def note_fields() -> dict[str, forms.Field]:
    """The four notes in English, then the four in Spanish (each optional)."""
    return {
        field: forms.CharField(
            label=NOTE_LABELS[name][spanish],
            required=False,
            help_text="" if spanish else NOTE_HELP[name],
            widget=forms.Textarea(attrs={"rows": NOTE_ROWS[name]}),
        )
        for field, name, spanish in [
            *((name, name, False) for name in NOTES),
            *((f"{name}_es", name, True) for name in NOTES),
        ]
    }


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
            "is_active",
        ]
        widgets = {
            "state": forms.TextInput(attrs={"size": 2, "maxlength": 2}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "size": 10}),
        }
        labels = {
            "name": _("Name"),
            "neighborhood": _("Neighborhood"),
            "city": _("City"),
            "state": _("State"),
            "postal_code": _("ZIP code"),
        }
        help_texts = {"city": ""}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(note_fields())
        self.order_fields([*self.Meta.fields, *NOTE_COLUMNS])
        mark_input_languages(self, NOTE_COLUMNS)
        for name, column in NOTE_COLUMNS.items():
            self.initial.setdefault(name, getattr(self.instance, column) or "")
        # Blank only in rows saved before addresses had parts: a map needs it from now on.
        self.fields["postal_code"].required = True
        self.fields["postal_code"].error_messages["required"] = _(
            "Enter the ZIP code, so maps find the right street."
        )
