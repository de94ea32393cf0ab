"""Putting messages in the outbox, and the renderers that turn them into email.

Every app queues its emails here, inside the transaction of the change that causes
them: the rows commit with the change or not at all, and a task delivers them after the
commit (cop_portal.mail.delivery). Each app registers, for each kind it sends, a
renderer that the worker calls with a batch of rows and that answers, for each, the
message to send or `Skip` (the news no longer applies, the person switched it off, a
limit holds it back). Renderers read the database as it is at send time.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Dispatch, OutgoingEmail


@dataclass(frozen=True)
class Skip:
    """A queued email that is not sent, and why (shown to organizers and in the log)."""

    reason: str


Rendered = EmailMessage | Skip
Renderer = Callable[[Sequence[OutgoingEmail]], Iterable[tuple[OutgoingEmail, Rendered]]]

_renderers: dict[str, Renderer] = {}


def renderer(*kinds: MailKind) -> Callable[[Renderer], Renderer]:
    """Register a function that renders batches of these kinds. Apps register theirs in
    their AppConfig.ready (by importing their notifications module)."""

    def register(function: Renderer) -> Renderer:
        for kind in kinds:
            _renderers[MailKind(kind).value] = function
        return function

    return register


def one_by_one(
    render_one: Callable[[OutgoingEmail], Rendered],
) -> Renderer:
    """A batch renderer from a function that renders one row."""

    def render(rows: Sequence[OutgoingEmail]) -> Iterator[tuple[OutgoingEmail, Rendered]]:
        for row in rows:
            yield row, render_one(row)

    return render


def renderer_for(kind: str) -> Renderer:
    try:
        return _renderers[kind]
    except KeyError:
        raise LookupError(f"No renderer is registered for {kind!r} emails.") from None


def give_up_at(now: datetime) -> datetime:
    return now + timedelta(hours=settings.MAIL_RETRY_HOURS)


def email(
    kind: MailKind,
    *,
    to: str,
    key: str,
    params: dict[str, Any] | None = None,
    topic: str = "",
    dispatch: Dispatch | None = None,
    now: datetime | None = None,
) -> OutgoingEmail:
    """An unsaved outbox row (for `queue`)."""
    now = now or timezone.now()
    return OutgoingEmail(
        key=key[:200],
        kind=MailKind(kind).value,
        to=to,
        params=params or {},
        topic=topic,
        dispatch=dispatch,
        created_at=now,
        next_attempt_at=now,
        give_up_at=give_up_at(now),
    )


def queue(rows: Iterable[OutgoingEmail]) -> int:
    """Save these rows in the current transaction, leaving out any whose key is already
    queued (the same change saved twice), and deliver them after the commit. Returns how
    many rows were given (those already queued included).

    Side effects: inserts outbox rows; enqueues the delivery task on commit.
    """
    rows = list(rows)
    if not rows:
        return 0
    OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    deliver_after_commit()
    return len(rows)


def deliver_after_commit() -> None:
    """Enqueue a delivery task when the current transaction commits (at once outside
    one). If the queue can't take it, the rows wait for the worker's next round."""
    transaction.on_commit(_enqueue_delivery, robust=True)


def _enqueue_delivery() -> None:
    from cop_portal.mail import tasks

    tasks.enqueue(tasks.deliver)


def dispatch_after_commit(dispatch: Dispatch) -> None:
    """Expand this fan-out into emails after the commit (cop_portal.mail.fanout)."""

    def enqueue() -> None:
        from cop_portal.mail import tasks

        tasks.enqueue(tasks.expand, dispatch.pk)

    transaction.on_commit(enqueue, robust=True)
