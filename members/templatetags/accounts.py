"""Filters for the account pages (templates/account, templates/allauth): allauth's
labels and password help said the way the rest of the site says things."""

import re

from django import template
from django.forms import BoundField, PasswordInput

from members.forms.account import password_rules

register = template.Library()

# "Remember Me", "New Password (again)": a capitalised word after the first one,
# lowercased unless it is an acronym or a name written in mixed case ("CoP").
_TITLE_WORD = re.compile(r"(?<=\s)([A-Z])([a-z]+)\b")


@register.filter
def sentence_case(label: str) -> str:
    """allauth's Title Case labels and headings in sentence case."""
    return _TITLE_WORD.sub(lambda m: m.group(1).lower() + m.group(2), str(label))


@register.filter
def field_help(field: BoundField) -> str:
    """A field's help, with a new password's rules in one sentence rather than Django's
    list of each validator's. Like Django's own field template, the template shows help
    unescaped (it is the code's text, and allauth's "Forgot your password?" is a link)."""
    widget = field.field.widget
    new_password = (
        isinstance(widget, PasswordInput) and widget.attrs.get("autocomplete") == "new-password"
    )
    if new_password and field.help_text:  # not on "Password (again)", which has none
        return password_rules()
    return field.help_text or ""
