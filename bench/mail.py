"""Background mail: what an organizer and a guest wait for now that email goes through
the outbox, and how fast the worker empties it.

Run with `make bench` or `.venv/bin/python -m bench.mail`: a throwaway SQLite file, or,
with DATABASE_URL, a throwaway PostgreSQL database named cop_bench_mail. Tasks go to the
database queue (TASKS_BACKEND=database). An SMTP sink (tests/smtp_sink.py's, keeping
each message's bytes unparsed) runs in a thread of this process, and Django's SMTP
backend talks to it, here and in the workers: a request that still sent mail itself
would pay for an SMTP conversation. The per-organizer and per-IP limits are raised (the
bench repeats one person's action many times); the per-recipient limits are production's.

1. Publishing: a logged-in organizer POSTs the series page's "publish" form through
   Django's test client, creating 12 sessions of a new series each time, with 50 and
   then 5,000 opted-in members. The request records one fan-out; nothing is expanded.
2. Guest RSVP: a visitor POSTs the RSVP form with a new address each time.
3. Delivery: a 5,000-member announcement, expanded into the outbox here (as the worker's
   `expand` task would), is sent by 1, then 2, real `manage.py db_worker` processes
   (production settings, DEBUG off). Timed from the first worker being up (its "Starting
   worker" line, after Django's start-up) until the sink holds every message; the CPU
   time the workers and the sink used meanwhile is read from /proc.

BENCH_MAIL_BEFORE=<git revision> also times the guest RSVP in that revision: a
temporary git worktree with this file and bench/harness.py copied in, run with this
virtualenv's Python, against the same sink (BENCH_MAIL_BEFORE=0dd55f7~1: the emails
sent in the request).
BENCH_MAIL_PROFILE=1 profiles one worker (cProfile, `db_worker --batch`) delivering the
announcement; it also runs when one worker sends fewer than TARGET_RATE a second.
"""

import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.harness import (
    hybrid_session,
    percentile,
    run_with_database,
    stop_process_group,
    timed,
)

BASE_DIR = Path(__file__).resolve().parent.parent
RUNS = 25
SESSIONS = 12  # the series' occurrences one publish creates
SUBSCRIBERS = (50, 5_000)
WORKERS = (1, 2)
TARGET_PUBLISH_MS = 300
TARGET_RATE = 200  # messages a second, one worker
GUEST_ONLY = "guest-rsvp"  # argv[1]: only the guest RSVP line (for BENCH_MAIL_BEFORE)
SMTP_PORT = "BENCH_MAIL_SMTP_PORT"  # the sink to use in GUEST_ONLY mode

# Before Django reads its settings. The bench repeats one organizer's and one IP's
# action RUNS times; production allows 60 and 20 an hour.
os.environ.setdefault("TASKS_BACKEND", "database")
os.environ.setdefault("MAIL_RATE_PER_ORGANIZER", "100000/h")
os.environ.setdefault("RSVP_GUEST_RATE_PER_IP", "100000/h")


def _time(run: Callable[[], object], prepare: Callable[[], None]) -> list[float]:
    """Milliseconds of RUNS runs after one warm-up; `prepare` runs untimed before each."""
    return timed(run, prepare, RUNS)


def _summary(samples: Sequence[float]) -> str:
    return f"{statistics.median(samples):.1f} ms | {percentile(list(samples), 0.95):.1f} ms"


def _engine() -> str:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


