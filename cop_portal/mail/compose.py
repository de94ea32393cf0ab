"""The one place that builds an outgoing message: subject, plain text and HTML from the
templates of its kind (every HTML email extends `emails/base.html`, every text one
`emails/base.txt`), the footer with its unsubscribe link, the List-Unsubscribe headers,
and a calendar invitation where one belongs.
"""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cop_portal.mail import preferences
from cop_portal.mail.kinds import MailKind


class CalendarEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries the iTIP `method` parameter.

    Gmail and Outlook show their "add to calendar" card only for a text/calendar part
    inside the multipart/alternative whose `method` matches the file's METHOD; Django's
    `attach_alternative` takes a bare MIME type, so the parameter is set here.
    """

    calendar_method: str | None = None

    def attach_invitation(self, data: bytes, method: str) -> None:
        self.calendar_method = method
        self.attach_alternative(data.decode(), "text/calendar")
        # Some clients only look at attachments: the same file, as invite.ics.
        self.attach("invite.ics", data, "application/ics")

    def message(self) -> Any:
        msg = super().message()
        if self.calendar_method:
            for part in msg.walk():
                if part.get_content_type() == "text/calendar":
                    part.set_param("method", self.calendar_method)
        return msg


def compose(
    kind: MailKind,
    *,
    to: str,
    context: dict[str, Any],
    preference: str | None,
    optional: bool,
    member: bool,
    language: str,
    reply_to: list[str] | None = None,
    invitation: tuple[bytes, str] | None = None,
) -> CalendarEmail:
    """Render one email of this kind to one address.

    `preference` is the kind of optional email its footer and List-Unsubscribe header
    let the reader stop (`optional` says whether this email itself is one of them);
    None for a transactional email that belongs to no kind (the organizers' reports
    email, a report's outcome): no unsubscribe line, no List-Unsubscribe header, since
    stopping some other kind of email would not stop this one. `member` adds a link to
    the preferences page. `invitation` is an iCalendar file
    and its iTIP method (build it inside `translation.override(language)` too). Dates
    read as the site's local time, whoever caused the email; everything is written in
    `language`, the reader's (see sessions_app.notifications.rsvp_language and
    members' `User.language`), whoever caused the email.
    """
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        **preferences.footer_context(to, preference, optional=optional, member=member),
        **context,
    }
    with timezone.override(ZoneInfo(settings.TIME_ZONE)), translation.override(language):
        subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
        context["subject"] = subject
        context["language"] = translation.get_language()
        text = render_to_string(f"emails/{kind}.txt", context)
        html = render_to_string(f"emails/{kind}.html", context)
    message = CalendarEmail(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to,
        headers=preferences.unsubscribe_headers(to, preference) if preference else {},
    )
    message.attach_alternative(html, "text/html")
    if invitation is not None:
        data, method = invitation
        message.attach_invitation(data, method)
    return message


@dataclass(frozen=True)
class Preview:
    """An email as its reader would get it, shown to the organizer before it goes."""

    subject: str
    body: str


# Who a preview greets: it has no one reader.
PREVIEW_NAME = gettext_lazy("(their name)")


def preview(kind: MailKind, *, context: dict[str, Any], preference: str, optional: bool) -> Preview:
    """The subject and plain text of an email of this kind, rendered like `compose` does
    but for no one reader: the greeting and the unsubscribe link are placeholders, so no
    preference row (or anything else) is made. In the active language: the organizer's
    page's, not any one reader's."""
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "recipient_name": str(PREVIEW_NAME),
        "unsubscribe_url": _("(their own unsubscribe link)"),
        "unsubscribe_what": preferences.STOP_WORDS[preferences.Preference(preference)],
        "email_is_optional": optional,
        "preferences_url": preferences.preferences_url(),
    }
    with timezone.override(ZoneInfo(settings.TIME_ZONE)):
        subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
        context["subject"] = subject
        context["language"] = translation.get_language()
        text = render_to_string(f"emails/{kind}.txt", context)
    return Preview(subject=f"[{settings.SITE_NAME}] {subject}", body=text)
