"""allauth's emails (sign-up confirmation, log-in codes, password resets, address
changes) through the outbox, like every other email.

Their links and codes exist only in the rendered text, so the message is rendered in
the request (members.adapter) and its parts kept in the outbox row until it is sent;
delivery then blanks them (cop_portal.mail.delivery). Each row is its own cause: two
log-in codes asked for are two emails.
"""

import uuid
from collections.abc import Iterator, Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives

from cop_portal.mail import outbox
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import OutgoingEmail
from cop_portal.mail.outbox import Rendered, Skip


def account_email_queue(message: EmailMessage) -> None:
    """Queue an email allauth rendered.

    Side effects: inserts an outbox row holding the message's text.
    """
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
    params = {
        "subject": message.subject,
        "body": message.body,
        "html": str(html),
        "from": message.from_email,
        "headers": dict(message.extra_headers),
    }
    to = message.to[0]
    key = f"{MailKind.ACCOUNT}:{uuid.uuid4().hex}"
    outbox.queue([outbox.email(MailKind.ACCOUNT, to=to, key=key, params=params)])


@outbox.renderer(MailKind.ACCOUNT)
def render(rows: Sequence[OutgoingEmail]) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    for row in rows:
        params = row.params
        if not params.get("subject"):
            yield row, Skip("Its text was already sent and blanked.")
            continue
        message = EmailMultiAlternatives(
            subject=params["subject"],
            body=params.get("body", ""),
            from_email=params.get("from") or None,
            to=[row.to],
            headers=params.get("headers") or {},
        )
        if params.get("html"):
            message.attach_alternative(params["html"], "text/html")
        yield row, message
