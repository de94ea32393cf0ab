"""Forms for personal calendar feeds: what the feed shows, and a new secret address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.models import FeedToken


class FeedOptionsForm(forms.ModelForm):
    class Meta:
        model = FeedToken
        fields = ["include_all"]
        labels = {"include_all": _("Also show the sessions I haven't answered for")}
        help_texts = {
            "include_all": (
                _("They appear without joining details; RSVP on the site to get the link.")
            )
        }


class NewAddressForm(forms.Form):
    """A one-button POST: replace the feed's secret address."""
