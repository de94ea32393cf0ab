"""What the organizer pages share: the session by its slug, form status codes, the
per-organizer mail limit, and the note after a publish that announced sessions."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.forms import BaseForm
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy, ngettext

from cop_portal.mail.kinds import MailKind
from cop_portal.mail.selectors import latest_fanout
from sessions_app.models import Session
from sessions_app.rate_limits import organizer_notify_allowed


def get_session_for_organizer(slug: str) -> Session:
    """The session with its venue and series (404 when there is none)."""
    return get_object_or_404(Session.objects.select_related("venue", "series"), slug=slug)


def form_status(*forms: object) -> int:
    """400 when something submitted has errors, so clients and tests can tell."""
    bound = [form for form in forms if getattr(form, "is_bound", False)]
    return 400 if any(not form.is_valid() for form in bound) else 200  # type: ignore[attr-defined]


# Publishing, editing and cancelling email people: past the per-organizer limit, nothing
# is saved and the form says why.
TOO_MANY = gettext_lazy(
    "You've made many changes that email people in a short time. Please wait a while "
    "and try again; nothing was changed."
)


def over_organizer_limit(request: HttpRequest, form: BaseForm) -> bool:
    """Whether this organizer is over the limit; if so, the form carries the message."""
    if organizer_notify_allowed(request):
        return False
    form.add_error(None, TOO_MANY)
    return True


def announced_note(session: Session) -> str:
    """ " Announcement queued for 1,234 people." after a publish that announced it."""
    fanout = latest_fanout(MailKind.SESSIONS_ANNOUNCED, f"session:{session.pk}")
    if fanout is None or not fanout.planned:
        return ""
    return " " + ngettext(
        "Announcement queued for %(count)s person.",
        "Announcement queued for %(count)s people.",
        fanout.planned,
    ) % {"count": intcomma(fanout.planned)}
