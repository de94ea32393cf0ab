"""Real worker processes deliver the outbox: `manage.py db_worker` (the database queue,
on this test's database: the SQLite file, or PostgreSQL in CI) and `manage.py rqworker`
(Redis, at TEST_REDIS_URL; skipped without it, except under CI), each sending to an SMTP
sink in this process (tests/smtp_sink.py).

This process enqueues through the same backend as the worker (the `TASKS` setting is
overridden here: the suite's own backend runs tasks in the request), so a request's
emails reach the worker as in production. Every worker is stopped when its test ends.

The RQ tests use the queue named "default" of the test Redis database and empty it
afterwards: two runs of them at the same moment on one Redis would share it.
"""

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django_tasks import default_task_backend
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from cop_portal.mail import outbox
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Beat, EmailPreference, EmailStatus, OutgoingEmail
from members.models import User
from sessions_app.announcements import announce
from tests.factories import make_session
from tests.live_database import database_url
from tests.redis_server import REDIS_URL, redis_or_skip
from tests.smtp_sink import Sink

ROOT = Path(__file__).resolve().parents[3]
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
DB_WORKER = ["db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1"]
RQ_WORKER = ["rqworker", "--with-scheduler", "--job-class", "django_tasks_rq.Job"]
GUEST = {"name": "Gia Guest", "email": "gia@example.org", "organization": "", "how": "online"}

pytestmark = pytest.mark.django_db(transaction=True)


def worker_environment(sink: Sink, **extra: str) -> dict[str, str]:
    """The test settings on the database queue, this test's database, the sink as the
    mail server. `extra` overrides (MAIL_LEASE_SECONDS=...)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="cop_portal.settings_test",
        TASKS_BACKEND="database",
        DATABASE_URL=database_url(),
        CONN_MAX_AGE="0",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        EMAIL_TIMEOUT="5",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


def rq_worker_environment(sink: Sink, **extra: str) -> dict[str, str]:
    """Production settings on RQ: the test settings leave Redis out of the suite."""
    return worker_environment(
        sink,
        DJANGO_SETTINGS_MODULE="cop_portal.settings",
        TASKS_BACKEND="rq",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"test-{secrets.token_hex(4)}",
        SECRET_KEY="mail-workers-" + "s" * 50,
        ALLOWED_HOSTS="testserver",
        HTTPS="0",
        DEBUG="0",
        **extra,
    )


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """As the operating system kills a process: no clean-up at all."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        # Whatever it started in its group too (rq's scheduler and work horses).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def workers(transactional_db, tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start a worker: `workers(DB_WORKER, env)`. All are stopped at the end of the test,
    before the database is emptied."""
    started: list[Worker] = []

    def start(command: list[str], env: dict[str, str]) -> Worker:
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("w") as output:
            process = subprocess.Popen(  # noqa: S603 - manage.py with this interpreter
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped by its id
            )
        worker = Worker(process, log)
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


@pytest.fixture
def rq_queue(settings) -> Iterator[None]:
    """This process enqueues on RQ, to the worker's Redis; the queue is emptied after."""
    redis_or_skip()
    settings.TASKS = RQ_TASKS
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    forget_rq_jobs()
    yield
    forget_rq_jobs()


def forget_rq_jobs() -> None:
    """No job left in the test Redis for a later worker to run on another database."""
    from redis import Redis
    from rq import Queue
    from rq.exceptions import NoSuchJobError
    from rq.registry import ScheduledJobRegistry

    queue = Queue("default", connection=Redis.from_url(REDIS_URL))
    scheduled = ScheduledJobRegistry(queue=queue)
    for job_id in scheduled.get_job_ids():
        with contextlib.suppress(NoSuchJobError):
            scheduled.remove(job_id, delete_job=True)
    queue.empty()


