from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth adds email and password around these."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("How other members will see you, for example “Dana R.”"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["email", "display_name", "password1", "password2"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter the name other members will see."))
        return name

    def signup(self, request: HttpRequest, user: Any) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
