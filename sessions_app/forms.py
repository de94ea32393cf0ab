from django import forms

from sessions_app.models import Venue


class VenueForm(forms.ModelForm):
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

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError("The room must seat at least one person.")
        return capacity
