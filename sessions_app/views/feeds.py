"""Calendar feeds for calendar apps: the public feed, personal feeds, one session's .ics.

Calendar apps poll for years and give up on some answers for good (Thunderbird
disables a calendar on 410), so these views answer 200, 304, 400 or 404 only, set no
cookies, and answer a repeat question with 304 (the public feed's without a query).
"""

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    QueryDict,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import parse_http_date_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from cop_portal.lib.language import QUERY_PARAMETER, supported
from cop_portal.lib.page_cache import shared_with_visitors
from sessions_app.feeds import (
    FeedState,
    personal_feed,
    personal_feed_state,
    public_feed,
    public_feed_state,
    window_start,
)
from sessions_app.forms.filters import SessionFilterForm
from sessions_app.ical import new_calendar, session_event, to_ical
from sessions_app.models import FeedToken, Session
from sessions_app.services.feed_tokens import feed_token_note_fetch

ICS_TYPE = "text/calendar; charset=utf-8"
# Calendar apps poll on their own schedule; this only stops proxies serving stale copies.
MAX_AGE = 15 * 60
GONE_MESSAGE = (
    "This calendar address is not (or no longer) valid. If you made a new one, "
    "subscribe with the new address from your calendar page.\n"
)

View = Callable[..., HttpResponse]


def ignore_unusable_dates(view: View) -> View:
    """Drop an If-Modified-Since that is not a date or lies in the future, as RFC 9110
    §13.1.3 asks, so a confused client gets the feed instead of a wrong 304."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        value = request.META.get("HTTP_IF_MODIFIED_SINCE")
        if value is not None:
            seconds = parse_http_date_safe(value)
            if seconds is None or seconds > timezone.now().timestamp() + 60:
                del request.META["HTTP_IF_MODIFIED_SINCE"]
        return view(request, *args, **kwargs)

    return wrapper


def language_from_address(view: View) -> View:
    """Mark a feed's answers (200 and 304 alike) as in the language its address gives,
    so the language middleware adds no Vary: Accept-Language, Cookie and no
    Content-Language of its own (cop_portal.lib.language): a shared cache or a calendar
    app keeps one copy per address."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.language_from_address = True  # type: ignore[attr-defined]
        session = getattr(request, "session", None)
        if session is not None and not session.modified:
            # Only the language middleware looked (for a member's language): a feed
            # reads no session, so it must not Vary: Cookie.
            session.accessed = False
        return response

    return wrapper