def _send_through_sink(port: int) -> None:
    """Django's SMTP backend, at the sink (the harness chose locmem)."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


# Publishing ------------------------------------------------------------------


def _organizer_client():  # -> Client; imports wait until Django is set up
    from django.contrib.auth.models import Group
    from django.test import Client

    from cop_portal.lib.roles import ORGANIZERS_GROUP
    from members.models import User

    organizer = User.objects.create_user(email="organizer@example.org")
    organizer.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    client = Client()
    client.force_login(organizer)
    return client


def _opted_in_members(start: int, stop: int) -> None:
    """Members who get announcements: active, a primary verified address, opted in."""
    from allauth.account.models import EmailAddress
    from django.db import connection

    from cop_portal.mail.models import EmailPreference
    from members.models import User

    users = User.objects.bulk_create(
        User(email=f"member{n}@example.org", display_name=f"Member {n}") for n in range(start, stop)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
    )
    EmailPreference.objects.bulk_create(
        EmailPreference(email=user.email, announcements=True) for user in users
    )
    with connection.cursor() as cursor:
        # What autovacuum (PostgreSQL) or `migrate` (SQLite) soon does after a bulk
        # load: without statistics the planner takes the tables for tiny ones.
        cursor.execute("ANALYZE")


def _new_series(number: int):  # -> Series
    """A weekly series of exactly SESSIONS dates from tomorrow, one hybrid slot."""
    from datetime import time as clock

    import recurrence
    from django.utils import timezone

    from sessions_app.models import (
        AttendanceMode,
        ConversationFormat,
        RotationSlot,
        Series,
        TimeOfDay,
        Venue,
    )
    from sessions_app.services.series import series_save

    venue, _ = Venue.objects.get_or_create(
        slug="bench-mail-venue",
        defaults={"name": "Bench venue", "address": "1 Euclid Ave", "capacity": 40},
    )
    rule = recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.WE], count=SESSIONS)
    series = Series(
        title=f"Bench series {number}",
        starts_on=timezone.localdate() + timedelta(days=1),
        recurrence=recurrence.Recurrence(rrules=[rule], include_dtstart=False),
        meeting_url="https://meet.example.org/bench",
    )
    slot = RotationSlot(
        time_of_day=TimeOfDay.EVENING,
        start_time=clock(18, 0),
        duration_minutes=60,
        format=ConversationFormat.BRIEF,
        attendance_mode=AttendanceMode.HYBRID,
        venue=venue,
    )
    return series_save(series=series, slots=[slot])


def _time_publishing(client, subscribers: int) -> tuple[list[float], int, list]:
    """(samples, queries of one POST, the sessions of the last run): the organizer
    publishing a new series' SESSIONS dates, 2 + RUNS times (counted, warm-up, timed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cop_portal.mail.models import Dispatch

    numbers = iter(range(subscribers * 1000, subscribers * 1000 + RUNS + 2))
    series = None
    first = Dispatch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def prepare() -> None:
        nonlocal series
        series = _new_series(next(numbers))

    def run() -> None:
        url = reverse("sessions:series-preview", args=[series.slug])
        response = client.post(url, {"months": 6})
        assert response.status_code == 302, response.status_code

    prepare()
    with CaptureQueriesContext(connection) as captured:
        run()  # counted once, untimed
    queries = len(captured)  # now: the next request empties the connection's log
    samples = timed(run, prepare, RUNS)
    made = Dispatch.objects.filter(pk__gt=first)
    assert list(made.values_list("planned", flat=True)) == [subscribers] * (RUNS + 2)
    assert not made.filter(queued__gt=0).exists(), "the request expanded the fan-out"
    sessions = list(series.sessions.filter(status="published"))
    assert len(sessions) == SESSIONS, len(sessions)
    return samples, queries, sessions


def _clear_mail() -> None:
    """No fan-out, outbox row or task left for the workers to find."""
    from django_tasks_db.models import DBTaskResult

    from cop_portal.mail.models import Dispatch, OutgoingEmail

    OutgoingEmail.objects.all().delete()
    Dispatch.objects.all().delete()
    DBTaskResult.objects.all().delete()


# Guest RSVP ------------------------------------------------------------------


def _time_guest_rsvps() -> list[float]:
    """A visitor's RSVP POST, a new guest address each time: 1 + RUNS RSVPs."""
    from django.test import Client
    from django.urls import reverse

    from sessions_app.models import Rsvp

    session = hybrid_session(name="Guest RSVP bench", slug="guest-rsvp-bench", seats=1000)
    client = Client()
    url = reverse("sessions:rsvp-create", args=[session.slug])
    guests = iter(range(RUNS + 1))

    def run() -> None:
        n = next(guests)
        data = {"name": f"Guest {n}", "email": f"guest{n}@example.org", "how": "in-person"}
        response = client.post(url, data)
        assert response.status_code == 302, response.status_code

    samples = _time(run, lambda: None)
    assert Rsvp.objects.filter(session=session, email__startswith="guest").count() == RUNS + 1
    return samples


def _guest_rsvps_only() -> None:
    """GUEST_ONLY mode, in this checkout or an older one: prints `samples|ms,ms,…`."""
    _send_through_sink(int(os.environ[SMTP_PORT]))
    samples = _time_guest_rsvps()
    print("samples|" + ",".join(f"{ms:.3f}" for ms in samples))


