"""The background tasks of outgoing mail, on Django's Tasks API (django-tasks).

`deliver` sends what is due; `expand` turns a fan-out into emails; `beat` is the
periodic round (cop_portal.mail.beat). The tasks keep their state in the outbox, not in
the queue: a task that is lost (Redis restarted, a worker killed mid-task) loses no
email, as the next round finds the rows still waiting.
"""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django_tasks import task

from cop_portal.mail import beat as rounds
from cop_portal.mail import delivery, fanout
from cop_portal.mail.models import Dispatch, EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)


def enqueue(the_task: Any, *args: Any) -> None:
    """Enqueue a task, never raising: if the queue can't take it (Redis is down), the
    rows it would have handled wait in the database for the next round."""
    try:
        the_task.enqueue(*args)
    except Exception:
        logger.exception("Could not enqueue %s%s; the next round will do it.", the_task.name, args)


def can_schedule() -> bool:
    """Whether the backend runs tasks later (`run_after`). The immediate backend (tests)
    can't: there, nothing is scheduled and rounds run only when called."""
    return bool(beat.get_backend().supports_defer)


@task()
def deliver() -> dict[str, int]:
    """Send every message that is due."""
    outcome = delivery.deliver_due()
    start_rounds_if_stopped()
    return {
        "sent": outcome.sent,
        "skipped": outcome.skipped,
        "failed": outcome.failed,
        "retrying": outcome.retrying,
    }


@task()
def expand(dispatch_id: int) -> int:
    """Turn one fan-out into emails, then send them."""
    return fanout.expand(dispatch_id)


@task()
def beat() -> str:
    """One periodic round, then the next one scheduled."""
    if not rounds.claim(rounds.ROUND, rounds.interval()):
        return "another worker has this round"
    try:
        run_round()
    finally:
        schedule_next_round()
    return "done"


def run_round() -> None:
    """What each round does. Each step stands alone: one failing doesn't stop the rest."""
    steps: list[Any] = [delivery.release_expired, _resume_fanouts, *rounds.jobs()]
    for step in steps:
        try:
            step()
        except Exception:
            logger.exception("The periodic step %s failed.", getattr(step, "__name__", step))
    try:
        delivery.deliver_due()
    except Exception:
        logger.exception("Delivering due emails failed in the periodic round.")
    if rounds.claim(rounds.PRUNE, timedelta(days=1)):
        try:
            prune()
        except Exception:
            logger.exception("Pruning old emails and tasks failed.")


def _resume_fanouts() -> None:
    for dispatch_id in fanout.stalled():
        fanout.expand(dispatch_id)


def schedule_next_round() -> None:
    if not can_schedule():
        return
    run_after = timezone.now() + rounds.interval() + timedelta(seconds=1)
    enqueue(beat.using(run_after=run_after))


def start_rounds_if_stopped() -> None:
    """Start the chain of rounds if none is going (a new site, or its worker was
    killed in the middle of a round)."""
    if can_schedule() and rounds.is_stopped():
        enqueue(beat)


def start_rounds_when_worker_starts() -> None:
    """Called once, a moment after a worker process starts (cop_portal.mail.apps)."""
    try:
        start_rounds_if_stopped()
    except Exception:
        logger.exception("Could not start the periodic round.")
    finally:
        # This runs in a thread of its own: its connection is closed, not left to a
        # process that may fork (RQ's work horses).
        connections.close_all()


def prune(now: Any = None) -> dict[str, int]:
    """Delete sent and skipped emails after MAIL_KEEP_DAYS, finished fan-outs with
    nothing left to show, and task results finished (or left running by a killed
    worker) more than TASKS_KEEP_DAYS ago. Failed emails stay until an organizer
    retries them."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MAIL_KEEP_DAYS)
    emails, _ = OutgoingEmail.objects.filter(
        status__in=[EmailStatus.SENT, EmailStatus.SKIPPED], finished_at__lt=cutoff
    ).delete()
    dispatches, _ = (
        Dispatch.objects.filter(created_at__lt=cutoff, expanded_at__isnull=False)
        .exclude(emails__isnull=False)
        .delete()
    )
    tasks = 0
    if "django_tasks_db" in settings.INSTALLED_APPS:
        from django_tasks_db.models import DBTaskResult

        task_cutoff = now - timedelta(days=settings.TASKS_KEEP_DAYS)
        tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=task_cutoff).delete()
        # A worker killed mid-task leaves its task "running" for ever; the outbox does
        # not depend on it (the emails were given back), so old ones go too.
        dead, _ = DBTaskResult.objects.running().filter(started_at__lt=task_cutoff).delete()
        tasks += dead
    return {"emails": emails, "dispatches": dispatches, "tasks": tasks}