def _calendar_response(body: bytes, *, filename: str, private: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# Public feed ---------------------------------------------------------------------


@lru_cache(maxsize=256)
def _checked_filters(query: str) -> tuple[tuple[str, str], ...] | None:
    """The filters in a feed address's query string, or None if one is not a choice.
    Remembered, as calendar apps poll the same few addresses for years and checking
    them with the form costs more than all the rest of a 304."""
    form = SessionFilterForm(QueryDict(query))
    return tuple(form.filters().items()) if form.is_valid() else None


def public_feed_language(request: HttpRequest) -> str:
    """The public feed is in English unless its address says ?lang=es. Not the
    Accept-Language or the cookie: a calendar app polls with its own (a server's, often
    in another country), and a subscription must not change language on its own."""
    return supported(request.GET.get(QUERY_PARAMETER)) or settings.LANGUAGE_CODE


def _public(
    request: HttpRequest,
) -> tuple[dict[str, str], datetime, FeedState | None, str]:
    """The filters, the window, the feed state (None for a bad filter) and the
    language, worked out once per request (the condition decorator asks for the ETag
    and Last-Modified separately)."""
    if not hasattr(request, "public_feed"):
        checked = _checked_filters(request.META.get("QUERY_STRING", ""))
        filters = dict(checked or ())
        since = window_start()
        language = public_feed_language(request)
        state = public_feed_state(filters, since, language) if checked is not None else None
        request.public_feed = (filters, since, state, language)  # type: ignore[attr-defined]
    return request.public_feed  # type: ignore[attr-defined]


def _public_etag(request: HttpRequest) -> str | None:
    state = _public(request)[2]
    return state.etag if state else None


def _public_last_modified(request: HttpRequest) -> datetime | None:
    state = _public(request)[2]
    return state.last_modified if state else None


def _bad_filters(form: SessionFilterForm) -> HttpResponse:
    lines = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
    allowed = [
        f"{name}: {', '.join(value for value, _label in field.choices if value)}"
        for name, field in form.fields.items()
    ]
    text = "\n".join(["This feed has no such filter value.", *lines, "", "Filters:", *allowed])
    return HttpResponseBadRequest(f"{text}\n", content_type="text/plain; charset=utf-8")


@language_from_address
@require_safe
@cache_control(public=True, max_age=MAX_AGE)
@ignore_unusable_dates
@condition(etag_func=_public_etag, last_modified_func=_public_last_modified)
def public_feed_view(request: HttpRequest) -> HttpResponse:
    """Every published and cancelled session from three months back on, filtered like
    the sessions list (?time_of_day=evening&format=brief&attendance_mode=online)."""
    filters, since, state, language = _public(request)
    if state is None:
        form = SessionFilterForm(request.GET)
        form.is_valid()
        return _bad_filters(form)
    body = public_feed(filters, since, state, language)
    response = _calendar_response(body, filename="cop-portal-sessions.ics")
    # The feed's own language, not the one the middleware chose for a page.
    response["Content-Language"] = language
    return response


# Personal feeds ------------------------------------------------------------------


def _personal(request: HttpRequest, key: str) -> tuple[FeedToken, datetime, FeedState] | None:
    if not hasattr(request, "personal_feed"):
        since = window_start()
        found = personal_feed_state(key, since) if len(key) <= 64 else None
        request.personal_feed = (found[0], since, found[1]) if found else None  # type: ignore[attr-defined]
    return request.personal_feed  # type: ignore[attr-defined]


def _personal_etag(request: HttpRequest, key: str) -> str | None:
    found = _personal(request, key)
    return found[2].etag if found else None


def _personal_last_modified(request: HttpRequest, key: str) -> datetime | None:
    found = _personal(request, key)
    return found[2].last_modified if found else None


def note_fetch(view: View) -> View:
    """After a feed was served (200) or confirmed unchanged (304), remember the poll for
    the feed's page: "your calendar app last checked 3 hours ago"."""

    @wraps(view)
    def wrapper(request: HttpRequest, key: str) -> HttpResponse:
        response = view(request, key)
        found = _personal(request, key)
        if found is not None and response.status_code in (200, 304):
            user_agent = request.headers.get("User-Agent", "")
            feed_token_note_fetch(token=found[0], user_agent=user_agent, now=timezone.now())
        return response

    return wrapper


@language_from_address
@require_safe
@cache_control(private=True, max_age=MAX_AGE)
@note_fetch
@ignore_unusable_dates
@condition(etag_func=_personal_etag, last_modified_func=_personal_last_modified)
def personal_feed_view(request: HttpRequest, key: str) -> HttpResponse:
    """A member's or guest's own sessions, with joining details, at a secret address."""
    found = _personal(request, key)
    if found is None:
        # 404, never 410: the address may come back to life in no way, but a calendar
        # app that gets 410 disables the subscription without telling its user why.
        return HttpResponseNotFound(GONE_MESSAGE, content_type="text/plain; charset=utf-8")
    token, since, _state = found
    return _calendar_response(
        personal_feed(token, since), filename="cop-portal-my-sessions.ics", private=True
    )


# One session ---------------------------------------------------------------------


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
@shared_with_visitors
def session_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """One session as an .ics file to open in any calendar app (no meeting link)."""
    session = get_object_or_404(Session.objects.public().for_listing(), slug=slug)
    calendar = new_calendar(method="PUBLISH")
    calendar.add_component(session_event(session, include_conference=False))
    response = HttpResponse(to_ical(calendar), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{session.slug}.ics"'
    return response
