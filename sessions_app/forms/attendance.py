"""Forms for the door: check-in buttons, walk-ins, and the drop-in self check-in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.addresses import CanonicalEmailField

MAX_WALK_INS = 500


class CheckInForm(forms.Form):
    """One row's button: check the person in, or undo it. Explicit, so a double tap is harmless."""

    CHECK_IN = "check-in"
    UNDO = "undo"

    action = forms.ChoiceField(choices=[(CHECK_IN, _("Checked in")), (UNDO, _("Undo"))])

    @property
    def checked_in(self) -> bool:
        return self.cleaned_data["action"] == self.CHECK_IN


class WalkInForm(forms.Form):
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=120,
        required=False,
        help_text=_("Leave it blank to count people without names."),
        error_messages={"max_length": _("Keep the name under 120 characters.")},
    )
    count = forms.IntegerField(
        label=_("How many people"),
        initial=1,
        min_value=1,
        max_value=MAX_WALK_INS,
        error_messages={
            "required": _("Enter how many people came in, for example 1."),
            "invalid": _("Enter a whole number, for example 3."),
            "min_value": _("Enter at least 1 person."),
            "max_value": _("Enter at most %(limit_value)s people at a time."),
        },
    )


class WalkInRemoveForm(forms.Form):
    """The undo button next to a walk-in still goes through a form."""


class SelfCheckInForm(forms.Form):
    """The QR code's page for someone it doesn't recognize: a name, and perhaps the address
    they RSVP'd with, so their RSVP is checked in instead of counting them twice."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("So the organizers know who came. Nobody else sees it."),
        error_messages={
            "required": _("Enter your name, so we know you came."),
            "max_length": _("Keep your name under 120 characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = CanonicalEmailField(
        label=_("The email you RSVP'd with (optional)"),
        required=False,
        help_text=_("If you RSVP'd, it finds your RSVP so you're counted once. We send nothing."),
        error_messages={
            "invalid": _("Enter an email address like name@example.org, or leave it blank.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SelfCheckInStepForm(forms.Form):
    """Which of the QR code's page's forms was sent: "Check me in" for someone recognized,
    the name form, or "Not you?" (forget who this phone remembered, show the name form).
    Without a usable step, "me" for someone recognized and the name form for anyone else."""

    ME = "me"
    NAME = "name"
    NOT_ME = "not-me"

    step = forms.ChoiceField(
        choices=[
            (ME, _("Check me in")),
            (NAME, _("Check in with a name")),
            (NOT_ME, _("Not you?")),
        ],
        required=False,
    )

    def chosen(self, *, recognized: bool) -> str:
        step = self.cleaned_data.get("step", "") if self.is_valid() else ""
        return step or (self.ME if recognized else self.NAME)


class SelfCheckInMeForm(forms.Form):
    """The one button ("Check me in") for someone the page recognized: a signed-in member,
    or a guest whose private link was opened in this browser. The manage page's own
    "Check in" button sends its link's token along, naming the RSVP itself."""

    token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)


class DoorSearchForm(forms.Form):
    """The door list's search box (GET): a name, organization or email, or part of one."""

    q = forms.CharField(
        label=_("Find a person"),
        max_length=120,
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def query(self) -> str:
        """What to look for; "" for everyone (also when the input was not usable)."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""
