"""Fan-out: one piece of news (a `Dispatch`) becomes one outbox row per recipient, in
the worker, in batches.

The request that publishes sessions or posts a reply writes one `Dispatch` row and
counts the recipients (one COUNT query), whatever their number; a task then walks the
recipients in batches of FANOUT_BATCH, ordered by id, each batch committed with the
dispatch's cursor, so a worker that stops halfway is resumed where it stopped, and
rows already queued are never queued twice (their keys name the dispatch and the
recipient). Each app registers an expander for the kinds it fans out.
"""

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cop_portal.mail import outbox
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Dispatch, OutgoingEmail

FANOUT_BATCH = 500

# (dispatch, after cursor, limit) -> [(cursor of this recipient, outbox row)], in order.
Expander = Callable[[Dispatch, int, int], Sequence[tuple[int, OutgoingEmail]]]

_expanders: dict[str, Expander] = {}


def expander(kind: MailKind) -> Callable[[Expander], Expander]:
    def register(function: Expander) -> Expander:
        _expanders[MailKind(kind).value] = function
        return function

    return register


def start(
    kind: MailKind, *, label: str, params: dict[str, Any], planned: int, topics: Sequence[str]
) -> Dispatch:
    """Record a fan-out in the current transaction; it is expanded after the commit.

    Side effects: inserts a Dispatch row; enqueues the expansion task on commit.
    """
    dispatch = Dispatch.objects.create(
        kind=MailKind(kind).value,
        label=label[:200],
        params=params,
        planned=planned,
        topics=" " + " ".join(topics) + " " if topics else "",
    )
    outbox.dispatch_after_commit(dispatch)
    return dispatch


def expand(dispatch_id: int, *, batch: int = FANOUT_BATCH) -> int:
    """Queue the emails of this fan-out, batch by batch; returns how many were queued
    by this call. Safe to run twice at once: each batch locks the dispatch row
    (PostgreSQL; SQLite's IMMEDIATE transactions lock the whole database)."""
    queued = 0
    while True:
        with transaction.atomic():
            dispatch = Dispatch.objects.select_for_update().filter(pk=dispatch_id).first()
            if dispatch is None or dispatch.expanded_at is not None:
                return queued
            pairs = _expanders[dispatch.kind](dispatch, dispatch.cursor, batch)
            if not pairs:
                dispatch.expanded_at = timezone.now()
                dispatch.save(update_fields=["expanded_at"])
                return queued
            outbox.queue(row for _cursor, row in pairs)
            dispatch.cursor = pairs[-1][0]
            dispatch.queued += len(pairs)
            dispatch.save(update_fields=["cursor", "queued"])
            queued += len(pairs)


def stalled(older_than_seconds: int = 120) -> list[int]:
    """Fan-outs not finished some time after they were made (the task was lost, or its
    worker stopped): the periodic round expands them again."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Dispatch.objects.filter(expanded_at__isnull=True, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