def _guest_rsvps_before(revision: str, port: int) -> list[float]:
    """The guest RSVP timed in `revision`, in a temporary worktree, against the sink."""
    with tempfile.TemporaryDirectory(prefix="cop-bench-before-") as tmp:
        tree = Path(tmp) / "tree"
        git = ["git", "-C", str(BASE_DIR)]
        add = [*git, "worktree", "add", "--detach", "-q", str(tree), revision]
        subprocess.run(add, check=True)  # noqa: S603 - git, with the revision asked for
        try:
            # This file and the harness it uses, which that revision may predate.
            for name in ("mail.py", "harness.py"):
                shutil.copy(Path(__file__).with_name(name), tree / "bench" / name)
            environment = {**os.environ, SMTP_PORT: str(port), "PYTHONPATH": str(tree)}
            environment.pop("DJANGO_SETTINGS_MODULE", None)
            if environment.get("DATABASE_URL"):
                environment["BENCH_MAIL_DATABASE"] = "cop_bench_mail_before"
            done = subprocess.run(  # noqa: S603 - this file, with this virtualenv's Python
                [sys.executable, "-m", "bench.mail", GUEST_ONLY],
                cwd=tree,
                env=environment,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise RuntimeError(f"The guest RSVP at {revision} failed:\n{done.stderr}")
        finally:
            remove = [*git, "worktree", "remove", "--force", str(tree)]
            subprocess.run(remove, check=True)  # noqa: S603 - the worktree made above
    line = next(line for line in done.stdout.splitlines() if line.startswith("samples|"))
    return [float(ms) for ms in line.split("|", 1)[1].split(",")]


# Delivery --------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    workers: int
    messages: int
    seconds: float  # first worker up -> the sink holds every message
    connections: int  # SMTP connections the sink accepted meanwhile
    worker_cpu: float  # CPU seconds of the workers meanwhile (Linux; else 0)
    sink_cpu: float  # CPU seconds of this process (the sink) meanwhile
    expand_seconds: float  # the fan-out, expanded in this process beforehand

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds


def _queue_announcement(sessions) -> tuple[int, float]:
    """Announce these sessions and expand the fan-out here, as the `expand` task would;
    the `deliver` tasks it enqueues wait in the database for the workers."""
    from django.db import transaction

    from cop_portal.mail import fanout
    from sessions_app.announcements import announce

    _clear_mail()
    with transaction.atomic():
        dispatch = announce(sessions)
    started = time.perf_counter()
    queued = fanout.expand(dispatch.pk)
    return queued, time.perf_counter() - started


def _worker_environment(port: int) -> dict[str, str]:
    """Production settings (DEBUG off), this database, the sink as mail server."""
    import secrets

    from bench.harness import database_url

    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DATABASE_URL=database_url(),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        TASKS_BACKEND="database",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        LOG_LEVEL="WARNING",  # the worker's own "Starting worker" line still shows
    )
    return environment


def _start_worker(
    environment: dict[str, str], log: Path, python: Sequence[str] = (), extra: Sequence[str] = ()
) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(  # noqa: S603 - manage.py with this virtualenv's Python
            [sys.executable, *python, "manage.py", "db_worker", "--no-startup-delay", *extra],
            cwd=BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped by its id
        )


def _stop(worker: subprocess.Popen) -> None:
    stop_process_group(worker, timeout=30)


