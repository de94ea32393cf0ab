"""RSVP forms: the choice of how to come, plus name and email for guests."""

from typing import Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.addresses import CanonicalEmailField
from sessions_app.models import AttendAs, Session
from sessions_app.selectors import PlaceCounts, places_left_from
from sessions_app.services.rsvps import allowed_modes

WAITLIST = "-waitlist"


def how_choices(
    session: Session, counts: PlaceCounts, *, current: str = ""
) -> list[tuple[str, str]]:
    """The ways to come that the session offers right now, full ones as waitlists.

    Values are "in-person", "online", or "<mode>-waitlist" when that mode is full.
    `current` is the person's own mode, shown as it is even when full (they hold a place).
    """
    choices = []
    for mode in allowed_modes(session):
        left = places_left_from(session, counts, mode)
        label = AttendAs(mode).label
        if mode == current or left is None:
            choices.append((mode, label))
        elif left > 0:
            if mode == AttendAs.IN_PERSON:
                text = ngettext(
                    "%(label)s (%(left)s seat left)", "%(label)s (%(left)s seats left)", left
                )
            else:
                text = ngettext(
                    "%(label)s (%(left)s place left)", "%(label)s (%(left)s places left)", left
                )
            choices.append((mode, text % {"label": label, "left": left}))
        else:
            if mode == AttendAs.IN_PERSON:
                text = gettext("%(label)s: join the waitlist (all seats are taken)")
            else:
                text = gettext("%(label)s: join the waitlist (all online places are taken)")
            choices.append((mode + WAITLIST, text % {"label": label}))
    return choices


def likely_choice(choices: list[tuple[str, str]]) -> str:
    """The choice to start with: the only one, or the first way in with a place left
    (in person before online), or "" when every way in is a waitlist (a choice to make)."""
    if len(choices) == 1:
        return choices[0][0]
    return next((value for value, _label in choices if not value.endswith(WAITLIST)), "")


class RsvpForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How will you join?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you will join."),
            "invalid_choice": _("That way of joining isn't open for this session any more."),
        },
    )
    # Said under the question when the form starts with a suggestion rather than the
    # person's own answer.
    changeable_hint = _("You can change this later.")

    def __init__(
        self, *args: Any, session: Session, counts: PlaceCounts, current: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        choices = how_choices(session, counts, current=current)
        how = self.fields["how"]
        how.choices = choices
        # Start from the person's own answer, else the likeliest one: a form sent without
        # a choice came back with an error that people missed.
        how.initial = current or likely_choice(choices)
        if how.initial and not current and len(choices) > 1:
            how.help_text = self.changeable_hint
        if len(choices) == 1:
            how.widget = forms.HiddenInput()
        self.single_choice = choices[0] if len(choices) == 1 else None

    def choice(self) -> tuple[str, bool]:
        """(attend_as, waitlist_ok) for the services."""
        how: str = self.cleaned_data["how"]
        if how.endswith(WAITLIST):
            return how.removesuffix(WAITLIST), True
        return how, False


class MemberRsvpForm(RsvpForm):
    changeable_hint = _("You can change this later on this page.")

    listed = forms.BooleanField(
        label=_("Show my name to other members as coming"),
        required=False,
    )


class GuestRsvpForm(RsvpForm):
    changeable_hint = _("You can change this later with the link in your confirmation email.")

    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        error_messages={
            "required": _("Tell us your name, so we know who to expect."),
            "max_length": _("Keep your name under %(limit_value)d characters."),
        },
    )
    email = CanonicalEmailField(
        label=_("Email"),
        help_text=_("For your confirmation and a link to change or cancel. Never shown to others."),
        error_messages={
            "required": _("We need an email address to send your confirmation."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
    organization = forms.CharField(
        label=_("Organization or group (optional)"), max_length=120, required=False
    )

    field_order = ["name", "email", "organization", "how"]


class ConfirmForm(forms.Form):
    """A one-button POST (cancel an RSVP)."""
