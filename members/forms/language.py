from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    """The language buttons in the header and footer (and `next`, checked by Django's
    set_language, which sends the person back there)."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose English or Spanish.")},
    )
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
