"""Pages meant for one person say so to every cache on the way.

`PrivatePagesMiddleware` sends Django's never-cache headers (`Cache-Control: max-age=0,
no-cache, no-store, must-revalidate, private` and an `Expires` of now) with every answer

- to a signed-in person (whoever `request.user` is once the view is done, so the answer
  to a log-in too), whatever the page: a shared proxy must never keep it, and a shared
  computer's browser must not keep it on disk; and
- at an address that carries a secret, a URL argument named in SECRET_URL_ARGUMENTS
  (RSVP manage links `rsvp/<token>/...`, personal calendar feeds `calendar/<key>.ics`,
  unsubscribe links, allauth's email-confirmation and password-reset keys), whoever
  opens it, signed in or not.

One place for the rule, so that a new private page can't forget it
(tests/cop_portal/test_private_pages.py opens every URL to check). A view that said
`private` itself and answers with an ETag or Last-Modified keeps its own header:
personal calendar feeds answer `private, max-age=900` with both, so that calendar apps
still get their 304s.
Public pages for visitors keep their headers; the copies kept for them
(cop_portal.lib.page_cache) never carry these, as they are added outside the view.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# URL arguments that are secrets: whoever has the address may see the page.
SECRET_URL_ARGUMENTS = frozenset({"token", "key"})


def _for_one_person(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and not SECRET_URL_ARGUMENTS.isdisjoint(match.kwargs):
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _private_with_validators(response: HttpResponse) -> bool:
    """The view said `private` and lets a client ask "changed since?" (a 304)."""
    directives = response.get("Cache-Control", "").split(",")
    private = any(part.split("=", 1)[0].strip().lower() == "private" for part in directives)
    return private and (response.has_header("ETag") or response.has_header("Last-Modified"))


class PrivatePagesMiddleware:
    """Listed before SessionMiddleware, so that reading `request.user` here comes after
    the session's `Vary: Cookie` is decided and changes nothing on public answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _for_one_person(request) and not _private_with_validators(response):
            add_never_cache_headers(response)
        return response
