from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from cop_portal.lib.markdown import render_markdown
from cop_portal.lib.translated import Translated, translated

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


@register.filter(name="translation")
def translation_filter(obj: Any, field: str) -> Translated:
    """{% with agenda=session|translation:"agenda" %}: the text in the reader's language,
    or the other one's with `.fallback`, `.language` and `.note` ("(in English)")."""
    return translated(obj, field)


@register.filter(name="translated")
def translated_filter(obj: Any, field: str) -> SafeString:
    """{{ session|translated:"title" }}: the text, escaped; when it is the other
    language's, wrapped in its `lang` and followed by the note "(in English)"."""
    found = translated(obj, field)
    if not found.fallback:
        return conditional_escape(found.text)
    return format_html(
        '<span lang="{}">{}</span> <span class="translation-note">{}</span>',
        found.language,
        found.text,
        found.note,
    )


@register.filter(name="translated_text")
def translated_text_filter(obj: Any, field: str) -> str:
    """{{ session|translated_text:"title" }} for plain text (emails, <title>, attributes):
    "Title (in English)" when it is the other language's."""
    found = translated(obj, field)
    return f"{found.text} {found.note}" if found.fallback else found.text
