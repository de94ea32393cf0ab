"""What organizers and operators see of outgoing mail: counts by status, the failed
emails, recent fan-outs, the task queue."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Dispatch, EmailStatus, OutgoingEmail


@dataclass(frozen=True)
class Delivery:
    """Emails by how far they got."""

    sent: int = 0
    waiting: int = 0  # queued or being sent
    failed: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.waiting + self.failed + self.skipped


# Delivery's fields and the statuses each counts.
_STATUSES = {
    "sent": [EmailStatus.SENT],
    "waiting": [EmailStatus.QUEUED, EmailStatus.SENDING],
    "failed": [EmailStatus.FAILED],
    "skipped": [EmailStatus.SKIPPED],
}


def _counts(path: str = "") -> dict[str, Count]:
    """Emails counted by status, reached through `path` ("emails__" from a Dispatch)."""
    return {
        name: Count(f"{path}pk", filter=Q(**{f"{path}status__in": statuses}))
        for name, statuses in _STATUSES.items()
    }


def _delivery(rows: QuerySet[OutgoingEmail]) -> Delivery:
    return Delivery(**rows.aggregate(**_counts()))


def with_delivery(dispatches: QuerySet[Dispatch]) -> QuerySet[Dispatch]:
    """Each fan-out with its emails counted by status (`sent`, `waiting`, `failed`,
    `skipped`, as in Delivery), in the same query."""
    return dispatches.annotate(**_counts("emails__"))


def delivery_overall() -> Delivery:
    """Every email still on record (sent ones are pruned after MAIL_KEEP_DAYS), counted
    per status: a walk of the (status, next attempt) index, not of the rows."""
    by_status = dict(OutgoingEmail.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return Delivery(
        **{
            name: sum(by_status.get(status, 0) for status in statuses)
            for name, statuses in _STATUSES.items()
        }
    )


def delivery_about(topic: str) -> Delivery:
    """Emails about one thing ("session:12"): its own (RSVP news, reminders) and the
    fan-outs that name it (announcements). One query."""
    return _delivery(
        OutgoingEmail.objects.filter(Q(topic=topic) | Q(dispatch__topics__contains=f" {topic} "))
    )


def latest_fanout(kind: MailKind, topic: str) -> Dispatch | None:
    return Dispatch.objects.filter(kind=kind, topics__contains=f" {topic} ").order_by("-pk").first()


def failed_emails(limit: int = 200) -> list[OutgoingEmail]:
    return list(
        OutgoingEmail.objects.filter(status=EmailStatus.FAILED)
        .defer("params")
        .order_by("-finished_at", "-pk")[:limit]
    )


def recent_fanouts(limit: int = 10) -> list[Dispatch]:
    """The latest fan-outs, each with its emails counted by status: the latest are
    picked first (a subquery) and only their emails counted; counting every fan-out's
    emails before keeping ten read the whole outbox. One query."""
    latest = Dispatch.objects.order_by("-created_at", "-pk").values("pk")[:limit]
    chosen = with_delivery(Dispatch.objects.filter(pk__in=latest))
    return list(chosen.order_by("-created_at", "-pk"))


def task_counts() -> dict[str, Any]:
    """The task queue by status, where it can be read from the database (the database
    backend); for RQ, the queue's length in Redis."""
    backend = settings.TASKS_BACKEND
    if backend == "database":
        from django_tasks_db.models import DBTaskResult

        rows = DBTaskResult.objects.values_list("status").annotate(n=Count("pk"))
        counts = {status.lower(): n for status, n in rows}
        return {"backend": "database", "counts": counts}
    if backend == "rq":
        import django_rq

        queue = django_rq.get_queue("default")
        return {
            "backend": "rq",
            "counts": {
                "ready": queue.count,
                "scheduled": queue.scheduled_job_registry.count,
                "running": queue.started_job_registry.count,
                "failed": queue.failed_job_registry.count,
                "successful": queue.finished_job_registry.count,
            },
        }
    return {"backend": backend, "counts": {}}
