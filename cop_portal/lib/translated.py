"""Texts organizers give in each language (django-modeltranslation fields), with the
language they are really in: when the reader's language has none, the other one is
shown and marked as such ("(in English)"), with its own `lang` for screen readers."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Translated:
    text: str
    language: str
    # The reader's language had no text: this is the other one's.
    fallback: bool

    @property
    def note(self) -> str:
        """ "(in English)" for a fallback, "" otherwise."""
        if not self.fallback:
            return ""
        name = translation.get_language_info(self.language)["name_translated"]
        return _("(in %(language)s)") % {"language": name.lower()}

    def __str__(self) -> str:
        return self.text


def translated(obj: Any, field: str, *, language: str | None = None) -> Translated:
    """`obj.<field>` in `language` (the active one by default), else in the first
    language that has it."""
    wanted = language or translation.get_language() or settings.LANGUAGE_CODE
    wanted = translation.get_supported_language_variant(wanted)
    order = [wanted] + [code for code, _name in settings.LANGUAGES if code != wanted]
    for code in order:
        text = getattr(obj, f"{field}_{code}", None)
        if text:
            return Translated(text=text, language=code, fallback=code != wanted)
    return Translated(text="", language=wanted, fallback=False)
