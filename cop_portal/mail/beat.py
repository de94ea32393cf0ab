"""The worker's periodic round, without cron.

A `beat` task runs every MAIL_BEAT_SECONDS: it gives back messages held past their
lease, resumes stalled fan-outs, runs the jobs apps register (reminders), delivers what
is due (retries included) and, once a day, prunes old results. It enqueues the next
beat itself (`run_after`); the `Beat` row makes sure that, however many chains of beats
are going (two workers each started one), each round runs once: a round runs only if
its UPDATE of the row's due time wins. A chain that stopped (its worker was killed
mid-round) is started again by the next worker to start, and by every delivery task.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cop_portal.mail.models import Beat

logger = logging.getLogger(__name__)

ROUND = "mail"
PRUNE = "prune"

_jobs: list[Callable[[], object]] = []


def every_round(job: Callable[[], object]) -> Callable[[], object]:
    """Register a job for each round (apps do so in their AppConfig.ready)."""
    if job not in _jobs:
        _jobs.append(job)
    return job


def jobs() -> list[Callable[[], object]]:
    return list(_jobs)


def claim(name: str, every: timedelta, now: datetime | None = None) -> bool:
    """Take this round for this caller if it is due; False if it isn't, or someone else
    took it."""
    now = now or timezone.now()
    taken = Beat.objects.filter(name=name, due_at__lte=now).update(
        due_at=now + every, last_run_at=now
    )
    if taken:
        return True
    if Beat.objects.filter(name=name).exists():
        return False
    try:
        with transaction.atomic():
            Beat.objects.create(name=name, due_at=now + every, last_run_at=now)
    except IntegrityError:
        return False  # made at the same moment by another worker, which runs the round
    return True


def interval() -> timedelta:
    return timedelta(seconds=settings.MAIL_BEAT_SECONDS)


def is_stopped(now: datetime | None = None) -> bool:
    """Whether no round has run for two intervals (or ever)."""
    now = now or timezone.now()
    due_at = Beat.objects.filter(name=ROUND).values_list("due_at", flat=True).first()
    return due_at is None or due_at < now - interval()
