"""Operators' and organizers' actions on the outbox."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cop_portal.mail import outbox
from cop_portal.mail.models import EmailStatus, OutgoingEmail


@transaction.atomic
def emails_retry(*, ids: Iterable[int] | None = None) -> int:
    """Give failed emails (these, or all of them) a new day of attempts, starting now.
    Returns how many. Emails that are not failed are left as they are.

    Side effects: updates outbox rows; enqueues delivery after the commit.
    """
    now = timezone.now()
    rows = OutgoingEmail.objects.filter(status=EmailStatus.FAILED)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    count = rows.update(
        status=EmailStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        give_up_at=outbox.give_up_at(now),
        finished_at=None,
        claim="",
        lease_until=None,
    )
    if count:
        outbox.deliver_after_commit()
    return count


def emails_forget(*, address: str) -> int:
    """Delete every email to this address that is still on record (the person deleted
    their account). Returns how many.

    Side effects: deletes outbox rows.
    """
    deleted, _ = OutgoingEmail.objects.filter(to__iexact=address).delete()
    return deleted
