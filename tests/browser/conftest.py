"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Nothing here downloads a browser. Without /usr/bin/chromium (apt-get install chromium) or
axe-core (`make install` with npm), every test in this directory is skipped and says why;
in CI (CI=1) they fail instead. BROWSER_SCREENSHOTS=/some/folder saves each page the
journeys check for accessibility, at the phone's and the desktop's widths (checks.py), to look at.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from playwright.sync_api import Page

from tests.browser.checks import AXE, watch
from tests.outbox import SITE

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
BASE_URL_WARNING = "Session-scoped fixtures defined as instance methods"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run these journeys after every other test, by themselves.

    Once Playwright has started, its event loop stays in the main thread until the run
    ends (see _orm_beside_playwright), which changes how Django behaves there; and each
    live-server test empties the database, which other tests expect as the migrations
    left it. pytest-django sorts such tests after the others, but pytest then reorders
    tests by pytest-playwright's session-scoped parameters, which would undo that. (So no
    other test may name an argument `page`: it would get the Playwright fixture.)
    """
    items.sort(key=lambda item: HERE in item.path.parents)
    for item in items:
        if HERE in item.path.parents:
            # pytest-playwright 0.10's base_url fixture warns under pytest 9.
            item.add_marker(pytest.mark.filterwarnings(f"ignore:{BASE_URL_WARNING}"))


@pytest.fixture(scope="session")
def _orm_beside_playwright() -> None:
    """Let the tests use Django's ORM while the browser runs.

    Playwright's sync API runs an asyncio event loop in the test's own thread, and the
    loop stays marked as running there for the rest of the run. Django then refuses ORM
    calls from that thread (SynchronousOnlyOperation), although each one here is a plain
    blocking call between two browser steps. The variable turns that check off. It is
    never unset: the loop outlives the tests, and the database is torn down after them.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _missing(message: str) -> None:
    """Skip, except in CI (CI=1), where a missing tool must fail the run."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], _orm_beside_playwright: None
) -> dict[str, Any]:
    if not CHROMIUM.exists():
        _missing(f"the browser journeys need Chromium at {CHROMIUM}: apt-get install chromium")
    if not AXE.exists():
        _missing("axe-core is not installed: run `make install` with Node.js and npm present")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # CI containers run as root, where Chromium's sandbox can't start.
        "args": ["--no-sandbox", "--disable-gpu"],
    }


@pytest.fixture
def site(live_server: Any, settings: Any) -> str:
    """The live server's address, with the database cache emptied: rate-limit counters
    live there, outside the models that transactional tests flush."""
    # The canonical address in links and feeds; email links are followed on the live server.
    settings.SITE_URL = SITE
    caches["default"].clear()
    return live_server.url


@pytest.fixture
def browser_page(page: Page) -> Iterator[Page]:
    """The test's page, watched for errors: see checks.watch()."""
    page.set_default_timeout(10_000)
    problems = watch(page)
    yield page
    assert problems == [], "\n".join(problems)
