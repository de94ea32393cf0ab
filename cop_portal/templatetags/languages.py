"""The layout's language links: hreflang alternates and the language buttons."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.utils import translation

from cop_portal.lib.language import address_in, return_path

register = template.Library()


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    href: str


@dataclass(frozen=True)
class Choice:
    code: str
    # In its own language ("Español"), as people look for it.
    name: str
    current: bool


@register.simple_tag(takes_context=True)
def language_alternates(context: dict[str, Any]) -> list[Alternate]:
    """{% language_alternates as alternates %}: this page in each language (`?lang=`)
    and, as x-default, the address that follows the reader's choice. None without a
    request (the 500 page)."""
    request = context.get("request")
    if request is None:
        return []
    alternates = [Alternate(code, address_in(request, code)) for code, _name in settings.LANGUAGES]
    return [*alternates, Alternate("x-default", address_in(request, None))]


@register.simple_tag(takes_context=True)
def language_choices(context: dict[str, Any]) -> list[Choice]:
    """{% language_choices as choices %}: the portal's languages, the current one marked."""
    current = translation.get_language()
    return [Choice(code, name, code == current) for code, name in settings.LANGUAGES]


@register.simple_tag(takes_context=True)
def language_return_path(context: dict[str, Any]) -> str:
    """{% language_return_path %}: the `next` of the language buttons."""
    request = context.get("request")
    return return_path(request) if request is not None else "/"
