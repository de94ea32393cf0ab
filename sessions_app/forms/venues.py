from django import forms

from sessions_app.models import Venue


class VenueForm(forms.ModelForm):
    capacity = forms.IntegerField(
        label="In-person capacity",
        min_value=1,
        max_value=10_000,
        help_text="How many people the room seats.",
        error_messages={
            "min_value": "The room must seat at least one person.",
            "max_value": "Enter the number of seats, at most 10,000.",
        },
    )

    class Meta:
        model = Venue
        fields = [
            "name",
            "address",
            "neighborhood",
            "capacity",
            "directions",
            "accessibility_notes",
            "parking_notes",
            "is_active",
        ]
        widgets = {
            "directions": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "parking_notes": forms.Textarea(attrs={"rows": 3}),
        }
