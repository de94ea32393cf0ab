"""The organizer's choice of who hears about a change (sessions_app.notify_choice), and
the personal note that goes with it, on the edit review step and the cancel page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.notify_choice import NotifyAudience, Told

NOTE_LIMIT = 1000


class NotifyForm(forms.Form):
    """Who gets an email, an optional note, and which button was pressed (`step`:
    update the preview, go back to the form, or save)."""

    PREVIEW, SAVE, BACK = "preview", "save", "back"

    audience = forms.ChoiceField(
        label=_("Who gets an email"),
        choices=NotifyAudience.choices,
        widget=forms.RadioSelect,
        # A radio always sends one; without it, as before there was a choice: everyone.
        required=False,
        error_messages={"invalid_choice": _("Choose who gets an email from the list.")},
    )
    note = forms.CharField(
        label=_("A personal note"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            _(
                "Optional. It appears in the email as a note from the organizers, above the "
                "details: say sorry, or what to expect."
            )
        ),
        error_messages={
            "max_length": _("Keep the note to 1,000 characters (it has %(show_value)d).")
        },
    )
    step = forms.ChoiceField(
        choices=[
            (PREVIEW, _("Update preview")),
            (SAVE, _("Save")),
            (BACK, _("Back to editing")),
        ],
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Use one of the buttons below the form.")},
    )

    def __init__(self, *args: Any, told: Told, quietly: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"audience": NotifyAudience.EVERYONE})
        super().__init__(*args, **kwargs)
        self.told = told
        if not told.everyone:
            # Nobody to tell: nothing to choose, nobody to write to.
            del self.fields["audience"], self.fields["note"]
            return
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ChoiceField)
        audience.choices = told.choices(quietly=quietly)
        audience.help_text = told.summary()

    def clean_audience(self) -> str:
        return self.cleaned_data["audience"] or NotifyAudience.EVERYONE

    def clean_step(self) -> str:
        return self.cleaned_data["step"] or self.SAVE

    @property
    def chosen(self) -> str:
        """The choice as it stands: the valid one posted, else the default."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("audience", NotifyAudience.EVERYONE)
        return NotifyAudience.EVERYONE

    @property
    def note_text(self) -> str:
        """The note as typed, once valid ("" before)."""
        return self.cleaned_data.get("note", "") if self.is_bound and self.is_valid() else ""
