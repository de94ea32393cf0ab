"""Shared parts of pages, kept once for every viewer until content changes.

A signed-in member's page is rendered for them, but most of it is what every other
viewer sees too: an activity's guide, a post's replies, the cards of a session list.
Such a part is wrapped in Django's own fragment cache, varied on `fragment_version`:

    {% load cache %}
    {% cache None "post-replies" post.pk fragment_version using="fragments" %}
      ... nothing that depends on who is looking ...
    {% endcache %}

`fragment_version` is the content version (cop_portal.lib.content_version) and the
language, so one change to anything public pages show, or another language, makes every
kept part stale at once, as for visitors' kept pages. Parts that also change with time
(what counts as "upcoming", "in 2 days") add the moment they stop being true to their
key, or a timeout.

What may never be inside a kept part: a CSRF token (`{% csrf_token %}`, a form that
posts), the viewer's name, RSVP, follow, role-dependent buttons, or anything else that
differs between two viewers. Those are rendered around the part, per request.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from cop_portal.lib.content_version import content_version

CACHE_ALIAS = "fragments"


def fragment_version() -> str:
    """What every kept part is stored under: the content version and the language."""
    return f"{content_version()}-{get_language()}"


def fragment_version_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `fragment_version`, read only when a template uses it."""
    return {"fragment_version": SimpleLazyObject(fragment_version)}
