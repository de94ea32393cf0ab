from django import template
from django.utils.safestring import SafeString

from cop_portal.lib.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ session.agenda|markdown }}: sanitized HTML from Markdown."""
    return render_markdown(text)
