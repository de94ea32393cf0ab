"""Two gunicorn app servers on two ports, one database and one Redis.

What a visitor does must not live inside one process: a log-in made on one server holds on
the other, an RSVP made there is in the shared database, and a rate limit counts requests
to both. Runs on PostgreSQL in CI (and on the SQLite test file locally); needs Redis at
TEST_REDIS_URL (default redis://127.0.0.1:6379/15). Without Redis the test is skipped,
except under CI, where `.ci/run` starts Redis and a missing one is a failure.
"""

import html
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from members.models import User
from sessions_app.models import AttendAs, Rsvp
from tests.factories import PASSWORD, make_session, make_user
from tests.live_database import database_url
from tests.redis_server import REDIS_URL, redis_or_skip

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """DEBUG is off on the servers, so templates need collectstatic's manifest."""
    root = tmp_path_factory.mktemp("static")
    env = {**server_environment(), "STATIC_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    return root


def server_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cop_portal.settings",
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY="two-app-servers-" + "s" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    return env


@dataclass
class Servers:
    bases: list[str]
    redis_prefix: str

    def redis_keys(self) -> list[str]:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        return sorted(key.decode() for key in client.scan_iter(f"{self.redis_prefix}:*"))


@pytest.fixture
def servers(static_root, tmp_path) -> Iterator[Servers]:
    """Two gunicorns, one worker each, sharing this test's database and a Redis prefix."""
    redis_or_skip()
    prefix = f"test-{secrets.token_hex(4)}"
    env = {
        **server_environment(),
        "STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "RSVP_GUEST_RATE_PER_IP": "3/h",
    }
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and app
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cop_portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, process in zip(bases, processes, strict=True):
            wait_until_up(base, process)
        yield Servers(bases, prefix)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        forget_redis_keys(prefix)


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn at {base} exited: {process.stderr.read().decode()}")
        try:
            # The first page a worker answers also loads the translation catalogues.
            with urllib.request.urlopen(f"{base}/about/", timeout=10):  # noqa: S310 - local
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"gunicorn at {base} did not answer within 30 s")


def forget_redis_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies are kept per host, not per port, as browsers do: one jar for both servers."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects()
        )

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))  # noqa: S310 - http to our servers

    def submit(self, url: str, data: dict[str, str], page: str) -> tuple[int, str]:
        """POST `data` to `url` with the CSRF token of the form on `page`."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the page has no form with a CSRF token"
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)})
        request = urllib.request.Request(  # noqa: S310 - http to our servers
            url, data=body.encode(), headers={"Referer": url}
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def make_member_for_the_servers(**fields) -> User:
    """The tests hash passwords with a fast hasher the servers' settings don't know."""
    member = make_user(**fields)
    member.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    member.save(update_fields=["password"])
    return member


def log_in(browser: Browser, base: str, email: str) -> None:
    _, page = browser.get(f"{base}/accounts/login/")
    status, page = browser.submit(
        f"{base}/accounts/login/", {"login": email, "password": PASSWORD}, page
    )
    assert status == 302, "the log-in form did not accept the member"


def test_log_in_on_one_server_and_rsvp_on_the_other(servers):
    member = make_member_for_the_servers(email="rosa@example.org", display_name="Rosa Hough")
    session = make_session(title="Block club basics")
    first, second = servers.bases
    browser = Browser()

    log_in(browser, first, "rosa@example.org")
    status, page = browser.get(f"{second}{session.get_absolute_url()}")
    assert status == 200
    assert "Sign out" in page
    status, _ = browser.submit(
        f"{second}{session.get_absolute_url()}rsvp/", {"how": AttendAs.ONLINE}, page
    )

    assert status == 302
    rsvp = Rsvp.objects.get(session=session)
    assert rsvp.user == member
    assert rsvp.attend_as == AttendAs.ONLINE
    _, page = browser.get(f"{first}{session.get_absolute_url()}")
    assert "https://meet.example.org/secret-room" in html.unescape(page)
    assert any("django.contrib.sessions.cached_db" in key for key in servers.redis_keys())


def test_the_guest_rsvp_rate_limit_counts_requests_to_both_servers(servers):
    """3 guest RSVPs an hour per address: two on each server makes four, and the 4th waits."""
    session = make_session(title="Tenant organizing")
    answers = []
    for n, base in enumerate(servers.bases * 2):
        browser = Browser()
        url = f"{base}{session.get_absolute_url()}"
        _, page = browser.get(url)
        status, body = browser.submit(
            f"{url}rsvp/",
            {"name": f"Guest {n}", "email": f"guest{n}@example.org", "how": AttendAs.IN_PERSON},
            page,
        )
        answers.append((status, "Too many RSVPs from here" in body))

    assert answers == [(302, False), (302, False), (302, False), (429, True)]
    assert Rsvp.objects.filter(session=session).count() == 3
    assert any(":mail:from:rsvp-create:" in key for key in servers.redis_keys()), (
        "the counts are not in Redis"
    )


def test_a_page_kept_on_one_server_is_fresh_after_a_change_on_the_other(servers):
    """Each server keeps visitors' pages in memory; the content version they are kept
    under is in Redis, so a guest's RSVP on one server shows on the other at once."""
    session = make_session(title="Vacant lots")
    first, second = servers.bases
    url = session.get_absolute_url()
    reader = Browser()
    for _ in range(2):  # the second answer comes from the first server's memory
        _, before = reader.get(f"{first}{url}")
    assert "0 going in person" in before

    guest = Browser()
    _, page = guest.get(f"{second}{url}")
    status, _ = guest.submit(
        f"{second}{url}rsvp/",
        {"name": "Gia Guest", "email": "gia@example.org", "how": AttendAs.IN_PERSON},
        page,
    )

    assert status == 302
    _, after = reader.get(f"{first}{url}")
    assert "1 going in person" in after
    assert any("content-version" in key for key in servers.redis_keys())