def wait_until(what: str, check: Callable[[], Any], *workers: Worker, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    logs = "\n".join(worker.output()[-3000:] for worker in workers)
    raise AssertionError(f"Waited {seconds:g} s for {what}. Worker output:\n{logs}")


@pytest.fixture
def enqueued() -> Iterator[list[str]]:
    """Ids of the tasks this process enqueues during the test."""
    ids: list[str] = []

    def record(sender, task_result, **kwargs):
        ids.append(task_result.id)

    task_enqueued.connect(record, weak=False)
    yield ids
    task_enqueued.disconnect(record)


def guest_rsvp(client: Client, session, **fields: str) -> None:
    url = reverse("sessions:rsvp-create", args=[session.slug])
    response = client.post(url, {**GUEST, **fields})
    assert response.status_code == 302
    assert response.url == reverse("sessions:rsvp-sent", args=[session.slug])


def all_sent(count: int) -> bool:
    sent = OutgoingEmail.objects.filter(status=EmailStatus.SENT).count()
    return sent == count == OutgoingEmail.objects.count()


def assert_clean(*workers: Worker) -> None:
    for worker in workers:
        output = worker.output()
        assert "database is locked" not in output, output[-3000:]
        assert "Traceback" not in output, output[-3000:]


# One message, through each backend


def test_db_worker_sends_a_guest_rsvp_confirmation_once(sink, workers, database_queue):
    worker = workers(DB_WORKER, worker_environment(sink))
    session = make_session(title="Block club basics")

    guest_rsvp(Client(), session)

    [message] = wait_until("the confirmation", lambda: sink.messages, worker)
    wait_until("the row marked sent", lambda: all_sent(1), worker)
    deliver = DBTaskResult.objects.get(task_path="cop_portal.mail.tasks.deliver")
    wait_until("the task finished", lambda: DBTaskResult.objects.get(pk=deliver.pk).finished_at)
    row = OutgoingEmail.objects.get()
    assert message["To"] == "gia@example.org"
    assert message["Message-ID"] == row.message_id
    assert DBTaskResult.objects.get(pk=deliver.pk).status == "SUCCESSFUL"
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    assert len(sink.messages) == 1
    assert_clean(worker)


def test_rq_worker_sends_a_guest_rsvp_confirmation_once(sink, workers, rq_queue, enqueued):
    worker = workers(RQ_WORKER, rq_worker_environment(sink))
    session = make_session(title="Block club basics")

    guest_rsvp(Client(), session)

    [task_id] = enqueued
    [message] = wait_until("the confirmation", lambda: sink.messages, worker)
    wait_until("the row marked sent", lambda: all_sent(1), worker)
    result = wait_until(
        "the task finished",
        lambda: (result := default_task_backend.get_result(task_id)).finished_at and result,
        worker,
    )
    row = OutgoingEmail.objects.get()
    assert message["To"] == "gia@example.org"
    assert message["Message-ID"] == row.message_id
    assert result.status == "SUCCESSFUL"
    assert result.task.module_path == "cop_portal.mail.tasks.deliver"
    assert len(sink.messages) == 1
    assert_clean(worker)


def test_rq_worker_round_sends_a_message_whose_task_was_lost(sink, workers, rq_queue):
    """The periodic round is chained through RQ's scheduler (`run_after`): a row that
    no task announced (Redis lost it) goes out on a later round."""
    worker = workers(RQ_WORKER, rq_worker_environment(sink, MAIL_BEAT_SECONDS="1"))
    first = wait_until("the first round", lambda: Beat.objects.filter(name="mail").first())
    # The worker enqueued the first round as it started; only RQ's scheduler runs later ones.
    wait_until("a scheduled round", lambda: Beat.objects.get(name="mail").due_at > first.due_at)

    OutgoingEmail.objects.bulk_create(
        [
            outbox.email(
                MailKind.ACCOUNT,
                to="ana@example.org",
                key="lost-task",
                params={"subject": "Your code", "body": "Code: 424242"},
            )
        ]
    )

    [message] = wait_until("the message", lambda: sink.messages, worker)
    wait_until("the row marked sent", lambda: all_sent(1), worker)
    assert message["To"] == "ana@example.org"
    assert_clean(worker)


# A worker killed in the middle of a batch


def test_db_worker_killed_mid_batch_loses_no_message_and_repeats_none(
    sink, workers, database_queue
):
    """SIGKILL during a batch: the next worker takes the killed one's rows back once
    their lease is over. Only the message in flight may go twice, with one Message-ID."""
    sink.state.delay = 0.005  # a slow server: ~2 s for the 300
    env = worker_environment(
        sink, MAIL_LEASE_SECONDS="2", MAIL_BATCH_SIZE="25", MAIL_BEAT_SECONDS="1"
    )
    first = workers(DB_WORKER, env)
    with transaction.atomic():
        outbox.queue(
            outbox.email(
                MailKind.ACCOUNT,
                to=f"person{n}@example.org",
                key=f"kill-test:{n}",
                params={"subject": f"Message {n}", "body": "Hello"},
            )
            for n in range(300)
        )

    wait_until("a first few messages", lambda: len(sink.messages) >= 60, first)
    first.kill()
    received = len(sink.messages)
    second = workers(DB_WORKER, env)

    wait_until("every message", lambda: all_sent(300), second, seconds=60)
    ids = Counter(sink.message_ids())
    rows = OutgoingEmail.objects.all()
    assert 60 <= received < 300
    assert set(ids) == {row.message_id for row in rows}
    assert sum(ids.values()) - len(ids) <= 1, f"{[i for i, n in ids.items() if n > 1]} went twice"
    assert_clean(second)


# SQLite under load


def opted_in_members(count: int) -> list[str]:
    """Members who get announcements: active, a primary verified address, opted in."""
    users = User.objects.bulk_create(
        User(email=f"member{n}@example.org", display_name=f"Member {n}") for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
    )
    EmailPreference.objects.bulk_create(
        EmailPreference(email=user.email, announcements=True) for user in users
    )
    return [user.email for user in users]


def test_db_worker_on_sqlite_sends_5000_announcements_while_guests_rsvp(
    sink, workers, database_queue, settings
):
    """One SQLite file, three writers: two workers fanning out and sending 5,000
    emails, and guests' RSVPs in this process. None waits long enough to fail."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's single writer is what this load test is about")
    settings.RSVP_GUEST_RATE_PER_IP = "1000/h"
    members = opted_in_members(5000)
    announced = make_session(title="Tenant organizing")
    session = make_session(title="Block club basics")
    # Batches of 500, not 100: the same writes, in less time.
    env = worker_environment(sink, MAIL_BATCH_SIZE="500")
    both = [workers(DB_WORKER, env), workers(DB_WORKER, env)]
    for worker in both:
        wait_until("the worker", lambda worker=worker: "Starting worker" in worker.output(), worker)
    with transaction.atomic():
        announce([announced])

    client = Client()
    guests = 0
    started = time.monotonic()
    while guests < 20 or (len(sink.messages) < 5000 and time.monotonic() < started + 120):
        guest_rsvp(client, session, email=f"guest{guests}@example.org")
        guests += 1
        time.sleep(0.25)  # a busy evening: four guests a second

    wait_until("every message", lambda: all_sent(5000 + guests), *both, seconds=120)
    messages = sink.messages
    announcements = [m["To"] for m in messages if "New session" in str(m["Subject"])]
    assert sorted(announcements) == sorted(members)
    confirmations = {m["To"] for m in messages if "You're in" in str(m["Subject"])}
    assert confirmations == {f"guest{n}@example.org" for n in range(guests)}
    assert len(messages) == len(set(sink.message_ids())) == 5000 + guests
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    assert not OutgoingEmail.objects.exclude(last_error="").exists()
    assert_clean(*both)
