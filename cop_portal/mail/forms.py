from django import forms


class RetryForm(forms.Form):
    """Try failed emails again: one (its id) or, without one, every failed email."""

    email = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