def _wait_for(what: str, check: Callable[[], bool], logs: Sequence[Path], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            tails = "\n".join(log.read_text()[-2000:] for log in logs)
            raise RuntimeError(f"Waited {seconds:g} s for {what}. Worker output:\n{tails}")
        time.sleep(0.005)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc (0 without it)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command's closing parenthesis, utime and stime are the 12th and 13th.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _deliver_with_workers(count: int, sessions, sink, tmp: Path) -> Delivery:
    from django.db import connection

    from cop_portal.mail.models import EmailStatus, OutgoingEmail

    queued, expand_seconds = _queue_announcement(sessions)
    assert queued == SUBSCRIBERS[-1], queued
    connection.close()  # the workers are the database's only users from here on
    received, connections = len(sink.state.messages), sink.state.connections
    logs = [tmp / f"worker-{count}-{n}.log" for n in range(count)]
    environment = _worker_environment(sink.port)
    workers = [_start_worker(environment, log) for log in logs]
    try:
        _wait_for(
            "a worker", lambda: any("Starting worker" in log.read_text() for log in logs), logs, 60
        )
        started = time.perf_counter()
        cpu = [sum(_cpu_seconds(worker.pid) for worker in workers), time.process_time()]
        _wait_for("the messages", lambda: len(sink.state.messages) - received >= queued, logs, 600)
        seconds = time.perf_counter() - started
        worker_cpu = sum(_cpu_seconds(worker.pid) for worker in workers) - cpu[0]
        sink_cpu = time.process_time() - cpu[1]
        connections = sink.state.connections - connections
        sent = OutgoingEmail.objects.filter(status=EmailStatus.SENT)
        _wait_for("the rows marked sent", lambda: sent.count() == queued, logs, 30)
    finally:
        for worker in workers:
            _stop(worker)
    ids = {MESSAGE_ID.search(raw).group(1) for raw in sink.messages[received:]}
    assert len(ids) == queued, f"{queued - len(ids)} messages went twice"
    return Delivery(count, queued, seconds, connections, worker_cpu, sink_cpu, expand_seconds)


def _profile_worker(sessions, sink, tmp: Path) -> str:
    """One worker under cProfile, `--batch` (it stops when the queue is empty): where
    deliver_due spends its time."""
    from django.db import connection

    queued, _ = _queue_announcement(sessions)
    connection.close()
    profile, log = tmp / "worker.prof", tmp / "worker-profile.log"
    received = len(sink.state.messages)
    worker = _start_worker(
        _worker_environment(sink.port),
        log,
        python=["-m", "cProfile", "-o", str(profile)],
        extra=["--batch"],  # stops once the queue is empty; cProfile then writes
    )
    try:
        _wait_for("the messages", lambda: len(sink.state.messages) - received >= queued, [log], 600)
        worker.wait(timeout=60)
    finally:
        _stop(worker)
    if not profile.exists():
        return "(no profile written)"
    return _breakdown(pstats.Stats(str(profile)), queued)


# (label, file ending, function): where one worker's time goes, as cumulative time.
PROFILE_PARTS = (
    ("deliver_due, all of it", "cop_portal/mail/delivery.py", "deliver_due"),
    ("  claim a batch (UPDATE … LIMIT, SELECT)", "cop_portal/mail/delivery.py", "claim"),
    ("  render (the kind's renderer)", "cop_portal/mail/delivery.py", "_render"),
    ("    templates (render_to_string)", "django/template/loader.py", "render_to_string"),
    ("      of which the date filter", "django/template/defaultfilters.py", "date"),
    (
        "    per-recipient limits (recipients_allowed)",
        "cop_portal/mail/limits.py",
        "recipients_allowed",
    ),
    ("  send (EmailMessage.send)", "django/core/mail/message.py", "send"),
    ("    MIME to bytes (as_bytes)", "django/core/mail/message.py", "as_bytes"),
    ("    SMTP conversation (smtplib sendmail)", "smtplib.py", "sendmail"),
    ("  mark each row (_finish: one UPDATE each)", "cop_portal/mail/delivery.py", "_finish"),
    ("every SQL statement of the worker", "django/db/backends/utils.py", "execute"),
)


def _breakdown(stats: pstats.Stats, messages: int) -> str:
    """The profile as PROFILE_PARTS, in seconds and in microseconds a message."""
    found: dict[tuple[str, str], tuple[int, float]] = {}
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        for _label, ending, name in PROFILE_PARTS:
            if function == name and filename.endswith(ending):
                calls, total = found.get((ending, name), (0, 0.0))
                found[ending, name] = calls + row[1], total + row[3]
    whole = found.get(PROFILE_PARTS[0][1:], (0, 0.0))[1] or 1.0
    lines = [
        f"| part (cProfile, one worker, {messages:,} messages) | calls | seconds | share "
        "| µs a message |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, ending, name in PROFILE_PARTS:
        calls, seconds = found.get((ending, name), (0, 0.0))
        lines.append(
            f"| {label} | {calls:,} | {seconds:.1f} | {seconds / whole:.0%} "
            f"| {seconds / messages * 1e6:,.0f} |"
        )
    return "\n".join(lines)


# The run ---------------------------------------------------------------------


MESSAGE_ID = re.compile(rb"^Message-ID: *(\S+)", re.MULTILINE | re.IGNORECASE)


def _raw_sink():  # -> tests.smtp_sink.Sink
    """The tests' SMTP sink, keeping each message's bytes instead of parsing them into
    an email.message.Message: parsing took it about 2 ms a message, which a worker
    waits for before its next message (a real mail server takes a fraction of that)."""
    from tests.smtp_sink import Handler, Sink

    class RawHandler(Handler):
        async def handle_DATA(self, server, session, envelope) -> str:
            with self.lock:
                self.messages.append(envelope.content)
            return "250 Message accepted"

    sink = Sink()
    sink.state = sink.handler = RawHandler()
    return sink


def _benchmark() -> None:
    import logging

    from django.db import connection

    from sessions_app.announcements import announcement_recipients

    # aiosmtpd logs every SMTP command at INFO: thousands of lines, and time taken from
    # the sink.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    with _raw_sink() as sink, tempfile.TemporaryDirectory(prefix="cop-bench-mail-") as tmp:
        _send_through_sink(sink.port)
        print(f"Database: {_engine()}; SMTP sink on 127.0.0.1:{sink.port}, a thread here")
        print()

        client = _organizer_client()
        publishing: dict[int, tuple[list[float], int, list[float]]] = {}
        made = 0
        for subscribers in SUBSCRIBERS:
            _opted_in_members(made, subscribers)
            made = subscribers
            samples, queries, sessions = _time_publishing(client, subscribers)
            counting = _time(lambda: announcement_recipients().count(), lambda: None)
            publishing[subscribers] = samples, queries, counting
        _clear_mail()  # the requests' fan-outs: not for the workers

        before_sink = len(sink.state.messages)
        guest_now = _time_guest_rsvps()
        assert len(sink.state.messages) == before_sink, "a guest RSVP talked to the sink"
        revision = os.environ.get("BENCH_MAIL_BEFORE")
        guest_before = None
        if revision:
            connection.close()
            guest_before = _guest_rsvps_before(revision, sink.port)
            sent = len(sink.state.messages) - before_sink
            assert sent == RUNS + 1, f"before {revision}: {sent} emails, not {RUNS + 1}"

        print("| request (test client) | median | p95 | queries |")
        print("| --- | --- | --- | --- |")
        for subscribers, (samples, queries, counting) in publishing.items():
            print(
                f"| organizer publishes {SESSIONS} sessions, {subscribers:,} opted in "
                f"| {_summary(samples)} | {queries} |"
            )
            print(f"| … of which the recipients' COUNT query | {_summary(counting)} | 1 |")
        print(f"| guest RSVP (outbox) | {_summary(guest_now)} | |")
        if guest_before:
            ratio = statistics.median(guest_now) / statistics.median(guest_before)
            print(
                f"| guest RSVP at {revision} (SMTP in the request) | {_summary(guest_before)} | |"
            )
            print(f"| ratio of medians, outbox / before | {ratio:.2f} | | |")
        print(f"({RUNS} timed runs after one warm-up each)")
        print()

        deliveries = [_deliver_with_workers(count, sessions, sink, Path(tmp)) for count in WORKERS]
        print(
            "| db_worker processes | messages | seconds | messages/s | SMTP connections "
            "| workers' CPU s | sink's CPU s | fan-out expanded beforehand in |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for run in deliveries:
            print(
                f"| {run.workers} | {run.messages:,} | {run.seconds:.1f} | {run.per_second:.0f} "
                f"| {run.connections} | {run.worker_cpu:.1f} | {run.sink_cpu:.1f} "
                f"| {run.expand_seconds:.2f} s |"
            )
        print(f"(the sink: this process; {os.cpu_count()} cores in all)")
        print()

        medians = {n: statistics.median(samples) for n, (samples, *_rest) in publishing.items()}
        print(
            f"Target: publish under {TARGET_PUBLISH_MS} ms: "
            f"{'met' if max(medians.values()) < TARGET_PUBLISH_MS else 'NOT met'} "
            f"(medians {', '.join(f'{ms:.0f} ms' for ms in medians.values())}; "
            f"{SUBSCRIBERS[-1]:,} / {SUBSCRIBERS[0]} = "
            f"{medians[SUBSCRIBERS[-1]] / medians[SUBSCRIBERS[0]]:.2f})"
        )
        one = deliveries[0].per_second
        print(
            f"Target: one worker at least {TARGET_RATE} messages/s: "
            f"{'met' if one >= TARGET_RATE else 'NOT met'} ({one:.0f}/s)"
        )
        if one < TARGET_RATE or os.environ.get("BENCH_MAIL_PROFILE"):
            print()
            print("One worker under cProfile (all of it runs slower when profiled):")
            print(_profile_worker(sessions, sink, Path(tmp)))
        _clear_mail()


def main() -> None:
    if os.environ.get("DATABASE_URL"):
        from bench.pages import use_bench_database

        use_bench_database(os.environ.get("BENCH_MAIL_DATABASE", "cop_bench_mail"))
    if sys.argv[1:] == [GUEST_ONLY]:
        run_with_database(_guest_rsvps_only)
    else:
        run_with_database(_benchmark)


if __name__ == "__main__":
    main()
