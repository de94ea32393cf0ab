from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from cop_portal.lib.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ session.agenda|markdown }}: sanitized HTML from Markdown."""
    return render_markdown(text)


@register.filter(name="iso")
def iso_filter(value: datetime | date | None) -> str:
    """<time datetime="{{ moment|iso }}">: ISO 8601 in local time, whole seconds and a
    "-05:00" offset, as HTML's datetime attribute accepts (Django's "c" adds microseconds)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@register.filter(name="full_stop", is_safe=True)
def full_stop_filter(text: object) -> str:
    """{{ name|full_stop }} ends a sentence with a name or phrase: a full stop is added
    unless the text ends with one already (or "!", "?", "…"), so that a member called
    "Robin T." is not written "Robin T.."."""
    text = str(text)
    return text if text.rstrip().endswith((".", "!", "?", "…")) else f"{text}."
