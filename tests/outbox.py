"""Test helpers: queue emails as the services do, then do the worker's part at once."""

from collections.abc import Iterable

from django.db import transaction

from cop_portal.mail import delivery, fanout
from cop_portal.mail.delivery import Outcome
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Dispatch
from sessions_app.models import Rsvp

# The site's address in the links emails and feeds carry (the site_url fixture sets it).
SITE = "https://cop.example.org"


def work() -> Outcome:
    """What a worker would do now: expand every fan-out not yet expanded, then send
    every message that is due."""
    for dispatch_id in Dispatch.objects.filter(expanded_at__isnull=True).values_list(
        "pk", flat=True
    ):
        fanout.expand(dispatch_id)
    return delivery.deliver_due()


def send_rsvp_emails(kind: MailKind, rsvps: Iterable[Rsvp]) -> Outcome:
    """Queue one email of this kind per RSVP, as the services do, then send it."""
    from sessions_app.notifications import notify

    rsvps = list(rsvps)
    for rsvp in rsvps:
        rsvp.refresh_from_db()
    with transaction.atomic():
        notify(kind, rsvps)
    return work()


def send_reply_emails(reply) -> Outcome:
    """Queue the emails about a reply, as reply_create does, then expand and send them."""
    from practice_library.notifications import notify_reply

    with transaction.atomic():
        notify_reply(reply)
    return work()


def send_visit_request_email(visit_request) -> Outcome:
    """Queue the email to the host, as visit_request_create does, then send it."""
    from practice_library.notifications import notify_visit_request

    with transaction.atomic():
        notify_visit_request(visit_request, visit_request.post.author)
    return work()
