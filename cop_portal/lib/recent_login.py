"""The pages that change how a member logs in ask for the password again first.

Someone at a signed-in browser left unattended must not take the account over by
changing its email address (where password-reset links go) or its password. Deleting the
account asks already (members.views.account.delete, with allauth's
`reauthentication_required`); the email and password pages are allauth's own, so
`RecentLoginMiddleware` applies the same rule to them by URL name, before their view
runs, on every method: whoever opens them is sent to allauth's "confirm your password"
page unless they confirmed it in the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds, and
comes back to the page (a POST is replayed) once they have.
ACCOUNT_REAUTHENTICATION_REQUIRED has allauth check each email change itself, too.
"""

from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.reauthentication import (
    is_reauthentication_required,
    suspend_request,
)
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

# allauth's URL names.
PAGES = frozenset({"account_email", "account_change_password"})


class RecentLoginMiddleware:
    """Listed after CsrfViewMiddleware and allauth's AccountMiddleware: a forged POST
    is refused before anything is remembered of it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.view_name not in PAGES:
            return None
        if not request.user.is_authenticated:
            return None  # the view's own login_required sends them to log in
        # app="" is what @reauthentication_required uses: always ask, whatever allauth's
        # per-app setting says (as for deleting the account).
        if not is_reauthentication_required(request, app=""):
            return None
        # What allauth's AccountMiddleware answers to ReauthenticationRequired.
        methods = get_adapter(request).get_reauthentication_methods(request.user)
        if not methods:
            raise PermissionDenied("No way to confirm who you are.")
        return suspend_request(request, methods[0]["url"])
