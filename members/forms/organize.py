"""Forms for the organizers' member list: the search and filters, and the role buttons."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 100


class MemberFilterForm(forms.Form):
    """The list's GET parameters. Every box is optional; a blank form lists everyone."""

    q = forms.CharField(
        label=_("Name or email"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={
            "max_length": format_lazy(
                _("Keep the search under {limit} characters."), limit=MAX_QUERY_LENGTH
            ),
            "null_characters_not_allowed": _("Remove the unusual characters from the search."),
        },
    )
    organizers = forms.BooleanField(label=_("Organizers only"), required=False)
    contact_ok = forms.BooleanField(label=_("Agreed to be contacted only"), required=False)

    # The GET parameters the list understands, kept when a role button sends you back.
    KEEP = ("q", "organizers", "contact_ok", "page")


class OrganizerRoleForm(forms.Form):
    """One row's button. The action is explicit, so a double tap doesn't toggle back."""

    MAKE = "make"
    REMOVE = "remove"

    action = forms.ChoiceField(
        choices=[(MAKE, _("Make organizer")), (REMOVE, _("Remove organizer"))]
    )

    @property
    def value(self) -> bool:
        return self.cleaned_data["action"] == self.MAKE
