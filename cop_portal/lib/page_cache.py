"""Public pages as a visitor sees them, rendered once and kept until content changes.

A visitor with no log-in session sees exactly what every other such visitor sees at the
same address in the same language, except for the CSRF token in forms. So
`@shared_with_visitors` pages are rendered with a placeholder where the token goes,
kept in each worker's memory under the content version and the language
(cop_portal.lib.content_version), and sent to each visitor with their own token put in.
A change to any content makes every kept page stale at once; time
alone (what counts as "upcoming") does after PAGE_CACHE_SECONDS.

What is kept is bounded by what the site has, so that nobody can push the real pages
out of the cache (MAX_ENTRIES) with made-up addresses:
- only 200 answers are kept (a 404 for a made-up slug, a 400 for a bad filter are not);
- a query string is kept only when the view read every parameter in it (`page`, the
  filters, `q`: a form or paginator asking for them is what makes them known), so
  `?utm_source=x` or `?x=1`, `?x=2`... are rendered and not kept; parameters in
  another order or spelling share one entry;
- pages with a query string, whose values have no end (`?q=` anything, `?page=` any
  number), are kept at most QUERY_PAGES_PER_WINDOW a window of PAGE_CACHE_SECONDS per
  worker; past that they are rendered, not kept, and the pages without a query string
  (the site's own pages) keep their room.

Signed-in members, and anyone with a session or a message waiting, get the page rendered
for them, as before.
"""

import hashlib
import time
from collections.abc import Callable
from functools import cache, wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from cop_portal.lib import language
from cop_portal.lib.content_version import content_version

CACHE_ALIAS = "pages"
# Pages with a query string kept per worker in a window of PAGE_CACHE_SECONDS: at most
# two windows' worth (200) are alive at once, well under the cache's MAX_ENTRIES (500).
QUERY_PAGES_PER_WINDOW = 100
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


class _ReadQuery(QueryDict):
    """The query string as the view sees it (request.GET), noting which parameters the
    view asked for: those are the page's own, anything else makes the page not kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.read: set[str] = set()
        super().__init__(*args, **kwargs)
        self.read = set()  # parsing asked `in` for every parameter itself

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        self.read.add(key)
        return super().getlist(key, default)

    # Going through every parameter (to copy them into links, say) is not asking for
    # one: a parameter the view never named stays unknown.
    def items(self) -> Any:
        for key in self:
            yield key, super().__getitem__(key)

    def dict(self) -> dict[str, Any]:
        return {key: super().__getitem__(key) for key in self}


def _key(request: HttpRequest) -> str:
    # The parameters in one order and one spelling: ?b=2&a=1 and ?a=1&b=%32 are one page.
    pairs = [(name, value) for name, values in sorted(request.GET.lists()) for value in values]
    address = f"{request.build_absolute_uri(request.path)}?{urlencode(pairs)}".encode()
    # One copy per language: the same address reads in the visitor's language.
    return f"page:{content_version()}:{get_language()}:{hashlib.sha256(address).hexdigest()}"


def _keepable(request: HttpRequest, response: HttpResponse, query: _ReadQuery) -> bool:
    """A plain 200 that set nothing for this visitor alone (no cookie, no session), at
    an address whose every parameter the view read."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not (session is not None and session.modified)
        and query.read.issuperset(query.keys())
    )


def _query_page_allowed(request: HttpRequest) -> bool:
    """True for a page without a query string; for one with, True while this window's
    QUERY_PAGES_PER_WINDOW are not used up (counted in the worker's own cache)."""
    if not request.GET:
        return True
    seconds = settings.PAGE_CACHE_SECONDS
    counter = f"page-queries:{int(time.time() // seconds)}"
    pages = caches[CACHE_ALIAS]
    pages.add(counter, 0, seconds * 2)
    try:
        return pages.incr(counter) <= QUERY_PAGES_PER_WINDOW
    except ValueError:  # the counter was culled in between: keep nothing more now
        return False


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
            query = _ReadQuery(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
            # Read before the view, by the language middleware: part of the key.
            query.read.add(language.QUERY_PARAMETER)
            request.GET = query
            response = _render(request, view, *args, **kwargs)
            if response.streaming:
                return response
            if not (_keepable(request, response, query) and _query_page_allowed(request)):
                response.content = _with_token(request, response.content)
                return response
            stored = (response.status_code, list(response.items()), response.content)
            pages.set(key, stored, settings.PAGE_CACHE_SECONDS)
        return _send(request, stored)

    return wrapper
