"""Requests per second under gunicorn with 2 workers, over the reference data set.

Run with `make bench` or `.venv/bin/python -m bench.throughput`. The reference data set
(BENCH_SCALE, default 1, as in `seed_demo --scale`) goes into a throwaway SQLite file,
or, with DATABASE_URL, a throwaway PostgreSQL database named cop_bench_throughput.
Static files are collected into a temporary folder; gunicorn then serves the site with
DEBUG off (bench/settings_throughput.py: the production settings with that folder and
a trivial view added), 2 sync workers, no REDIS_URL.

For each address, after a warm-up, CLIENTS threads each send requests one after the
other for SECONDS (BENCH_SECONDS, default 10) through http.client, as a browser would
(Accept-Encoding: gzip, br); a sync worker closes the connection after each answer, so
every request opens a new one. The client runs on the same 2 cores as the server, so
the fastest lines (the static file especially) are held down by the client too.
"""

import contextlib
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.harness import database_url as harness_database_url
from bench.harness import percentile, run_with_database, stop_process_group
from bench.pages import busiest_upcoming_session, load_reference_data, use_bench_database

WORKERS = 2
CLIENTS = 4
WARM_UP = 20  # requests per address before timing: templates, feed cache in each worker
BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    status: int = 200
    conditional: bool = False  # send back the ETag of a first GET


@dataclass(frozen=True)
class Load:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def _load(port: int, target: Target, headers: dict[str, str], seconds: float) -> Load:
    """CLIENTS threads, each one request after another until the time is up."""
    counts = [0] * CLIENTS
    errors = [0] * CLIENTS
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    deadline = time.perf_counter() + seconds

    def client(n: int) -> None:
        # One HTTPConnection per thread: it opens a new socket whenever the worker
        # closed the last one, which a sync worker always does.
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while (started := time.perf_counter()) < deadline:
            try:
                connection.request("GET", target.path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == target.status
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            latencies[n].append((time.perf_counter() - started) * 1000)
            counts[n] += ok
            errors[n] += not ok
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(
        requests=sum(counts),
        errors=sum(errors),
        seconds=time.perf_counter() - started,
        latencies=[ms for part in latencies for ms in part],
    )


def _server_environment(database_url: str, static_root: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="bench.settings_throughput",
        STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        HTTPS="0",  # plain HTTP on the loopback: no redirect to https://
        LOG_LEVEL="WARNING",
    )
    return environment


def _wait_until_up(port: int, server: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            if _get(port, "/bench-trivial/", {}).status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer in 30 s:\n{log.read_text()}")


def _stop(server: subprocess.Popen) -> None:
    """The master and its workers: the process group this bench started."""
    stop_process_group(server, timeout=15)


def _targets(static_root: Path) -> list[Target]:
    from django.urls import reverse

    session = busiest_upcoming_session()
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    css = manifest["paths"]["css/site.css"]
    feed = reverse("sessions:feed-ics")
    return [
        Target("trivial view (through the middleware)", "/bench-trivial/"),
        Target("home", "/"),
        Target("sessions list", reverse("sessions:session-list")),
        Target("session page, busiest upcoming", session.get_absolute_url()),
        Target("feed.ics, 200 (cached in the worker)", feed),
        Target("feed.ics, If-None-Match: 304", feed, status=304, conditional=True),
        Target("static file, whitenoise (site.css)", f"/static/{css}"),
    ]


def _benchmark(scale: float, seconds: float) -> None:
    from django.conf import settings
    from django.db import connection

    summary = load_reference_data(scale)
    database_url = harness_database_url()
    with tempfile.TemporaryDirectory(prefix="cop-bench-static-") as tmp:
        static_root = Path(tmp) / "static"
        log = Path(tmp) / "gunicorn.log"
        environment = _server_environment(database_url, static_root)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env=environment,
            check=True,
        )
        targets = _targets(static_root)
        connection.close()  # gunicorn's workers are the only users from here on
        port = _free_port()
        with log.open("w") as output:
            server = subprocess.Popen(  # noqa: S603 - gunicorn from this virtualenv
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "cop_portal.wsgi",
                    f"--workers={WORKERS}",
                    f"--bind={HOST}:{port}",
                ],
                cwd=BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )
        try:
            _wait_until_up(port, server, log)
            print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
            print(summary)
            print(
                f"gunicorn, {WORKERS} sync workers, DEBUG off; {CLIENTS} client threads "
                f"for {seconds:g} s per line, after {WARM_UP} untimed requests"
            )
            print()
            print("| what | requests/s | median | p95 | errors |")
            print("| --- | --- | --- | --- | --- |")
            for target in targets:
                headers = {"Accept-Encoding": "gzip, br"}
                if target.conditional:
                    headers["If-None-Match"] = _get(port, target.path, headers).headers["ETag"]
                for _ in range(WARM_UP):
                    response = _get(port, target.path, headers)
                    assert response.status == target.status, (target.path, response.status)
                load = _load(port, target, headers, seconds)
                print(
                    f"| {target.label} | {load.per_second:,.0f} "
                    f"| {statistics.median(load.latencies):.1f} ms "
                    f"| {percentile(load.latencies, 0.95):.1f} ms | {load.errors} |"
                )
        finally:
            _stop(server)


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    use_bench_database("cop_bench_throughput")
    run_with_database(lambda: _benchmark(scale, seconds))


if __name__ == "__main__":
    main()
