"""A token that changes whenever what the site shows may have changed.

Pages cached for visitors and public feed states are stored under it, so one change
anywhere makes every one of them stale at once: there is no list of pages to work out
for each change, and nothing can be forgotten in it.

The token lives in the "content_version" cache, shared by every worker process: Redis
when REDIS_URL is set (and so by every app server), else a small file cache on the one
server. It changes:

- when a model of the portal's own apps is saved (signals: the shell, tests, services);
- after every request that may write (POST and the other unsafe methods), which also
  covers bulk updates and deletes that send no signal, and comes after their commit;
- when a service that writes in bulk (no signals) calls `content_changed()` itself, as
  publishing a series does for `generate_sessions`.

Anything else (a raw SQL edit, say) shows once cached pages expire (PAGE_CACHE_SECONDS).
"""

import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

CACHE_ALIAS = "content_version"
KEY = "content-version"
# Apps whose rows appear on pages. Django's own log-in sessions are not among them:
# they are saved on many requests and are never shown.
CONTENT_APPS = frozenset({"sessions_app", "members", "practice_library", "cop_portal"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def content_version() -> str:
    """The current token; the first caller after a cache flush sets a new one."""
    cache = caches[CACHE_ALIAS]
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(KEY)
    return version


def _new_version() -> None:
    caches[CACHE_ALIAS].set(KEY, secrets.token_hex(8), timeout=None)


def content_changed() -> None:
    """Make everything stored under the current token stale: now, and again when the
    transaction commits, as a page rendered in between from the old rows would
    otherwise be kept under the new token."""
    _new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_version)


def content_model_saved(sender: type[Model], **kwargs: Any) -> None:
    """post_save and m2m_changed receiver (connected in CopPortalConfig.ready)."""
    if sender._meta.app_label in CONTENT_APPS:
        content_changed()


class ContentChangeMiddleware:
    """After a request that may have written, everything cached is stale. Runs once the
    view has returned, so after the view's transactions have committed: a visitor's page
    rendered meanwhile from the old rows is never kept under the new token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            content_changed()
        return response
