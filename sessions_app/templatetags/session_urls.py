"""{% session_url "sessions:session-edit" session %}: a session's page address by name,
through cop_portal.lib.urls.reverse_slug (one reverse() per URL name, the slug put in),
for lists that link each of their rows several ways: {% url %} costs about 0.1 ms a
link, 250 of them on the organizers' list of 50 sessions."""

from django import template

from cop_portal.lib.urls import reverse_slug
from sessions_app.models import Session

register = template.Library()


@register.simple_tag
def session_url(name: str, session: Session) -> str:
    """The address of the URL `name`, whose one argument is the session's slug."""
    return reverse_slug(name, session.slug)
