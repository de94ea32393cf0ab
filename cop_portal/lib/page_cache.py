"""Public pages as a visitor sees them, rendered once and kept until content changes.

A visitor with no log-in session sees exactly what every other such visitor sees at the
same address, except for the CSRF token in forms. So `@shared_with_visitors` pages are
rendered with a placeholder where the token goes, kept in each worker's memory under the
content version (cop_portal.lib.content_version), and sent to each visitor with their
own token put in. A change to any content makes every kept page stale at once; time
alone (what counts as "upcoming") does after PAGE_CACHE_SECONDS.

Signed-in members, and anyone with a session or a message waiting, get the page rendered
for them, as before.
"""

import hashlib
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac

from cop_portal.lib.content_version import content_version

CACHE_ALIAS = "pages"
View = Callable[..., HttpResponse]
# (status, headers, body) of a rendered page.
Stored = tuple[int, list[tuple[str, str]], bytes]


@cache
def csrf_placeholder() -> str:
    """What stands for the CSRF token in a kept page: derived from SECRET_KEY, so a
    post can't contain it by chance or on purpose, and the same in every worker."""
    return "csrf-" + salted_hmac("page-cache-csrf", "placeholder").hexdigest()[:40]


def csrf_placeholder_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: while a page is rendered to be kept, `{% csrf_token %}`
    writes the placeholder instead of this visitor's token."""
    if getattr(request, "page_cache_rendering", False):
        return {"csrf_token": csrf_placeholder()}
    return {}


def is_plain_visitor(request: HttpRequest) -> bool:
    """No log-in session and no message waiting: the page is the same for everyone."""
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def _key(request: HttpRequest) -> str:
    address = request.build_absolute_uri().encode()
    return f"page:{content_version()}:{hashlib.sha256(address).hexdigest()}"


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain 200 that set nothing for this visitor alone (no cookie, no session)."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not (session is not None and session.modified)
    )


def _with_token(request: HttpRequest, body: bytes) -> bytes:
    placeholder = csrf_placeholder().encode()
    if placeholder not in body:
        return body
    # get_token also has CsrfViewMiddleware set the cookie this token pairs with.
    return body.replace(placeholder, get_token(request).encode())


def _send(request: HttpRequest, stored: Stored) -> HttpResponse:
    status, headers, body = stored
    response = HttpResponse(_with_token(request, body), status=status)
    for name, value in headers:
        response[name] = value
    return response


def _render(request: HttpRequest, view: View, *args: Any, **kwargs: Any) -> HttpResponse:
    """The view's answer, rendered with the placeholder for the CSRF token."""
    request.page_cache_rendering = True  # type: ignore[attr-defined]
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        session = getattr(request, "session", None)
        if session is not None and session.accessed:
            # What SessionMiddleware adds on the way out; a kept copy must say it too, or
            # a shared HTTP cache could hand a visitor's copy to a member.
            patch_vary_headers(response, ["Cookie"])
    finally:
        request.page_cache_rendering = False  # type: ignore[attr-defined]
    return response


def shared_with_visitors(view: View) -> View:
    """Keep the view's 200 answers to plain visitors; see the module docstring."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_plain_visitor(request):
            return view(request, *args, **kwargs)
        pages = caches[CACHE_ALIAS]
        key = _key(request)
        stored = pages.get(key)
        if stored is None:
            response = _render(request, view, *args, **kwargs)
            if response.streaming:
                return response
            if not _keepable(request, response):
                response.content = _with_token(request, response.content)
                return response
            stored = (response.status_code, list(response.items()), response.content)
            pages.set(key, stored, settings.PAGE_CACHE_SECONDS)
        return _send(request, stored)

    return wrapper
